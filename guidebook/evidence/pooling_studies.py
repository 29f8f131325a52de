"""Groups of studies as the pooling code reads them, and the weighted sums it needs.

Every group of studies becomes one row of a padded matrix, with a mask marking the
real entries, so each estimator in ``pooling_tau2`` and each summary in ``pooling``
and ``pooling_heterogeneity`` works on all the groups at once. The input checks live
here too, so that every entry point refuses bad input with the same messages.

This module serves ``guidebook.evidence.pooling``; call that instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from guidebook.evidence.errors import InvalidRecord

__all__ = [
    "RECORD",
    "Array",
    "Fit",
    "Studies",
    "check_choice",
    "check_level",
    "padded_studies",
    "sample_sum_of_squares",
    "several_studies",
    "subset",
]

Array = npt.NDArray[np.float64]

# The record name every pooling error carries.
RECORD = "pooling"


# --- Input -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Studies:
    """Groups of studies as padded rows: ``present`` is 1 for a real study, else 0."""

    effects: Array
    variances: Array
    present: Array
    k: npt.NDArray[np.int64]


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidRecord.single(RECORD, field, "one of " + ", ".join(allowed), value)


def check_level(level: float) -> None:
    if not (math.isfinite(level) and 0 < level < 1):
        raise InvalidRecord.single(RECORD, "level", "a number strictly between 0 and 1", level)


def _first_bad(values: Array, lengths: npt.NDArray[np.int64], bad: npt.NDArray[np.bool_]) -> str:
    flat = int(np.flatnonzero(bad)[0])
    group = int(np.searchsorted(np.cumsum(lengths), flat, side="right"))
    study = flat - int(lengths[:group].sum())
    return f"group {group}, study {study}: {float(values[flat])!r}"


def padded_studies(
    effects: Sequence[Sequence[float]], variances: Sequence[Sequence[float]]
) -> Studies:
    """Validate the groups and lay them out as a padded matrix."""
    lengths = np.array([len(group) for group in effects], dtype=np.int64)
    variance_lengths = np.array([len(group) for group in variances], dtype=np.int64)
    if len(lengths) == 0 or lengths.min() < 1:
        raise InvalidRecord.single(RECORD, "effects", "at least one study in each group", 0)
    if not np.array_equal(lengths, variance_lengths):
        expected = "one variance for each effect, group by group"
        raise InvalidRecord.single(RECORD, "variances", expected, "lengths that differ")
    flat_effects = np.concatenate([np.asarray(group, dtype=float) for group in effects])
    flat_variances = np.concatenate([np.asarray(group, dtype=float) for group in variances])
    if not np.isfinite(flat_effects).all():
        found = _first_bad(flat_effects, lengths, ~np.isfinite(flat_effects))
        raise InvalidRecord.single(RECORD, "effects", "finite numbers", found)
    bad_variance = ~(np.isfinite(flat_variances) & (flat_variances > 0))
    if bad_variance.any():
        found = _first_bad(flat_variances, lengths, bad_variance)
        raise InvalidRecord.single(RECORD, "variances", "finite numbers above 0", found)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    columns = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    shape = (len(lengths), int(lengths.max()))
    # Padding gets effect 0 and variance 1 so every expression stays finite; its
    # weight is multiplied by ``present`` = 0, so it never counts.
    padded_effects, padded_variances, present = np.zeros(shape), np.ones(shape), np.zeros(shape)
    padded_effects[rows, columns] = flat_effects
    padded_variances[rows, columns] = flat_variances
    present[rows, columns] = 1.0
    return Studies(padded_effects, padded_variances, present, lengths)


def several_studies(studies: Studies) -> npt.NDArray[np.bool_]:
    return studies.k > 1


def subset(studies: Studies, rows: npt.NDArray[np.intp]) -> Studies:
    return Studies(
        studies.effects[rows], studies.variances[rows], studies.present[rows], studies.k[rows]
    )


def sample_sum_of_squares(studies: Studies) -> Array:
    """sum (y_i - ybar)^2 with the unweighted mean, per group."""
    mean = (studies.effects * studies.present).sum(axis=1) / studies.k
    result: Array = ((studies.effects - mean[:, None]) ** 2 * studies.present).sum(axis=1)
    return result


# --- Weighted sums at a given tau^2 --------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Inverse-variance weights at some tau^2 and the sums every formula reads."""

    weights: Array
    total: Array
    mean: Array
    residuals: Array

    @classmethod
    def at(cls, studies: Studies, tau2: Array) -> Fit:
        weights = studies.present / (studies.variances + tau2[:, None])
        total = weights.sum(axis=1)
        mean = (weights * studies.effects).sum(axis=1) / total
        residuals = (studies.effects - mean[:, None]) * studies.present
        return cls(weights, total, mean, residuals)

    def sum(self, power: int) -> Array:
        result: Array = (self.weights**power).sum(axis=1)
        return result

    def squared_score(self) -> Array:
        """sum w_i^2 (y_i - mu)^2, which is y'PPy for an intercept-only model."""
        result: Array = (self.weights**2 * self.residuals**2).sum(axis=1)
        return result

    def trace_pp(self) -> Array:
        """tr(PP) = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2."""
        result: Array = self.sum(2) - 2 * self.sum(3) / self.total + (self.sum(2) / self.total) ** 2
        return result

    def q(self) -> Array:
        """The generalised Q statistic: sum of w_i (y_i - mu)^2."""
        result: Array = (self.weights * self.residuals**2).sum(axis=1)
        return result
