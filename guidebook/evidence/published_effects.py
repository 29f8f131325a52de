"""Effect sizes a paper published itself: a standardised effect with its CI or SE.

Many papers give no means, SDs or test statistics, only a standardised mean
difference (Cohen's d or Hedges' g) or an odds ratio with its confidence interval.
Such a result is read as published: its standard error is the one given or the one
the interval implies, and direction and significance follow from the estimate and
that standard error, so a finding recorded this way counts like any other.

- A standardised mean difference is taken as the g of the other statistics types.
  Whether the paper applied Hedges' small-sample correction is seldom stated; the
  correction changes g by under 1% once a study has 40 people per group, far less
  than the rounding of a published value.
- A log odds ratio is put on the g scale by the Cox transformation, as counts are.
- A log risk ratio has no accepted conversion to g (it needs the comparison group's
  risk), so it is kept on its own scale: it has a direction, a significance and an
  interval, but no improvement index, and it is not pooled with g-scale findings.

Sources: Cochrane Handbook for Systematic Reviews of Interventions v6.4, section
6.3.1 (standard errors from confidence intervals); Altman & Bland (2011), "How to
obtain the confidence interval from a P value", BMJ 343:d2090; Cox (1970) and
Sánchez-Meca et al. (2003) for the Cox transformation.
"""

from __future__ import annotations

import math

