"""How much the studies disagree: Cochran's Q, I^2 and H^2, and a Q-profile interval.

The point statistics are computed for every group at once, beside the pooled
estimate (``pooling.pool_many``); the Q-profile interval for tau^2 is for one
meta-analysis at a time (``heterogeneity_interval``). The formulas and their sources
are in ``docs/methodology/effect-sizes.md``, section 2.2.

Import the public names from ``guidebook.evidence.pooling``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from guidebook.evidence import distributions
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.pooling_search import TOLERANCE, variance_scale
from guidebook.evidence.pooling_studies import (
    RECORD,
    Array,
    Fit,
    Studies,
    check_level,
    padded_studies,
    sample_sum_of_squares,
)

__all__ = [
    "HeterogeneityInterval",
    "heterogeneity_interval",
    "heterogeneity_statistics",
    "typical_variance",
]

# metafor's default upper end for tau^2 searches (rma.uni control tau2.max).
_QP_SEARCH_LIMIT = 100.0


@dataclass(frozen=True)
class HeterogeneityInterval:
    """Q-profile confidence limits for tau^2, and the I^2 and H^2 they imply."""

    level: float
    tau2_low: float
    tau2_high: float
    i2_low: float
    i2_high: float
    h2_low: float
    h2_high: float


def typical_variance(studies: Studies) -> Array:
    """metafor's "typical" within-study variance s^2 = (k-p) / tr P, fixed-effect weights.

    For one row, (k-1) sum w / ((sum w)^2 - sum w^2).
    """
    fixed = Fit.at(studies, np.zeros(studies.analyses))
    with np.errstate(divide="ignore", invalid="ignore"):
        result: Array = studies.residual_df / fixed.trace_p()
    return result


def heterogeneity_statistics(studies: Studies, tau2: Array, method: str) -> dict[str, Array]:
    """Cochran's Q with fixed-effect weights, its p value, and I^2 and H^2, per analysis.

    Random-effects models use metafor's I^2 = 100 tau^2 / (tau^2 + s^2), H^2 =
    tau^2 / s^2 + 1 with s^2 = (k-p) / tr P; the fixed-effect model uses Higgins &
    Thompson's (2002) I^2 = max(0, 100 (Q - df) / Q), H^2 = Q / df. With several rows
    in an analysis, Q is the residual heterogeneity Q_E, on k - p df.
    """
    fixed = Fit.at(studies, np.zeros(studies.analyses))
    df, several = studies.residual_df, studies.informative
    q = np.where(several, fixed.q(), 0.0)
    # Branches not taken are computed too: a Q near the smallest float overflows there.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q_p_value = np.where(several, distributions.chi2_sf(q, df), 1.0)
        if method == "FE":
            # H^2 is held at 1 when Q < df, as I^2 is at 0 (Higgins & Thompson 2002).
            i2 = np.where(several & (q > df), 100 * (q - df) / q, 0.0)
            h2 = np.where(several, np.maximum(q / df, 1.0), 1.0)
        else:
            typical = typical_variance(studies)
            i2 = np.where(several, 100 * tau2 / (tau2 + typical), 0.0)
            h2 = np.where(several, tau2 / typical + 1, 1.0)
    return {"q": q, "q_p_value": q_p_value, "i2": i2, "h2": h2}


def _q_profile_limit(studies: Studies, target: float, tolerance: float) -> float:
    """The tau^2 at which the generalised Q of one group falls to ``target`` (0 if below).

    ``tolerance`` is absolute, on tau^2.
    """

    def excess(tau2: float) -> float:
        return float(Fit.at(studies, np.array([tau2])).q()[0]) - target

    if excess(0.0) <= 0:
        return 0.0
    # metafor searches [0, 100]; widen it when Q(t) <= sum (y - ybar)^2 / t shows the
    # root may lie beyond.
    upper = max(_QP_SEARCH_LIMIT, sample_sum_of_squares(studies)[0] / target)
    # Imported here: scipy.optimize costs a tenth of a second to import, and only
    # the Q-profile interval needs it.
    from scipy.optimize import brentq

    return float(brentq(excess, 0.0, upper, xtol=tolerance))


def heterogeneity_interval(
    effects: Sequence[float],
    variances: Sequence[float],
    level: float = 0.95,
    tolerance: float = TOLERANCE,
    absolute_tolerance: float | None = None,
) -> HeterogeneityInterval:
    """Q-profile confidence interval for tau^2, and the I^2 and H^2 limits it implies.

    The limits are the tau^2 at which the generalised Q statistic equals the upper and
    lower (1 - level)/2 quantiles of chi-square with k-1 df, truncated at 0 (Viechtbauer
    2007, Stat. Med. 26:37; metafor ``confint.rma``). I^2 and H^2 use metafor's s^2.
    The root finder stops within ``tolerance`` times the harmonic mean of the sampling
    variances, so the limits keep their precision whatever the data's units; give
    ``absolute_tolerance`` to stop within a fixed distance on tau^2 instead, as R's
    ``uniroot`` does in metafor (eps^0.25 there).
    """
    check_level(level)
    studies = padded_studies([effects], [variances])
    df = int(studies.k[0]) - 1
    if df < 1:
        raise InvalidRecord.single(RECORD, "effects", "at least two studies", 1)
    tail = (1 - level) / 2
    if absolute_tolerance is None:
        absolute_tolerance = tolerance * float(variance_scale(studies)[0])
    tau2_low = _q_profile_limit(
        studies, float(distributions.chi2_isf(tail, df)), absolute_tolerance
    )
    tau2_high = _q_profile_limit(
        studies, float(distributions.chi2_ppf(tail, df)), absolute_tolerance
    )
    typical = float(typical_variance(studies)[0])
    return HeterogeneityInterval(
        level=level,
        tau2_low=tau2_low,
        tau2_high=tau2_high,
        i2_low=100 * tau2_low / (tau2_low + typical),
        i2_high=100 * tau2_high / (tau2_high + typical),
        h2_low=tau2_low / typical + 1,
        h2_high=tau2_high / typical + 1,
    )
