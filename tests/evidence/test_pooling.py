import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import guidebook.evidence.pooling as pooling
import guidebook.evidence.pooling_search as pooling_search
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.pooling import (
    METHODS,
    HeterogeneityInterval,
    PooledEstimate,
    heterogeneity_interval,
    pool,
    pool_many,
    true_effect_range,
)
from tests.evidence.strategies import study_sets

# Iterative fits and the first scipy calls can outrun Hypothesis's 200 ms deadline on
# a cold or busy machine; the properties, not the timing, are under test here.
unhurried = settings(deadline=None)

# Heterogeneous: tau^2 > 0 for every estimator.
EFFECTS = [0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.20, 0.90]
VARIANCES = [0.030, 0.030, 0.050, 0.010, 0.050, 0.020, 0.040, 0.060]
# Homogeneous: Q is far below its degrees of freedom.
CALM_EFFECTS = [0.20, 0.21, 0.19, 0.20]
CALM_VARIANCES = [0.04, 0.05, 0.06, 0.05]


def _fixed_effect_by_hand(effects, variances):
    weights = [1 / v for v in variances]
    mean = sum(w * y for w, y in zip(weights, effects, strict=True)) / sum(weights)
    q = sum(w * (y - mean) ** 2 for w, y in zip(weights, effects, strict=True))
    return mean, math.sqrt(1 / sum(weights)), q


def _generalised_q(effects, variances, tau2):
    weights = np.array([1 / (v + tau2) for v in variances])
    mean = (weights * effects).sum() / weights.sum()
    return float((weights * (np.array(effects) - mean) ** 2).sum())


# --- Each estimator against its definition ------------------------------------------


def test_fixed_effect_is_the_inverse_variance_mean():
    mean, se, q = _fixed_effect_by_hand(EFFECTS, VARIANCES)
    result = pool(EFFECTS, VARIANCES, method="FE")
    assert result.estimate == pytest.approx(mean)
    assert result.se == pytest.approx(se)
    assert result.q == pytest.approx(q)
    assert result.q_df == 7
    assert result.q_p_value == pytest.approx(stats.chi2.sf(q, 7))
    assert result.tau2 == 0
    assert result.i2 == pytest.approx(100 * (q - 7) / q)
    assert result.h2 == pytest.approx(q / 7)
    assert result.se_tau2 is None


def test_dersimonian_laird_moment_estimate():
    _, _, q = _fixed_effect_by_hand(EFFECTS, VARIANCES)
    weights = np.array([1 / v for v in VARIANCES])
    expected = (q - 7) / (weights.sum() - (weights**2).sum() / weights.sum())
    result = pool(EFFECTS, VARIANCES, method="DL")
    assert result.tau2 == pytest.approx(expected)
    # For DL metafor's I^2 equals Higgins' (Q - df) / Q.
    assert result.i2 == pytest.approx(100 * (q - 7) / q)
    # metafor's se(tau^2) for DL: sqrt(2 df + 4 tau^2 tr P + 2 tau^4 tr PP) / tr P.
    trace_p = weights.sum() - (weights**2).sum() / weights.sum()
    p_matrix = np.diag(weights) - np.outer(weights, weights) / weights.sum()
    spread = 2 * 7 + 4 * expected * trace_p + 2 * expected**2 * (p_matrix**2).sum()
    assert result.se_tau2 == pytest.approx(math.sqrt(spread) / trace_p)


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_likelihood_estimates_solve_their_score_equations(method):
    result = pool(EFFECTS, VARIANCES, method=method)
    weights = 1 / (np.array(VARIANCES) + result.tau2)
    residuals = np.array(EFFECTS) - result.estimate
    # The score is zero: sum w^2 r^2 = sum w (ML) or sum w - sum w^2 / sum w (REML).
    target = weights.sum()
    if method == "REML":
        target -= (weights**2).sum() / weights.sum()
    assert (weights**2 * residuals**2).sum() == pytest.approx(target, rel=1e-9)
    assert result.se_tau2 is not None and result.se_tau2 > 0


def test_paule_mandel_sets_generalised_q_to_its_degrees_of_freedom():
    result = pool(EFFECTS, VARIANCES, method="PM")
    assert _generalised_q(EFFECTS, VARIANCES, result.tau2) == pytest.approx(7, abs=1e-8)
    # metafor's se(tau^2) for PM: sqrt(2 k^2 / (k-1)) / sum w.
    weights = 1 / (np.array(VARIANCES) + result.tau2)
    assert result.se_tau2 == pytest.approx(math.sqrt(2 * 64 / 7) / weights.sum())


