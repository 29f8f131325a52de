"""Three-valued checks: met, not met, or unknown with the facts it needs.

The other clearinghouses' rules turn on facts an EIF record often lacks. A check whose
facts are missing is *unknown*, never met (issue 11): ``all_of`` and ``any_of`` follow
Kleene's strong three-valued logic, and an unknown result carries the list of facts
that would settle it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MET",
    "NOT_MET",
    "Check",
    "all_of",
    "any_of",
    "at_least",
    "at_least_distinct",
    "gated",
    "known",
    "needs",
    "negate",
]


@dataclass(frozen=True)
class Check:
    """``met`` is True, False, or None (unknown); ``needs`` names the missing facts."""

    met: bool | None
    needs: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """ "met", "not met" or "unknown", as stored in a reason."""
        return {True: "met", False: "not met", None: "unknown"}[self.met]


MET = Check(True)
NOT_MET = Check(False)


def needs(*facts: str) -> Check:
    """An unknown check waiting for ``facts``."""
    return Check(None, tuple(facts))


def known(value: bool | None, fact: str) -> Check:
    """A recorded yes/no fact as a check; ``None`` needs ``fact``."""
    return needs(fact) if value is None else Check(value)


def _merge(checks: Iterable[Check]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fact for check in checks for fact in check.needs))


def all_of(*checks: Check) -> Check:
    """Met when every check is met; not met as soon as one is not met."""
    if any(check.met is False for check in checks):
        return NOT_MET
    unknown = [check for check in checks if check.met is None]
    return needs(*_merge(unknown)) if unknown else MET


def any_of(checks: Iterable[Check]) -> Check:
    """Met as soon as one check is met; not met when every check is not met."""
    listed = list(checks)
    if any(check.met is True for check in listed):
        return MET
    unknown = [check for check in listed if check.met is None]
    return needs(*_merge(unknown)) if unknown else NOT_MET


def at_least_distinct(count: int, items: Iterable[tuple[Check, str | None, str]]) -> Check:
    """At least ``count`` distinct samples among the items whose check is met.

    Each item is (check, sample identifier or None, what to ask for when the sample is
    not recorded). Two items with one sample count once; an item whose sample is not
    recorded may repeat another, so it counts towards the upper bound only, except that
    one met item always proves one sample.
    """
    listed = list(items)
    sure = [(sample, ask) for check, sample, ask in listed if check.met is True]
    maybe = [(check, sample, ask) for check, sample, ask in listed if check.met is not False]
    lower = max(len({s for s, _ in sure if s is not None}), 1 if sure else 0)
    upper = len({s for _, s, _ in maybe if s is not None}) + sum(
        1 for _, s, _ in maybe if s is None
    )
    if lower >= count:
        return MET
    if upper < count:
        return NOT_MET
    asks = [check.needs for check, _, _ in maybe if check.met is None]
    asks += [(ask,) for _, sample, ask in maybe if sample is None]
    return needs(*dict.fromkeys(fact for group in asks for fact in group))


def negate(check: Check) -> Check:
    """Not met becomes met and the reverse; unknown stays unknown with its needs."""
    return check if check.met is None else Check(not check.met)


def at_least(value: float | None, threshold: float, fact: str) -> Check:
    """``value >= threshold``; an unrecorded value needs ``fact``."""
    return needs(fact) if value is None else Check(value >= threshold)


def gated(precondition: Check, check: Check) -> Check:
    """``check``, unless ``precondition`` is not met or unknown: then the precondition.

    Unlike ``all_of``, an unknown precondition wins over a check that is not met: with
    no studies recorded, "no favourable study" says nothing about the programme.
    """
    return check if precondition.met is True else precondition
