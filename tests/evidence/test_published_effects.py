"""A standardised effect the paper published: its variance, interval and significance."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from guidebook.evidence.effect_sizes import COX_SCALE, effect_of, verdict_of
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.findings_effects import programme_effects
from guidebook.evidence.published_effects import published_effect, standard_error
from guidebook.evidence.records import ClusterDesign, Programme, PublishedEffect, Study, StudyLevel
from tests.evidence.ipp import attachment_security, verdict

effects = st.floats(-3, 3, allow_nan=False)
ses = st.floats(0.01, 2, allow_nan=False)
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99])


@given(effects, ses, levels)
def test_a_ci_built_from_se_gives_back_the_se(value: float, se: float, level: float) -> None:
    z = stats.norm.ppf((1 + level) / 2)
    effect = PublishedEffect(
        value, ci_lower=value - z * se, ci_upper=value + z * se, ci_level=level
    )
    assert math.isclose(standard_error(effect, "f"), se, rel_tol=1e-9)
    assert math.isclose(published_effect(effect, "f").variance, se**2, rel_tol=1e-9)


@given(effects, ses)
def test_significance_is_the_95_percent_interval_excluding_0(value: float, se: float) -> None:
    lower, upper = value - 1.959963984540054 * se, value + 1.959963984540054 * se
    effect = published_effect(PublishedEffect(value, ci_lower=lower, ci_upper=upper), "f")
    excludes_zero = lower > 0 or upper < 0
    # Away from the boundary itself, where rounding decides.
    if min(abs(lower), abs(upper)) > 1e-9:
        assert verdict_of(effect, 0.05).significant is excludes_zero
    assert math.isclose(effect.ci_low, lower, abs_tol=1e-9)
    assert math.isclose(effect.ci_high, upper, abs_tol=1e-9)


@given(effects, ses)
def test_higher_is_worse_turns_the_sign_and_keeps_the_precision(value: float, se: float) -> None:
    up = published_effect(PublishedEffect(value, se=se), "f")
    down = published_effect(PublishedEffect(value, se=se, higher_is_better=False), "f")
    assert (down.g, down.variance, down.p_value) == (-up.g, up.variance, up.p_value)


def test_the_se_is_preferred_to_the_interval_when_both_are_given() -> None:
    effect = PublishedEffect(0.4, se=0.1, ci_lower=0.0, ci_upper=0.8)
    assert standard_error(effect, "f") == 0.1
    assert "SE as published" in published_effect(effect, "f").method
    assert "from the published interval" in published_effect(replace(effect, se=None), "f").method


def test_a_published_smd_is_used_as_g_with_its_improvement_index() -> None:
    effect = effect_of(PublishedEffect(0.5, se=0.2), "f")
    assert (effect.g, effect.metric) == (0.5, "smd")
    assert effect.improvement_index == pytest.approx(100 * stats.norm.cdf(0.5) - 50)
    assert effect.p_value == pytest.approx(2 * stats.norm.sf(2.5))


def test_a_log_odds_ratio_goes_to_the_g_scale_by_the_cox_transformation() -> None:
    effect = effect_of(PublishedEffect(0.66, metric="log-odds-ratio", se=0.33), "f")
    assert effect.g == pytest.approx(0.66 / COX_SCALE)
    assert effect.variance == pytest.approx(0.33**2 / COX_SCALE**2)
    assert effect.metric == "cox-index"


def test_a_log_risk_ratio_stays_on_its_scale_without_an_improvement_index() -> None:
    effect = effect_of(PublishedEffect(-0.4, metric="log-risk-ratio", se=0.1), "f")
    assert (effect.g, effect.metric, effect.improvement_index) == (-0.4, "log-risk-ratio", None)


def test_a_cluster_inflates_the_variance_by_the_design_effect() -> None:
    cluster = ClusterDesign(intraclass_correlation=0.1, mean_cluster_size=11)
    plain = effect_of(PublishedEffect(0.3, se=0.1), "f")
    grouped = effect_of(PublishedEffect(0.3, se=0.1, cluster=cluster, n_treatment=60), "f")
    assert grouped.variance == pytest.approx(plain.variance * 2.0)
    assert "design effect" in grouped.method


def _study(key: str, statistics: PublishedEffect) -> Study:
    finding = attachment_security(statistics=statistics, direction=None, significant=None)
    return Study(key, key, "c", "rct", findings=(finding,), appraisal=verdict(StudyLevel.LEVEL_3))


def test_published_effects_are_pooled_with_the_other_g_scale_findings() -> None:
    programme = Programme(
        slug="p",
        name="P",
        studies=(
            _study("a", PublishedEffect(0.4, se=0.1)),
            _study("b", PublishedEffect(0.66, metric="log-odds-ratio", se=0.3)),
            _study("c", PublishedEffect(-0.2, metric="log-risk-ratio", se=0.1)),
        ),
    )
    effects = programme_effects(programme)
    assert [item.study for item in effects.findings] == ["a", "b", "c"]
    (outcome,) = effects.outcomes
    assert [row.effect.study for row in outcome.rows] == ["a", "b"]


BAD = [
    (PublishedEffect(0.4), "se", "a standard error, or both ci_lower and ci_upper"),
    (PublishedEffect(0.4, se=0.0), "se", "a standard error above 0"),
    (PublishedEffect(0.4, se=math.inf), "se", "a finite number"),
    (PublishedEffect(math.nan, se=0.1), "effect_size", "a finite number"),
    (PublishedEffect(0.4, se=0.1, metric="d"), "metric", "one of smd, log-odds-ratio"),
    (PublishedEffect(0.4, se=0.1, ci_level=1.0), "ci_level", "a number strictly between"),
    (PublishedEffect(0.4, ci_upper=0.6), "ci_lower", "a bound, since ci_upper is given"),
    (PublishedEffect(0.4, ci_lower=0.6, ci_upper=0.2), "ci_upper", "a bound above ci_lower"),
    (PublishedEffect(0.4, ci_lower=0.6, ci_upper=0.9), "ci_lower", "an interval containing"),
    (PublishedEffect(0.4, se=0.1, n_comparison=0), "n_comparison", "a group size of at least 1"),
    (
        PublishedEffect(0.4, se=0.1, cluster=ClusterDesign(1.0, 5)),
        "intraclass_correlation",
        "a correlation from 0",
    ),
    (
        PublishedEffect(0.4, se=0.1, cluster=ClusterDesign(0.1, 0.5)),
        "mean_cluster_size",
        "a mean cluster size of at least 1",
    ),
    (
        PublishedEffect(
            0.4, se=0.1, n_treatment=10, n_comparison=10, cluster=ClusterDesign(0.1, 11)
        ),
        "mean_cluster_size",
        "a mean cluster size of at least 1 and at most half the total sample (10)",
    ),
]


@pytest.mark.parametrize(("effect", "field", "expected"), BAD)
def test_impossible_published_effects_are_refused_naming_the_field(
    effect: PublishedEffect, field: str, expected: str
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        effect_of(effect, "finding x")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("finding x", field)
    assert problem.expected.startswith(expected)
