"""Every tau^2 estimator and its standard error against metafor's matrix formulas.

metafor's rma.uni writes each estimator with the design matrix X (one column per
subgroup here, or a column of ones), W, V and P = W - W X (X'W X)^-1 X'W. This file
writes them the same way, with full matrices, and checks the pooled code (which sums
per row instead) against them, for one group and for subgroups sharing tau^2.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize

from guidebook.evidence.pooling import pool, pool_subgroups
from tests.evidence.strategies import effects as effect_values
from tests.evidence.strategies import property_settings
from tests.evidence.strategies import variances as variance_values


def _projection(design, weights):
    w = np.diag(weights)
    return w - w @ design @ np.linalg.solve(design.T @ w @ design, design.T @ w)


def matrix_tau2(y, v, design, method):
    """tau^2 and its standard error as rma.uni computes them (truncated at 0)."""
    k, p = design.shape
    df, variance = k - p, np.diag(v)
    if method in ("HS", "DL"):
        fixed = _projection(design, 1 / v)
        rss, trace = y @ fixed @ y, np.trace(fixed)
        divisor = (1 / v).sum() if method == "HS" else trace
        tau2 = max(0.0, (rss - (k if method == "HS" else df)) / divisor)
        spread = 2 * df + 4 * tau2 * trace + 2 * tau2**2 * (fixed * fixed).sum()
        return tau2, np.sqrt(spread) / divisor
    if method == "HE":
        ordinary = _projection(design, np.ones(k))
        pv = ordinary @ variance
        tau2 = max(0.0, (y @ ordinary @ y - np.trace(pv)) / df)
        spread = 2 * (pv * pv.T).sum() + 4 * tau2 * np.trace(pv) + 2 * tau2**2 * df
        return tau2, np.sqrt(spread) / df
    if method == "SJ":
        start = np.var(y) * 1.0  # var(y) (k-1)/k
        initial = _projection(design, 1 / (v + start))
        pv = initial @ variance
        tau2 = start * (y @ initial @ y) / df
        spread = 2 * (pv * pv.T).sum() + 4 * tau2 * (pv * initial).sum()
        spread += 2 * tau2**2 * (initial * initial).sum()
        return tau2, start / df * np.sqrt(spread)

    # PM and EB: the generalised Q equals k - p.
    def excess(tau2):
        return y @ _projection(design, 1 / (v + tau2)) @ y - df

    tau2 = 0.0 if excess(0.0) <= 0 else optimize.brentq(excess, 0, 1e4, xtol=1e-14)
    return tau2, np.sqrt(2 * k**2 / df) / (1 / (v + tau2)).sum()


def matrix_information_se(v, design, tau2, method):
    """ML sqrt(2 / sum w^2), REML sqrt(2 / tr PP), at tau^2."""
    weights = 1 / (v + tau2)
    if method == "ML":
        return np.sqrt(2 / (weights**2).sum())
    projection = _projection(design, weights)
    return np.sqrt(2 / (projection * projection).sum())


# Heterogeneous, and homogeneous (every moment estimator truncated at 0).
DATASETS = [
    (
        [0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.20, 0.90],
        [0.03, 0.03, 0.05, 0.01, 0.05, 0.02, 0.04, 0.06],
    ),
    ([0.20, 0.21, 0.19, 0.20, 0.22], [0.04, 0.05, 0.06, 0.05, 0.03]),
]
CLOSED_OR_ROOT = ["HS", "HE", "DL", "SJ", "PM", "EB"]


@pytest.mark.parametrize("method", CLOSED_OR_ROOT)
@pytest.mark.parametrize(("effects", "variances"), DATASETS)
def test_one_group_matches_metafors_matrix_formulas(method, effects, variances):
    y, v = np.array(effects), np.array(variances)
    tau2, se = matrix_tau2(y, v, np.ones((len(y), 1)), method)
    result = pool(effects, variances, method=method)
    assert result.tau2 == pytest.approx(tau2, rel=1e-8, abs=1e-14)
    assert result.se_tau2 == pytest.approx(se, rel=1e-8)


@pytest.mark.parametrize("method", ["ML", "REML"])
def test_likelihood_standard_errors_are_the_inverse_information(method):
    effects, variances = DATASETS[0]
    result = pool(effects, variances, method=method)
    expected = matrix_information_se(np.array(variances), np.ones((8, 1)), result.tau2, method)
    assert result.se_tau2 == pytest.approx(expected, rel=1e-10)


@st.composite
def grouped_studies(draw):
    k = draw(st.integers(4, 24))
    labels = draw(st.lists(st.sampled_from("ABC"), min_size=k, max_size=k))
    if len(set(labels)) < 2 or len(set(labels)) == k:
        labels = ["A", "B"] * (k // 2) + ["A"] * (k % 2)
    return (
        draw(st.lists(effect_values, min_size=k, max_size=k)),
        draw(st.lists(variance_values, min_size=k, max_size=k)),
        labels,
    )


@property_settings(100)
@given(grouped_studies(), st.sampled_from([*CLOSED_OR_ROOT, "ML", "REML"]))
def test_subgroups_sharing_tau2_match_the_factor_models_matrix_formulas(studies, method):
    effects, variances, labels = studies
    names = list(dict.fromkeys(labels))
    design = np.array([[label == name for name in names] for label in labels], dtype=float)
    y, v = np.array(effects), np.array(variances)
    analysis = pool_subgroups(effects, variances, labels, method=method, tau2="common")
    if method in ("ML", "REML"):
        expected_se = matrix_information_se(v, design, analysis.tau2, method)
        assert analysis.se_tau2 == pytest.approx(expected_se, rel=1e-7)
        return
    tau2, se = matrix_tau2(y, v, design, method)
    assert analysis.tau2 == pytest.approx(tau2, rel=1e-7, abs=1e-12)
    assert analysis.se_tau2 == pytest.approx(se, rel=1e-7)
