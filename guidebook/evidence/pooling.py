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

This module is the public surface. The parts behind it: ``pooling_studies`` (input
checks, the padded layout, weighted sums), ``pooling_tau2`` (the tau^2 estimators
and their standard errors), ``pooling_likelihood`` (ML and REML), ``pooling_search``
(the root finder), ``pooling_estimates`` (the pooled estimate and its intervals),
``pooling_heterogeneity`` (Q, I^2, H^2 and the Q-profile interval) and
``pooling_subgroups`` (subgroup analysis and Q-between).
"""

from __future__ import annotations

from collections.abc import Sequence

from guidebook.evidence import distributions
from guidebook.evidence.pooling_estimates import TESTS, PooledEstimate, PooledGroups, fit_studies
from guidebook.evidence.pooling_heterogeneity import HeterogeneityInterval, heterogeneity_interval

# TOLERANCE stays importable from here, where it was defined before the split.
from guidebook.evidence.pooling_search import TOLERANCE as TOLERANCE
from guidebook.evidence.pooling_studies import check_level, padded_studies
from guidebook.evidence.pooling_subgroups import (
    TAU2_MODELS,
    Subgroup,
    SubgroupAnalysis,
    pool_subgroups,
)
from guidebook.evidence.pooling_tau2 import METHODS

__all__ = [
    "METHODS",
    "TAU2_MODELS",
    "TESTS",
    "HeterogeneityInterval",
    "PooledEstimate",
    "PooledGroups",
    "Subgroup",
    "SubgroupAnalysis",
    "heterogeneity_interval",
    "pool",
    "pool_many",
    "pool_subgroups",
    "true_effect_range",
]


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
    tau2: float | None = None,
) -> PooledEstimate:
    """Pool one set of studies (see ``pool_many`` for the methods and their sources).

    A single study is returned as it is: its own estimate, standard error and Wald
    interval, with tau^2 = 0. ``tau2`` fixes tau^2 instead of estimating it (metafor's
    ``tau2`` argument: a sensitivity analysis, or another program's estimate); the
    standard error of tau^2 is then ``method``'s formula at that value, as metafor's.
    """
    studies = padded_studies([effects], [variances])
    return fit_studies(studies, method, test, level, tau2)[0].result(0)


def true_effect_range(result: PooledEstimate, level: float = 0.95) -> tuple[float, float]:
    """estimate -/+ z tau: where ``level`` of true study effects lie if the mean were known.

    The "approximate prediction interval" of van Houwelingen, Arends & Stijnen (2002,
    Stat. Med. 21:589). It ignores the uncertainty in the mean, so it is narrower than
    the prediction intervals in ``PooledEstimate``; it is here to reproduce that paper.
    """
    check_level(level)
    z = float(distributions.normal_isf((1 - level) / 2))
    return result.estimate - z * result.tau, result.estimate + z * result.tau
