"""Blueprints rules, each with worked cases from the published standards
(docs/methodology/crosswalk.md); unknown facts never count as met."""

import pytest

from guidebook.evidence.crosswalk import get_crosswalk_standard
from guidebook.evidence.crosswalk.blueprints import high_quality

from .builders import finding, programme, study

BLUEPRINTS = get_crosswalk_standard("blueprints")
SHORT = [finding(months_after=3)]


@pytest.mark.parametrize(
    ("case", "record", "met", "needs"),
    [
        ("a clean RCT is high quality", study(), True, ()),
        ("a clean QED is high quality", study(design="qed"), True, ()),
        ("a pre-post study is not", study(design="pre-post"), False, ()),
        ("differential attrition above the boundary", study(differential_attrition=0.2), False, ()),
        (
            "baseline difference without adjustment",
            study(baseline_difference=0.2, baseline_adjusted=False),
            False,
            (),
        ),
        ("baseline difference with adjustment", study(baseline_difference=0.2), True, ()),
        (
            "baseline difference, adjustment unknown",
            study(baseline_difference=0.2, baseline_adjusted=None),
            None,
            ("baseline adjustment (s1)",),
        ),
        (
            "baseline difference unknown",
            study(baseline_difference=None),
            None,
            ("baseline difference (s1)",),
        ),
        ("a confound", study(confounded=True), False, ()),
    ],
)
def test_evaluation_quality_of_one_study(case, record, met, needs):
    check = high_quality(record)
    assert (check.met, check.needs) == (met, needs), case


@pytest.mark.parametrize(
    ("case", "record", "value"),
    [
        (
            "two RCTs, 12 months after the end, one independent team: Model Plus",
            programme(study(), study("s2", developer_independent=True)),
            "Model Plus",
        ),
        (
            "two RCTs sustained, no independent replication: Model",
            programme(study(), study("s2")),
            "Model",
        ),
        (
            "one RCT and one QED count for Model",
            programme(study(), study("s2", design="qed")),
            "Model",
        ),
        (
            "two reports of one RCT are one trial: Promising",
            programme(study(sample="one"), study("s2", sample="one")),
            "Promising",
        ),
        (
            "effects lasting under 12 months: Promising",
            programme(study(findings=SHORT), study("s2", findings=SHORT)),
            "Promising",
        ),
        ("one high-quality RCT: Promising", programme(study()), "Promising"),
        ("one QED alone is not enough", programme(study(design="qed")), "Not certified"),
        (
            "two QEDs are enough for Promising",
            programme(study(design="qed"), study("s2", design="qed")),
            "Promising",
        ),
        (
            "a harmful effect refuses certification",
            programme(study(), study("s2", findings=[finding(harmful=True)])),
            "Not certified",
        ),
        (
            "most high-quality studies null: no preponderance",
            programme(
                study(),
                study("s2", findings=[finding(significant=False)]),
                study("s3", findings=[finding(significant=False)]),
            ),
            "Not certified",
        ),
        (
            "not ready for dissemination",
            programme(study(), dissemination_ready=False),
            "Not certified",
        ),
    ],
)
def test_certification_top_down(case, record, value):
    result = BLUEPRINTS.rate(record)
    assert (result.value, result.needs) == (value, ()), case


@pytest.mark.parametrize(
    ("case", "record", "needed"),
    [
        ("no logic model recorded", programme(study(), theory=()), "logic model"),
        (
            "readiness unknown",
            programme(study(), dissemination_ready=None),
            "dissemination readiness",
        ),
        (
            "evaluator independence unknown",
            programme(study(developer_independent=None), study("s2", developer_independent=None)),
            "evaluator independence (s1)",
        ),
        (
            "Blueprints outcome unknown",
            programme(study(findings=[finding(domains={})])),
            "Blueprints outcome domain (s1/f1)",
        ),
        (
            "harm unknown and not derivable",
            programme(
                study(),
                study("s2", findings=[finding(harmful=None, direction=None, significant=None)]),
            ),
            "harm, or direction and significance (s2/f1)",
        ),
    ],
)
def test_missing_facts_leave_the_programme_uncertified_with_what_it_needs(case, record, needed):
    result = BLUEPRINTS.rate(record)
    assert result.value is None, case
    assert needed in result.needs


def test_every_rule_is_recorded_as_a_reason():
    result = BLUEPRINTS.rate(programme(study(), study("s2")))
    assert {r.rule for r in result.reasons} == {rule for rule, _ in BLUEPRINTS.rules}
    assert result.reason("blueprints.model-plus").values["status"] == "not met"
    assert result.next_rule == "blueprints.model-plus"
