"""Checks on reported statistics, shared by the effect-size modules.

Each returns the value when it is possible and otherwise raises ``InvalidRecord``
naming the record, the field, what was expected and what was found.
"""

from __future__ import annotations

import math

from guidebook.evidence.errors import InvalidRecord

__all__ = [
    "correlation",
    "event_count",
    "finite",
    "group_size",
    "positive",
    "positive_sd",
    "probability_level",
]


def finite(record: str, field: str, value: float) -> float:
    if not math.isfinite(value):
        raise InvalidRecord.single(record, field, "a finite number", value)
    return value


def group_size(record: str, field: str, n: int) -> int:
    if not math.isfinite(n) or n < 2:
        raise InvalidRecord.single(record, field, "a group size of at least 2", n)
    return n


def positive_sd(record: str, field: str, sd: float) -> float:
    if not math.isfinite(sd) or sd <= 0:
        raise InvalidRecord.single(record, field, "a standard deviation above 0", sd)
    return sd


def event_count(record: str, field: str, events: int, group_size: int) -> int:
    if not math.isfinite(events) or not 0 <= events <= group_size:
        expected = f"a count of events from 0 to the group size ({group_size})"
        raise InvalidRecord.single(record, field, expected, events)
    return events


def probability_level(record: str, field: str, level: float) -> float:
    if not math.isfinite(level) or not 0 < level < 1:
        raise InvalidRecord.single(record, field, "a number strictly between 0 and 1", level)
    return level


def positive(record: str, field: str, value: float, expected: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise InvalidRecord.single(record, field, expected, value)
    return value


def correlation(record: str, field: str, value: float) -> float:
    """A correlation strictly between -1 and 1 (at +-1 the variances below vanish)."""
    if not math.isfinite(value) or not -1 < value < 1:
        raise InvalidRecord.single(record, field, "a correlation strictly between -1 and 1", value)
    return value
