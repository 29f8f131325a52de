"""Effect sizes on one scale from the statistics a study reports.

Every finding is brought to Hedges' g, oriented so that a positive value means the
programme's group did better. Continuous outcomes give g directly (from means and
SDs, a t, an F with one numerator degree of freedom, or a two-sided p value); binary
outcomes give a log odds ratio, which the Cox transformation puts on the g scale.
Group-randomised designs are corrected for clustering before anything else is read
from the estimate.

The formulas, with their sources, are set out in ``docs/methodology/effect-sizes.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from guidebook.evidence import distributions
from guidebook.evidence.effect_checks import (
    event_count,
    finite,
    group_size,
    positive_sd,
    probability_level,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import (
    ClusterDesign,
    Counts2x2,
    FTest,
    MeansAndSDs,
    PublishedEffect,
    PValue,
    ReportedStatistics,
    TTest,
)

__all__ = [
    "CONTINUITY_CORRECTION",
    "COX_SCALE",
    "ContinuousStatistics",
    "EffectSize",
    "Estimate",
    "Verdict",
    "cox_transform",
    "design_effect",
    "effect_of",
    "hedges_g",
    "hedges_g_clustered",
    "improvement_index",
    "log_odds_ratio",
    "log_risk_ratio",
    "risk_difference",
    "small_sample_correction",
    "standardised_difference",
    "tested_g",
    "two_sided_p",
    "verdict_of",
    "verdict_of_test",
    "wald_interval",
]

# Cox (1970) matched the logistic curve to the normal with the factor 1.65 (rather
# than the pi/sqrt(3) = 1.81 of the logistic SD); Sanchez-Meca et al. (2003) found it
# the least biased of the conversions, and the WWC adopts it.
COX_SCALE = 1.65

# Added to every cell of a 2x2 table that has an empty cell, so its logs and
# variances exist (metafor escalc: add = 1/2, to = "only0").
CONTINUITY_CORRECTION = 0.5

ContinuousStatistics = MeansAndSDs | TTest | FTest | PValue


@dataclass(frozen=True)
class Estimate:
    """An estimate on some scale and its sampling variance."""

    value: float
    variance: float

    @property
    def se(self) -> float:
        return math.sqrt(self.variance)


@dataclass(frozen=True)
class EffectSize:
    """A finding's effect on the g scale, oriented so that positive means improvement."""

    g: float
    variance: float
    se: float
    ci_low: float
    ci_high: float
    # None for an effect not on the g scale (a published log risk ratio).
    improvement_index: float | None
    p_value: float
    metric: str
    method: str
    level: float = 0.95


@dataclass(frozen=True)
class Verdict:
    """What a finding's statistics say: a key of ``vocabulary.DIRECTIONS`` and significance."""

    direction: str
    significant: bool


# --- Validation ------------------------------------------------------------------------


def _check_cluster(record: str, cluster: ClusterDesign, total: int) -> None:
    icc = finite(record, "intraclass_correlation", cluster.intraclass_correlation)
    if not 0 <= icc < 1:
        raise InvalidRecord.single(
            record, "intraclass_correlation", "a correlation from 0 up to (not including) 1", icc
        )
    size = finite(record, "mean_cluster_size", cluster.mean_cluster_size)
    # Each arm holds at least one cluster, so the mean cluster size cannot pass half
    # the sample; beyond it Hedges' correction factor would turn negative.
    if not 1 <= size <= total / 2:
        expected = f"a mean cluster size from 1 to half the total sample ({total / 2:g})"
        raise InvalidRecord.single(record, "mean_cluster_size", expected, size)


# --- Continuous outcomes ------------------------------------------------------------


def small_sample_correction(df: float) -> float:
    """Hedges' exact bias correction J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)).

    Source: Hedges (1981), "Distribution theory for Glass's estimator of effect size
    and related estimators", J. Educ. Stat. 6(2), 107-128; the exact form metafor's
    escalc uses for measure "SMD". Log-gamma keeps it finite for large samples.
    """
    half = df / 2
    return math.exp(math.lgamma(half) - math.lgamma((df - 1) / 2) - 0.5 * math.log(half))


def _sizes(record: str, statistics: ContinuousStatistics | Counts2x2) -> tuple[int, int]:
    return (
        group_size(record, "n_treatment", statistics.n_treatment),
        group_size(record, "n_comparison", statistics.n_comparison),
    )


def _d_from_means(statistics: MeansAndSDs, record: str) -> float:
    n1, n2 = _sizes(record, statistics)
    mean_1 = finite(record, "mean_treatment", statistics.mean_treatment)
    mean_2 = finite(record, "mean_comparison", statistics.mean_comparison)
    sd_1 = positive_sd(record, "sd_treatment", statistics.sd_treatment)
    sd_2 = positive_sd(record, "sd_comparison", statistics.sd_comparison)
    pooled_sd = math.sqrt(((n1 - 1) * sd_1**2 + (n2 - 1) * sd_2**2) / (n1 + n2 - 2))
    return (mean_1 - mean_2) / pooled_sd


