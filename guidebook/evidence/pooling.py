"""Pooling effect sizes across studies: fixed-effect and random-effects meta-analysis.

One implementation serves both a single meta-analysis (``pool``) and many at once
(``pool_many``): the studies of every outcome group sit in one row of a padded
matrix, with a mask marking the real entries, and each estimator works on whole
columns of groups together. That keeps thousands of small meta-analyses fast
without a second, untested code path.

Conventions follow metafor (Viechtbauer 2010) unless stated: Wald (z) intervals by
default, Hartung-Knapp-Sidik-Jonkman as an option, I^2 for random-effects models as
100 tau^2 / (tau^2 + s^2). The formulas and their sources are in
``docs/methodology/effect-sizes.md``.

This module is the public surface and turns tau^2 into the pooled estimate and its
intervals. The parts behind it: ``pooling_studies`` (input checks, the padded
layout, weighted sums), ``pooling_tau2`` (the tau^2 estimators) and
``pooling_heterogeneity`` (Q, I^2, H^2 and the Q-profile interval).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats as _dist

from guidebook.evidence.pooling_heterogeneity import (
    HeterogeneityInterval,
    heterogeneity_interval,
    heterogeneity_statistics,
)

# TOLERANCE stays importable from here, where it was defined before the split.
from guidebook.evidence.pooling_search import TOLERANCE as TOLERANCE
from guidebook.evidence.pooling_studies import (
    Array,
    Fit,
    Studies,
    Whole,
    check_choice,
    check_level,
    padded_studies,
    rows_apart,
)
from guidebook.evidence.pooling_tau2 import METHODS, estimate_tau2, tau2_standard_error

__all__ = [
    "METHODS",
    "TESTS",
    "HeterogeneityInterval",
    "PooledEstimate",
    "PooledGroups",
    "heterogeneity_interval",
    "pool",
    "pool_many",
    "true_effect_range",
]

TESTS = ("z", "knha")

# metafor sets the Hartung-Knapp scale to 0 when the weighted residual sum of squares
# is at most machine epsilon (rma.uni: RSS.knha <= .Machine$double.eps): the effects
# are identical, and what is left is rounding.
_NO_RESIDUAL_SPREAD = float(np.finfo(float).eps)


@dataclass(frozen=True)
class PooledEstimate:
    """One meta-analysis: the pooled effect, its uncertainty and the heterogeneity."""

    method: str
    test: str
    level: float
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    tau2: float
    tau: float
    se_tau2: float | None
    q: float
    q_df: int
    q_p_value: float
    i2: float
    h2: float
    pi_low: float
    pi_high: float
    pi_riley_low: float | None
    pi_riley_high: float | None

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (str, int, float or None), ready for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class PooledGroups:
    """Many meta-analyses pooled together; each array has one entry per group.

    ``df`` is each group's residual degrees of freedom (k - 1, or k - p when the group
    shares tau^2 with others), the df of the Hartung-Knapp t; 0 means a z interval.
    """

    method: str
    test: str
    level: float
    k: Whole
    df: Whole
    estimate: Array
    se: Array
    ci_low: Array
    ci_high: Array
    statistic: Array
    p_value: Array
    tau2: Array
    se_tau2: Array
    q: Array
    q_p_value: Array
    i2: Array
    h2: Array
    pi_low: Array
    pi_high: Array
    pi_riley_low: Array
    pi_riley_high: Array

    def __len__(self) -> int:
        return len(self.k)

    def result(self, index: int) -> PooledEstimate:
        """The meta-analysis of one group, as plain floats."""
        k = int(self.k[index])

        def value(column: Array) -> float:
            return float(column[index])

        def defined(column: Array) -> float | None:
            return None if math.isnan(column[index]) else float(column[index])

        return PooledEstimate(
            method=self.method,
            # With no degrees of freedom for t, the z interval stands.
            test=self.test if self.df[index] > 0 else "z",
            level=self.level,
            k=k,
            estimate=value(self.estimate),
            se=value(self.se),
            ci_low=value(self.ci_low),
            ci_high=value(self.ci_high),
            statistic=value(self.statistic),
            p_value=value(self.p_value),
            tau2=value(self.tau2),
            tau=math.sqrt(value(self.tau2)),
            se_tau2=defined(self.se_tau2),
            q=value(self.q),
            q_df=k - 1,
            q_p_value=value(self.q_p_value),
            i2=value(self.i2),
            h2=value(self.h2),
            pi_low=value(self.pi_low),
            pi_high=value(self.pi_high),
            pi_riley_low=defined(self.pi_riley_low),
            pi_riley_high=defined(self.pi_riley_high),
        )


# --- The pooled estimate and its intervals --------------------------------------------


def _hartung_knapp_scale(fit: Fit, studies: Studies) -> Array:
    """sum w (y - mu)^2 / (k-p) per analysis; 0 when the weighted residuals vanish."""
    residual = fit.q()
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = residual / studies.residual_df
    return np.where(residual <= _NO_RESIDUAL_SPREAD, 0.0, scale)


def summarise(studies: Studies, tau2: Array, method: str, test: str, level: float) -> PooledGroups:
    """Each row's pooled estimate and intervals, given tau^2 per analysis."""
    fit = Fit.at(studies, tau2)
    df = studies.residual_df[studies.analysis]
    several, row_tau2 = df > 0, tau2[studies.analysis]
    # A single study is its own pooled estimate, to the last bit.
    estimate = np.where(studies.k > 1, fit.mean, studies.effects[:, 0])
    tail = (1 - level) / 2
    se = np.sqrt(1 / fit.total)
    critical = np.full(len(studies.k), float(_dist.norm.isf(tail)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if test == "knha":
            # Hartung & Knapp (2001), Sidik & Jonkman (2002): rescale by the weighted
            # residual variance and use t with k-p df; the scale is not truncated at 1.
            scale = _hartung_knapp_scale(fit, studies)[studies.analysis]
            se = np.where(several, np.sqrt(scale / fit.total), se)
            critical = np.where(several, _dist.t.isf(tail, df), critical)
        statistic = estimate / se
        p_value = 2 * _dist.norm.sf(np.abs(statistic))
        if test == "knha":
            p_value = np.where(several, 2 * _dist.t.sf(np.abs(statistic), df), p_value)
        predictive_se = np.sqrt(se**2 + row_tau2)
        riley = np.where(df > 1, _dist.t.isf(tail, df - 1), np.nan)
    return PooledGroups(
        method=method,
        test=test,
        level=level,
        k=studies.k,
        df=df.astype(np.int64),
        estimate=estimate,
        se=se,
        ci_low=estimate - critical * se,
        ci_high=estimate + critical * se,
        statistic=statistic,
        p_value=p_value,
        tau2=row_tau2,
        se_tau2=tau2_standard_error(studies, tau2, method)[studies.analysis],
        pi_low=estimate - critical * predictive_se,
        pi_high=estimate + critical * predictive_se,
        pi_riley_low=estimate - riley * predictive_se,
        pi_riley_high=estimate + riley * predictive_se,
        # Q, I^2 and H^2 of each row on its own (Q within a subgroup).
        **heterogeneity_statistics(rows_apart(studies), row_tau2, method),
    )


def fit_studies(
    studies: Studies, method: str, test: str, level: float
) -> tuple[PooledGroups, Array]:
    """Check the choices, estimate tau^2 per analysis and summarise every row."""
    check_choice("method", method, METHODS)
    check_choice("test", test, TESTS)
    check_level(level)
    tau2 = estimate_tau2(studies, method)
    return summarise(studies, tau2, method, test, level), tau2


# --- Public entry points -------------------------------------------------------------


def pool_many(
    effects: Sequence[Sequence[float]],
    variances: Sequence[Sequence[float]],
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> PooledGroups:
    """Pool every group of studies at once; group i is ``effects[i]`` with ``variances[i]``.

    ``method`` (tau^2): "FE" (inverse variance, tau^2 = 0), "DL" (DerSimonian &
    Laird 1986), "HE" (Hedges 1983), "HS" (Hunter & Schmidt 2004), "SJ" (Sidik &
    Jonkman 2005), "PM" (Paule & Mandel 1982), "EB" (Morris 1983), "ML" or "REML"
    (the highest peak of the (restricted) likelihood, Viechtbauer 2005). ``test``:
    "z" (Wald) or "knha" (Hartung & Knapp 2001; Sidik & Jonkman 2002). The
    prediction interval is metafor's: estimate -/+ crit sqrt(se^2 + tau^2), crit z or
    t(k-1); the Riley variant uses t(k-2) (Higgins, Thompson & Spiegelhalter 2009;
    Riley, Higgins & Deeks 2011).
    """
    return fit_studies(padded_studies(effects, variances), method, test, level)[0]


def pool(
    effects: Sequence[float],
    variances: Sequence[float],
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> PooledEstimate:
    """Pool one set of studies (see ``pool_many`` for the methods and their sources).

    A single study is returned as it is: its own estimate, standard error and Wald
    interval, with tau^2 = 0.
    """
    return pool_many([effects], [variances], method, test, level).result(0)


def true_effect_range(result: PooledEstimate, level: float = 0.95) -> tuple[float, float]:
    """estimate -/+ z tau: where ``level`` of true study effects lie if the mean were known.

    The "approximate prediction interval" of van Houwelingen, Arends & Stijnen (2002,
    Stat. Med. 21:589). It ignores the uncertainty in the mean, so it is narrower than
    the prediction intervals in ``PooledEstimate``; it is here to reproduce that paper.
    """
    check_level(level)
    z = float(_dist.norm.isf((1 - level) / 2))
    return result.estimate - z * result.tau, result.estimate + z * result.tau
