"""The one exception family of the evidence core.

Every problem names the record it was found in, the field, what was expected and
what was found, so a person can go straight to the place that needs mending. The
Django edge turns these into form errors or API errors in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InvalidRecord", "Problem", "RecordError", "UnknownStandard"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record."""

    record: str
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.record}: field '{self.field}' expected {self.expected}, found {self.found}"

    def as_dict(self) -> dict[str, str]:
        return {
            "record": self.record,
            "field": self.field,
            "expected": self.expected,
            "found": self.found,
            "message": str(self),
        }


class RecordError(ValueError):
    """Base class: a record, or a request about records, cannot be used as given."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class InvalidRecord(RecordError):
    """A record does not meet the documented format or a value is impossible."""

    @classmethod
    def single(cls, record: str, field: str, expected: str, found: object) -> InvalidRecord:
        return cls([Problem(record, field, expected, describe(found))])


class UnknownStandard(RecordError):
    """A standard key that the registry does not hold."""

    def __init__(self, key: str, known: Iterable[str]) -> None:
        expected = "one of " + ", ".join(sorted(known))
        super().__init__([Problem("standard", "key", expected, repr(key))])


def describe(value: object) -> str:
    """A short, readable rendering of a found value for messages."""
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
