"""What a crosswalk standard returns: a rating on that clearinghouse's ladder, or
"cannot be rated" with the facts it needs, and every rule evaluated as a reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guidebook.evidence.crosswalk.logic import Check
from guidebook.evidence.reasons import JSONValue, Reason

__all__ = [
    "CrosswalkResult",
    "LadderStep",
    "climb",
    "reason_of",
    "result_from_dict",
    "summarise_needs",
]


def summarise_needs(needs: tuple[str, ...], listed: int = 3) -> str:
    """The needed facts grouped by kind: "usual care setting (s1, s2)"; a kind needed in
    more than ``listed`` places gives its count instead of the places."""
    places: dict[str, list[str]] = {}
    for fact in needs:
        kind, _, where = fact.partition(" (")
        places.setdefault(kind, [])
        if where:
            places[kind].append(where.removesuffix(")"))
    parts = []
    for kind, spots in places.items():
        if len(spots) > listed:
            parts.append(f"{kind} ({len(spots)} places)")
        else:
            parts.append(f"{kind} ({', '.join(spots)})" if spots else kind)
    return "; ".join(parts)


def reason_of(rule: str, check: Check, subject: str | None = None, **values: JSONValue) -> Reason:
    """A reason for ``check``: met only when the check is met, never on missing facts."""
    return Reason(
        rule,
        check.met is True,
        {"status": check.status, "needs": list(check.needs), **values},
        subject,
    )


@dataclass(frozen=True)
class LadderStep:
    """One rung of a clearinghouse's ladder, with the rule id that decides it."""

    value: str
    rule: str
    meaning: str


@dataclass(frozen=True)
class CrosswalkResult:
    """``value`` is the rating, or ``None`` when it cannot be rated on the facts
    recorded; then ``floor`` is the highest rung proven (if any) and ``needs`` lists
    the facts that would settle it. ``next_rule`` is the rule of the rung above the
    rating, whose reason says why the programme did not reach it."""

    standard: str
    version: str
    value: str | None
    floor: str | None
    needs: tuple[str, ...]
    meaning: str
    next_rule: str | None
    reasons: tuple[Reason, ...]

    @property
    def rated(self) -> bool:
        return self.value is not None

    def reason(self, rule: str, subject: str | None = None) -> Reason:
        """The reason with this rule id (and subject); ``KeyError`` if not evaluated."""
        for reason in self.reasons:
            if reason.rule == rule and reason.subject == subject:
                return reason
        raise KeyError(rule)

    def shown(self) -> str:
        """The rating as a page shows it, or what it still needs."""
        if self.value is not None:
            return self.value
        return "Cannot be rated: needs " + summarise_needs(self.needs)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "standard": {"key": self.standard, "version": self.version},
            "value": self.value,
            "rated": self.rated,
            "floor": self.floor,
            "needs": list(self.needs),
            "meaning": self.meaning,
            "next_rule": self.next_rule,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


def result_from_dict(data: Mapping[str, Any]) -> CrosswalkResult:
    """The result ``CrosswalkResult.to_dict`` wrote, read back: a snapshot keeps its
    crosswalk results so a page can show them without rating the record again."""
    standard = data["standard"]
    return CrosswalkResult(
        standard=standard["key"],
        version=standard["version"],
        value=data["value"],
        floor=data["floor"],
        needs=tuple(data["needs"]),
        meaning=data["meaning"],
        next_rule=data["next_rule"],
        reasons=tuple(
            Reason(reason["rule"], reason["met"], reason["values"], reason["subject"])
            for reason in data["reasons"]
        ),
    )


def climb(
    standard: str,
    version: str,
    ladder: tuple[tuple[LadderStep, Check], ...],
    bottom: LadderStep,
    reasons: tuple[Reason, ...],
) -> CrosswalkResult:
    """The highest rung met, top first; an unknown rung above it leaves the programme
    unrated (a rating is never shown as met on missing facts), with the rung proven as
    its floor."""
    waiting: list[str] = []
    above: LadderStep | None = None
    for step, check in ladder:
        if check.met is True:
            return _result(standard, version, step, above, waiting, reasons)
        waiting += [fact for fact in check.needs if fact not in waiting]
        above = step
    return _result(standard, version, bottom, above, waiting, reasons, proven=False)


def _result(
    standard: str,
    version: str,
    step: LadderStep,
    above: LadderStep | None,
    waiting: list[str],
    reasons: tuple[Reason, ...],
    proven: bool = True,
) -> CrosswalkResult:
    if waiting:
        floor = step.value if proven else None
        return CrosswalkResult(standard, version, None, floor, tuple(waiting), "", None, reasons)
    return CrosswalkResult(
        standard,
        version,
        step.value,
        None,
        (),
        step.meaning,
        above.rule if above else None,
        reasons,
    )