def _d_from_t(t: float, n1: int, n2: int) -> float:
    return t * math.sqrt(1 / n1 + 1 / n2)


def _d_from_f(statistics: FTest, record: str) -> float:
    n1, n2 = _sizes(record, statistics)
    f = finite(record, "f", statistics.f)
    if f < 0:
        raise InvalidRecord.single(record, "f", "an F statistic of 0 or more", f)
    sign = 1.0 if statistics.favours_treatment else -1.0
    return sign * _d_from_t(math.sqrt(f), n1, n2)


def _d_from_p(statistics: PValue, record: str) -> float:
    n1, n2 = _sizes(record, statistics)
    p = finite(record, "p", statistics.p)
    if not 0 < p <= 1:
        raise InvalidRecord.single(record, "p", "a p value above 0 and at most 1", p)
    # isf rather than ppf(1 - p/2): it keeps its precision for very small p.
    t = float(distributions.t_isf(p / 2, n1 + n2 - 2))
    sign = 1.0 if statistics.favours_treatment else -1.0
    return sign * _d_from_t(t, n1, n2)


def standardised_difference(statistics: ContinuousStatistics, record: str) -> float:
    """Cohen's d before any correction: treatment minus comparison over the pooled SD.

    Means and SDs: d = (m1 - m2) / s_pooled, s_pooled^2 = ((n1-1)s1^2 + (n2-1)s2^2)/(n1+n2-2).
    A t statistic: d = t sqrt(1/n1 + 1/n2). An F with one numerator df: t = sqrt(F), the
    sign taken from ``favours_treatment``. A two-sided p: t is the upper p/2 quantile of
    Student's t with n1+n2-2 df, signed the same way. Source: Borenstein, Hedges,
    Higgins & Rothstein (2009), "Introduction to Meta-Analysis", ch. 4 and 7; WWC
    Procedures and Standards Handbook v5.0 (effect sizes from test statistics).
    """
    if isinstance(statistics, MeansAndSDs):
        return _d_from_means(statistics, record)
    if isinstance(statistics, TTest):
        n1, n2 = _sizes(record, statistics)
        return _d_from_t(finite(record, "t", statistics.t), n1, n2)
    if isinstance(statistics, FTest):
        return _d_from_f(statistics, record)
    return _d_from_p(statistics, record)


def hedges_g(d: float, n_treatment: int, n_comparison: int) -> Estimate:
    """Hedges' g = J(n1+n2-2) d, with variance 1/n1 + 1/n2 + g^2 / (2(n1+n2)).

    Source: Hedges (1981) for J; the large-sample variance is metafor escalc's
    measure "SMD", vtype "LS" (cf. Borenstein et al. 2009, ch. 4, with g for d).
    """
    g = small_sample_correction(n_treatment + n_comparison - 2) * d
    variance = 1 / n_treatment + 1 / n_comparison + g**2 / (2 * (n_treatment + n_comparison))
    return Estimate(g, variance)


def hedges_g_clustered(
    d: float, n_treatment: int, n_comparison: int, cluster: ClusterDesign, record: str
) -> Estimate:
    """Hedges' g for a group-randomised design whose analysis ignored the clustering.

    With N = n1 + n2, cluster size n and intraclass correlation rho, Hedges (2007,
    "Effect sizes in cluster-randomized designs", J. Educ. Behav. Stat. 32(4)) gives
    d_T = d sqrt(1 - 2(n-1)rho/(N-2)) and
    v_T = (N/(n1 n2))(1 + (n-1)rho)
          + d_T^2 [(N-2)(1-rho)^2 + n(N-2n)rho^2 + 2(N-2n)rho(1-rho)]
                  / (2(N-2)[(N-2) - 2(n-1)rho]).
    The small-sample correction uses the WWC's clustered degrees of freedom
    h = [(N-2) - 2(n-1)rho]^2 / [(N-2)(1-rho)^2 + n(N-2n)rho^2 + 2(N-2n)rho(1-rho)]
    (WWC Procedures and Standards Handbook v5.0, eq. E.21): g = J(h) d_T and
    var(g) = J(h)^2 v_T.
    """
    total = n_treatment + n_comparison
    _check_cluster(record, cluster, total)
    rho, size = cluster.intraclass_correlation, cluster.mean_cluster_size
    shrunk_df = (total - 2) - 2 * (size - 1) * rho
    spread = (
        (total - 2) * (1 - rho) ** 2
        + size * (total - 2 * size) * rho**2
        + 2 * (total - 2 * size) * rho * (1 - rho)
    )
    d_total = d * math.sqrt(shrunk_df / (total - 2))
    mean_part = total / (n_treatment * n_comparison) * design_effect(cluster)
    spread_part = d_total**2 * spread / (2 * (total - 2) * shrunk_df)
    effective_df = shrunk_df**2 / spread
    if effective_df <= 1:
        # J(h) needs h > 1; only a tiny sample in two near-identical clusters gets here.
        expected = "a design leaving more than 1 effective degree of freedom (WWC h)"
        raise InvalidRecord.single(record, "intraclass_correlation", expected, rho)
    correction = small_sample_correction(effective_df)
    return Estimate(correction * d_total, correction**2 * (mean_part + spread_part))


