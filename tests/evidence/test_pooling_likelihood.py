"""The iterative estimators of tau^2: the highest peak, to the same precision in any units.

The (restricted) log-likelihood of tau^2 need not be concave: with studies of very
different precision it can peak at 0 and again inside. Each test here computes the
likelihood itself, from its definition, and checks the returned tau^2 against a fine
grid of alternatives.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from guidebook.evidence.pooling import heterogeneity_interval, pool, pool_many
from tests.evidence.strategies import mixed_precision_groups, property_settings, study_sets

# Six studies of very different precision: Q = 22.6 on 5 df (p < 0.001), yet the
# likelihood at tau^2 = 0 is a local peak; the highest one is inside.
TWO_PEAKS_EFFECTS = [-1.44, 0.10, 0.23, 0.41, -0.92, 0.13]
TWO_PEAKS_VARIANCES = [0.593, 0.001, 0.069, 0.017, 0.083, 0.003]


def log_likelihood(effects, variances, tau2, restricted):
    """-1/2 [sum log(v + tau2) + Q(tau2) (+ log sum w for REML)], constants dropped.

    ``tau2`` may be an array: one value per column of the result.
    """
    y = np.asarray(effects, dtype=float)[:, None]
    total = np.asarray(variances, dtype=float)[:, None] + np.atleast_1d(tau2)[None, :]
    weights = 1 / total
    mean = (weights * y).sum(axis=0) / weights.sum(axis=0)
    value = -0.5 * (np.log(total).sum(axis=0) + (weights * (y - mean) ** 2).sum(axis=0))
    if restricted:
        value -= 0.5 * np.log(weights.sum(axis=0))
    return value


def fine_grid(effects, variances, points=2000):
    """0 and ``points`` values up to past any peak: 2 SS/(k-1) + max v bounds the optimum."""
    y, v = np.asarray(effects), np.asarray(variances)
    upper = 2 * ((y - y.mean()) ** 2).sum() / (len(y) - 1) + v.max()
    even = np.linspace(0, upper, points // 4)
    return np.concatenate([even, np.geomspace(v.min() * 1e-4, upper, points - len(even))])


def best_on_grid_beats(effects, variances, tau2, restricted):
    """How much the best grid value beats the returned tau^2 (<= 0 when it does not)."""
    grid = log_likelihood(effects, variances, fine_grid(effects, variances), restricted)
    ours = log_likelihood(effects, variances, tau2, restricted)[0]
    return grid.max() - ours - 1e-9 * (1 + abs(ours))


@pytest.mark.parametrize(("method", "optimum"), [("REML", 0.2149), ("ML", 0.1384)])
def test_two_peaked_likelihood_gives_the_higher_peak(method, optimum):
    # Before the fix the search stopped at 0 because the score there is not positive:
    # tau^2 = 0 and I^2 = 0% for studies whose Q is 22.6 on 5 df.
    result = pool(TWO_PEAKS_EFFECTS, TWO_PEAKS_VARIANCES, method=method)
    assert result.tau2 == pytest.approx(optimum, abs=1e-4)
    assert result.i2 > 50
    restricted = method == "REML"
    assert best_on_grid_beats(TWO_PEAKS_EFFECTS, TWO_PEAKS_VARIANCES, result.tau2, restricted) <= 0


@property_settings(25)
@given(mixed_precision_groups(groups=12))
def test_no_tau2_on_a_fine_grid_has_a_higher_likelihood(groups):
    effects, variances = groups
    for method in ("REML", "ML"):
        pooled = pool_many(effects, variances, method=method)
        for index, (y, v) in enumerate(zip(effects, variances, strict=True)):
            gain = best_on_grid_beats(y, v, pooled.tau2[index], method == "REML")
            assert gain <= 0, (method, y, v, pooled.tau2[index])


def simulated_groups(seed, count=100):
    """``count`` groups of 2 to 30 studies, variances log-uniform over 1e-4 to 10."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 31, count)
    variances = [np.exp(rng.uniform(np.log(1e-4), np.log(10), k)) for k in sizes]
    spread = rng.choice([0.0, 0.01, 0.1, 1.0], count)
    effects = [rng.normal(0, np.sqrt(v + t)) for v, t in zip(variances, spread, strict=True)]
    return effects, variances


def padded_log_likelihood(effects, variances, grid, restricted):
    """The log-likelihood of every group (rows) at every grid point (columns)."""
    size = max(len(y) for y in effects)
    y = np.array([np.pad(g, (0, size - len(g))) for g in effects])[:, None, :]
    v = np.array([np.pad(g, (0, size - len(g)), constant_values=1) for g in variances])
    present = np.array([[1.0] * len(g) + [0.0] * (size - len(g)) for g in effects])[:, None, :]
    total = v[:, None, :] + grid[:, :, None]
    weights = present / total
    mean = (weights * y).sum(axis=2) / weights.sum(axis=2)
    residual = weights * (y - mean[:, :, None]) ** 2
    value = -0.5 * ((np.log(total) * present).sum(axis=2) + residual.sum(axis=2))
    if restricted:
        value -= 0.5 * np.log(weights.sum(axis=2))
    return value