@pytest.mark.parametrize("method", ["DL", "REML", "ML", "PM"])
def test_homogeneous_studies_have_no_between_study_variance(method):
    result = pool(CALM_EFFECTS, CALM_VARIANCES, method=method)
    assert result.tau2 == 0
    assert result.i2 == 0
    assert result.h2 == 1
    assert result.estimate == pytest.approx(pool(CALM_EFFECTS, CALM_VARIANCES, "FE").estimate)


def test_fixed_effect_i2_is_zero_when_q_is_below_its_df():
    assert pool(CALM_EFFECTS, CALM_VARIANCES, method="FE").i2 == 0


def test_random_effects_weights_use_tau2():
    result = pool(EFFECTS, VARIANCES, method="REML")
    weights = 1 / (np.array(VARIANCES) + result.tau2)
    assert result.estimate == pytest.approx((weights * EFFECTS).sum() / weights.sum())
    assert result.se == pytest.approx(math.sqrt(1 / weights.sum()))
    assert result.statistic == pytest.approx(result.estimate / result.se)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(result.statistic)))


# --- Intervals -------------------------------------------------------------------------


def test_hartung_knapp_rescales_and_uses_t():
    result = pool(EFFECTS, VARIANCES, method="REML", test="knha")
    weights = 1 / (np.array(VARIANCES) + result.tau2)
    residual_variance = (weights * (np.array(EFFECTS) - result.estimate) ** 2).sum()
    se = math.sqrt(residual_variance / (7 * weights.sum()))
    critical = stats.t.isf(0.025, 7)
    assert result.test == "knha"
    assert result.se == pytest.approx(se)
    assert result.ci_low == pytest.approx(result.estimate - critical * se)
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(result.estimate / se), 7))
    assert result.pi_high == pytest.approx(
        result.estimate + critical * math.sqrt(se**2 + result.tau2)
    )


def test_hartung_knapp_is_not_truncated_at_one():
    # Homogeneous data give a scale factor below 1: the interval narrows, as metafor's
    # test="knha" does (only the "adhoc" variant would refuse to narrow).
    z_fit = pool(CALM_EFFECTS, CALM_VARIANCES, method="FE")
    knha_fit = pool(CALM_EFFECTS, CALM_VARIANCES, method="FE", test="knha")
    assert knha_fit.se < z_fit.se


@pytest.mark.parametrize("effect", [0.1, 0.3, -0.7])
def test_hartung_knapp_with_identical_effects_has_no_spread_as_in_metafor(effect):
    # The weighted residuals are rounding noise here; before the fix they gave an
    # se of about 1e-17 and an interval of that width around a z of 1e16. metafor
    # (rma.uni) sets the scale to 0 when their sum of squares is at most machine
    # epsilon: se 0, the interval a point, the statistic infinite and p 0.
    result = pool([effect] * 5, [0.03, 0.07, 0.11, 0.013, 0.2], method="REML", test="knha")
    assert result.se == 0
    assert result.ci_low == result.ci_high == result.estimate == pytest.approx(effect)
    assert result.statistic == math.copysign(math.inf, effect)
    assert result.p_value == 0


def test_hartung_knapp_with_every_effect_zero_has_no_test_as_in_metafor():
    # 0 / 0: metafor reports the statistic and p value as missing (NA); so do we (NaN).
    result = pool([0.0] * 4, [0.03, 0.07, 0.11, 0.2], method="DL", test="knha")
    assert (result.estimate, result.se, result.ci_low, result.ci_high) == (0, 0, 0, 0)
    assert math.isnan(result.statistic) and math.isnan(result.p_value)


def test_prediction_intervals():
    result = pool(EFFECTS, VARIANCES, method="REML")
    spread = math.sqrt(result.se**2 + result.tau2)
    assert result.pi_low == pytest.approx(result.estimate - stats.norm.isf(0.025) * spread)
    assert result.pi_riley_high == pytest.approx(result.estimate + stats.t.isf(0.025, 6) * spread)


def test_riley_interval_needs_three_studies():
    result = pool([0.1, 0.3], [0.02, 0.03], method="DL")
    assert result.pi_riley_low is None and result.pi_riley_high is None


def test_level_sets_every_interval():
    narrow = pool(EFFECTS, VARIANCES, level=0.80)
    wide = pool(EFFECTS, VARIANCES, level=0.99)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    assert narrow.level == 0.80


def test_true_effect_range_ignores_the_uncertainty_of_the_mean():
    result = pool(EFFECTS, VARIANCES, method="ML")
    low, high = true_effect_range(result)
    assert (low, high) == (
        pytest.approx(result.estimate - 1.959964 * result.tau),
        pytest.approx(result.estimate + 1.959964 * result.tau),
    )
    assert result.pi_low < low


# --- A fixed tau^2 ------------------------------------------------------------------------


