"""REML and ML estimates of tau^2: the highest peak of the likelihood on [0, U].

The (restricted) log-likelihood of tau^2 need not be concave. With studies of very
different precision it can peak at 0 and again further out, or twice inside, so a
search that stops at the first peak it meets (or at 0 because the slope there is not
positive) can return the lower one. Here every analysis is scanned on a grid from 0
to a bound U beyond which the likelihood provably falls; each place where the score
turns from positive to negative brackets a peak, which the shared root finder
refines; 0 is a candidate where the score there is not positive; and the candidate
with the highest likelihood wins. The formulas and their sources are in
``docs/methodology/effect-sizes.md``, section 2.1.

This module serves ``guidebook.evidence.pooling``; call that instead.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from guidebook.evidence.pooling_search import Equation, solve
from guidebook.evidence.pooling_studies import (
    Array,
    Fit,
    Studies,
    sample_sum_of_squares,
    subset,
)

__all__ = ["GRID_STEPS", "likelihood_bound", "likelihood_tau2", "log_likelihood"]

# Intervals in the scan of [0, U], growing geometrically from a hundredth of the
# smallest sampling variance, a factor of about 1.2 apart over a typical range.
GRID_STEPS = 48


def _restricted_value(fit: Fit) -> Array:
    return fit.squared_score() - fit.trace_p()


def _likelihood_value(fit: Fit) -> Array:
    return fit.squared_score() - fit.sum(1)


def restricted_score(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """REML: twice the score, y'PPy - tr P, and its slope tr(PP) - 2 y'PPPy."""
    return _restricted_value(fit), fit.trace_pp() - 2 * fit.cubic_score()


def likelihood_score(fit: Fit, studies: Studies) -> tuple[Array, Array]:
    """ML: twice the score, sum w^2 r^2 - sum w, and its slope sum w^2 - 2 y'PPPy."""
    return _likelihood_value(fit), fit.sum(2) - 2 * fit.cubic_score()


def log_likelihood(studies: Studies, tau2: Array, restricted: bool) -> Array:
    """-1/2 [sum log(v + tau^2) + Q(tau^2)], less 1/2 log det(X'WX) for REML.

    Constants are dropped. X has one column per row of the analysis, so
    log det(X'WX) is the sum over rows of log(sum w).
    """
    fit = Fit.at(studies, tau2)
    logs = (np.log(studies.variances + tau2[studies.analysis][:, None]) * studies.present).sum(
        axis=1
    )
    value = -0.5 * (studies.per_analysis(logs) + fit.q())
    if restricted:
        value -= 0.5 * studies.per_analysis(np.log(fit.total))
    return value


def likelihood_bound(studies: Studies, restricted: bool) -> Array:
    """U per analysis: beyond it the score is negative, so the maximum lies in [0, U].

    For one row with SS = sum (y - ybar)^2, m = k - 1 (REML) or k (ML) and largest
    sampling variance v, the row's score is negative beyond
    (SS + sqrt(SS^2 + 4 m SS v)) / (2m). The score of an analysis is the sum of its
    rows' scores, so the largest row bound serves. A REML row of one study adds
    nothing to the score (0/0 here) and is left out.
    """
    sum_of_squares = sample_sum_of_squares(studies)
    spread = (studies.k - 1) if restricted else studies.k
    largest = (studies.variances * studies.present).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(sum_of_squares**2 + 4 * spread * sum_of_squares * largest)
        by_row = np.nan_to_num((sum_of_squares + root) / (2 * spread))
    bound = np.zeros(studies.analyses)
    np.maximum.at(bound, studies.analysis, by_row)
    return bound


def _grid(studies: Studies, upper: Array) -> Array:
    """0 = t_0 < ... < t_N = U: t_j = s((1 + U/s)^(j/N) - 1), s a hundredth of min v."""
    smallest = np.full(studies.analyses, np.inf)
    np.minimum.at(
        smallest,
        studies.analysis,
        np.where(studies.present > 0, studies.variances, np.inf).min(axis=1),
    )
    start = smallest / 100
    steps = np.arange(GRID_STEPS + 1) / GRID_STEPS
    grid: Array = start[:, None] * ((1 + upper / start)[:, None] ** steps[None, :] - 1)
    grid[:, -1] = upper
    return grid


def _candidates(
    studies: Studies, restricted: bool, grid: Array
) -> tuple[npt.NDArray[np.intp], Array]:
    """Every peak the scan brackets, solved: (analysis, tau^2) pairs, 0 included where
    the score at 0 is not positive."""
    value_at = _restricted_value if restricted else _likelihood_value
    equation: Equation = restricted_score if restricted else likelihood_score
    score = np.empty_like(grid)
    for column in range(grid.shape[1]):
        score[:, column] = value_at(Fit.at(studies, grid[:, column]))
    # The score is negative past U in exact arithmetic; rounding must not hide a peak.
    score[:, -1] = np.minimum(score[:, -1], 0.0)
    analysis, step = np.nonzero((score[:, :-1] > 0) & (score[:, 1:] <= 0))
    low, high = grid[analysis, step], grid[analysis, step + 1]
    inside = solve(subset(studies, analysis), equation, (low + high) / 2, low, high)
    at_zero = np.flatnonzero(score[:, 0] <= 0)
    return np.concatenate([analysis, at_zero]), np.concatenate([inside, np.zeros(len(at_zero))])


def likelihood_tau2(studies: Studies, restricted: bool) -> Array:
    """REML or ML tau^2 of every analysis: the candidate peak with the highest likelihood.

    Sources: Viechtbauer (2005), J. Educ. Behav. Stat. 30:261 (the scores and their
    information); Raudenbush (2009) in Cooper et al., "The Handbook of Research
    Synthesis and Meta-Analysis", 2nd ed., ch. 16 (REML for meta-regression, here a
    factor). Analyses with nothing to estimate from (k - p = 0), or whose rows' effects
    are all equal (U = 0), get 0.
    """
    tau2 = np.zeros(studies.analyses)
    upper = likelihood_bound(studies, restricted)
    searched = np.flatnonzero(studies.informative & (upper > 0))
    if searched.size == 0:
        return tau2
    group = subset(studies, searched)
    owner, candidate = _candidates(group, restricted, _grid(group, upper[searched]))
    height = log_likelihood(subset(group, owner), candidate, restricted)
    # The highest candidate of each analysis: sort by analysis, then height downwards.
    order = np.lexsort((-height, owner))
    first = np.concatenate([[True], owner[order][1:] != owner[order][:-1]])
    tau2[searched[owner[order][first]]] = candidate[order][first]
    return tau2
