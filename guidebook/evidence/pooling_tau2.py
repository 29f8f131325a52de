"""Estimators of the between-study variance tau^2: DL, REML, ML and Paule-Mandel.

Each works on every group of studies at once (see ``pooling_studies``). The iterative
ones share one root finder, a safeguarded Newton iteration, so none of them can
cycle or leave the range where the root must lie. The formulas and their sources
are in ``docs/methodology/effect-sizes.md``, section 2.1.

This module serves ``guidebook.evidence.pooling``; call that instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from guidebook.evidence.pooling_studies import (
    Array,
    Fit,
    Studies,
    sample_sum_of_squares,
    several_studies,
    subset,
)

__all__ = ["TOLERANCE", "Equation", "estimate_tau2", "tau2_standard_error"]

# Iterative estimators stop once tau^2 moves by less than this.
TOLERANCE = 1e-10
_MAX_ROOT_STEPS = 200


def _dersimonian_laird(studies: Studies) -> Array:
    """tau^2 = max(0, (Q - (k-1)) / (sum w - sum w^2 / sum w)) (DerSimonian & Laird 1986)."""
    fixed = Fit.at(studies, np.zeros(len(studies.k)))
    scaling = fixed.total - fixed.sum(2) / fixed.total
    excess = fixed.q() - (studies.k - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau2 = np.where(several_studies(studies), excess / scaling, 0.0)
    return np.maximum(tau2, 0.0)


# An estimating equation: at a fit, its value (decreasing in tau^2, zero at the
# estimate) and the slope a Newton step uses.
Equation = Callable[[Fit, Studies], tuple[Array, Array]]


def _restricted_score(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """REML: twice the score, y'PPy - tr P, against minus tr(PP) (Fisher scoring)."""
    trace_p = fit.total - fit.sum(2) / fit.total
    return fit.squared_score() - trace_p, -fit.trace_pp()


def _likelihood_score(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """ML: twice the score, sum w^2 r^2 - sum w, against minus sum w^2 (Fisher scoring)."""
    return fit.squared_score() - fit.total, -fit.sum(2)


def _q_excess(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """Paule-Mandel: generalised Q minus its expectation k-1, and dQ/dtau^2."""
    return fit.q() - (studies.k - 1), -fit.squared_score()


def _solve(studies: Studies, equation: Equation, start: Array, upper: Array) -> Array:
    """The root of a decreasing equation in [0, upper], for every group at once.

    A safeguarded Newton iteration (Press et al., "Numerical Recipes", rtsafe): the
    Newton (here Fisher-scoring) step is taken when it lands strictly inside the
    bracket the signs seen so far leave and is under half the step before last;
    otherwise the bracket is halved. So it keeps the speed of scoring near the root,
    yet can neither cycle, creep, nor leave [0, upper]. A group stops once its tau^2
    moves by less than ``TOLERANCE``.
    """
    guess, lower, upper = start.copy(), np.zeros_like(start), upper.copy()
    last_step, step_before = upper - lower, upper - lower
    moving = np.arange(len(guess))
    for _ in range(_MAX_ROOT_STEPS):
        if moving.size == 0:
            break
        current, group = guess[moving], subset(studies, moving)
        value, slope = equation(Fit.at(group, current), group)
        low = np.where(value > 0, current, lower[moving])
        high = np.where(value > 0, upper[moving], current)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = current - value / slope
        useful = (newton > low) & (newton < high)
        useful &= np.abs(newton - current) < step_before[moving] / 2
        proposal = np.where(useful, newton, (low + high) / 2)
        proposal = np.where(value == 0, current, proposal)
        lower[moving], upper[moving], guess[moving] = low, high, proposal
        step_before[moving], last_step[moving] = last_step[moving], np.abs(proposal - current)
        moving = moving[last_step[moving] >= TOLERANCE]
    return guess


def _root_or_zero(studies: Studies, equation: Equation, start: Array, upper: Array) -> Array:
    """Solve where the equation is positive at 0 (tau^2 > 0); elsewhere tau^2 is 0."""
    tau2 = np.zeros(len(studies.k))
    at_zero, _ = equation(Fit.at(studies, tau2), studies)
    rows = np.flatnonzero(several_studies(studies) & (at_zero > 0))
    bounded = np.minimum(start[rows], upper[rows])
    tau2[rows] = _solve(subset(studies, rows), equation, bounded, upper[rows])
    return tau2


def _likelihood_tau2(studies: Studies, restricted: bool) -> Array:
    """REML or ML tau^2: the root of the score, from the DL estimate, truncated at 0.

    With SS = sum (y - ybar)^2, m = k-1 (REML) or k (ML) and the largest sampling
    variance v, the score is negative beyond (SS + sqrt(SS^2 + 4 m SS v)) / (2m), so
    that bounds the search. Where the score is not positive at 0 the likelihood peaks
    at the boundary and tau^2 = 0, as metafor truncates it.
    """
    sum_of_squares = sample_sum_of_squares(studies)
    spread = (studies.k - 1) if restricted else studies.k
    largest = (studies.variances * studies.present).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(sum_of_squares**2 + 4 * spread * sum_of_squares * largest)
        upper = (sum_of_squares + root) / (2 * spread)
    equation = _restricted_score if restricted else _likelihood_score
    return _root_or_zero(studies, equation, _dersimonian_laird(studies), upper)


def _paule_mandel(studies: Studies) -> Array:
    """The tau^2 that makes the generalised Q equal its expectation k-1 (Paule & Mandel 1982).

    Q(tau^2) decreases, and Q(t) <= sum (y - ybar)^2 / t, so the unweighted sample
    variance bounds the root from above.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = sample_sum_of_squares(studies) / (studies.k - 1)
    return _root_or_zero(studies, _q_excess, np.zeros(len(studies.k)), upper)


def estimate_tau2(studies: Studies, method: str) -> Array:
    """tau^2 of every group by one of ``pooling.METHODS`` ("FE" means tau^2 = 0)."""
    if method == "FE":
        return np.zeros(len(studies.k))
    if method == "DL":
        return _dersimonian_laird(studies)
    if method == "PM":
        return _paule_mandel(studies)
    return _likelihood_tau2(studies, restricted=method == "REML")


def tau2_standard_error(studies: Studies, tau2: Array, method: str) -> Array:
    """Standard error of tau^2 from the inverse information: REML sqrt(2 / tr PP), ML
    sqrt(2 / sum w^2) (Viechtbauer 2005). Other estimators get NaN (not reported)."""
    fit = Fit.at(studies, tau2)
    if method == "REML":
        information = fit.trace_pp()
    elif method == "ML":
        information = fit.sum(2)
    else:
        return np.full(len(studies.k), np.nan)
    # One study has no information about tau^2 (0, or a rounding error either side).
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(several_studies(studies), np.sqrt(2 / information), np.nan)