def design_effect(cluster: ClusterDesign) -> float:
    """The variance inflation 1 + (n - 1) rho of a design that samples clusters of size n.

    Source: Kish (1965); Donner & Klar (2000), "Design and Analysis of Cluster
    Randomization Trials"; Cochrane Handbook (v6.4) section 23.1.4.
    """
    return 1 + (cluster.mean_cluster_size - 1) * cluster.intraclass_correlation


# --- Binary outcomes --------------------------------------------------------------


def _cells(counts: Counts2x2, record: str) -> tuple[float, float, float, float]:
    """The table's four cells (events and non-events per group), corrected if one is empty."""
    n1, n2 = _sizes(record, counts)
    a = event_count(record, "events_treatment", counts.events_treatment, n1)
    c = event_count(record, "events_comparison", counts.events_comparison, n2)
    shift = CONTINUITY_CORRECTION if 0 in (a, n1 - a, c, n2 - c) else 0.0
    return a + shift, n1 - a + shift, c + shift, n2 - c + shift


def log_odds_ratio(counts: Counts2x2, record: str) -> Estimate:
    """log(a d / (b c)) with variance 1/a + 1/b + 1/c + 1/d.

    a, b are the treatment group's events and non-events; c, d the comparison's.
    0.5 is added to every cell when one is zero. Source: Borenstein et al. (2009)
    ch. 5; metafor escalc measure "OR" (add = 1/2, to = "only0").
    """
    a, b, c, d = _cells(counts, record)
    return Estimate(math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d)


def log_risk_ratio(counts: Counts2x2, record: str) -> Estimate:
    """log((a/n1) / (c/n2)) with variance 1/a - 1/n1 + 1/c - 1/n2.

    Group sizes are the corrected cell sums. Source: Borenstein et al. (2009)
    ch. 5; metafor escalc measure "RR".
    """
    a, b, c, d = _cells(counts, record)
    n1, n2 = a + b, c + d
    return Estimate(math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2)


def risk_difference(counts: Counts2x2, record: str) -> Estimate:
    """p1 - p2 with variance p1(1-p1)/n1 + p2(1-p2)/n2.

    Source: Borenstein et al. (2009) ch. 5; metafor escalc measure "RD"
    (vtype "LS"), with the same zero-cell rule as the ratios.
    """
    a, b, c, d = _cells(counts, record)
    p1, p2 = a / (a + b), c / (c + d)
    return Estimate(p1 - p2, p1 * (1 - p1) / (a + b) + p2 * (1 - p2) / (c + d))


def cox_transform(log_odds: Estimate) -> Estimate:
    """The log odds ratio on the g scale: logOR / 1.65, variance var(logOR) / 1.65^2.

    Source: Cox (1970), "The Analysis of Binary Data"; Sánchez-Meca, Marín-Martínez &
    Chacón-Moscoso (2003), Psychol. Methods 8(4); WWC Procedures and Standards
    Handbook v5.0 (the "Cox index" for dichotomous outcomes).
    """
    return Estimate(log_odds.value / COX_SCALE, log_odds.variance / COX_SCALE**2)


# --- Reading an estimate -------------------------------------------------------------


def wald_interval(estimate: float, se: float, level: float = 0.95) -> tuple[float, float]:
    """estimate -/+ z_{(1+level)/2} se, the normal-theory (Wald) interval.

    Source: Borenstein et al. (2009) ch. 11; metafor's default test = "z".
    """
    z = float(distributions.normal_isf((1 - probability_level("interval", "level", level)) / 2))
    return estimate - z * se, estimate + z * se


def two_sided_p(estimate: float, se: float) -> float:
    """2 (1 - Phi(|estimate / se|)), the two-sided z test of no effect.

    Source: Borenstein et al. (2009) ch. 11.
    """
    return float(2 * distributions.normal_sf(abs(estimate / se)))