@property_settings(20)
@given(st.integers(0, 2**32 - 1))
def test_thousands_of_simulated_groups_have_no_higher_peak(seed):
    # 100 groups an example, 20 examples by default: 2,000 groups by each method.
    effects, variances = simulated_groups(seed)
    grids = np.array([fine_grid(y, v, 800) for y, v in zip(effects, variances, strict=True)])
    for method in ("REML", "ML"):
        restricted = method == "REML"
        tau2 = pool_many(effects, variances, method=method).tau2
        for start in range(0, len(effects), 25):
            chosen = slice(start, start + 25)
            y, v = effects[chosen], variances[chosen]
            ours = padded_log_likelihood(y, v, tau2[chosen, None], restricted)[:, 0]
            best = padded_log_likelihood(y, v, grids[chosen], restricted).max(axis=1)
            beaten = best > ours + 1e-9 * (1 + np.abs(ours))
            assert not beaten.any(), (method, seed, start + np.flatnonzero(beaten))


def generalised_q(effects, variances, tau2):
    """Q(tau^2) = sum w (y - mu)^2 with w = 1/(v + tau^2), at every value of ``tau2``."""
    y = np.asarray(effects, dtype=float)[:, None]
    weights = 1 / (np.asarray(variances, dtype=float)[:, None] + np.atleast_1d(tau2)[None, :])
    mean = (weights * y).sum(axis=0) / weights.sum(axis=0)
    return (weights * (y - mean) ** 2).sum(axis=0)


@property_settings(25)
@given(mixed_precision_groups(groups=12), st.sampled_from(["PM", "EB"]))
def test_q_matching_estimates_are_where_q_crosses_its_degrees_of_freedom(groups, method):
    # PM and EB solve Q(tau^2) = k - 1: on a fine grid Q is above k - 1 before the
    # estimate and below it after, and at a positive estimate it equals k - 1.
    effects, variances = groups
    pooled = pool_many(effects, variances, method=method)
    for index, (y, v) in enumerate(zip(effects, variances, strict=True)):
        tau2, df = pooled.tau2[index], len(y) - 1
        grid = fine_grid(y, v)
        q = generalised_q(y, v, grid)
        slack = 1e-8 * df
        assert (q[grid < tau2 * (1 - 1e-6)] >= df - slack).all()
        assert (q[grid > tau2 * (1 + 1e-6) + 1e-300] <= df + slack).all()
        if tau2 > 0:
            assert generalised_q(y, v, tau2)[0] == pytest.approx(df, rel=1e-8)


# --- Accuracy whatever the data's units ------------------------------------------------

ITERATIVE = ("PM", "EB", "ML", "REML")


@pytest.mark.parametrize("method", ITERATIVE)
def test_tiny_variances_are_estimated_as_accurately_as_unit_ones(method):
    # Effects in units 1e-5 of the usual: variances near 1e-10. With an absolute
    # stopping rule of 1e-10 the Paule-Mandel tau^2 was off by about 80%.
    effects = [0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.20, 0.90]
    variances = [0.030, 0.030, 0.050, 0.010, 0.050, 0.020, 0.040, 0.060]
    unit = pool(effects, variances, method=method)
    tiny = pool([y * 1e-5 for y in effects], [v * 1e-10 for v in variances], method=method)
    assert tiny.tau2 == pytest.approx(unit.tau2 * 1e-10, rel=1e-8)
    assert tiny.i2 == pytest.approx(unit.i2, rel=1e-8)


def test_q_profile_limits_keep_their_precision_for_tiny_variances():
    effects = [0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.20, 0.90]
    variances = [0.030, 0.030, 0.050, 0.010, 0.050, 0.020, 0.040, 0.060]
    unit = heterogeneity_interval(effects, variances)
    tiny = heterogeneity_interval([y * 1e-5 for y in effects], [v * 1e-10 for v in variances])
    assert tiny.tau2_low == pytest.approx(unit.tau2_low * 1e-10, rel=1e-8)
    assert tiny.tau2_high == pytest.approx(unit.tau2_high * 1e-10, rel=1e-8)


@property_settings(100)
@given(study_sets(min_size=2, max_size=20), st.integers(-6, 6), st.sampled_from(ITERATIVE))
def test_changing_the_units_scales_tau2_and_nothing_else(studies, power, method):
    effects, variances = studies
    factor = 10.0**power
    original = pool(effects, variances, method=method)
    scaled = pool([y * factor for y in effects], [v * factor**2 for v in variances], method=method)
    assert scaled.tau2 == pytest.approx(original.tau2 * factor**2, rel=1e-7, abs=1e-12 * factor**2)
    assert scaled.estimate == pytest.approx(original.estimate * factor, rel=1e-7, abs=1e-9 * factor)
    assert scaled.i2 == pytest.approx(original.i2, rel=1e-6, abs=1e-6)
