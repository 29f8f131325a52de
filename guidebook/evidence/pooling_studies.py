"""Groups of studies as the pooling code reads them, and the weighted sums it needs.

Every group of studies becomes one row of a padded matrix, with a mask marking the
real entries, so each estimator in ``pooling_tau2`` and each summary in ``pooling``
and ``pooling_heterogeneity`` works on all the groups at once. Rows belong to
*analyses*: an analysis estimates one tau^2. Ordinarily each row is its own analysis
(``pool_many``); a subgroup analysis with a common tau^2 puts every subgroup's row in
one analysis, each row keeping its own mean (metafor's model with a factor as the
only moderator). Sums that bear on tau^2 are taken per analysis; the pooled mean and
its weight stay per row. The input checks live here too, so that every entry point
refuses bad input with the same messages.

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
    "Whole",
    "check_choice",
    "check_level",
    "padded_studies",
    "rows_apart",
    "sample_sum_of_squares",
    "subset",
]

Array = npt.NDArray[np.float64]
Whole = npt.NDArray[np.int64]

# The record name every pooling error carries.
RECORD = "pooling"


# --- Input -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Studies:
    """Groups of studies as padded rows: ``present`` is 1 for a real study, else 0.

    ``analysis[row]`` is the analysis a row belongs to; the rows of one analysis are
    consecutive, from ``first_row[a]`` for ``row_count[a]`` rows.
    """

    effects: Array
    variances: Array
    present: Array
    k: Whole
    analysis: Whole
    first_row: Whole
    row_count: Whole

    @property
    def analyses(self) -> int:
        return len(self.first_row)

    def per_analysis(self, by_row: Array) -> Array:
        """Sum a per-row quantity over the rows of each analysis."""
        if len(by_row) == self.analyses:
            return by_row  # one row each: nothing to add
        added = np.bincount(self.analysis, weights=by_row, minlength=self.analyses)
        return added.astype(np.float64)

    @property
    def studies(self) -> Array:
        """How many studies each analysis pools."""
        return self.per_analysis(self.k.astype(float))

    @property
    def residual_df(self) -> Array:
        """k - p: studies less the means estimated (one per row) in each analysis."""
        return self.studies - self.row_count

    @property
    def informative(self) -> npt.NDArray[np.bool_]:
        """Analyses with something left over to estimate tau^2 from (k - p > 0)."""
        return self.residual_df > 0


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidRecord.single(RECORD, field, "one of " + ", ".join(allowed), value)


def check_level(level: float) -> None:
    if not (math.isfinite(level) and 0 < level < 1):
        raise InvalidRecord.single(RECORD, "level", "a number strictly between 0 and 1", level)


def _first_bad(values: Array, lengths: Whole, bad: npt.NDArray[np.bool_]) -> str:
    flat = int(np.flatnonzero(bad)[0])
    group = int(np.searchsorted(np.cumsum(lengths), flat, side="right"))
    study = flat - int(lengths[:group].sum())
    return f"group {group}, study {study}: {float(values[flat])!r}"


def _checked_values(
    effects: Sequence[Sequence[float]], variances: Sequence[Sequence[float]]
) -> tuple[Whole, Array, Array]:
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
    return lengths, flat_effects, flat_variances


def padded_studies(
    effects: Sequence[Sequence[float]],
    variances: Sequence[Sequence[float]],
    shared: bool = False,
) -> Studies:
    """Validate the groups and lay them out as a padded matrix.

    Each group is its own analysis, or, with ``shared``, all groups form one analysis
    with a common tau^2.
    """
    lengths, flat_effects, flat_variances = _checked_values(effects, variances)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    columns = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    shape = (len(lengths), int(lengths.max()))
    # Padding gets effect 0 and variance 1 so every expression stays finite; its
    # weight is multiplied by ``present`` = 0, so it never counts.
    padded_effects, padded_variances, present = np.zeros(shape), np.ones(shape), np.zeros(shape)
    padded_effects[rows, columns] = flat_effects
    padded_variances[rows, columns] = flat_variances
    present[rows, columns] = 1.0
    if shared:
        analysis = np.zeros(len(lengths), dtype=np.int64)
        first_row, row_count = np.zeros(1, dtype=np.int64), np.array([len(lengths)])
    else:
        analysis = np.arange(len(lengths), dtype=np.int64)
        first_row, row_count = analysis.copy(), np.ones(len(lengths), dtype=np.int64)
    return Studies(
        padded_effects, padded_variances, present, lengths, analysis, first_row, row_count
    )


def subset(studies: Studies, analyses: npt.NDArray[np.intp]) -> Studies:
    """The given analyses, in that order (one may appear more than once), re-numbered."""
    counts = studies.row_count[analyses]
    starts = np.cumsum(counts) - counts
    rows = np.repeat(studies.first_row[analyses] - starts, counts) + np.arange(counts.sum())
    return Studies(
        studies.effects[rows],
        studies.variances[rows],
        studies.present[rows],
        studies.k[rows],
        np.repeat(np.arange(len(analyses), dtype=np.int64), counts),
        starts.astype(np.int64),
        counts.astype(np.int64),
    )


def rows_apart(studies: Studies) -> Studies:
    """The same rows, each its own analysis (for statistics of one row at a time)."""
    own = np.arange(len(studies.k), dtype=np.int64)
    single = np.ones(len(studies.k), dtype=np.int64)
    return Studies(studies.effects, studies.variances, studies.present, studies.k, own, own, single)


def sample_sum_of_squares(studies: Studies) -> Array:
    """sum (y_i - ybar)^2 with the unweighted mean, per row."""
    mean = (studies.effects * studies.present).sum(axis=1) / studies.k
    result: Array = ((studies.effects - mean[:, None]) ** 2 * studies.present).sum(axis=1)
    return result


# --- Weighted sums at a given tau^2 --------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Inverse-variance weights at some tau^2 and the sums every formula reads.

    ``total`` and ``mean`` are per row (each row has its own mean); the methods give
    sums per analysis, which is what an estimate of tau^2 reads.
    """

    studies: Studies
    weights: Array
    total: Array
    mean: Array
    residuals: Array

    @classmethod
    def at(cls, studies: Studies, tau2: Array) -> Fit:
        """The fit with ``tau2`` (one value per analysis) added to every variance."""
        by_row = tau2[studies.analysis]
        weights = studies.present / (studies.variances + by_row[:, None])
        total = weights.sum(axis=1)
        mean = (weights * studies.effects).sum(axis=1) / total
        residuals = (studies.effects - mean[:, None]) * studies.present
        return cls(studies, weights, total, mean, residuals)

    @classmethod
    def unweighted(cls, studies: Studies) -> Fit:
        """Every study weighted 1: the ordinary least-squares fit Hedges' estimator reads."""
        weights = studies.present
        total = weights.sum(axis=1)
        mean = (weights * studies.effects).sum(axis=1) / total
        residuals = (studies.effects - mean[:, None]) * studies.present
        return cls(studies, weights, total, mean, residuals)

    def _each(self, by_row: Array) -> Array:
        return self.studies.per_analysis(by_row)

    def _power(self, power: int) -> Array:
        """Row sums of w^power (by products: numpy's float power is far slower)."""
        product = self.weights
        for _ in range(power - 1):
            product = product * self.weights
        result: Array = product.sum(axis=1)
        return result

    def sum(self, power: int) -> Array:
        return self._each(self._power(power))

    def squared_score(self) -> Array:
        """sum w_i^2 (y_i - mu)^2, which is y'PPy when each row has its own mean."""
        weighted = self.weights * self.residuals
        return self._each((weighted * weighted).sum(axis=1))

    def trace_p(self) -> Array:
        """tr P = sum over rows of (sum w - sum w^2 / sum w)."""
        return self._each(self.total - self._power(2) / self.total)

    def trace_pv(self) -> Array:
        """tr(PV) = sum v_i (w_i - w_i^2 / sum w), V the sampling variances."""
        diagonal = self.weights - self.weights**2 / self.total[:, None]
        return self._each((self.studies.variances * diagonal).sum(axis=1))

    def trace_pp(self) -> Array:
        """tr(PP): per row sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2."""
        squares, cubes = self._power(2), self._power(3)
        return self._each(squares - 2 * cubes / self.total + (squares / self.total) ** 2)

    def quadratic(self, left: Array, right: Array) -> Array:
        """sum_ij P_ij^2 a_i b_j, for the traces of products of P with diagonal matrices.

        With P = W - w w'/sum w in each row: sum w^2 a b - 2 sum w^3 a b / sum w
        + (sum w^2 a)(sum w^2 b) / (sum w)^2. So tr(PVPV) = quadratic(v, v) and
        sum(PV * P) = quadratic(1, v), as metafor's standard errors of tau^2 read them.
        """
        squared = self.weights**2
        both = (squared * left * right).sum(axis=1)
        cubed = (squared * self.weights * left * right).sum(axis=1)
        crossed = (squared * left).sum(axis=1) * (squared * right).sum(axis=1)
        return self._each(both - 2 * cubed / self.total + crossed / self.total**2)

    def cubic_score(self) -> Array:
        """y'PPPy = sum w^3 r^2 - (sum w^2 r)^2 / sum w per row, added per analysis.

        Half the slope of y'PPy in tau^2 (with P y = w r); the exact derivative of the
        likelihood scores is tr(PP) or sum w^2 less twice this.
        """
        weighted = self.weights * self.residuals
        cubes = (self.weights * weighted * weighted).sum(axis=1)
        crossed = (self.weights * weighted).sum(axis=1)
        return self._each(cubes - crossed**2 / self.total)

    def row_q(self) -> Array:
        """The generalised Q of each row: sum of w_i (y_i - mu)^2."""
        result: Array = (self.weights * self.residuals**2).sum(axis=1)
        return result

    def q(self) -> Array:
        """The generalised Q of each analysis (the rows' Q added)."""
        return self._each(self.row_q())
