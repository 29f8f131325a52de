"""Standards are plug-ins, registered by key (DESIGN.md, principle 4).

A standard is any object with a key, a version, the year it took effect, a title, a
summary and ``rate(programme)``. Each standard module registers its instance when
imported; adding a standard touches no other module.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from guidebook.evidence.errors import UnknownStandard
from guidebook.evidence.records import Programme
from guidebook.evidence.standards.result import RatingResult

__all__ = ["Standard", "all_standards", "get_standard", "newest_standard_key", "register"]


class Standard(Protocol):
    """A versioned rule set that rates a programme with reasons."""

    @property
    def key(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...

    def rate(self, programme: Programme) -> RatingResult: ...


_STANDARDS: dict[str, Standard] = {}

_S = TypeVar("_S", bound=Standard)


def register(standard: _S) -> _S:
    """Make ``standard`` available under its key; a key is registered only once."""
    held = _STANDARDS.get(standard.key)
    if held is not None and held is not standard:
        raise ValueError(f"standard key {standard.key!r} is already registered")
    _STANDARDS[standard.key] = standard
    return standard


def get_standard(key: str) -> Standard:
    """The standard registered under ``key``; ``UnknownStandard`` names the keys known."""
    try:
        return _STANDARDS[key]
    except KeyError:
        raise UnknownStandard(key, _STANDARDS) from None


def all_standards() -> tuple[Standard, ...]:
    """Every registered standard, oldest first (by year, then key)."""
    return tuple(sorted(_STANDARDS.values(), key=lambda s: (s.year, s.key)))


def newest_standard_key() -> str:
    """The key of the most recent standard: the one new ratings use by default."""
    return all_standards()[-1].key
