"""The pooled estimate of each group of studies, given tau^2: estimates and intervals.

``summarise`` turns tau^2 (one value per analysis) into each row's pooled estimate,
its Wald or Hartung-Knapp interval and test, the prediction intervals, and the
row's Q, I^2 and H^2; ``fit_studies`` checks the choices and estimates tau^2 first.
The formulas and their sources are in ``docs/methodology/effect-sizes.md``, sections
2.3 and 2.4.

Import the public names from ``guidebook.evidence.pooling``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from guidebook.evidence import distributions
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.pooling_heterogeneity import heterogeneity_statistics
from guidebook.evidence.pooling_studies import (
    RECORD,
    Array,
    Fit,
    Studies,
    Whole,
    check_choice,
    check_level,
    rows_apart,
)
from guidebook.evidence.pooling_tau2 import METHODS, estimate_tau2, tau2_standard_error

__all__ = ["TESTS", "PooledEstimate", "PooledGroups", "fit_studies", "summarise"]

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
    critical = np.full(len(studies.k), float(distributions.normal_isf(tail)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if test == "knha":
            # Hartung & Knapp (2001), Sidik & Jonkman (2002): rescale by the weighted
            # residual variance and use t with k-p df; the scale is not truncated at 1.
            scale = _hartung_knapp_scale(fit, studies)[studies.analysis]
            se = np.where(several, np.sqrt(scale / fit.total), se)
            critical = np.where(several, distributions.t_isf(tail, df), critical)
        statistic = estimate / se
        p_value = 2 * distributions.normal_sf(np.abs(statistic))
        if test == "knha":
            p_value = np.where(several, 2 * distributions.t_sf(np.abs(statistic), df), p_value)
        predictive_se = np.sqrt(se**2 + row_tau2)
        riley = np.where(df > 1, distributions.t_isf(tail, df - 1), np.nan)
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
    studies: Studies, method: str, test: str, level: float, tau2: float | None = None
) -> tuple[PooledGroups, Array]:
    """Check the choices, estimate tau^2 per analysis (unless fixed) and summarise."""
    check_choice("method", method, METHODS)
    check_choice("test", test, TESTS)
    check_level(level)
    if tau2 is None:
        estimated = estimate_tau2(studies, method)
    elif math.isfinite(tau2) and tau2 >= 0:
        estimated = np.full(studies.analyses, float(tau2))
    else:
        raise InvalidRecord.single(RECORD, "tau2", "a finite number of at least 0", tau2)
    return summarise(studies, estimated, method, test, level), estimated