from guidebook.evidence import distributions
from guidebook.evidence.effect_sizes import (
    COX_SCALE,
    EffectSize,
    design_effect,
    improvement_index,
    two_sided_p,
    wald_interval,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import ClusterDesign, PublishedEffect
from guidebook.evidence.vocabulary import PUBLISHED_METRICS

__all__ = ["G_SCALE_METRICS", "published_effect", "standard_error"]

G_SCALE_METRICS = frozenset({"hedges-g", "cox-index", "smd"})
"""The metrics of ``EffectSize`` that lie on the g scale and can be pooled together."""

_METRIC_OUT = {"smd": "smd", "log-odds-ratio": "cox-index", "log-risk-ratio": "log-risk-ratio"}
_METHOD = {
    "smd": "published standardised mean difference",
    "log-odds-ratio": "published log odds ratio / 1.65 (Cox)",
    "log-risk-ratio": "published log risk ratio (kept on its own scale)",
}


def _finite(record: str, field: str, value: float) -> float:
    if isinstance(value, bool) or not math.isfinite(value):
        raise InvalidRecord.single(record, field, "a finite number", value)
    return value


def _interval(effect: PublishedEffect, record: str) -> tuple[float, float] | None:
    """The published interval, checked, or None when the paper gave none."""
    lower, upper = effect.ci_lower, effect.ci_upper
    if lower is None and upper is None:
        return None
    if lower is None or upper is None:
        missing = "ci_lower" if lower is None else "ci_upper"
        other = "ci_upper" if lower is None else "ci_lower"
        raise InvalidRecord.single(record, missing, f"a bound, since {other} is given", None)
    lower, upper = _finite(record, "ci_lower", lower), _finite(record, "ci_upper", upper)
    if not lower < upper:
        raise InvalidRecord.single(record, "ci_upper", f"a bound above ci_lower ({lower:g})", upper)
    if not lower <= effect.effect_size <= upper:
        expected = f"an interval containing effect_size ({effect.effect_size:g})"
        raise InvalidRecord.single(record, "ci_lower", expected, [lower, upper])
    return lower, upper


def standard_error(effect: PublishedEffect, record: str) -> float:
    """The published SE, or the one its interval implies: (upper - lower) / (2 z).

    z is the standard normal quantile at (1 + ci_level) / 2, 1.96 for a 95% interval.
    When both are given the SE is used, as the less rounded figure. Source: Cochrane
    Handbook v6.4, section 6.3.1; Altman & Bland (2011), BMJ 343:d2090.
    """
    level = effect.ci_level
    if isinstance(level, bool) or not (math.isfinite(level) and 0 < level < 1):
        raise InvalidRecord.single(record, "ci_level", "a number strictly between 0 and 1", level)
    interval = _interval(effect, record)
    if effect.se is not None:
        se = _finite(record, "se", effect.se)
        if se <= 0:
            raise InvalidRecord.single(record, "se", "a standard error above 0", se)
        return se
    if interval is None:
        expected = "a standard error, or both ci_lower and ci_upper"
        raise InvalidRecord.single(record, "se", expected, None)
    z = float(distributions.normal_isf((1 - level) / 2))
    return (interval[1] - interval[0]) / (2 * z)


def _check_sizes(effect: PublishedEffect, record: str) -> float:
    """The total sample when both group sizes are known (infinite otherwise)."""
    total = 0.0
    for field, n in (("n_treatment", effect.n_treatment), ("n_comparison", effect.n_comparison)):
        if n is None:
            total = math.inf
        elif isinstance(n, bool) or not (math.isfinite(n) and n >= 1):
            raise InvalidRecord.single(record, field, "a group size of at least 1", n)
        else:
            total += n
    return total


def _check_cluster(cluster: ClusterDesign, total: float, record: str) -> None:
    icc = _finite(record, "intraclass_correlation", cluster.intraclass_correlation)
    if not 0 <= icc < 1:
        expected = "a correlation from 0 up to (not including) 1"
        raise InvalidRecord.single(record, "intraclass_correlation", expected, icc)
    size = _finite(record, "mean_cluster_size", cluster.mean_cluster_size)
    if not 1 <= size <= total / 2:
        expected = "a mean cluster size of at least 1" + (
            f" and at most half the total sample ({total / 2:g})" if math.isfinite(total) else ""
        )
        raise InvalidRecord.single(record, "mean_cluster_size", expected, size)


def published_effect(effect: PublishedEffect, record: str, level: float = 0.95) -> EffectSize:
    """The oriented effect, interval, improvement index and p value of a published effect.

    Variance: se^2, or ((upper - lower) / (2 z_{(1+ci_level)/2}))^2 from the interval
    (``standard_error``). A log odds ratio and its variance are divided by 1.65 and
    1.65^2 (Cox 1970). With ``cluster`` (an analysis that ignored the grouping) the
    variance is multiplied by the design effect 1 + (n - 1) ICC (Donner & Klar 2000).
    The sign is turned by ``higher_is_better``; the interval is Wald at ``level`` and
    the p value a two-sided z test (Borenstein et al. 2009, ch. 11), so at level 0.95
    the finding is significant exactly when its interval excludes 0.
    """
    if effect.metric not in PUBLISHED_METRICS:
        expected = "one of " + ", ".join(PUBLISHED_METRICS)
        raise InvalidRecord.single(record, "metric", expected, effect.metric)
    value = _finite(record, "effect_size", effect.effect_size)
    variance = standard_error(effect, record) ** 2
    total = _check_sizes(effect, record)
    method = _METHOD[effect.metric] + (
        "; SE as published" if effect.se is not None else "; SE from the published interval"
    )
    if effect.cluster is not None:
        _check_cluster(effect.cluster, total, record)
        variance *= design_effect(effect.cluster)
        method += "; variance inflated by the design effect 1 + (n-1) ICC"
    if effect.metric == "log-odds-ratio":
        value, variance = value / COX_SCALE, variance / COX_SCALE**2
    g = value if effect.higher_is_better else -value
    se = math.sqrt(variance)
    ci_low, ci_high = wald_interval(g, se, level)
    on_g_scale = effect.metric != "log-risk-ratio"
    return EffectSize(
        g=g,
        variance=variance,
        se=se,
        ci_low=ci_low,
        ci_high=ci_high,
        improvement_index=improvement_index(g) if on_g_scale else None,
        p_value=two_sided_p(g, se),
        metric=_METRIC_OUT[effect.metric],
        method=method,
        level=level,
    )
