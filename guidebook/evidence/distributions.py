"""Tail areas and quantiles of the normal, t and chi-squared distributions.

The same numbers scipy.stats gives (its distributions call these scipy.special
functions underneath), without importing scipy.stats: that module alone took about
0.4 s to import, most of the start-up time of ``guidebook rate``. Each function
takes a float or a numpy array and answers in kind. scipy.special itself is imported
on first use: it brings numpy and some 30 MB with it, which a web worker that only
shows published ratings never needs.

Sources: scipy.stats' ``norm``, ``t`` and ``chi2`` are defined through
``special.ndtr``/``ndtri``, ``special.stdtr``/``stdtrit`` and
``special.chdtrc``/``chdtri`` (scipy/stats/_continuous_distns.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _special() -> Any:
    """``scipy.special``, imported on the first call and then kept.

    A function-level import statement costs about as much again as the ufunc it
    reaches on a single number, and a rating tests every finding with statistics.
    """
    from scipy import special

    return special


def normal_cdf(x: Any) -> Any:
    """P(Z <= x)."""
    return _special().ndtr(x)


def normal_sf(x: Any) -> Any:
    """P(Z > x)."""
    return _special().ndtr(-x)


def normal_isf(p: Any) -> Any:
    """The z with P(Z > z) = p."""
    return -_special().ndtri(p)


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
