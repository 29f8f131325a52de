"""The likelihood estimators of tau^2 find the highest peak, not merely a peak.

The (restricted) log-likelihood of tau^2 need not be concave: with studies of very
different precision it can peak at 0 and again inside. Each test here computes the
likelihood itself, from its definition, and checks the returned tau^2 against a fine
grid of alternatives.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from guidebook.evidence.pooling import pool, pool_many
from tests.evidence.strategies import mixed_precision_groups, property_settings

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


def fine_grid(effects, variances):
    """0 and 2,000 values up to past any peak: 2 SS/(k-1) + max v bounds the optimum."""
    y, v = np.asarray(effects), np.asarray(variances)
    upper = 2 * ((y - y.mean()) ** 2).sum() / (len(y) - 1) + v.max()
    return np.unique(
        np.concatenate([np.linspace(0, upper, 500), np.geomspace(v.min() * 1e-4, upper, 1500)])
    )


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


@property_settings(60)
@given(mixed_precision_groups())
def test_no_tau2_on_a_fine_grid_has_a_higher_likelihood(groups):
    effects, variances = groups
    for method in ("REML", "ML"):
        pooled = pool_many(effects, variances, method=method)
        for index, (y, v) in enumerate(zip(effects, variances, strict=True)):
            gain = best_on_grid_beats(y, v, pooled.tau2[index], method == "REML")
            assert gain <= 0, (method, y, v, pooled.tau2[index])
