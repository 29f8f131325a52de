"""What a standard returns: the rating, each study's level, and every reason.

Rating values are exactly those of STANDARDS.md section 1: "NL2", "NE", "2", "2+",
"3", "3+", "4", "4+", and under eif-2018 a positive value may carry "*" (mixed
findings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import StudyLevel

__all__ = ["RATING_VALUES", "RatingResult", "StudyResult", "rating_rank"]

RATING_VALUES: tuple[str, ...] = ("NL2", "NE", "2", "2+", "3", "3+", "4", "4+")
"""Every rating value without the asterisk, lowest first (the order of ``rating_rank``)."""


def rating_rank(value: str) -> int:
    """The position of a rating in Guidebook's total order, from 0 (NL2) to 7 (4+).

    The order is NL2 < NE < 2 < 2+ < 3 < 3+ < 4 < 4+. The two ratings below level 2
    come first; NE ranks above NL2 because it rests on a rigorous study, so more is
    known: new evidence can turn NL2 into NE, never NE into NL2. The eif-2018 asterisk
    does not change a rating's rank. This is the project's own order [decision].
    """
    base = value.removesuffix("*")
    if base not in RATING_VALUES or (base != value and not base[0].isdigit()):
        raise InvalidRecord.single(
            "rating", "value", "one of " + ", ".join(RATING_VALUES) + ", optionally with *", value
        )
    return RATING_VALUES.index(base)


def _reason_in(reasons: Iterable[Reason], rule: str) -> Reason:
    for reason in reasons:
        if reason.rule == rule:
            return reason
    raise KeyError(rule)


@dataclass(frozen=True)
class StudyResult:
    """One study's level under a standard, with the reasons that decided it."""

    key: str
    label: str
    level: StudyLevel
    reasons: tuple[Reason, ...]

    def reason(self, rule: str) -> Reason:
        """The reason with this rule id (``KeyError`` if the rule was not evaluated)."""
        # From the last reason back: a study evaluates each rule once, and the rules
        # asked for on every rating, those on its findings, come last.
        return _reason_in(reversed(self.reasons), rule)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "label": self.label,
            "level": self.level.value,
            "level_label": self.level.label,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class RatingResult:
    """A programme's evidence rating under one standard version.

    ``value`` is the rating as shown ("3+", "4*", "NL2"); ``level`` is 2, 3 or 4, or
    ``None`` for NL2 and NE. ``studies`` maps each study key to its result, in the
    programme's order; ``reasons`` holds every programme rule evaluated.
    """

    value: str
    level: int | None
    plus: bool
    asterisk: bool
    standard: str
    version: str
    studies: Mapping[str, StudyResult] = field(hash=False)
    reasons: tuple[Reason, ...]
    mixed_studies: tuple[str, ...] = ()

    def reason(self, rule: str) -> Reason:
        """The programme reason with this rule id (``KeyError`` if not evaluated)."""
        return _reason_in(self.reasons, rule)

    def to_dict(self) -> dict[str, JSONValue]:
        """The whole result as plain JSON data (see the methodology page for the shape)."""
        return {
            "value": self.value,
            "level": self.level,
            "plus": self.plus,
            "asterisk": self.asterisk,
            "standard": {"key": self.standard, "version": self.version},
            "studies": {key: study.to_dict() for key, study in self.studies.items()},
            "reasons": [reason.to_dict() for reason in self.reasons],
            "mixed_studies": list(self.mixed_studies),
        }