def improvement_index(g: float) -> float:
    """The expected percentile gain of an average comparison member: 100 Phi(g) - 50.

    Source: WWC Procedures and Standards Handbook v5.0 (the improvement index).
    """
    return float(100 * distributions.normal_cdf(g) - 50)


def _oriented_sign(statistics: ContinuousStatistics | Counts2x2) -> float:
    """+1 when a positive raw difference is an improvement, -1 when it is a worsening."""
    if isinstance(statistics, MeansAndSDs | TTest):
        return 1.0 if statistics.higher_is_better else -1.0
    if isinstance(statistics, Counts2x2):
        return 1.0 if statistics.event_is_good else -1.0
    # F and p carry no sign of their own: favours_treatment already says which way.
    return 1.0


_CONTINUOUS_METHOD = {
    MeansAndSDs: "means and SDs",
    TTest: "t statistic",
    FTest: "F statistic (1 numerator df)",
    PValue: "two-sided p value inverted through Student's t",
}


def _raw_g(statistics: ContinuousStatistics | Counts2x2, record: str) -> tuple[Estimate, str, str]:
    """The unoriented effect on the g scale, its metric and how it was reached."""
    cluster = statistics.cluster
    if isinstance(statistics, Counts2x2):
        estimate = cox_transform(log_odds_ratio(statistics, record))
        method = "log odds ratio / 1.65 (Cox)"
        if cluster is not None:
            _check_cluster(record, cluster, statistics.n_treatment + statistics.n_comparison)
            estimate = Estimate(estimate.value, estimate.variance * design_effect(cluster))
            method += "; variance inflated by the design effect 1 + (n-1) ICC"
        return estimate, "cox-index", method
    d = standardised_difference(statistics, record)
    method = _CONTINUOUS_METHOD[type(statistics)] + "; Hedges' exact small-sample correction"
    n1, n2 = statistics.n_treatment, statistics.n_comparison
    if cluster is None:
        return hedges_g(d, n1, n2), "hedges-g", method
    method += "; cluster-adjusted (Hedges 2007, WWC v5.0)"
    return hedges_g_clustered(d, n1, n2, cluster, record), "hedges-g", method


def effect_of(statistics: ReportedStatistics, record: str, level: float = 0.95) -> EffectSize:
    """The oriented effect size, interval, improvement index and p value of one finding.

    Continuous statistics give Hedges' g (Hedges 1981; Hedges 2007 for clusters);
    counts give the Cox index. The sign is turned so that positive means improvement,
    using ``higher_is_better``, ``favours_treatment`` or ``event_is_good``. The
    interval is Wald at ``level``, the p value a two-sided z test, and the improvement
    index the WWC's (Handbook v5.0). ``record`` names the record in any error.
    A published effect (``PublishedEffect``) is read by ``published_effects``.
    """
    probability_level(record, "level", level)
    if isinstance(statistics, PublishedEffect):
        # Imported here: published_effects builds on this module's functions.
        from guidebook.evidence.published_effects import published_effect

        return published_effect(statistics, record, level)
    raw, metric, method = _raw_g(statistics, record)
    g = _oriented_sign(statistics) * raw.value
    ci_low, ci_high = wald_interval(g, raw.se, level)
    return EffectSize(
        g=g,
        variance=raw.variance,
        se=raw.se,
        ci_low=ci_low,
        ci_high=ci_high,
        improvement_index=improvement_index(g),
        p_value=two_sided_p(g, raw.se),
        metric=metric,
        method=method,
        level=level,
    )


def tested_g(statistics: ContinuousStatistics | Counts2x2, record: str) -> tuple[float, float]:
    """The oriented g of ``effect_of`` and the p of its two-sided z test, and nothing else.

    The same two numbers ``effect_of`` gives, and the same problems raised, without
    its interval and improvement index: a rating judges every finding that carries
    statistics, needs only these, and the rest took as long again.
    """
    raw, _, _ = _raw_g(statistics, record)
    g = _oriented_sign(statistics) * raw.value
    return g, two_sided_p(g, raw.se)


def verdict_of(effect: EffectSize, alpha: float = 0.05) -> Verdict:
    """Direction and significance of an effect: "positive", "negative" or "null".

    Significant means the two-sided z test's p is below ``alpha``. A result that is
    not significant is read as "null" (no detectable effect), whichever its sign, as
    the WWC does when it calls a finding "indeterminate" (Handbook v5.0).
    """
    return verdict_of_test(effect.g, effect.p_value, alpha)


def verdict_of_test(g: float, p_value: float, alpha: float = 0.05) -> Verdict:
    """``verdict_of`` an effect ``g`` whose two-sided z test gave ``p_value``."""
    probability_level("verdict", "alpha", alpha)
    significant = p_value < alpha
    if not significant:
        return Verdict("null", False)
    return Verdict("positive" if g > 0 else "negative", True)
