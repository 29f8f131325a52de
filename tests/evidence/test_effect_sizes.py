import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from guidebook.evidence.effect_sizes import (
    EffectSize,
    Estimate,
    Verdict,
    cox_transform,
    design_effect,
    effect_of,
    hedges_g,
    hedges_g_clustered,
    improvement_index,
    log_odds_ratio,
    log_risk_ratio,
    risk_difference,
    small_sample_correction,
    standardised_difference,
    two_sided_p,
    verdict_of,
    wald_interval,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import (
    ClusterDesign,
    Counts2x2,
    FTest,
    MeansAndSDs,
    PValue,
    TTest,
)
from tests.evidence.strategies import counts_2x2, means_and_sds, t_tests

# Borenstein et al. (2009), "Introduction to Meta-Analysis", section 4.3 worked example.
BORENSTEIN = MeansAndSDs(103.0, 5.5, 50, 100.0, 4.5, 50)
COUNTS = Counts2x2(events_treatment=10, n_treatment=50, events_comparison=20, n_comparison=50)
CLUSTER = ClusterDesign(intraclass_correlation=0.2, mean_cluster_size=10)


def _t_of(statistics: MeansAndSDs) -> float:
    n1, n2 = statistics.n_treatment, statistics.n_comparison
    pooled = math.sqrt(
        ((n1 - 1) * statistics.sd_treatment**2 + (n2 - 1) * statistics.sd_comparison**2)
        / (n1 + n2 - 2)
    )
    difference = statistics.mean_treatment - statistics.mean_comparison
    return difference / (pooled * math.sqrt(1 / n1 + 1 / n2))


# --- The small-sample correction ------------------------------------------------------


@pytest.mark.parametrize("df", [2, 3, 10, 48, 98, 1000, 1e6])
def test_small_sample_correction_is_the_exact_gamma_ratio(df):
    if df <= 150:
        exact = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
        assert small_sample_correction(df) == pytest.approx(exact, rel=1e-12)
    # Hedges' approximation 1 - 3/(4m - 1) is off by about 0.03/m^2.
    approximation = 1 - 3 / (4 * df - 1)
    assert small_sample_correction(df) == pytest.approx(approximation, abs=0.1 / df**2 + 1e-9)


# --- Continuous outcomes -------------------------------------------------------------


def test_borenstein_worked_example():
    d = standardised_difference(BORENSTEIN, "study")
    g = hedges_g(d, 50, 50)
    assert round(d, 4) == 0.5970
    assert round(g.value, 4) == 0.5924
    assert g.variance == pytest.approx(1 / 50 + 1 / 50 + g.value**2 / 200)


@pytest.mark.parametrize(
    "statistics",
    [
        TTest(_t_of(BORENSTEIN), 50, 50),
        FTest(_t_of(BORENSTEIN) ** 2, 50, 50, favours_treatment=True),
        PValue(2 * stats.t.sf(_t_of(BORENSTEIN), 98), 50, 50, favours_treatment=True),
    ],
    ids=["t", "F", "p"],
)
def test_t_f_and_p_give_the_g_of_the_means(statistics):
    from_means = effect_of(BORENSTEIN, "study")
    assert effect_of(statistics, "study").g == pytest.approx(from_means.g, rel=1e-9)
    assert effect_of(statistics, "study").variance == pytest.approx(from_means.variance)


@pytest.mark.parametrize("statistics_type", [FTest, PValue])
def test_f_and_p_take_their_sign_from_favours_treatment(statistics_type):
    value = 4.0 if statistics_type is FTest else 0.05
    favouring = effect_of(statistics_type(value, 30, 30, favours_treatment=True), "study")
    against = effect_of(statistics_type(value, 30, 30, favours_treatment=False), "study")
    assert favouring.g > 0
    assert against.g == pytest.approx(-favouring.g)


def test_a_p_value_of_one_is_no_effect():
    assert effect_of(PValue(1.0, 30, 30, favours_treatment=True), "study").g == 0


def test_a_tiny_p_value_keeps_its_precision():
    effect = effect_of(PValue(1e-300, 40, 40, favours_treatment=True), "study")
    assert math.isfinite(effect.g) and effect.g > 5


@pytest.mark.parametrize("higher_is_better", [True, False])
def test_lower_is_better_turns_the_sign(higher_is_better):
    effect = effect_of(replace(BORENSTEIN, higher_is_better=higher_is_better), "study")
    assert (effect.g > 0) is higher_is_better


@given(means_and_sds)
def test_swapping_the_groups_flips_the_sign_of_g(statistics):
    swapped = MeansAndSDs(
        statistics.mean_comparison,
        statistics.sd_comparison,
        statistics.n_comparison,
        statistics.mean_treatment,
        statistics.sd_treatment,
        statistics.n_treatment,
        statistics.higher_is_better,
    )
    original, mirrored = effect_of(statistics, "s"), effect_of(swapped, "s")
    assert mirrored.g == pytest.approx(-original.g, rel=1e-12, abs=1e-12)
    assert mirrored.variance == pytest.approx(original.variance, rel=1e-12)


@given(t_tests)
def test_swapping_the_groups_of_a_t_test_flips_the_sign_of_g(statistics):
    swapped = TTest(
        -statistics.t,
        statistics.n_comparison,
        statistics.n_treatment,
        statistics.higher_is_better,
    )
    assert effect_of(swapped, "s").g == pytest.approx(-effect_of(statistics, "s").g)


@given(st.one_of(means_and_sds, t_tests, counts_2x2()), st.floats(0.5, 0.999))
def test_the_interval_contains_the_estimate(statistics, level):
    effect = effect_of(statistics, "s", level=level)
    assert effect.ci_low <= effect.g <= effect.ci_high
    assert effect.se == pytest.approx(math.sqrt(effect.variance))
    assert 0 <= effect.p_value <= 1
    assert -50 <= effect.improvement_index <= 50


# --- Clustering ------------------------------------------------------------------------


def test_cluster_correction_follows_hedges_2007():
    n1 = n2 = 50
    total, rho, size, d = 100, 0.2, 10, 0.5
    shrunk = (total - 2) - 2 * (size - 1) * rho
    spread = (
        (total - 2) * (1 - rho) ** 2
        + size * (total - 2 * size) * rho**2
        + 2 * (total - 2 * size) * rho * (1 - rho)
    )
    d_t = d * math.sqrt(1 - 2 * (size - 1) * rho / (total - 2))
    v_t = (total / (n1 * n2)) * (1 + (size - 1) * rho) + d_t**2 * spread / (
        2 * (total - 2) * shrunk
    )
    omega = 1 - 3 / (4 * (shrunk**2 / spread) - 1)  # WWC's approximation of J(h)
    adjusted = hedges_g_clustered(d, n1, n2, CLUSTER, "study")
    assert adjusted.value == pytest.approx(omega * d_t, rel=1e-4)
    assert adjusted.variance == pytest.approx(omega**2 * v_t, rel=1e-4)


def test_clustering_shrinks_g_and_widens_its_interval():
    plain = effect_of(BORENSTEIN, "study")
    clustered = effect_of(replace(BORENSTEIN, cluster=CLUSTER), "study")
    assert 0 < clustered.g < plain.g
    assert clustered.se > plain.se
    assert "cluster-adjusted" in clustered.method


def test_no_intraclass_correlation_keeps_g():
    d = standardised_difference(BORENSTEIN, "study")
    unclustered = ClusterDesign(intraclass_correlation=0.0, mean_cluster_size=10)
    adjusted = hedges_g_clustered(d, 50, 50, unclustered, "study")
    assert adjusted.value == pytest.approx(hedges_g(d, 50, 50).value)
    assert adjusted.variance == pytest.approx(
        small_sample_correction(98) ** 2 * (1 / 50 + 1 / 50 + d**2 / (2 * 98))
    )


def test_clustered_counts_inflate_the_variance_by_the_design_effect():
    plain = effect_of(COUNTS, "study")
    clustered = effect_of(replace(COUNTS, cluster=CLUSTER), "study")
    assert clustered.g == plain.g
    assert clustered.variance == pytest.approx(plain.variance * design_effect(CLUSTER))
    assert design_effect(CLUSTER) == pytest.approx(2.8)


# --- Binary outcomes ------------------------------------------------------------------


def test_log_odds_ratio_and_its_variance():
    estimate = log_odds_ratio(COUNTS, "study")
    assert estimate.value == pytest.approx(math.log(10 * 30 / (40 * 20)))
    assert estimate.variance == pytest.approx(1 / 10 + 1 / 40 + 1 / 20 + 1 / 30)


def test_log_risk_ratio_and_its_variance():
    estimate = log_risk_ratio(COUNTS, "study")
    assert estimate.value == pytest.approx(math.log(0.2 / 0.4))
    assert estimate.variance == pytest.approx(1 / 10 - 1 / 50 + 1 / 20 - 1 / 50)


def test_risk_difference_and_its_variance():
    estimate = risk_difference(COUNTS, "study")
    assert estimate.value == pytest.approx(-0.2)
    assert estimate.variance == pytest.approx(0.2 * 0.8 / 50 + 0.4 * 0.6 / 50)


def test_an_empty_cell_adds_a_half_to_every_cell():
    counts = Counts2x2(events_treatment=0, n_treatment=20, events_comparison=5, n_comparison=20)
    assert log_odds_ratio(counts, "study").value == pytest.approx(
        math.log(0.5 * 15.5 / (20.5 * 5.5))
    )
    assert log_risk_ratio(counts, "study").value == pytest.approx(math.log((0.5 / 21) / (5.5 / 21)))
    assert risk_difference(counts, "study").value == pytest.approx(0.5 / 21 - 5.5 / 21)


def test_no_correction_without_an_empty_cell():
    counts = Counts2x2(events_treatment=1, n_treatment=20, events_comparison=5, n_comparison=20)
    assert log_odds_ratio(counts, "study").value == pytest.approx(math.log(1 * 15 / (19 * 5)))


def test_cox_transformation_divides_by_1_65():
    transformed = cox_transform(Estimate(1.65, 1.65**2))
    assert transformed == Estimate(pytest.approx(1.0), pytest.approx(1.0))


@pytest.mark.parametrize(("event_is_good", "positive"), [(False, True), (True, False)])
def test_fewer_bad_events_is_an_improvement(event_is_good, positive):
    effect = effect_of(replace(COUNTS, event_is_good=event_is_good), "study")
    assert (effect.g > 0) is positive
    assert effect.metric == "cox-index"
    assert abs(effect.g) == pytest.approx(-log_odds_ratio(COUNTS, "study").value / 1.65)


@given(counts_2x2())
def test_swapping_the_groups_of_a_table_flips_the_sign(counts):
    swapped = Counts2x2(
        counts.events_comparison, counts.n_comparison, counts.events_treatment, counts.n_treatment
    )
    for measure in (log_odds_ratio, log_risk_ratio, risk_difference):
        original, mirrored = measure(counts, "s"), measure(swapped, "s")
        assert mirrored.value == pytest.approx(-original.value, abs=1e-9)
        assert mirrored.variance == pytest.approx(original.variance)


# --- Reading an estimate --------------------------------------------------------------


def test_wald_interval_uses_the_normal_quantile():
    low, high = wald_interval(1.0, 0.5, level=0.90)
    z90, z95 = 1.6448536, 1.9599640
    assert (low, high) == (pytest.approx(1 - z90 * 0.5), pytest.approx(1 + z90 * 0.5))
    assert wald_interval(0.0, 1.0) == (pytest.approx(-z95), pytest.approx(z95))


def test_two_sided_p():
    assert two_sided_p(1.959964, 1.0) == pytest.approx(0.05, abs=1e-6)
    assert two_sided_p(-1.959964, 1.0) == pytest.approx(0.05, abs=1e-6)


@pytest.mark.parametrize(
    ("g", "index"), [(0.0, 0.0), (1.0, 34.134), (-1.0, -34.134), (0.25, 9.871)]
)
def test_improvement_index(g, index):
    assert improvement_index(g) == pytest.approx(index, abs=1e-3)


def test_effect_of_reports_everything_about_the_finding():
    effect = effect_of(BORENSTEIN, "study")
    assert isinstance(effect, EffectSize)
    assert effect.metric == "hedges-g"
    assert "means and SDs" in effect.method
    assert effect.p_value == pytest.approx(two_sided_p(effect.g, effect.se))
    assert (effect.ci_low, effect.ci_high) == wald_interval(effect.g, effect.se)
    assert effect.improvement_index == pytest.approx(improvement_index(effect.g))


def _effect(g: float, p_value: float) -> EffectSize:
    return EffectSize(g, 0.01, 0.1, g - 0.2, g + 0.2, 0.0, p_value, "hedges-g", "test")


@pytest.mark.parametrize(
    ("g", "p_value", "alpha", "expected"),
    [
        (0.4, 0.001, 0.05, Verdict("positive", True)),
        (-0.4, 0.001, 0.05, Verdict("negative", True)),
        (0.4, 0.2, 0.05, Verdict("null", False)),
        (-0.4, 0.2, 0.05, Verdict("null", False)),
        (0.4, 0.05, 0.05, Verdict("null", False)),
        (0.4, 0.07, 0.10, Verdict("positive", True)),
    ],
)
def test_verdict_reads_direction_and_significance(g, p_value, alpha, expected):
    assert verdict_of(_effect(g, p_value), alpha=alpha) == expected


def test_verdict_of_real_statistics():
    assert verdict_of(effect_of(BORENSTEIN, "study")) == Verdict("positive", True)
    assert verdict_of(effect_of(TTest(0.5, 20, 20), "study")) == Verdict("null", False)


# --- Impossible input ---------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
WIDE = ClusterDesign(intraclass_correlation=0.999, mean_cluster_size=1.99)


@pytest.mark.parametrize(
    ("statistics", "field"),
    [
        (replace(BORENSTEIN, sd_treatment=0.0), "sd_treatment"),
        (replace(BORENSTEIN, sd_comparison=-1.0), "sd_comparison"),
        (replace(BORENSTEIN, sd_comparison=NAN), "sd_comparison"),
        (replace(BORENSTEIN, n_treatment=1), "n_treatment"),
        (replace(BORENSTEIN, n_comparison=0), "n_comparison"),
        (replace(BORENSTEIN, mean_treatment=NAN), "mean_treatment"),
        (replace(BORENSTEIN, mean_comparison=INF), "mean_comparison"),
        (TTest(NAN, 20, 20), "t"),
        (TTest(2.0, 20, 1), "n_comparison"),
        (FTest(-1.0, 20, 20, favours_treatment=True), "f"),
        (FTest(INF, 20, 20, favours_treatment=True), "f"),
        (PValue(0.0, 20, 20, favours_treatment=True), "p"),
        (PValue(1.5, 20, 20, favours_treatment=True), "p"),
        (PValue(NAN, 20, 20, favours_treatment=True), "p"),
        (replace(COUNTS, events_treatment=-1), "events_treatment"),
        (replace(COUNTS, events_treatment=51), "events_treatment"),
        (replace(COUNTS, events_comparison=60), "events_comparison"),
        (replace(COUNTS, n_treatment=1, events_treatment=0), "n_treatment"),
        (replace(BORENSTEIN, cluster=ClusterDesign(1.0, 10)), "intraclass_correlation"),
        (replace(BORENSTEIN, cluster=ClusterDesign(-0.1, 10)), "intraclass_correlation"),
        (replace(BORENSTEIN, cluster=ClusterDesign(NAN, 10)), "intraclass_correlation"),
        (replace(BORENSTEIN, cluster=ClusterDesign(0.1, 0.5)), "mean_cluster_size"),
        (replace(BORENSTEIN, cluster=ClusterDesign(0.1, 51)), "mean_cluster_size"),
        (replace(BORENSTEIN, cluster=ClusterDesign(0.1, NAN)), "mean_cluster_size"),
        (MeansAndSDs(1.0, 1.0, 2, 0.0, 1.0, 2, cluster=WIDE), "intraclass_correlation"),
        (replace(COUNTS, cluster=ClusterDesign(1.5, 10)), "intraclass_correlation"),
    ],
)
def test_impossible_statistics_name_the_field(statistics, field):
    with pytest.raises(InvalidRecord) as raised:
        effect_of(statistics, "study-7/finding-2")
    problem = raised.value.problems[0]
    assert problem.record == "study-7/finding-2"
    assert problem.field == field
    assert f"field '{field}'" in str(raised.value)


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, NAN])
def test_interval_level_must_be_a_proportion(level):
    with pytest.raises(InvalidRecord, match="field 'level'"):
        effect_of(BORENSTEIN, "study", level=level)
    with pytest.raises(InvalidRecord, match="field 'level'"):
        wald_interval(0.0, 1.0, level=level)


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.05])
def test_alpha_must_be_a_proportion(alpha):
    with pytest.raises(InvalidRecord, match="field 'alpha'"):
        verdict_of(effect_of(BORENSTEIN, "study"), alpha=alpha)


def test_every_public_name_is_documented():
    import guidebook.evidence.effect_sizes as module

    page = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "effect-sizes.md"
    text = page.read_text(encoding="utf-8")
    assert [name for name in module.__all__ if f"`{name}" not in text] == []
