"""Issue 10, defect 4: unknown is not improved.

A finding that leaves out its direction or its significance, and carries no
statistics to derive them from, shows nothing: it is never counted as an
improvement, nor as the absence of one, and the reasons and the explanation name the
study, the finding and what it lacks.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from guidebook.evidence.explain import explain
from guidebook.evidence.records import Finding, Programme, PublishedEffect, Study, StudyLevel, TTest
from guidebook.evidence.standards import get_standard, judge_finding
from guidebook.evidence.standards.rating import FINDINGS_RECORDED
from tests.evidence.ipp import attachment_security, verdict

UNRECORDED = attachment_security(direction=None, significant=None)


def rigorous(*findings: Finding, key: str = "r1") -> Study:
    return Study(
        key=key,
        label=f"Study {key}",
        citation="c",
        design="rct",
        findings=findings,
        appraisal=verdict(StudyLevel.LEVEL_3),
    )


def rate(standard: str, *studies: Study) -> str:
    return get_standard(standard).rate(Programme(slug="p", name="P", studies=studies)).value


# Each row: the finding, the rating under 2017 and 2018, what the reasons say is missing.
ROWS = [
    ("both recorded", attachment_security(), "3", "3", []),
    ("both left out", UNRECORDED, "NL2", "NL2", ["direction", "significance"]),
    (
        "significance left out",
        attachment_security(significant=None),
        "NL2",
        "NL2",
        ["significance"],
    ),
    (
        "direction left out",
        attachment_security(direction=None),
        "NL2",
        "NL2",
        ["direction"],
    ),
    (
        "both left out, t statistic significant",
        replace(UNRECORDED, statistics=TTest(t=3.0, n_treatment=50, n_comparison=50)),
        "3",
        "3",
        [],
    ),
    (
        "both left out, published effect whose interval excludes 0",
        replace(UNRECORDED, statistics=PublishedEffect(0.5, ci_lower=0.2, ci_upper=0.8)),
        "3",
        "3",
        [],
    ),
    (
        "both left out, published effect whose interval spans 0",
        replace(UNRECORDED, statistics=PublishedEffect(0.1, ci_lower=-0.2, ci_upper=0.4)),
        "NE",
        "NE",
        [],
    ),
    ("recorded null", attachment_security(direction="null", significant=False), "NE", "NE", []),
]


@pytest.mark.parametrize(
    ("finding", "rating_2017", "rating_2018", "missing"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_a_finding_counts_only_for_what_is_recorded_or_derivable(
    finding: Finding, rating_2017: str, rating_2018: str, missing: list[str]
) -> None:
    assert rate("eif-2017", rigorous(finding)) == rating_2017
    assert rate("eif-2018", rigorous(finding)) == rating_2018
    judged = judge_finding(finding, 0.05)
    assert list(judged.missing) == missing
    assert judged.known is (not missing)


def test_one_incomplete_record_no_longer_earns_level_3() -> None:
    # Before the fix an absent direction and significance read as positive and
    # significant, and this single study rated 3.
    bare = Finding(
        key="attachment", outcome="Improved attachment security", category="mental-health"
    )
    assert rate("eif-2017", rigorous(bare)) == "NL2"
    assert judge_finding(bare, 0.05).source == "not-recorded"


def test_an_unknown_finding_cannot_make_a_study_found_not_to_work() -> None:
    # The unknown finding might be the benefit: no-benefit needs every finding known.
    null = attachment_security("null", direction="null", significant=False)
    result = get_standard("eif-2017").rate(
        Programme(slug="p", name="P", studies=(rigorous(null, UNRECORDED),))
    )
    assert result.value == "NL2"
    assert result.studies["r1"].reason("level-3.no-benefit").values == {
        "level": "3",
        "findings": 2,
        "improved": 0,
        "not_recorded": 1,
    }


def test_an_unknown_finding_counts_on_neither_side_of_the_mixed_balance() -> None:
    improved = attachment_security("win")
    unknown = [replace(UNRECORDED, key=f"u{n}") for n in range(3)]
    result = get_standard("eif-2018").rate(
        Programme(slug="p", name="P", studies=(rigorous(improved, *unknown),))
    )
    assert result.value == "3"
    (balance,) = result.reason("asterisk.mixed-findings").values["rigorous_studies"]
    assert (balance["improved"], balance["not_improved"], balance["not_recorded"]) == (1, 0, 3)


def test_the_reasons_and_the_explanation_name_the_finding_and_what_it_lacks() -> None:
    lacking = attachment_security("sig", significant=None)
    programme = Programme(
        slug="p", name="P", studies=(rigorous(UNRECORDED, lacking), rigorous(key="r2"))
    )
    result = get_standard("eif-2017").rate(programme)
    reason = result.studies["r1"].reason(FINDINGS_RECORDED)
    assert not reason.met
    assert reason.values == {
        "incomplete": [
            {
                "key": "attachment",
                "outcome": "Improved attachment security",
                "missing": ["direction", "significance"],
            },
            {"key": "sig", "outcome": "Improved attachment security", "missing": ["significance"]},
        ]
    }
    assert result.studies["r2"].reason(FINDINGS_RECORDED).met
    assert explain(programme, result).not_recorded == (
        "Study r1, finding 'attachment' (Improved attachment security): direction not "
        "recorded; significance not recorded. It is not counted as showing an improvement, "
        "or the lack of one.",
        "Study r1, finding 'sig' (Improved attachment security): significance not recorded. "
        "It is not counted as showing an improvement, or the lack of one.",
    )
    assert explain(programme, result).to_dict()["not_recorded"] == list(
        explain(programme, result).not_recorded
    )


def test_a_result_published_before_the_rule_explains_without_it() -> None:
    programme = Programme(slug="p", name="P", studies=(rigorous(UNRECORDED),))
    result = get_standard("eif-2017").rate(programme)
    study = result.studies["r1"]
    older = replace(study, reasons=tuple(r for r in study.reasons if r.rule != FINDINGS_RECORDED))
    assert explain(programme, replace(result, studies={"r1": older})).not_recorded == ()
