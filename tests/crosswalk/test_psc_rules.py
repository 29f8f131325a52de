"""PSC Handbook v1.0 rules, each with worked cases from the published wording
(docs/methodology/crosswalk.md); unknown facts never count as met."""

import pytest

from guidebook.evidence.crosswalk import get_crosswalk_standard
from guidebook.evidence.crosswalk.psc import contrast_rating

from .builders import finding, programme, study

PSC = get_crosswalk_standard("psc-1.0")


@pytest.mark.parametrize(
    ("case", "kwargs", "design", "expected"),
    [
        ("low-attrition RCT, no confound: high", {}, "rct", ("high", ())),
        ("low-attrition RCT with a confound: low", {"confounded": True}, "rct", ("low", ())),
        (
            "high-attrition RCT, equivalent at baseline: at most moderate",
            {"overall_attrition": 0.5},
            "rct",
            ("moderate", ()),
        ),
        (
            "compromised RCT is read as a QED",
            {"randomisation_compromised": True},
            "rct",
            ("moderate", ()),
        ),
        ("a QED never exceeds moderate", {}, "qed", ("moderate", ())),
        (
            "difference above 0.25 SD fails baseline equivalence",
            {"baseline_difference": 0.3},
            "qed",
            ("low", ()),
        ),
        (
            "difference 0.05-0.25 SD needs adjustment",
            {"baseline_difference": 0.1, "baseline_adjusted": False},
            "qed",
            ("low", ()),
        ),
        (
            "difference 0.05-0.25 SD with adjustment",
            {"baseline_difference": 0.1},
            "qed",
            ("moderate", ()),
        ),
        ("a pre-post study is not eligible", {}, "pre-post", ("not eligible", ())),
        (
            "unrecorded design cannot be rated",
            {},
            "not-recorded",
            (None, ("design (s1)",)),
        ),
        (
            "unrecorded randomisation integrity",
            {"randomisation_compromised": None},
            "rct",
            (None, ("randomisation compromised? (s1)",)),
        ),
        (
            "unrecorded attrition",
            {"overall_attrition": None},
            "rct",
            (None, ("overall attrition (s1)",)),
        ),
        (
            "unrecorded baseline adjustment",
            {"baseline_difference": 0.1, "baseline_adjusted": None},
            "qed",
            (None, ("baseline adjustment (s1)",)),
        ),
    ],
)
def test_contrast_design_and_execution_rating(case, kwargs, design, expected):
    assert contrast_rating(study(design=design, **kwargs)) == expected, case


def two_usual_care_trials(**changes):
    return programme(study("s1", **changes), study("s2"))


@pytest.mark.parametrize(
    ("case", "record", "value"),
    [
        (
            "two usual-care contrasts, separate samples, effect 12 months after treatment",
            two_usual_care_trials(),
            "Well-supported",
        ),
        (
            "two reports of one trial count once: Supported, not Well-supported",
            programme(study("s1", sample="one"), study("s2", sample="one")),
            "Supported",
        ),
        (
            "sustained 6 but not 12 months: Supported",
            programme(study(findings=[finding(months_after_treatment_end=6)])),
            "Supported",
        ),
        (
            "no usual-care setting: Promising",
            programme(study(usual_care=False), study("s2", usual_care=False)),
            "Promising",
        ),
        (
            "adult well-being is a target outcome: Promising on a parenting effect",
            programme(
                study(
                    usual_care=False,
                    findings=[finding(domains={"psc": "adult-well-being"}, beneficiary="parent")],
                )
            ),
            "Promising",
        ),
        (
            "a favourable effect only on a non-target outcome does not count",
            programme(study(findings=[finding(domains={"psc": "not-target"})])),
            "Does not currently meet criteria",
        ),
        (
            "a low-rated contrast does not qualify",
            programme(study(confounded=True)),
            "Does not currently meet criteria",
        ),
        (
            "an unfavourable qualifying contrast stops the rating at Promising",
            programme(
                study(),
                study("s2"),
                study("s3", findings=[finding(direction="negative", harmful=None)]),
            ),
            "Promising",
        ),
        (
            "not eligible without a manual",
            programme(study(), study("s2"), manual=False),
            "Does not currently meet criteria",
        ),
    ],
)
def test_programme_rating_top_down(case, record, value):
    result = PSC.rate(record)
    assert (result.value, result.needs) == (value, ()), case


@pytest.mark.parametrize(
    ("case", "record", "floor", "needed"),
    [
        (
            "unknown setting: never Supported on missing facts",
            programme(study(usual_care=None)),
            "Promising",
            "usual care setting (s1)",
        ),
        (
            "unknown treatment-end timing",
            programme(study(findings=[finding(months_after_treatment_end=None)])),
            "Promising",
            "months after the end of treatment (s1/f1)",
        ),
        (
            "unknown sample of a second trial",
            programme(study(), study("s2", sample=None)),
            "Supported",
            "sample identifier (s2)",
        ),
        (
            "unknown PSC domain",
            programme(study(findings=[finding(domains={})])),
            None,
            "PSC outcome domain (s1/f1)",
        ),
        ("unknown programme area", programme(study(), psc_area=None), None, "PSC programme area"),
        (
            "unknown direction and significance",
            programme(study(findings=[finding(direction=None, significant=None, harmful=False)])),
            None,
            "direction and significance (s1/f1)",
        ),
    ],
)
def test_missing_facts_leave_the_programme_unrated_with_what_it_needs(case, record, floor, needed):
    result = PSC.rate(record)
    assert result.value is None and not result.rated, case
    assert result.floor == floor
    assert needed in result.needs
    assert result.shown().startswith("Cannot be rated: needs ")


def test_every_rule_is_recorded_as_a_reason_with_its_status():
    result = PSC.rate(programme(study(usual_care=None)))
    rules = {reason.rule for reason in result.reasons}
    assert rules == {rule for rule, _ in PSC.rules}
    supported = result.reason("psc.supported")
    assert supported.met is False
    assert supported.values["status"] == "unknown"
    assert result.reason("psc.contrast-rating", "s1").values["rating"] == "high"


def test_the_rung_above_is_named_to_explain_why_not_the_next_rating():
    result = PSC.rate(programme(study(usual_care=False)))
    assert (result.value, result.next_rule) == ("Promising", "psc.supported")
    assert PSC.rate(two_usual_care_trials()).next_rule is None
    data = result.to_dict()
    assert data["standard"] == {"key": "psc-1.0", "version": "1.0"}
    assert data["meaning"] == result.meaning


def test_a_programme_without_studies_recorded_here_cannot_be_rated():
    result = PSC.rate(programme())
    assert (result.value, result.needs) == (None, ("the programme's studies",))


def test_a_programme_whose_studies_show_nothing_does_not_meet_criteria():
    record = programme(study(findings=[finding(significant=False)]))
    assert PSC.rate(record).value == "Does not currently meet criteria"


def test_unknown_baseline_difference_leaves_a_qed_unrated():
    assert contrast_rating(study(design="qed", baseline_difference=None)) == (
        None,
        ("baseline difference (s1)",),
    )


def test_a_rated_result_shows_its_value_and_unknown_rules_raise():
    result = PSC.rate(two_usual_care_trials())
    assert result.shown() == "Well-supported"
    with pytest.raises(KeyError):
        result.reason("psc.no-such-rule")