def test_a_fixed_tau2_is_used_as_given():
    result = pool(EFFECTS, VARIANCES, method="DL", tau2=0.05)
    weights = 1 / (np.array(VARIANCES) + 0.05)
    assert result.tau2 == 0.05
    assert result.estimate == pytest.approx((weights * EFFECTS).sum() / weights.sum())
    # se(tau^2) is DL's formula at the fixed value, as metafor reports it.
    fixed = 1 / np.array(VARIANCES)
    trace_p = fixed.sum() - (fixed**2).sum() / fixed.sum()
    p_matrix = np.diag(fixed) - np.outer(fixed, fixed) / fixed.sum()
    spread = 2 * 7 + 4 * 0.05 * trace_p + 2 * 0.05**2 * (p_matrix**2).sum()
    assert result.se_tau2 == pytest.approx(math.sqrt(spread) / trace_p)


@pytest.mark.parametrize("tau2", [-0.1, float("nan"), float("inf")])
def test_a_fixed_tau2_must_be_a_variance(tau2):
    with pytest.raises(InvalidRecord, match="field 'tau2'"):
        pool(EFFECTS, VARIANCES, tau2=tau2)


# --- One study, many groups ----------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", ["z", "knha"])
def test_pooling_one_study_returns_it(method, test):
    result = pool([0.42], [0.09], method=method, test=test)
    assert result.estimate == 0.42
    assert result.se == pytest.approx(0.3)
    assert result.tau2 == 0
    assert (result.q, result.q_df, result.i2, result.h2) == (0, 0, 0, 1)
    assert result.test == "z"
    assert result.ci_low == pytest.approx(0.42 - 1.959964 * 0.3)
    assert result.pi_riley_low is None


def test_pool_many_matches_pool_group_by_group():
    groups = [EFFECTS, CALM_EFFECTS, [0.5], EFFECTS[:3]]
    variance_groups = [VARIANCES, CALM_VARIANCES, [0.1], VARIANCES[:3]]
    pooled = pool_many(groups, variance_groups, method="REML", test="knha")
    assert len(pooled) == 4
    for index, (effects, variances) in enumerate(zip(groups, variance_groups, strict=True)):
        assert pooled.result(index) == pool(effects, variances, method="REML", test="knha")


def test_to_dict_holds_plain_python_values():
    as_dict = pool(EFFECTS, VARIANCES).to_dict()
    assert set(as_dict) == set(PooledEstimate.__dataclass_fields__)
    assert all(type(value) in (str, int, float, type(None)) for value in as_dict.values())
    assert json.loads(json.dumps(as_dict)) == as_dict


def test_scoring_that_would_cycle_still_converges():
    # Plain Fisher scoring from the DL estimate jumps between 0 and 0.327 for ever here;
    # the bracket stops it, and the order of the studies no longer matters.
    effects = [0.0] * 6 + [2.0] + [0.0] * 3
    variances = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 0.5, 2.0, 1.0, 3.0]
    forwards = pool(effects, variances, method="REML")
    backwards = pool(effects[::-1], variances[::-1], method="REML")
    assert forwards.tau2 == pytest.approx(backwards.tau2, abs=1e-12)
    weights = 1 / (np.array(variances) + forwards.tau2)
    residuals = np.array(effects) - forwards.estimate
    restricted = weights.sum() - (weights**2).sum() / weights.sum()
    assert (weights**2 * residuals**2).sum() == pytest.approx(restricted, rel=1e-9)


def test_iteration_stops_at_its_step_limit_inside_the_bracket(monkeypatch):
    monkeypatch.setattr(pooling_search, "MAX_ROOT_STEPS", 1)
    for method in ("REML", "ML", "PM"):
        rough = pool(EFFECTS, VARIANCES, method=method).tau2
        assert 0 < rough < np.var(EFFECTS, ddof=1)


# --- Q-profile interval for tau^2 ---------------------------------------------------


def test_q_profile_limits_solve_for_the_chi_square_quantiles():
    interval = heterogeneity_interval(EFFECTS, VARIANCES)
    assert isinstance(interval, HeterogeneityInterval)
    low_q = _generalised_q(EFFECTS, VARIANCES, interval.tau2_low)
    high_q = _generalised_q(EFFECTS, VARIANCES, interval.tau2_high)
    assert low_q == pytest.approx(stats.chi2.isf(0.025, 7))
    assert high_q == pytest.approx(stats.chi2.ppf(0.025, 7))
    tau2 = pool(EFFECTS, VARIANCES, method="REML").tau2
    assert interval.tau2_low < tau2 < interval.tau2_high
    assert 0 < interval.i2_low < interval.i2_high < 100
    assert 1 < interval.h2_low < interval.h2_high


