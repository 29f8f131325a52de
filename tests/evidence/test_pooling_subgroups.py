"""Subgroup analysis: each subgroup pooled, and Q-between for the differences."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.pooling import METHODS, pool, pool_subgroups
from tests.evidence.strategies import effects as effect_values
from tests.evidence.strategies import property_settings
from tests.evidence.strategies import variances as variance_values

EFFECTS = [0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.20, 0.90, 0.05, 0.40]
VARIANCES = [0.030, 0.030, 0.050, 0.010, 0.050, 0.020, 0.040, 0.060, 0.020, 0.030]
COUNTRIES = ["UK", "US", "UK", "NL", "US", "UK", "NL", "US", "UK", "NL"]


def _members(label, labels=COUNTRIES):
    chosen = [index for index, name in enumerate(labels) if name == label]
    return [EFFECTS[i] for i in chosen], [VARIANCES[i] for i in chosen]


def _fixed_effect_q(estimates, variances):
    weights = 1 / np.asarray(variances)
    mean = (weights * estimates).sum() / weights.sum()
    return float((weights * (np.asarray(estimates) - mean) ** 2).sum())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", ["z", "knha"])
def test_separate_subgroups_are_their_own_meta_analyses(method, test):
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, method=method, test=test)
    assert [subgroup.label for subgroup in analysis.subgroups] == ["UK", "US", "NL"]
    for label in ("UK", "US", "NL"):
        assert analysis.subgroup(label) == pool(*_members(label), method=method, test=test)
    assert (analysis.tau2, analysis.se_tau2, analysis.i2, analysis.h2) == (None, None, None, None)


@pytest.mark.parametrize("tau2", ["separate", "common"])
def test_q_between_is_cochrans_q_of_the_subgroup_estimates(tau2):
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, method="REML", tau2=tau2)
    means = [subgroup.pooled.estimate for subgroup in analysis.subgroups]
    variances = [subgroup.pooled.se**2 for subgroup in analysis.subgroups]
    assert analysis.q_between == pytest.approx(_fixed_effect_q(means, variances))
    assert analysis.q_between_df == 2
    assert analysis.q_between_p_value == pytest.approx(stats.chi2.sf(analysis.q_between, 2))


def test_q_within_adds_the_subgroups_fixed_effect_q():
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, method="DL")
    within = sum(_fixed_effect_q(*_members(label)) for label in ("UK", "US", "NL"))
    assert analysis.q_within == pytest.approx(within)
    assert analysis.q_within_df == 7
    assert analysis.q_within_p_value == pytest.approx(stats.chi2.sf(within, 7))


def test_common_tau2_by_dersimonian_laird_pools_the_within_subgroup_moments():
    # (sum Q_g - (k - G)) / sum (sum w - sum w^2 / sum w), fixed-effect weights.
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, method="DL", tau2="common")
    traces = 0.0
    for label in ("UK", "US", "NL"):
        weights = 1 / np.array(_members(label)[1])
        traces += weights.sum() - (weights**2).sum() / weights.sum()
    assert analysis.tau2 == pytest.approx((analysis.q_within - 7) / traces)
    assert analysis.i2 == pytest.approx(100 * analysis.tau2 / (analysis.tau2 + 7 / traces))
    for subgroup in analysis.subgroups:
        weights = 1 / (np.array(_members(subgroup.label)[1]) + analysis.tau2)
        assert subgroup.pooled.tau2 == analysis.tau2
        assert subgroup.pooled.estimate == pytest.approx(
            (weights * _members(subgroup.label)[0]).sum() / weights.sum()
        )


def _factor_model_restricted_likelihood(tau2):
    """REML log-likelihood of the model with one mean per country, by matrices."""
    y, v = np.array(EFFECTS), np.array(VARIANCES)
    design = np.array([[label == name for name in ("UK", "US", "NL")] for label in COUNTRIES])
    weights = np.diag(1 / (v + tau2))
    information = design.T @ weights @ design
    means = np.linalg.solve(information, design.T @ weights @ y)
    residual = y - design @ means
    return -0.5 * (
        np.log(v + tau2).sum() + np.linalg.slogdet(information)[1] + residual @ weights @ residual
    )


def test_common_tau2_by_reml_maximises_the_factor_models_restricted_likelihood():
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, method="REML", tau2="common")
    best = _factor_model_restricted_likelihood(analysis.tau2)
    grid = np.linspace(0, 0.5, 2001)
    assert max(_factor_model_restricted_likelihood(t) for t in grid) <= best + 1e-12
    assert analysis.tau2 > 0 and analysis.se_tau2 is not None


def test_common_tau2_hartung_knapp_scales_by_the_residual_variance_on_k_minus_g_df():
    analysis = pool_subgroups(
        EFFECTS, VARIANCES, COUNTRIES, method="REML", test="knha", tau2="common"
    )
    tau2 = analysis.tau2
    residual = 0.0
    for label in ("UK", "US", "NL"):
        effects, variances = _members(label)
        weights = 1 / (np.array(variances) + tau2)
        mean = (weights * effects).sum() / weights.sum()
        residual += (weights * (np.array(effects) - mean) ** 2).sum()
    for subgroup in analysis.subgroups:
        weights = 1 / (np.array(_members(subgroup.label)[1]) + tau2)
        se = math.sqrt(residual / 7 / weights.sum())
        assert subgroup.pooled.se == pytest.approx(se)
        critical = stats.t.isf(0.025, 7)
        assert subgroup.pooled.ci_high == pytest.approx(subgroup.pooled.estimate + critical * se)


def test_a_subgroup_of_one_study_is_that_study():
    labels = ["A"] * 9 + ["B"]
    analysis = pool_subgroups(EFFECTS, VARIANCES, labels, method="REML")
    single = analysis.subgroup("B")
    assert (single.k, single.estimate, single.tau2) == (1, EFFECTS[9], 0)
    assert single.se == pytest.approx(math.sqrt(VARIANCES[9]))


def test_common_tau2_gives_a_subgroup_of_one_study_the_common_tau2():
    labels = ["A"] * 9 + ["B"]
    analysis = pool_subgroups(EFFECTS, VARIANCES, labels, method="REML", tau2="common")
    single = analysis.subgroup("B")
    assert single.tau2 == analysis.tau2 > 0
    assert single.se == pytest.approx(math.sqrt(VARIANCES[9] + analysis.tau2))


def test_to_dict_holds_plain_values_and_every_subgroup():
    result = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES, tau2="common").to_dict()
    assert [subgroup["label"] for subgroup in result["subgroups"]] == ["UK", "US", "NL"]
    assert result["subgroups"][0]["k"] == 4
    assert json.loads(json.dumps(result)) == result


@pytest.mark.parametrize(
    ("labels", "options", "field"),
    [
        (["A"] * 10, {}, "subgroups"),
        (["A", "B"], {}, "subgroups"),
        (COUNTRIES, {"tau2": "pooled"}, "tau2"),
        (COUNTRIES, {"method": "XX"}, "method"),
    ],
)
def test_impossible_subgroup_input_names_the_field(labels, options, field):
    with pytest.raises(InvalidRecord, match=f"field '{field}'"):
        pool_subgroups(EFFECTS, VARIANCES, labels, **options)


def test_variances_must_match_the_effects():
    with pytest.raises(InvalidRecord, match="field 'variances'"):
        pool_subgroups(EFFECTS, VARIANCES[:-1], COUNTRIES)


def test_an_unknown_subgroup_is_named():
    analysis = pool_subgroups(EFFECTS, VARIANCES, COUNTRIES)
    with pytest.raises(InvalidRecord, match="one of UK, US, NL"):
        analysis.subgroup("FR")


@st.composite
def labelled_studies(draw):
    k = draw(st.integers(3, 30))
    effects = draw(st.lists(effect_values, min_size=k, max_size=k))
    variances = draw(st.lists(variance_values, min_size=k, max_size=k))
    labels = draw(st.lists(st.sampled_from("ABCD"), min_size=k, max_size=k))
    return effects, variances, labels


@property_settings(150)
@given(labelled_studies(), st.sampled_from(METHODS))
def test_fixed_effect_q_splits_into_within_and_between(studies, method):
    effects, variances, labels = studies
    if len(set(labels)) < 2:
        return
    fixed = pool_subgroups(effects, variances, labels, method="FE", tau2="common")
    total = pool(effects, variances, method="FE").q
    # Q_total = Q_within + Q_between for the fixed-effect model (Borenstein et al. ch. 19).
    assert fixed.q_within + fixed.q_between == pytest.approx(total, rel=1e-8, abs=1e-9)
    common = pool_subgroups(effects, variances, labels, method=method, tau2="common")
    assert common.tau2 is not None and common.tau2 >= 0
    assert 0 <= common.q_between_p_value <= 1
