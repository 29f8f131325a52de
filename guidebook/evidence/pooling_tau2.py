"""Estimators of the between-study variance tau^2, and their standard errors.

FE (tau^2 = 0), the moment estimators DL, HE and HS, Sidik-Jonkman (SJ), the
Q-matching estimators PM and EB, and the likelihood estimators ML and REML (in
``pooling_likelihood``). Each works on every analysis at once (see
``pooling_studies``); an analysis may hold several rows with a mean each, which is
how a subgroup analysis with a common tau^2 is fitted. The formulas and their sources
are in ``docs/methodology/effect-sizes.md``, section 2.1; they follow metafor's
``rma.uni`` for a model whose only moderator is a factor (or none).

This module serves ``guidebook.evidence.pooling``; call that instead.
"""

from __future__ import annotations

import numpy as np

from guidebook.evidence.pooling_likelihood import likelihood_tau2
from guidebook.evidence.pooling_search import TOLERANCE, solve
from guidebook.evidence.pooling_studies import (
    Array,
    Fit,
    Studies,
    sample_sum_of_squares,
    subset,
)

__all__ = ["METHODS", "TOLERANCE", "estimate_tau2", "tau2_standard_error"]

METHODS = ("FE", "DL", "HE", "HS", "SJ", "PM", "EB", "ML", "REML")


def _zero(studies: Studies) -> Array:
    return np.zeros(studies.analyses)


def _divided(numerator: Array, denominator: Array, studies: Studies) -> Array:
    """numerator / denominator, 0 where nothing is left to estimate from (k - p = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(studies.informative, numerator / denominator, 0.0)


def _dersimonian_laird(studies: Studies) -> Array:
    """(Q - (k-p)) / tr P with fixed-effect weights, truncated at 0.

    DerSimonian & Laird (1986), Control. Clin. Trials 7:177; for a model with
    moderators, Raudenbush (2009).
    """
    fixed = Fit.at(studies, _zero(studies))
    return np.maximum(_divided(fixed.q() - studies.residual_df, fixed.trace_p(), studies), 0.0)


def _hedges(studies: Studies) -> Array:
    """(RSS - tr(PV)) / (k-p) from the unweighted fit, truncated at 0.

    Hedges (1983), Psychol. Bull. 93:388 (the "variance component" or Cochran ANOVA
    estimator): RSS is the unweighted residual sum of squares.
    """
    ordinary = Fit.unweighted(studies)
    excess = ordinary.q() - ordinary.trace_pv()
    return np.maximum(_divided(excess, studies.residual_df, studies), 0.0)


def _hunter_schmidt(studies: Studies) -> Array:
    """(Q - k) / sum w with fixed-effect weights, truncated at 0.

    Hunter & Schmidt (2004), "Methods of Meta-Analysis", 2nd ed.; in this form
    Viechtbauer (2005), J. Educ. Behav. Stat. 30:261, eq. 9.
    """
    fixed = Fit.at(studies, _zero(studies))
    return np.maximum(_divided(fixed.q() - studies.studies, fixed.sum(1), studies), 0.0)


def _sidik_jonkman_start(studies: Studies) -> Array:
    """The initial value sum (y - ybar)^2 / k over every study of the analysis.

    metafor's default (``var(yi) * (k-1)/k``), from the whole analysis even when each
    row has its own mean.
    """
    row_mean = (studies.effects * studies.present).sum(axis=1) / studies.k
    grand = studies.per_analysis(row_mean * studies.k) / studies.studies
    between = studies.k * (row_mean - grand[studies.analysis]) ** 2
    return studies.per_analysis(sample_sum_of_squares(studies) + between) / studies.studies


def _sidik_jonkman(studies: Studies) -> Array:
    """tau0^2 Q(tau0^2) / (k-p), the generalised Q at the initial value tau0^2.

    Sidik & Jonkman (2005), J. Biopharm. Stat. 15:823, and (2007), Stat. Med. 26:1964.
    """
    start = _sidik_jonkman_start(studies)
    return _divided(start * Fit.at(studies, start).q(), studies.residual_df, studies)


def _q_excess(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """The generalised Q minus its expectation k-p, and its slope -y'PPy."""
    return fit.q() - studies.residual_df, -fit.squared_score()


