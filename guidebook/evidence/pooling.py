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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize
from scipy import stats as _dist

from guidebook.evidence.errors import InvalidRecord

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

Array = npt.NDArray[np.float64]

METHODS = ("FE", "DL", "REML", "ML", "PM")
TESTS = ("z", "knha")

# Iterative estimators stop once tau^2 moves by less than this.
TOLERANCE = 1e-10
_MAX_ROOT_STEPS = 200
# metafor's default upper end for tau^2 searches (rma.uni control tau2.max).
_QP_SEARCH_LIMIT = 100.0
_RECORD = "pooling"


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
    """Many meta-analyses pooled together; each array has one entry per group."""

    method: str
    test: str
    level: float
    k: npt.NDArray[np.int64]
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
            # With one study there are no degrees of freedom for t: the z interval stands.
            test=self.test if k > 1 else "z",
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


# --- Input -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Studies:
    """Groups of studies as padded rows: ``present`` is 1 for a real study, else 0."""

    effects: Array
    variances: Array
    present: Array
    k: npt.NDArray[np.int64]


def _check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidRecord.single(_RECORD, field, "one of " + ", ".join(allowed), value)


def _check_level(level: float) -> None:
    if not (math.isfinite(level) and 0 < level < 1):
        raise InvalidRecord.single(_RECORD, "level", "a number strictly between 0 and 1", level)


def _first_bad(values: Array, lengths: npt.NDArray[np.int64], bad: npt.NDArray[np.bool_]) -> str:
    flat = int(np.flatnonzero(bad)[0])
    group = int(np.searchsorted(np.cumsum(lengths), flat, side="right"))
    study = flat - int(lengths[:group].sum())
    return f"group {group}, study {study}: {float(values[flat])!r}"


def _studies(effects: Sequence[Sequence[float]], variances: Sequence[Sequence[float]]) -> _Studies:
    """Validate the groups and lay them out as a padded matrix."""
    lengths = np.array([len(group) for group in effects], dtype=np.int64)
    variance_lengths = np.array([len(group) for group in variances], dtype=np.int64)
    if len(lengths) == 0 or lengths.min() < 1:
        raise InvalidRecord.single(_RECORD, "effects", "at least one study in each group", 0)
    if not np.array_equal(lengths, variance_lengths):
        expected = "one variance for each effect, group by group"
        raise InvalidRecord.single(_RECORD, "variances", expected, "lengths that differ")
    flat_effects = np.concatenate([np.asarray(group, dtype=float) for group in effects])
    flat_variances = np.concatenate([np.asarray(group, dtype=float) for group in variances])
    if not np.isfinite(flat_effects).all():
        found = _first_bad(flat_effects, lengths, ~np.isfinite(flat_effects))
        raise InvalidRecord.single(_RECORD, "effects", "finite numbers", found)
    bad_variance = ~(np.isfinite(flat_variances) & (flat_variances > 0))
    if bad_variance.any():
        found = _first_bad(flat_variances, lengths, bad_variance)
        raise InvalidRecord.single(_RECORD, "variances", "finite numbers above 0", found)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    columns = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    shape = (len(lengths), int(lengths.max()))
    # Padding gets effect 0 and variance 1 so every expression stays finite; its
    # weight is multiplied by ``present`` = 0, so it never counts.
    padded_effects, padded_variances, present = np.zeros(shape), np.ones(shape), np.zeros(shape)
    padded_effects[rows, columns] = flat_effects
    padded_variances[rows, columns] = flat_variances
    present[rows, columns] = 1.0
    return _Studies(padded_effects, padded_variances, present, lengths)


# --- Weighted sums at a given tau^2 --------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    """Inverse-variance weights at some tau^2 and the sums every formula reads."""

    weights: Array
    total: Array
    mean: Array
    residuals: Array

    @classmethod
    def at(cls, studies: _Studies, tau2: Array) -> _Fit:
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


def _several(studies: _Studies) -> npt.NDArray[np.bool_]:
    return studies.k > 1


# --- tau^2 estimators ----------------------------------------------------------------


