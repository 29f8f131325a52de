"""Tail areas and quantiles of the normal, t and chi-squared distributions.

The same numbers scipy.stats gives (its distributions call these scipy.special
functions underneath), without importing scipy.stats: that module alone took about
0.4 s to import, most of the start-up time of ``guidebook rate``. Each function
takes a float or a numpy array and answers in kind. scipy.special itself is imported
on first use: it brings numpy and some 30 MB with it, which a web worker that only
shows published ratings never needs.

The normal distribution of a single number comes from the standard library instead,
so that rating a record whose statistics need no t or chi-squared distribution (a
published interval turned into a standard error, a finding's z test) never imports
scipy at all: importing scipy.special takes 0.1 to 0.2 s, against the 0.5 s
``guidebook rate`` may take in all. The tails follow cephes'
``ndtr`` (erf near the centre, erfc in the tails, so that far tails keep their
precision instead of cancelling to zero); the quantile is ``statistics.NormalDist``'s
``inv_cdf``, Wichura's algorithm AS 241, accurate to about 1e-16 as cephes' ``ndtri``
is.

Sources: scipy.stats' ``norm``, ``t`` and ``chi2`` are defined through
``special.ndtr``/``ndtri``, ``special.stdtr``/``stdtrit`` and
``special.chdtrc``/``chdtri`` (scipy/stats/_continuous_distns.py); cephes ``ndtr.c``
(Moshier); Wichura, M. J. (1988) Algorithm AS 241, Applied Statistics 37(3), 477-484.
"""

from __future__ import annotations

import math
from functools import cache
from statistics import NormalDist
from typing import Any

_STANDARD_NORMAL = NormalDist()
_HALF_SQRT2 = math.sqrt(0.5)


@cache
def _special() -> Any:
    """``scipy.special``, imported on the first call and then kept.

    A function-level import statement costs about as much again as the ufunc it
    reaches on a single number, and a rating tests every finding with statistics.
    """
    from scipy import special

    return special


def _plain(x: Any) -> bool:
    """Whether ``x`` is a single Python number rather than a numpy array or scalar."""
    return type(x) is float or type(x) is int


def _ndtr(x: float) -> float:
    """P(Z <= x) for one number, as cephes' ``ndtr`` computes it."""
    if math.isnan(x):
        return math.nan
    z = x * _HALF_SQRT2
    if abs(z) < _HALF_SQRT2:
        return 0.5 + 0.5 * math.erf(z)
    tail = 0.5 * math.erfc(abs(z))
    return 1.0 - tail if z > 0 else tail


def _ndtri(p: float) -> float:
    """The z with P(Z <= z) = p for one number; -inf at 0, inf at 1, nan outside."""
    if p == 0:
        return -math.inf
    if p == 1:
        return math.inf
    if not 0 < p < 1:
        return math.nan
    return _STANDARD_NORMAL.inv_cdf(p)


def normal_cdf(x: Any) -> Any:
    """P(Z <= x)."""
    return _ndtr(x) if _plain(x) else _special().ndtr(x)


def normal_sf(x: Any) -> Any:
    """P(Z > x)."""
    return _ndtr(-x) if _plain(x) else _special().ndtr(-x)


def normal_isf(p: Any) -> Any:
    """The z with P(Z > z) = p."""
    return -_ndtri(p) if _plain(p) else -_special().ndtri(p)


def t_sf(x: Any, df: Any) -> Any:
    """P(T > x) for Student's t with ``df`` degrees of freedom."""
    return _special().stdtr(df, -x)


def t_isf(p: Any, df: Any) -> Any:
    """The t with P(T > t) = p."""
    return -_special().stdtrit(df, p)


def chi2_sf(x: Any, df: Any) -> Any:
    """P(X > x) for chi-squared with ``df`` degrees of freedom."""
    return _special().chdtrc(df, x)


def chi2_isf(p: Any, df: Any) -> Any:
    """The x with P(X > x) = p."""
    return _special().chdtri(df, p)


def chi2_ppf(p: Any, df: Any) -> Any:
    """The x with P(X <= x) = p."""
    return 2 * _special().gammaincinv(df / 2, p)
