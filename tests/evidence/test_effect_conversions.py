"""Conversions to other effect scales, and effects read back from reported results.

The published examples (metafor's) are in test_metafor_examples.py; here are the
definitions, the properties and the refusals.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from guidebook.evidence.effect_conversions import (
    HALFWAY_TOLERANCE,
    PrePost,
    correlation_from_z,
    estimate_from_interval,
    estimate_from_p_value,
    fisher_z,
    log_odds_ratio_from_interval,
    log_ratio_of_means,
    mean_change,
    raw_mean_difference,
    standardised_mean_change,
)
from guidebook.evidence.effect_sizes import small_sample_correction
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import MeansAndSDs
from tests.evidence.strategies import means_and_sds, property_settings

STROKE = MeansAndSDs(
    mean_treatment=55, sd_treatment=47, n_treatment=155,
    mean_comparison=75, sd_comparison=64, n_comparison=156,
)  # fmt: skip
BEFORE_AFTER = PrePost(
    mean_before=30.6, sd_before=15.0, mean_after=38.5, sd_after=11.6, n=20, correlation=0.47
)


def _swapped(statistics: MeansAndSDs) -> MeansAndSDs:
    return MeansAndSDs(
        mean_treatment=statistics.mean_comparison,
        sd_treatment=statistics.sd_comparison,
        n_treatment=statistics.n_comparison,
        mean_comparison=statistics.mean_treatment,
        sd_comparison=statistics.sd_treatment,
        n_comparison=statistics.n_treatment,
    )


# --- Definitions ------------------------------------------------------------------------


def test_raw_mean_difference_and_its_variance():
    estimate = raw_mean_difference(STROKE, "stroke")
    assert estimate.value == -20
    assert estimate.variance == pytest.approx(47**2 / 155 + 64**2 / 156)


def test_raw_mean_difference_with_equal_variances_uses_the_pooled_sd():
    pooled = (154 * 47**2 + 155 * 64**2) / 309
    estimate = raw_mean_difference(STROKE, "stroke", equal_variances=True)
    assert estimate.variance == pytest.approx(pooled * (1 / 155 + 1 / 156))


def test_log_ratio_of_means_with_and_without_the_small_sample_term():
    relative = (47**2 / (155 * 55**2), 64**2 / (156 * 75**2))
    plain = log_ratio_of_means(STROKE, "stroke", bias_corrected=False)
    corrected = log_ratio_of_means(STROKE, "stroke")
    assert plain.value == pytest.approx(math.log(55 / 75))
    assert corrected.value == pytest.approx(plain.value + (relative[0] - relative[1]) / 2)
    assert corrected.variance == plain.variance == pytest.approx(sum(relative))


def test_fisher_z_and_back():
    estimate = fisher_z(0.34, 55, "study")
    assert estimate.value == pytest.approx(0.5 * math.log(1.34 / 0.66))
    assert estimate.variance == pytest.approx(1 / 52)
    assert correlation_from_z(estimate.value) == pytest.approx(0.34)


def test_interval_without_a_lower_bound_uses_the_upper_one():
    z = stats.norm.isf(0.025)
    estimate = log_odds_ratio_from_interval(0.64, None, 1.22, "study 2")
    assert estimate.value == pytest.approx(math.log(0.64))
    assert estimate.variance == pytest.approx(((math.log(1.22) - math.log(0.64)) / z) ** 2)


def test_interval_at_another_level():
    estimate = estimate_from_interval(0.5, 0.2, 0.8, "study", level=0.90)
    assert estimate.variance == pytest.approx((0.6 / (2 * stats.norm.isf(0.05))) ** 2)


def test_p_value_gives_the_variance_of_a_wald_test():
    estimate = estimate_from_p_value(0.4, 0.05, "study")
    assert estimate.variance == pytest.approx((0.4 / stats.norm.isf(0.025)) ** 2)


def test_mean_change_and_its_variance():
    change = mean_change(BEFORE_AFTER, "study")
    assert change.value == pytest.approx(7.9)
    spread = 11.6**2 + 15.0**2 - 2 * 0.47 * 11.6 * 15.0
    assert change.variance == pytest.approx(spread / 20)


@pytest.mark.parametrize(
    ("standardiser", "sd", "variance_part"),
    [
        ("change", math.sqrt(11.6**2 + 15.0**2 - 2 * 0.47 * 11.6 * 15.0), 1 / 20),
        ("before", 15.0, 2 * (1 - 0.47) / 20),
    ],
)
def test_standardised_mean_change(standardiser, sd, variance_part):
    estimate = standardised_mean_change(BEFORE_AFTER, "study", standardiser)
    g = small_sample_correction(19) * 7.9 / sd
    assert estimate.value == pytest.approx(g)
    assert estimate.variance == pytest.approx(variance_part + g**2 / 40)


# --- Properties -------------------------------------------------------------------------


@property_settings(200)
@given(
    st.floats(-5, 5),
    st.floats(0.01, 3),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    st.booleans(),
)
def test_a_wald_interval_gives_back_its_estimate_and_variance(centre, se, level, log_scale):
    z = stats.norm.isf((1 - level) / 2)
    low, high = centre - z * se, centre + z * se
    shown = (math.exp(centre), math.exp(low), math.exp(high)) if log_scale else (centre, low, high)
    estimate = estimate_from_interval(*shown, "study", level=level, log_scale=log_scale)
    assert estimate.value == pytest.approx(centre, abs=1e-9)
    assert estimate.variance == pytest.approx(se**2, rel=1e-9)


@property_settings(200)
@given(means_and_sds.filter(lambda s: s.mean_treatment > 0.01 and s.mean_comparison > 0.01))
def test_swapping_the_groups_turns_the_sign(statistics):
    for convert in (raw_mean_difference, log_ratio_of_means):
        forwards, backwards = convert(statistics, "s"), convert(_swapped(statistics), "s")
        assert backwards.value == pytest.approx(-forwards.value, abs=1e-9)
        assert backwards.variance == pytest.approx(forwards.variance)


@property_settings(200)
@given(st.floats(-0.999, 0.999), st.integers(4, 10_000))
def test_fisher_z_is_undone_by_tanh(r, n):
    assert correlation_from_z(fisher_z(r, n, "s").value) == pytest.approx(r, abs=1e-12)


@property_settings(200)
@given(
    st.floats(-100, 100), st.floats(0.1, 50), st.floats(-100, 100), st.floats(0.1, 50),
    st.integers(3, 5_000), st.floats(-0.95, 0.95),
)  # fmt: skip
def test_a_stronger_correlation_narrows_the_mean_change(before, sd_before, after, sd_after, n, r):
    design = PrePost(before, sd_before, after, sd_after, n, r)
    tighter = PrePost(before, sd_before, after, sd_after, n, (r + 1) / 2)
    assert mean_change(tighter, "s").variance <= mean_change(design, "s").variance + 1e-12
    raw = standardised_mean_change(design, "s", "before")
    assert raw.variance > 0 and math.isfinite(raw.value)


# --- Refusals ---------------------------------------------------------------------------


def _means(**changes):
    values = {
        "mean_treatment": 5.0, "sd_treatment": 1.0, "n_treatment": 10,
        "mean_comparison": 4.0, "sd_comparison": 1.0, "n_comparison": 10,
    }  # fmt: skip
    values.update(changes)
    return MeansAndSDs(**values)


@pytest.mark.parametrize(
    ("convert", "changes", "field"),
    [
        (raw_mean_difference, {"mean_treatment": math.nan}, "mean_treatment"),
        (raw_mean_difference, {"sd_comparison": 0.0}, "sd_comparison"),
        (raw_mean_difference, {"n_treatment": 1}, "n_treatment"),
        (log_ratio_of_means, {"mean_treatment": 0.0}, "mean_treatment"),
        (log_ratio_of_means, {"mean_comparison": -2.0}, "mean_comparison"),
        (log_ratio_of_means, {"mean_treatment": 1e-300}, "mean_treatment"),
    ],
)
def test_impossible_means_name_the_field(convert, changes, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        convert(_means(**changes), "trial 3")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [((1.0, 50), "correlation"), ((-1.2, 50), "correlation"), ((0.3, 3), "n")],
)
def test_impossible_correlations_name_the_field(arguments, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        fisher_z(*arguments, "study")


@pytest.mark.parametrize(
    ("arguments", "options", "field"),
    [
        ((1.2, 1.3, 1.5), {"log_scale": True}, "lower"),
        ((1.2, 0.9, 1.1), {"log_scale": True}, "upper"),
        ((0.0, 0.5, 2.0), {"log_scale": True}, "estimate"),
        ((1.2, -0.5, 2.0), {"log_scale": True}, "lower"),
        ((1.2, None, math.inf), {}, "upper"),
        ((0.3, 0.1, 0.5), {"level": 95}, "level"),
        # Not halfway: the interval was not a Wald interval on this scale.
        ((0.3, 0.25, 0.6), {}, "estimate"),
    ],
)
def test_impossible_intervals_name_the_field(arguments, options, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        estimate_from_interval(*arguments, "study 2", **options)


def test_an_estimate_within_the_halfway_tolerance_is_accepted():
    # Rounded bounds: the midpoint is off by less than a tenth of the width.
    width = 0.4
    off = 0.9 * HALFWAY_TOLERANCE * width
    estimate = estimate_from_interval(0.3 + off, 0.1, 0.5, "study")
    assert estimate.value == pytest.approx(0.3 + off)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [((0.0, 0.05), "estimate"), ((0.3, 1.0), "p"), ((0.3, 0.0), "p"), ((0.3, math.nan), "p")],
)
def test_impossible_p_values_name_the_field(arguments, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        estimate_from_p_value(*arguments, "study")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mean_before": math.inf}, "mean_before"),
        ({"sd_after": -1.0}, "sd_after"),
        ({"correlation": 1.0}, "correlation"),
        ({"n": 2}, "n"),
    ],
)
def test_impossible_pre_post_designs_name_the_field(changes, field):
    values = {**BEFORE_AFTER.__dict__, **changes}
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        standardised_mean_change(PrePost(**values), "study")


def test_mean_change_needs_two_people():
    design = PrePost(1.0, 1.0, 2.0, 1.0, 1, 0.5)
    with pytest.raises(InvalidRecord, match="field 'n'"):
        mean_change(design, "study")


def test_an_unknown_standardiser_is_refused():
    with pytest.raises(InvalidRecord, match="field 'standardiser'"):
        standardised_mean_change(BEFORE_AFTER, "study", "pooled")


def test_every_public_name_is_documented():
    import guidebook.evidence.effect_conversions as module

    page = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "effect-sizes.md"
    text = page.read_text(encoding="utf-8")
    assert [name for name in module.__all__ if f"`{name}" not in text] == []