def _dersimonian_laird(studies: _Studies) -> Array:
    """tau^2 = max(0, (Q - (k-1)) / (sum w - sum w^2 / sum w)) (DerSimonian & Laird 1986)."""
    fixed = _Fit.at(studies, np.zeros(len(studies.k)))
    scaling = fixed.total - fixed.sum(2) / fixed.total
    excess = fixed.q() - (studies.k - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau2 = np.where(_several(studies), excess / scaling, 0.0)
    return np.maximum(tau2, 0.0)


def _subset(studies: _Studies, rows: npt.NDArray[np.intp]) -> _Studies:
    return _Studies(
        studies.effects[rows], studies.variances[rows], studies.present[rows], studies.k[rows]
    )


def _sample_sum_of_squares(studies: _Studies) -> Array:
    """sum (y_i - ybar)^2 with the unweighted mean, per group."""
    mean = (studies.effects * studies.present).sum(axis=1) / studies.k
    result: Array = ((studies.effects - mean[:, None]) ** 2 * studies.present).sum(axis=1)
    return result


# An estimating equation: at a fit, its value (decreasing in tau^2, zero at the
# estimate) and the slope a Newton step uses.
Equation = Callable[[_Fit, _Studies], tuple[Array, Array]]


def _restricted_score(fit: _Fit, studies: _Studies) -> tuple[Array, Array]:
    """REML: twice the score, y'PPy - tr P, against minus tr(PP) (Fisher scoring)."""
    trace_p = fit.total - fit.sum(2) / fit.total
    return fit.squared_score() - trace_p, -fit.trace_pp()


def _likelihood_score(fit: _Fit, studies: _Studies) -> tuple[Array, Array]:
    """ML: twice the score, sum w^2 r^2 - sum w, against minus sum w^2 (Fisher scoring)."""
    return fit.squared_score() - fit.total, -fit.sum(2)


def _q_excess(fit: _Fit, studies: _Studies) -> tuple[Array, Array]:
    """Paule-Mandel: generalised Q minus its expectation k-1, and dQ/dtau^2."""
    return fit.q() - (studies.k - 1), -fit.squared_score()


def _solve(studies: _Studies, equation: Equation, start: Array, upper: Array) -> Array:
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
        current, group = guess[moving], _subset(studies, moving)
        value, slope = equation(_Fit.at(group, current), group)
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


def _root_or_zero(studies: _Studies, equation: Equation, start: Array, upper: Array) -> Array:
    """Solve where the equation is positive at 0 (tau^2 > 0); elsewhere tau^2 is 0."""
    tau2 = np.zeros(len(studies.k))
    at_zero, _ = equation(_Fit.at(studies, tau2), studies)
    rows = np.flatnonzero(_several(studies) & (at_zero > 0))
    bounded = np.minimum(start[rows], upper[rows])
    tau2[rows] = _solve(_subset(studies, rows), equation, bounded, upper[rows])
    return tau2


def _likelihood_tau2(studies: _Studies, restricted: bool) -> Array:
    """REML or ML tau^2: the root of the score, from the DL estimate, truncated at 0.

    With SS = sum (y - ybar)^2, m = k-1 (REML) or k (ML) and the largest sampling
    variance v, the score is negative beyond (SS + sqrt(SS^2 + 4 m SS v)) / (2m), so
    that bounds the search. Where the score is not positive at 0 the likelihood peaks
    at the boundary and tau^2 = 0, as metafor truncates it.
    """
    sum_of_squares = _sample_sum_of_squares(studies)
    spread = (studies.k - 1) if restricted else studies.k
    largest = (studies.variances * studies.present).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(sum_of_squares**2 + 4 * spread * sum_of_squares * largest)
        upper = (sum_of_squares + root) / (2 * spread)
    equation = _restricted_score if restricted else _likelihood_score
    return _root_or_zero(studies, equation, _dersimonian_laird(studies), upper)


def _paule_mandel(studies: _Studies) -> Array:
    """The tau^2 that makes the generalised Q equal its expectation k-1 (Paule & Mandel 1982).

    Q(tau^2) decreases, and Q(t) <= sum (y - ybar)^2 / t, so the unweighted sample
    variance bounds the root from above.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = _sample_sum_of_squares(studies) / (studies.k - 1)
    return _root_or_zero(studies, _q_excess, np.zeros(len(studies.k)), upper)


def _tau2(studies: _Studies, method: str) -> Array:
    if method == "FE":
        return np.zeros(len(studies.k))
    if method == "DL":
        return _dersimonian_laird(studies)
    if method == "PM":
        return _paule_mandel(studies)
    return _likelihood_tau2(studies, restricted=method == "REML")


# --- Summaries -----------------------------------------------------------------------


def _se_tau2(studies: _Studies, tau2: Array, method: str) -> Array:
    """Standard error of tau^2 from the inverse information: REML sqrt(2 / tr PP), ML
    sqrt(2 / sum w^2) (Viechtbauer 2005). Other estimators get NaN (not reported)."""
    fit = _Fit.at(studies, tau2)
    if method == "REML":
        information = fit.trace_pp()
    elif method == "ML":
        information = fit.sum(2)
    else:
        return np.full(len(studies.k), np.nan)
    # One study has no information about tau^2 (0, or a rounding error either side).
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(_several(studies), np.sqrt(2 / information), np.nan)


def _typical_variance(studies: _Studies) -> Array:
    """metafor's "typical" within-study variance s^2 = (k-1) sum w / ((sum w)^2 - sum w^2)."""
    fixed = _Fit.at(studies, np.zeros(len(studies.k)))
    with np.errstate(divide="ignore", invalid="ignore"):
        result: Array = (studies.k - 1) * fixed.total / (fixed.total**2 - fixed.sum(2))
    return result


def _heterogeneity(studies: _Studies, tau2: Array, method: str) -> dict[str, Array]:
    """Cochran's Q with fixed-effect weights, its p value, and I^2 and H^2.

    Random-effects models use metafor's I^2 = 100 tau^2 / (tau^2 + s^2), H^2 =
    tau^2 / s^2 + 1 with s^2 = (k-1) sum w / ((sum w)^2 - sum w^2); the fixed-effect
    model uses Higgins & Thompson's (2002) I^2 = max(0, 100 (Q - df) / Q), H^2 = Q / df.
    """
    fixed = _Fit.at(studies, np.zeros(len(studies.k)))
    df, several = (studies.k - 1).astype(float), _several(studies)
    q = np.where(several, fixed.q(), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        q_p_value = np.where(several, _dist.chi2.sf(q, df), 1.0)
        if method == "FE":
            # H^2 is held at 1 when Q < df, as I^2 is at 0 (Higgins & Thompson 2002).
            i2 = np.where(several & (q > df), 100 * (q - df) / q, 0.0)
            h2 = np.where(several, np.maximum(q / df, 1.0), 1.0)
        else:
            typical = _typical_variance(studies)
            i2 = np.where(several, 100 * tau2 / (tau2 + typical), 0.0)
            h2 = np.where(several, tau2 / typical + 1, 1.0)
    return {"q": q, "q_p_value": q_p_value, "i2": i2, "h2": h2}


def _summarise(
    studies: _Studies, tau2: Array, method: str, test: str, level: float
) -> PooledGroups:
    fit = _Fit.at(studies, tau2)
    several, df = _several(studies), studies.k - 1
    # A single study is its own pooled estimate, to the last bit.
    estimate = np.where(several, fit.mean, studies.effects[:, 0])
    tail = (1 - level) / 2
    se = np.sqrt(1 / fit.total)
    critical = np.full(len(studies.k), float(_dist.norm.isf(tail)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if test == "knha":
            # Hartung & Knapp (2001), Sidik & Jonkman (2002): rescale by the weighted
            # residual variance and use t with k-1 df; the scale is not truncated at 1.
            se = np.where(several, np.sqrt(fit.q() / (df * fit.total)), se)
            critical = np.where(several, _dist.t.isf(tail, df), critical)
        statistic = estimate / se
        p_value = 2 * _dist.norm.sf(np.abs(statistic))
        if test == "knha":
            p_value = np.where(several, 2 * _dist.t.sf(np.abs(statistic), df), p_value)
        predictive_se = np.sqrt(se**2 + tau2)
        riley = np.where(studies.k > 2, _dist.t.isf(tail, df - 1), np.nan)
    return PooledGroups(
        method=method,
        test=test,
        level=level,
        k=studies.k,
        estimate=estimate,
        se=se,
        ci_low=estimate - critical * se,
        ci_high=estimate + critical * se,
        statistic=statistic,
        p_value=p_value,
        tau2=tau2,
        se_tau2=_se_tau2(studies, tau2, method),
        pi_low=estimate - critical * predictive_se,
        pi_high=estimate + critical * predictive_se,
        pi_riley_low=estimate - riley * predictive_se,
        pi_riley_high=estimate + riley * predictive_se,
        **_heterogeneity(studies, tau2, method),
    )


# --- Public entry points -------------------------------------------------------------


def pool_many(
    effects: Sequence[Sequence[float]],
    variances: Sequence[Sequence[float]],
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> PooledGroups:
    """Pool every group of studies at once; group i is ``effects[i]`` with ``variances[i]``.

    ``method``: "FE" (inverse variance), "DL" (DerSimonian & Laird 1986), "REML" or
    "ML" (Fisher scoring, Viechtbauer 2005), "PM" (Paule & Mandel 1982). ``test``:
    "z" (Wald) or "knha" (Hartung & Knapp 2001; Sidik & Jonkman 2002). The
    prediction interval is metafor's: estimate -/+ crit sqrt(se^2 + tau^2), crit z or
    t(k-1); the Riley variant uses t(k-2) (Higgins, Thompson & Spiegelhalter 2009;
    Riley, Higgins & Deeks 2011).
    """
    _check_choice("method", method, METHODS)
    _check_choice("test", test, TESTS)
    _check_level(level)
    studies = _studies(effects, variances)
    return _summarise(studies, _tau2(studies, method), method, test, level)


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


def _q_profile_limit(studies: _Studies, target: float, tolerance: float) -> float:
    """The tau^2 at which the generalised Q of one group falls to ``target`` (0 if below)."""

    def excess(tau2: float) -> float:
        return float(_Fit.at(studies, np.array([tau2])).q()[0]) - target

    if excess(0.0) <= 0:
        return 0.0
    # metafor searches [0, 100]; widen it when Q(t) <= sum (y - ybar)^2 / t shows the
    # root may lie beyond.
    upper = max(_QP_SEARCH_LIMIT, _sample_sum_of_squares(studies)[0] / target)
    return float(optimize.brentq(excess, 0.0, upper, xtol=tolerance))


def heterogeneity_interval(
    effects: Sequence[float],
    variances: Sequence[float],
    level: float = 0.95,
    tolerance: float = TOLERANCE,
) -> HeterogeneityInterval:
    """Q-profile confidence interval for tau^2, and the I^2 and H^2 limits it implies.

    The limits are the tau^2 at which the generalised Q statistic equals the upper and
    lower (1 - level)/2 quantiles of chi-square with k-1 df, truncated at 0 (Viechtbauer
    2007, Stat. Med. 26:37; metafor ``confint.rma``). I^2 and H^2 use metafor's s^2.
    ``tolerance`` is the root finder's on tau^2 (metafor's own is eps^0.25).
    """
    _check_level(level)
    studies = _studies([effects], [variances])
    df = int(studies.k[0]) - 1
    if df < 1:
        raise InvalidRecord.single(_RECORD, "effects", "at least two studies", 1)
    tail = (1 - level) / 2
    tau2_low = _q_profile_limit(studies, float(_dist.chi2.isf(tail, df)), tolerance)
    tau2_high = _q_profile_limit(studies, float(_dist.chi2.ppf(tail, df)), tolerance)
    typical = float(_typical_variance(studies)[0])
    return HeterogeneityInterval(
        level=level,
        tau2_low=tau2_low,
        tau2_high=tau2_high,
        i2_low=100 * tau2_low / (tau2_low + typical),
        i2_high=100 * tau2_high / (tau2_high + typical),
        h2_low=tau2_low / typical + 1,
        h2_high=tau2_high / typical + 1,
    )


def true_effect_range(result: PooledEstimate, level: float = 0.95) -> tuple[float, float]:
    """estimate -/+ z tau: where ``level`` of true study effects lie if the mean were known.

    The "approximate prediction interval" of van Houwelingen, Arends & Stijnen (2002,
    Stat. Med. 21:589). It ignores the uncertainty in the mean, so it is narrower than
    the prediction intervals in ``PooledEstimate``; it is here to reproduce that paper.
    """
    _check_level(level)
    z = float(_dist.norm.isf((1 - level) / 2))
    return result.estimate - z * result.tau, result.estimate + z * result.tau