def _paule_mandel(studies: Studies) -> Array:
    """The tau^2 that makes the generalised Q equal k-p (Paule & Mandel 1982, J. Res.
    NBS 87:377); 0 where Q(0) is at most k-p.

    Q(tau^2) decreases (its slope is -y'PPy), so the root is unique, and
    Q(t) <= RSS / t with RSS the unweighted within-row sum of squares, so RSS/(k-p)
    bounds it from above. The empirical Bayes estimator (Morris 1983, J. Am. Stat.
    Assoc. 78:47) solves the same equation: metafor's EB iteration stops where
    Q(tau^2) k/(k-p) = k.
    """
    tau2 = _zero(studies)
    at_zero, _ = _q_excess(Fit.at(studies, tau2), studies)
    rows = np.flatnonzero(studies.informative & (at_zero > 0))
    upper = studies.per_analysis(sample_sum_of_squares(studies))[rows] / studies.residual_df[rows]
    tau2[rows] = solve(subset(studies, rows), _q_excess, upper / 2, 0 * upper, upper)
    return tau2


def estimate_tau2(studies: Studies, method: str) -> Array:
    """tau^2 of every analysis by one of ``METHODS`` ("FE" means tau^2 = 0)."""
    if method == "FE":
        return _zero(studies)
    if method in ("REML", "ML"):
        return likelihood_tau2(studies, restricted=method == "REML")
    estimators = {
        "DL": _dersimonian_laird,
        "HE": _hedges,
        "HS": _hunter_schmidt,
        "SJ": _sidik_jonkman,
        "PM": _paule_mandel,
        "EB": _paule_mandel,
    }
    return estimators[method](studies)


# --- Standard errors -----------------------------------------------------------------


def _moment_variance(fit: Fit, studies: Studies, tau2: Array, divisor: Array) -> Array:
    """(2 (k-p) + 4 tau^2 tr P + 2 tau^4 tr PP) / divisor^2, P with fixed-effect weights."""
    spread = 2 * studies.residual_df + 4 * tau2 * fit.trace_p() + 2 * tau2**2 * fit.trace_pp()
    return spread / divisor**2


def _variance_of_tau2(studies: Studies, tau2: Array, method: str) -> Array:
    df = studies.residual_df
    if method in ("DL", "HS"):
        fixed = Fit.at(studies, _zero(studies))
        divisor = fixed.trace_p() if method == "DL" else fixed.sum(1)
        return _moment_variance(fixed, studies, tau2, divisor)
    if method == "HE":
        ordinary = Fit.unweighted(studies)
        v = studies.variances
        spread = 2 * ordinary.quadratic(v, v) + 4 * tau2 * ordinary.trace_pv() + 2 * tau2**2 * df
        return spread / df**2
    if method == "SJ":
        start = _sidik_jonkman_start(studies)
        initial, v, ones = (
            Fit.at(studies, start),
            studies.variances,
            np.ones_like(studies.variances),
        )
        spread = 2 * initial.quadratic(v, v) + 4 * tau2 * initial.quadratic(ones, v)
        return start**2 * (spread + 2 * tau2**2 * initial.trace_pp()) / df**2
    fit = Fit.at(studies, tau2)
    if method == "ML":
        return 2 / fit.sum(2)
    if method == "REML":
        return 2 / fit.trace_pp()
    # PM and EB: metafor's 2 k^2 / (k-p) / (sum w)^2.
    return 2 * studies.studies**2 / df / fit.sum(1) ** 2


def tau2_standard_error(studies: Studies, tau2: Array, method: str) -> Array:
    """Standard error of tau^2 as metafor's ``rma.uni`` reports it; NaN for FE and
    where nothing is left to estimate from (k - p = 0).

    ML and REML: the inverse Fisher information, sqrt(2 / sum w^2) and
    sqrt(2 / tr PP) (Viechtbauer 2005). The others: the delta-method variance of
    their quadratic form, with tau^2 the (truncated) estimate, DL, HS, HE and SJ as
    in Viechtbauer (2005) and metafor; PM and EB sqrt(2 k^2 / (k-p)) / sum w.
    """
    if method == "FE":
        return np.full(studies.analyses, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Without degrees of freedom the variance is 0/0, or a rounding error below 0.
        variance = np.where(studies.informative, _variance_of_tau2(studies, tau2, method), np.nan)
        return np.sqrt(variance)
