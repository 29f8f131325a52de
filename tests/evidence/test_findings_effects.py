"""Effect sizes of a programme's findings and the pooled estimate of each outcome.

The programmes here are test data: invented statistics, chosen to exercise the rules.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidebook.evidence.assessment import Assessment, assess
from guidebook.evidence.effect_sizes import effect_of
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.findings_effects import POOLING_METHOD, programme_effects
from guidebook.evidence.pooling import pool
from guidebook.evidence.records import (
    Counts2x2,
    Finding,
    MeansAndSDs,
    Programme,
    ReportedStatistics,
    Study,
    TTest,
)
from guidebook.evidence.standards import DEFAULT_LIMITS, EIF_2018

BEHAVIOUR = "Fewer behaviour problems"


def finding(
    key: str,
    statistics: ReportedStatistics | None,
    outcome: str = BEHAVIOUR,
    category: str = "behaviour",
    months_after: float | None = 0,
    beneficiary: str = "child",
) -> Finding:
    return Finding(
        key=key,
        outcome=outcome,
        category=category,
        measure="Test measure",
        reporter="observer",
        beneficiary=beneficiary,
        months_after=months_after,
        statistics=statistics,
    )


def study(key: str, *findings: Finding) -> Study:
    return Study(
        key=key, label=f"Study {key}", citation=f"Test data {key}", design="rct", findings=findings
    )


def programme(*studies: Study) -> Programme:
    return Programme(slug="test-programme", name="Test programme", studies=studies)


def t(value: float, n: int = 50) -> TTest:
    return TTest(t=value, n_treatment=n, n_comparison=n)


THREE_STUDIES = programme(
    study("a", finding("a1", t(3.0, 40))),
    study("b", finding("b1", t(1.0, 80)), finding("b-parent", t(2.0), beneficiary="parent")),
    study("c", finding("c1", MeansAndSDs(12.0, 4.0, 30, 10.0, 4.0, 30))),
)


def test_each_finding_with_statistics_has_its_effect_size() -> None:
    effects = programme_effects(THREE_STUDIES)
    assert [item.finding.key for item in effects.findings] == ["a1", "b1", "b-parent", "c1"]
    first = effects.findings[0]
    assert first.effect == effect_of(t(3.0, 40), "a1")
    data = first.to_dict()
    assert data["study"] == "a" and data["study_label"] == "Study a"
    assert data["g"] == first.effect.g
    assert data["ci_low"] < data["g"] < data["ci_high"]
    assert data["improvement_index"] == pytest.approx(first.effect.improvement_index)
    assert (data["metric"], data["level"]) == ("hedges-g", 0.95)
    assert (data["direction"], data["significant"], data["source"]) == (
        "positive",
        True,
        "statistics",
    )


def test_findings_without_statistics_have_no_effect_and_are_not_pooled() -> None:
    effects = programme_effects(
        programme(study("a", finding("a1", None)), study("b", finding("b1", t(2.0))))
    )
    assert [item.finding.key for item in effects.findings] == ["b1"]
    assert effects.outcomes == ()


def test_an_outcome_measured_by_several_studies_is_pooled_by_reml() -> None:
    effects = programme_effects(THREE_STUDIES)
    [outcome] = effects.outcomes
    chosen = [effects.findings[i].effect for i in (0, 1, 3)]
    expected = pool([e.g for e in chosen], [e.variance for e in chosen], method="REML")
    assert outcome.pooled == expected
    assert (outcome.outcome, outcome.category) == (BEHAVIOUR, "behaviour")
    assert [row.effect.finding.key for row in outcome.rows] == ["a1", "b1", "c1"]


def test_row_weights_are_random_effects_weights_that_sum_to_100() -> None:
    [outcome] = programme_effects(THREE_STUDIES).outcomes
    tau2 = outcome.pooled.tau2
    assert tau2 > 0
    inverse = [1 / (row.effect.effect.variance + tau2) for row in outcome.rows]
    assert [row.weight for row in outcome.rows] == pytest.approx(
        [100 * w / sum(inverse) for w in inverse]
    )
    assert sum(row.weight for row in outcome.rows) == pytest.approx(100)


def test_an_outcome_from_one_study_is_not_pooled() -> None:
    effects = programme_effects(programme(study("a", finding("a1", t(2.0)), finding("a2", t(1.0)))))
    assert effects.outcomes == ()


def test_parent_outcomes_are_never_pooled() -> None:
    effects = programme_effects(
        programme(
            study("a", finding("a1", t(2.0), beneficiary="parent")),
            study("b", finding("b1", t(2.0), beneficiary="parent")),
        )
    )
    assert len(effects.findings) == 2
    assert effects.outcomes == ()


@pytest.mark.parametrize(
    ("outcome_b", "category_b", "pooled"),
    [
        (BEHAVIOUR, "behaviour", True),
        ("  fewer   BEHAVIOUR problems ", "behaviour", True),
        (BEHAVIOUR, "mental-health", False),
        ("Fewer behaviour problems at home", "behaviour", False),
    ],
    ids=["same words", "case and spacing differ", "other category", "other words"],
)
def test_findings_are_the_same_outcome_when_category_and_words_match(
    outcome_b: str, category_b: str, pooled: bool
) -> None:
    effects = programme_effects(
        programme(
            study("a", finding("a1", t(2.0))),
            study("b", finding("b1", t(1.5), outcome=outcome_b, category=category_b)),
        )
    )
    assert bool(effects.outcomes) is pooled
    if pooled:
        assert effects.outcomes[0].outcome == BEHAVIOUR


# One row per rule for the finding a study contributes: its findings' time points
# (months after the programme ended) and the key of the one that counts.
TIME_POINTS = [
    ("the latest time point counts", [0, 12, 6], "x2"),
    ("a tie goes to the finding recorded first", [6, 6], "x1"),
    ("no time point is taken as the end of the programme", [None, 3], "x2"),
    ("no time point ties with 0, so the first recorded counts", [None, 0], "x1"),
]


@pytest.mark.parametrize(
    ("months", "counted"), [row[1:] for row in TIME_POINTS], ids=[row[0] for row in TIME_POINTS]
)
def test_a_study_counts_once_per_outcome_with_its_latest_time_point(
    months: list[float | None], counted: str
) -> None:
    repeated = [
        finding(f"x{i}", t(1.0 + i), months_after=month) for i, month in enumerate(months, 1)
    ]
    effects = programme_effects(programme(study("x", *repeated), study("y", finding("y1", t(2.0)))))
    [outcome] = effects.outcomes
    assert [row.effect.finding.key for row in outcome.rows] == [counted, "y1"]
    set_aside = {f"x{i}" for i in range(1, len(months) + 1)} - {counted}
    assert {item.finding.key for item in outcome.set_aside} == set_aside
    assert outcome.to_dict()["set_aside"] == [
        {"study": "x", "finding": key} for key in sorted(set_aside)
    ]


def test_to_dict_is_plain_json_with_every_figure_the_page_needs() -> None:
    data = programme_effects(THREE_STUDIES).to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert (data["level"], data["alpha"], data["method"]) == (0.95, 0.05, POOLING_METHOD)
    [outcome] = data["outcomes"]
    assert outcome["studies"] == 3
    assert {"estimate", "ci_low", "ci_high", "tau2", "i2", "q", "pi_low", "pi_high"} <= set(
        outcome["pooled"]
    )
    assert {"weight", "g", "ci_low", "ci_high", "study_label"} <= set(outcome["rows"][0])


def test_the_assessment_carries_the_effects_for_the_page_and_the_api() -> None:
    data = assess(THREE_STUDIES, "eif-2018").to_dict()
    assert data["effects"] == programme_effects(THREE_STUDIES).to_dict()


def test_the_assessment_judges_effects_at_the_standards_alpha() -> None:
    strict = replace(EIF_2018, limits=replace(DEFAULT_LIMITS, alpha=0.001))
    plain = assess(THREE_STUDIES, "eif-2018")
    data = Assessment(THREE_STUDIES, strict, plain.result, plain.explanation).to_dict()
    assert data["effects"]["alpha"] == 0.001
    # t = 3.0 with 40 a group has p of about 0.008: significant at 5%, not at 0.1%.
    assert data["effects"]["findings"][0]["significant"] is False


def test_impossible_statistics_name_the_programme_study_finding_and_field() -> None:
    bad = Counts2x2(events_treatment=70, n_treatment=50, events_comparison=5, n_comparison=50)
    with pytest.raises(InvalidRecord) as caught:
        programme_effects(programme(study("a", finding("a1", t(2.0)), finding("a2", bad))))
    [problem] = caught.value.problems
    assert problem.record == "programme 'test-programme', Study a, finding 'a2'"
    assert problem.field == "statistics.events_treatment"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-6, max_value=6, allow_nan=False),
            st.integers(min_value=5, max_value=400),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_the_pooled_estimate_lies_among_the_studies_and_inside_its_interval(
    studies: list[tuple[float, int]],
) -> None:
    effects = programme_effects(
        programme(*(study(f"s{i}", finding(f"f{i}", t(v, n))) for i, (v, n) in enumerate(studies)))
    )
    [outcome] = effects.outcomes
    pooled = outcome.pooled
    gs = [row.effect.effect.g for row in outcome.rows]
    assert min(gs) - 1e-9 <= pooled.estimate <= max(gs) + 1e-9
    assert pooled.ci_low <= pooled.estimate <= pooled.ci_high
    assert pooled.pi_low <= pooled.ci_low and pooled.ci_high <= pooled.pi_high
    assert math.isclose(sum(row.weight for row in outcome.rows), 100)
