"""The root finder every iterative tau^2 estimator shares, and the scale it stops at.

A safeguarded Newton iteration over many analyses at once, bracketed so that it can
neither cycle nor leave the interval the caller gives. Its stopping rule is relative
to the data's scale, so an estimate is as accurate for variances near 1e-10 as near 1.

This module serves ``guidebook.evidence.pooling``; call that instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from guidebook.evidence.pooling_studies import Array, Fit, Studies, subset

__all__ = ["MAX_ROOT_STEPS", "TOLERANCE", "Equation", "solve", "variance_scale"]

# An iteration stops once tau^2 moves by less than TOLERANCE times (tau^2 + the
# studies' typical sampling variance): ten significant digits whatever the units.
TOLERANCE = 1e-10
MAX_ROOT_STEPS = 200

# An estimating equation: at a fit, its value per analysis (decreasing through its
# root where the root is the estimate) and its slope in tau^2, for a Newton step.
Equation = Callable[[Fit, Studies], tuple[Array, Array]]


def variance_scale(studies: Studies) -> Array:
    """The harmonic mean of each analysis's sampling variances, k / sum(1/v).

    It carries the units of tau^2, so a tolerance in multiples of it is scale-free.
    """
    inverse = (studies.present / studies.variances).sum(axis=1)
    result: Array = studies.studies / studies.per_analysis(inverse)
    return result


def solve(studies: Studies, equation: Equation, start: Array, lower: Array, upper: Array) -> Array:
    """A root of ``equation`` in [lower, upper] for every analysis, where it is positive
    at ``lower`` and not positive at ``upper``.

    A safeguarded Newton iteration (Press et al., "Numerical Recipes", rtsafe): the
    Newton step is taken when it lands strictly inside the bracket the signs seen so
    far leave and is under half the step before last; otherwise the bracket is halved.
    So it keeps Newton's speed near the root, yet can neither cycle, creep, nor leave
    the bracket. An analysis stops once its tau^2 moves by less than ``TOLERANCE``
    times (tau^2 + its ``variance_scale``).
    """
    guess, lower, upper = start.copy(), lower.copy(), upper.copy()
    last_step, step_before = upper - lower, upper - lower
    scale = variance_scale(studies)
    moving = np.arange(len(guess))
    for _ in range(MAX_ROOT_STEPS):
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
        settled = last_step[moving] < TOLERANCE * (proposal + scale[moving])
        moving = moving[~settled]
    return guess
