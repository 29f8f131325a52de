"""Direction and significance from reported statistics, not from what was recorded.

When a finding carries statistics, ``judge_finding`` computes its effect size and
judges it at the standard's alpha (source "statistics"); otherwise it keeps the
recorded values (source "recorded"). Impossible statistics are refused, naming the
finding and the field, wherever a record enters: the JSON reader, the standards and
``guidebook rate``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from guidebook.evidence.assessment import assess, significance_level
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.records import (
    ClusterDesign,
    Counts2x2,
    Finding,
    FTest,
    MeansAndSDs,
    Programme,
    PValue,
    ReportedStatistics,
    TTest,
)
from guidebook.evidence.standards import DEFAULT_LIMITS, EIF_2018, JudgedFinding, judge_finding
from guidebook.evidence.standards.judging import SOURCES, effect_of_finding
from tests.evidence.ipp import attachment_security, ipp_programme, ipp_study_1, ipp_study_2

ALPHA = DEFAULT_LIMITS.alpha

# One row per rule: recorded direction and significance, the statistics, and the verdict.
VERDICTS: list[tuple[str, str, bool, ReportedStatistics | None, JudgedFinding]] = [
    (
        "no statistics: the recorded values stand",
        "positive",
        True,
        None,
        JudgedFinding("positive", True, "recorded"),
    ),
    (
        "recorded significant, but the statistics say p = 0.3",
        "positive",
        True,
        PValue(p=0.3, n_treatment=50, n_comparison=50, favours_treatment=True),
        JudgedFinding("null", False, "statistics"),
    ),
    (
        "recorded null, but t = 3.2 with 60 a group is significant",
        "null",
        False,
        TTest(t=3.2, n_treatment=60, n_comparison=60),
        JudgedFinding("positive", True, "statistics"),
    ),
    (
        "the programme group scored worse on a measure where higher is better",
        "positive",
        True,
        MeansAndSDs(90.0, 10.0, 80, 100.0, 10.0, 80),
        JudgedFinding("negative", True, "statistics"),
    ),
    (
        "lower is better, and the programme group scored lower",
        "negative",
        True,
        MeansAndSDs(90.0, 10.0, 80, 100.0, 10.0, 80, higher_is_better=False),
        JudgedFinding("positive", True, "statistics"),
    ),
    (
        "a harmful event was rarer in the programme group",
        "null",
        False,
        Counts2x2(events_treatment=10, n_treatment=100, events_comparison=30, n_comparison=100),
        JudgedFinding("positive", True, "statistics"),
    ),
    (
        "a good event was rarer in the programme group",
        "positive",
        True,
        Counts2x2(
            events_treatment=10,
            n_treatment=100,
            events_comparison=30,
            n_comparison=100,
            event_is_good=True,
        ),
        JudgedFinding("negative", True, "statistics"),
    ),
    (
        "a significant F against the programme",
        "positive",
        True,
        FTest(f=9.0, n_treatment=50, n_comparison=50, favours_treatment=False),
        JudgedFinding("negative", True, "statistics"),
    ),
    (
        "a negative but not significant difference is null, not negative",
        "negative",
        True,
        TTest(t=-1.0, n_treatment=40, n_comparison=40),
        JudgedFinding("null", False, "statistics"),
    ),
    (
        "clustering widens the interval until t = 2.5 is no longer significant",
        "positive",
        True,
        TTest(
            t=2.5,
            n_treatment=100,
            n_comparison=100,
            cluster=ClusterDesign(intraclass_correlation=0.2, mean_cluster_size=25),
        ),
        JudgedFinding("null", False, "statistics"),
    ),
]


@pytest.mark.parametrize(
    ("direction", "significant", "statistics", "expected"),
    [row[1:] for row in VERDICTS],
    ids=[row[0] for row in VERDICTS],
)
def test_judge_finding_takes_the_verdict_from_the_statistics_when_there_are_some(
    direction: str,
    significant: bool,
    statistics: ReportedStatistics | None,
    expected: JudgedFinding,
) -> None:
    finding = attachment_security(
        direction=direction, significant=significant, statistics=statistics
    )
    assert judge_finding(finding, ALPHA) == expected


@pytest.mark.parametrize(("alpha", "significant"), [(0.05, True), (0.01, False)])
def test_the_computed_p_value_is_judged_at_the_standards_alpha(
    alpha: float, significant: bool
) -> None:
    # t = 2.2 with 50 a group gives a z-test p of about 0.029.
    finding = attachment_security(statistics=TTest(t=2.2, n_treatment=50, n_comparison=50))
    effect = effect_of_finding(finding)
    assert effect is not None and 0.01 < effect.p_value < 0.05
    assert judge_finding(finding, alpha).significant is significant


def test_every_source_has_words_for_the_page() -> None:
    assert set(SOURCES) == {"recorded", "statistics", "not-recorded"}
    assert SOURCES["statistics"] == "computed from the reported statistics"


def test_a_finding_without_statistics_has_no_effect_size() -> None:
    assert effect_of_finding(attachment_security()) is None


# --- The rating follows the computed verdict --------------------------------------------

NOT_SIGNIFICANT = PValue(p=0.3, n_treatment=60, n_comparison=60, favours_treatment=True)
SIGNIFICANT = TTest(t=3.0, n_treatment=60, n_comparison=60)


def _ipp_with_rigorous_statistics(statistics: ReportedStatistics) -> Programme:
    """IPP with its level-3 study's attachment finding carrying ``statistics``."""
    finding = attachment_security("ipp-2-attachment", statistics=statistics)
    study_2 = ipp_study_2()
    return ipp_programme(studies=(ipp_study_1(), replace(study_2, findings=(finding,))))


