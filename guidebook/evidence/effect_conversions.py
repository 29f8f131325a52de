"""Effect sizes on other scales than g, and effects recovered from what a paper prints.

Each function returns an ``Estimate`` (value and sampling variance) ready to pool
with ``pooling.pool``: the raw mean difference and the log ratio of means of two
groups, Fisher's z of a correlation, an estimate and variance read back from a
reported confidence interval or p value (a log odds ratio from an odds ratio and
its interval, say), and the raw or standardised mean change of one group measured
before and after. Values are as measured, treatment minus (or over) comparison and
after minus before: nothing here turns the sign for outcomes where lower is better.

They follow metafor's ``escalc`` measures "MD", "ROM", "ZCOR", "MC", "SMCC" and
"SMCR" and its ``conv.wald``, with the defaults metafor 4 uses; the formulas, their
sources and where metafor's defaults and ours differ are in
``docs/methodology/effect-sizes.md``, section 1.8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from guidebook.evidence import distributions
from guidebook.evidence.effect_checks import (
    correlation,
    finite,
    group_size,
    positive,
    positive_sd,
    probability_level,
)
from guidebook.evidence.effect_sizes import Estimate, small_sample_correction
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import MeansAndSDs

__all__ = [
    "HALFWAY_TOLERANCE",
    "PrePost",
    "correlation_from_z",
    "estimate_from_interval",
    "estimate_from_p_value",
    "fisher_z",
    "log_odds_ratio_from_interval",
    "log_ratio_of_means",
    "mean_change",
    "raw_mean_difference",
    "standardised_mean_change",
]

# A Wald interval is symmetric about its estimate; metafor's conv.wald flags an
# estimate further than a tenth of the interval's width from its midpoint.
HALFWAY_TOLERANCE = 0.1

STANDARDISERS = ("change", "before")


@dataclass(frozen=True)
class PrePost:
    """One group measured before and after, and the correlation between the two."""

    mean_before: float
    sd_before: float
    mean_after: float
    sd_after: float
    n: int
    correlation: float


# --- Two groups: means and SDs -------------------------------------------------------


def _groups(statistics: MeansAndSDs, record: str) -> tuple[float, float, float, float, int, int]:
    return (
        finite(record, "mean_treatment", statistics.mean_treatment),
        finite(record, "mean_comparison", statistics.mean_comparison),
        positive_sd(record, "sd_treatment", statistics.sd_treatment),
        positive_sd(record, "sd_comparison", statistics.sd_comparison),
        group_size(record, "n_treatment", statistics.n_treatment),
        group_size(record, "n_comparison", statistics.n_comparison),
    )


def raw_mean_difference(
    statistics: MeansAndSDs, record: str, equal_variances: bool = False
) -> Estimate:
    """m1 - m2 with variance sd1^2/n1 + sd2^2/n2, in the outcome's own units.

    With ``equal_variances`` the variance is s_pooled^2 (1/n1 + 1/n2). Source:
    Borenstein et al. (2009), "Introduction to Meta-Analysis", ch. 4; metafor escalc
    measure "MD" (vtype "LS", or "HO" for equal variances).
    """
    mean_1, mean_2, sd_1, sd_2, n_1, n_2 = _groups(statistics, record)
    if equal_variances:
        pooled = ((n_1 - 1) * sd_1**2 + (n_2 - 1) * sd_2**2) / (n_1 + n_2 - 2)
        return Estimate(mean_1 - mean_2, pooled * (1 / n_1 + 1 / n_2))
    return Estimate(mean_1 - mean_2, sd_1**2 / n_1 + sd_2**2 / n_2)


def log_ratio_of_means(
    statistics: MeansAndSDs, record: str, bias_corrected: bool = True
) -> Estimate:
    """log(m1/m2) with variance sd1^2/(n1 m1^2) + sd2^2/(n2 m2^2); both means above 0.

    ``bias_corrected`` (the default, as in metafor 4) adds Lajeunesse's (2015,
    Ecology 96:2056, eq. 8) small-sample term (sd1^2/(n1 m1^2) - sd2^2/(n2 m2^2))/2.
    Source: Hedges, Gurevitch & Curtis (1999), Ecology 80:1150; metafor escalc
    measure "ROM" (vtype "LS").
    """
    mean_1, mean_2, sd_1, sd_2, n_1, n_2 = _groups(statistics, record)
    ratio_scale = "a mean above 0 (a ratio of means needs a ratio scale)"
    positive(record, "mean_treatment", mean_1, ratio_scale)
    positive(record, "mean_comparison", mean_2, ratio_scale)
    # The squared coefficients of variation over n: (sd/m)^2, not sd^2/m^2, which
    # underflows for tiny means (and a product, as ** raises on overflow).
    spread_1, spread_2 = sd_1 / mean_1, sd_2 / mean_2
    relative_1, relative_2 = spread_1 * spread_1 / n_1, spread_2 * spread_2 / n_2
    if not math.isfinite(relative_1 + relative_2):
        expected = "means large enough beside their SDs for a finite variance"
        found = f"{mean_1!r} and {mean_2!r}"
        raise InvalidRecord.single(record, "mean_treatment", expected, found)
    value = math.log(mean_1 / mean_2)
    if bias_corrected:
        value += (relative_1 - relative_2) / 2
    return Estimate(value, relative_1 + relative_2)


# --- Correlations -----------------------------------------------------------------


def fisher_z(r: float, n: int, record: str) -> Estimate:
    """Fisher's z = atanh(r) with variance 1/(n - 3); n at least 4.

    Source: Fisher (1921), Metron 1:3; Borenstein et al. (2009) ch. 6; metafor
    escalc measure "ZCOR". Pool on this scale and turn the results back with
    ``correlation_from_z``.
    """
    correlation(record, "correlation", r)
    if not math.isfinite(n) or n < 4:
        raise InvalidRecord.single(record, "n", "a sample size of at least 4", n)
    return Estimate(math.atanh(r), 1 / (n - 3))


def correlation_from_z(z: float) -> float:
    """r = tanh(z): a pooled z, or an interval's bounds, back on the correlation scale.

    Source: metafor ``transf.ztor``.
    """
    return math.tanh(z)


# --- Estimates read back from a reported interval or p value -------------------------


def _scale(value: float, record: str, field: str, log_scale: bool) -> float:
    if log_scale:
        return math.log(positive(record, field, value, "a ratio above 0"))
    return finite(record, field, value)


def estimate_from_interval(
    estimate: float,
    lower: float | None,
    upper: float,
    record: str,
    level: float = 0.95,
    log_scale: bool = False,
) -> Estimate:
    """The estimate and the variance ((upper - lower) / (2 z))^2 of a Wald interval.

    z is the normal quantile for ``level``. With ``log_scale`` the estimate and bounds
    are ratios (odds, risk or hazard ratios) and are logged first. Without a lower
    bound the variance is ((upper - estimate) / z)^2. The estimate must lie strictly
    between the bounds and, with both, within a tenth of the interval's width of its
    midpoint (``HALFWAY_TOLERANCE``): otherwise the interval was not a Wald interval
    on this scale and the variance would be wrong. Source: metafor ``conv.wald``.
    """
    probability_level(record, "level", level)
    z = float(distributions.normal_isf((1 - level) / 2))
    centre = _scale(estimate, record, "estimate", log_scale)
    high = _scale(upper, record, "upper", log_scale)
    if high <= centre:
        raise InvalidRecord.single(record, "upper", "a bound above the estimate", upper)
    if lower is None:
        return Estimate(centre, ((high - centre) / z) ** 2)
    low = _scale(lower, record, "lower", log_scale)
    if low >= centre:
        raise InvalidRecord.single(record, "lower", "a bound below the estimate", lower)
    if abs((low + high) / 2 - centre) > HALFWAY_TOLERANCE * (high - low):
        expected = "an estimate about halfway between the bounds (a Wald interval on this scale)"
        raise InvalidRecord.single(record, "estimate", expected, estimate)
    return Estimate(centre, ((high - low) / (2 * z)) ** 2)


def log_odds_ratio_from_interval(
    odds_ratio: float, lower: float | None, upper: float, record: str, level: float = 0.95
) -> Estimate:
    """log OR and its variance from a reported odds ratio and its confidence interval.

    ``estimate_from_interval`` on the log scale (metafor: ``conv.wald(out, ci.lb,
    ci.ub, transf=log)``); the same serves risk and hazard ratios.
    """
    return estimate_from_interval(odds_ratio, lower, upper, record, level, log_scale=True)


def estimate_from_p_value(
    estimate: float, p: float, record: str, log_scale: bool = False
) -> Estimate:
    """The estimate and variance (y / z)^2, z the normal quantile that leaves p/2 above.

    For a two-sided p value from a Wald (z) test of no effect; with ``log_scale``
    the estimate is a ratio and is logged first. Source: metafor ``conv.wald`` (pval).
    """
    value = _scale(estimate, record, "estimate", log_scale)
    if value == 0:
        raise InvalidRecord.single(record, "estimate", "an effect other than none", estimate)
    if not (math.isfinite(p) and 0 < p < 1):
        raise InvalidRecord.single(record, "p", "a p value strictly between 0 and 1", p)
    z = float(distributions.normal_isf(p / 2))
    return Estimate(value, (value / z) ** 2)


# --- One group before and after -----------------------------------------------------


def _pre_post(design: PrePost, record: str, smallest: int) -> tuple[float, float, float]:
    """The change, the SD before and the SD of the change scores."""
    before = finite(record, "mean_before", design.mean_before)
    after = finite(record, "mean_after", design.mean_after)
    sd_before = positive_sd(record, "sd_before", design.sd_before)
    sd_after = positive_sd(record, "sd_after", design.sd_after)
    r = correlation(record, "correlation", design.correlation)
    if not math.isfinite(design.n) or design.n < smallest:
        raise InvalidRecord.single(record, "n", f"a sample size of at least {smallest}", design.n)
    change_sd = math.sqrt(sd_after**2 + sd_before**2 - 2 * r * sd_after * sd_before)
    return after - before, sd_before, change_sd


def mean_change(design: PrePost, record: str) -> Estimate:
    """after - before, with variance (sd_a^2 + sd_b^2 - 2 r sd_a sd_b) / n.

    Source: Borenstein et al. (2009) ch. 4 (matched groups); metafor escalc
    measure "MC".
    """
    change, _, change_sd = _pre_post(design, record, smallest=2)
    return Estimate(change, change_sd**2 / design.n)


def standardised_mean_change(
    design: PrePost, record: str, standardiser: str = "change"
) -> Estimate:
    """The change over an SD, with Hedges' correction J(n - 1); n at least 3.

    ``standardiser`` "change": over the SD of the change scores, variance
    1/n + g^2/(2n) (Gibbons, Hedeker & Davis 1993, J. Educ. Stat. 18:271; metafor
    "SMCC"). "before": over the SD before, variance 2(1 - r)/n + g^2/(2n) (Becker
    1988, Br. J. Math. Stat. Psychol. 41:257, eq. 13; metafor "SMCR").
    """
    if standardiser not in STANDARDISERS:
        raise InvalidRecord.single(record, "standardiser", "one of change, before", standardiser)
    change, sd_before, change_sd = _pre_post(design, record, smallest=3)
    correction = small_sample_correction(design.n - 1)
    if standardiser == "change":
        g = correction * change / change_sd
        return Estimate(g, 1 / design.n + g**2 / (2 * design.n))
    g = correction * change / sd_before
    return Estimate(g, 2 * (1 - design.correlation) / design.n + g**2 / (2 * design.n))
