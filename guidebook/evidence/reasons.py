"""Structured reasons: what every rating rule decided, and on what values.

A standard evaluates rules (an appraisal criterion, a study-level gate, a
programme-rating condition) and records each one as a ``Reason``, met or not, with
the values that decided it. Pages never store sentences: they render them from
reasons (``guidebook.evidence.explain``), and a published snapshot keeps the
reasons so a rating can be explained years later (DESIGN.md, principle 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeAlias

__all__ = ["JSONValue", "Reason", "plain_json"]

JSONValue: TypeAlias = (
    bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
"""A value that ``json.dumps`` accepts once ``plain_json`` has turned it into lists and dicts."""


# Not frozen at run time, unlike the other records: a rating makes some thirty reasons
# a study, and a frozen dataclass sets each field through object.__setattr__, which
# made a reason cost three times as much to build and a rating a fifth slower. The
# fields are Final instead, so mypy refuses any assignment to them; the hash stays
# that of a frozen reason (rule, met and subject).
@dataclass(slots=True, unsafe_hash=True)
class Reason:
    """One rule, evaluated.

    ``rule`` is a stable id (``"sample.size"``, ``"level-3.criteria"``,
    ``"rating-4.long-term"``); ids never change meaning once published. ``subject`` is
    the key of the study the rule was evaluated on, or ``None`` for a programme rule.
    A reason is never changed once made.
    """

    rule: Final[str]
    met: Final[bool]
    values: Final[Mapping[str, JSONValue]] = field(default_factory=dict, hash=False)
    subject: Final[str | None] = None

    def to_dict(self) -> dict[str, JSONValue]:
        """The reason as plain JSON data: rule, met, subject and values."""
        return {
            "rule": self.rule,
            "met": self.met,
            "subject": self.subject,
            "values": plain_json(self.values),
        }


def plain_json(value: JSONValue) -> JSONValue:
    """A copy of ``value`` built only of dicts, lists and scalars (tuples become lists)."""
    if isinstance(value, Mapping):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [plain_json(item) for item in value]
    return value