@pytest.mark.parametrize(
    ("statistics", "rating"),
    [(None, "3+"), (SIGNIFICANT, "3+"), (NOT_SIGNIFICANT, "2")],
    ids=["recorded", "significant statistics", "statistics with p = 0.3"],
)
def test_the_rating_follows_the_statistics_not_the_recorded_verdict(
    statistics: ReportedStatistics | None, rating: str
) -> None:
    programme = ipp_programme() if statistics is None else _ipp_with_rigorous_statistics(statistics)
    assert assess(programme, "eif-2017").result.value == rating


def test_the_reasons_say_the_verdict_was_computed_from_the_statistics() -> None:
    assessment = assess(_ipp_with_rigorous_statistics(NOT_SIGNIFICANT), "eif-2017")
    supports = assessment.result.studies["ipp-2"].reason("level-2.improved-child-outcome")
    [finding] = supports.values["findings"]
    assert (finding["source"], finding["significant"], finding["improved"]) == (
        "statistics",
        False,
        False,
    )
    json.dumps(assessment.to_dict(), allow_nan=False)


def test_the_mixed_findings_rule_records_the_statistics_as_its_source() -> None:
    result = EIF_2018.rate(_ipp_with_rigorous_statistics(NOT_SIGNIFICANT))
    balance = result.reason("asterisk.mixed-findings").values["rigorous_studies"]
    assert balance[0]["sources"] == ["statistics"]


class _StandardWithoutLimits:
    key, version, year, title, summary = "bare", "1", 2000, "Bare", "No limits."

    def rate(self, programme: Programme) -> Any:  # pragma: no cover - never rated here
        raise NotImplementedError


def test_a_standard_without_limits_judges_at_the_default_alpha() -> None:
    assert significance_level(EIF_2018) == EIF_2018.limits.alpha
    strict = replace(EIF_2018, limits=replace(DEFAULT_LIMITS, alpha=0.01))
    assert significance_level(strict) == 0.01
    assert significance_level(_StandardWithoutLimits()) == DEFAULT_LIMITS.alpha


# --- Impossible statistics are refused, naming the finding and the field ----------------

IMPOSSIBLE: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "more events than children in the group",
        {
            "type": "counts",
            "events_treatment": 60,
            "n_treatment": 50,
            "events_comparison": 10,
            "n_comparison": 50,
        },
        "statistics.events_treatment",
        "a count of events from 0 to the group size (50)",
    ),
    (
        "a group of one",
        {"type": "t", "t": 2.0, "n_treatment": 1, "n_comparison": 40},
        "statistics.n_treatment",
        "a group size of at least 2",
    ),
    (
        "clusters larger than half the sample",
        {
            "type": "t",
            "t": 2.0,
            "n_treatment": 20,
            "n_comparison": 20,
            "cluster": {"intraclass_correlation": 0.1, "mean_cluster_size": 30},
        },
        "statistics.mean_cluster_size",
        "a mean cluster size from 1 to half the total sample (20)",
    ),
]


@pytest.mark.parametrize(
    ("statistics", "field", "expected"),
    [row[1:] for row in IMPOSSIBLE],
    ids=[row[0] for row in IMPOSSIBLE],
)
def test_reading_a_record_refuses_impossible_statistics_by_field(
    ipp_data: dict[str, Any], statistics: dict[str, Any], field: str, expected: str
) -> None:
    ipp_data["studies"][1]["findings"][0]["statistics"] = statistics
    with pytest.raises(InvalidRecord) as caught:
        programme_from_dict(ipp_data)
    [problem] = caught.value.problems
    assert problem.record == "programme 'infant-parent-psychotherapy'"
    assert problem.field == f"studies[1].findings[0].{field}"
    assert problem.expected == expected


def test_reading_a_record_reports_every_impossible_finding_at_once(
    ipp_data: dict[str, Any],
) -> None:
    for study in ipp_data["studies"]:
        study["findings"][0]["statistics"] = IMPOSSIBLE[0][1]
    with pytest.raises(InvalidRecord) as caught:
        programme_from_dict(ipp_data)
    assert [p.field for p in caught.value.problems] == [
        "studies[0].findings[0].statistics.events_treatment",
        "studies[1].findings[0].statistics.events_treatment",
    ]


def test_judge_finding_refuses_impossible_statistics_naming_the_finding() -> None:
    finding = Finding(
        key="x",
        outcome="Behaviour",
        category="behaviour",
        statistics=MeansAndSDs(1.0, 0.0, 30, 2.0, 1.0, 30),
    )
    with pytest.raises(
        InvalidRecord,
        match=r"finding x: field 'statistics.sd_treatment' expected a standard deviation above 0",
    ):
        judge_finding(finding, ALPHA)