def test_q_profile_of_homogeneous_studies_is_zero():
    interval = heterogeneity_interval(CALM_EFFECTS, CALM_VARIANCES)
    assert (interval.tau2_low, interval.tau2_high) == (0, 0)
    assert (interval.i2_low, interval.h2_high) == (0, 1)


# --- Properties -----------------------------------------------------------------------


@unhurried
@given(study_sets(), st.sampled_from(METHODS), st.sampled_from(["z", "knha"]))
def test_tau2_is_never_negative_and_i2_is_a_percentage(studies, method, test):
    result = pool(*studies, method=method, test=test)
    assert result.tau2 >= 0
    assert 0 <= result.i2 <= 100
    assert result.h2 >= 1
    assert result.ci_low <= result.estimate <= result.ci_high
    assert result.pi_low <= result.ci_low + 1e-12


@unhurried
@given(study_sets(max_size=1), st.sampled_from(METHODS))
def test_one_study_comes_back_unchanged(studies, method):
    result = pool(*studies, method=method)
    assert result.estimate == studies[0][0]
    assert result.se == pytest.approx(math.sqrt(studies[1][0]))


@unhurried
@given(study_sets(min_size=2), st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_every_variance_leaves_the_fixed_effect_estimate(studies, factor):
    effects, variances = studies
    scaled = [v * factor for v in variances]
    original = pool(effects, variances, method="FE")
    assert pool(effects, scaled, method="FE").estimate == pytest.approx(
        original.estimate, rel=1e-9, abs=1e-12
    )


@unhurried
@given(study_sets(min_size=2, max_size=12))
def test_fast_path_agrees_with_one_at_a_time(studies):
    effects, variances = studies
    together = pool_many([effects, effects[::-1]], [variances, variances[::-1]])
    assert together.result(0) == pool(effects, variances)
    assert together.tau2[1] == pytest.approx(together.tau2[0], abs=1e-8)


# --- Impossible input ---------------------------------------------------------------

NAN = float("nan")


@pytest.mark.parametrize(
    ("effects", "variances", "options", "field"),
    [
        ([], [], {}, "effects"),
        ([0.1, 0.2], [0.1], {}, "variances"),
        ([0.1, NAN], [0.1, 0.1], {}, "effects"),
        ([0.1, 0.2], [0.1, 0.0], {}, "variances"),
        ([0.1, 0.2], [0.1, -1.0], {}, "variances"),
        ([0.1, 0.2], [0.1, float("inf")], {}, "variances"),
        ([0.1, 0.2], [0.1, 0.1], {"method": "XX"}, "method"),
        ([0.1, 0.2], [0.1, 0.1], {"test": "t"}, "test"),
        ([0.1, 0.2], [0.1, 0.1], {"level": 1.0}, "level"),
        ([0.1, 0.2], [0.1, 0.1], {"level": NAN}, "level"),
    ],
)
def test_impossible_input_names_the_field(effects, variances, options, field):
    with pytest.raises(InvalidRecord) as raised:
        pool(effects, variances, **options)
    assert raised.value.problems[0].field == field
    assert f"field '{field}'" in str(raised.value)


def test_a_bad_value_is_located_by_group_and_study():
    with pytest.raises(InvalidRecord, match=r"group 1, study 2: -0\.5"):
        pool_many([[0.1], [0.1, 0.2, 0.3]], [[0.1], [0.1, 0.1, -0.5]])


def test_an_empty_group_is_refused():
    with pytest.raises(InvalidRecord, match="field 'effects'"):
        pool_many([[0.1], []], [[0.1], []])


@pytest.mark.parametrize(
    ("effects", "variances", "level", "field"),
    [([0.1], [0.1], 0.95, "effects"), ([0.1, 0.2], [0.1, 0.1], 0.0, "level")],
)
def test_q_profile_refuses_what_it_cannot_use(effects, variances, level, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        heterogeneity_interval(effects, variances, level=level)


def test_true_effect_range_checks_its_level():
    with pytest.raises(InvalidRecord, match="field 'level'"):
        true_effect_range(pool(EFFECTS, VARIANCES), level=2.0)


def test_every_public_name_is_documented():
    page = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "effect-sizes.md"
    text = page.read_text(encoding="utf-8")
    assert [name for name in pooling.__all__ if f"`{name}" not in text] == []


def test_a_q_near_the_smallest_float_does_not_overflow():
    # Found by the subgroup property at 10x examples: Q ~ 1e-307 made (Q - df) / Q
    # overflow in the branch that is then discarded.
    result = pool([0.0] * 6 + [9.579224795002095e-154], [1.0] * 7, method="FE")
    assert (result.i2, result.h2) == (0, 1)
