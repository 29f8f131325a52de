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
from typing import TypeAlias

__all__ = ["JSONValue", "Reason", "plain_json"]

JSONValue: TypeAlias = (
    bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
"""A value that ``json.dumps`` accepts once ``plain_json`` has turned it into lists and dicts."""


@dataclass(frozen=True)
class Reason:
    """One rule, evaluated.

    ``rule`` is a stable id (``"sample.size"``, ``"level-3.criteria"``,
    ``"rating-4.long-term"``); ids never change meaning once published. ``subject`` is
    the key of the study the rule was evaluated on, or ``None`` for a programme rule.
    """

    rule: str
    met: bool
    values: Mapping[str, JSONValue] = field(default_factory=dict, hash=False)
    subject: str | None = None

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
