"""Checks on every value of a decoded record that a schema cannot make.

One walk over the record, without recursion, finds what storage and publishing would
trip over later: nesting deeper than ``MAX_NESTING``, a NUL character or an unpaired
surrogate in any text or key (PostgreSQL refuses the first, UTF-8 cannot encode the
second), a number that is NaN or infinite, an object whose key was given twice, and a
number with more decimal places than its column keeps. Each problem names the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from guidebook.evidence.errors import Problem, describe
from guidebook.evidence.record_limits import LIMITS, MAX_NESTING

__all__ = ["OutOfRange", "RepeatedKeys", "field_path", "value_problems"]

_PLACES = {limit.field: limit.places for limit in LIMITS if limit.places is not None}
_SURROGATE = re.compile("[\ud800-\udfff]")


class RepeatedKeys(dict[str, Any]):
    """An object read from JSON in which some keys appeared more than once."""

    repeated: tuple[str, ...] = ()


class OutOfRange(float):
    """A JSON number no float can hold (NaN, Infinity, 1e999, 400 digits), with its text."""

    text: str = ""

    @classmethod
    def of(cls, text: str) -> OutOfRange:
        value = float("nan") if text == "NaN" else -math.inf if text[0] == "-" else math.inf
        number = cls(value)
        number.text = text
        return number


def field_path(parts: Iterable[object]) -> str:
    """A record path as messages give it: ``studies[0].findings[1].key``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(record)"


def _pattern(parts: tuple[object, ...]) -> str:
    return field_path("[]" if isinstance(part, int) else part for part in parts).replace(
        ".[]", "[]"
    )


def value_problems(data: object, record: str) -> tuple[list[Problem], bool]:
    """Every value-level problem in ``data``, and whether it is nested too deep to go on.

    A record nested too deep is reported at the first place that goes too far and is
    not walked (or validated) further.
    """
    return ([], False) if _sound(data, (), 1) else _walk(data, record)


def _walk(data: object, record: str) -> tuple[list[Problem], bool]:
    """``value_problems`` itself: one walk that names every problem at its path."""
    problems: list[Problem] = []
    too_deep = False
    stack: list[tuple[tuple[object, ...], object, int]] = [((), data, 1)]
    while stack:
        parts, value, depth = stack.pop()
        if isinstance(value, Mapping | list) and depth > MAX_NESTING:
            found = f"a list or object nested {depth} deep"
            problems.append(
                Problem(record, field_path(parts), f"at most {MAX_NESTING} levels", found)
            )
            too_deep = True
            continue
        if isinstance(value, Mapping):
            problems.extend(_object_problems(record, parts, value))
            children = [((*parts, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            children = [((*parts, index), item) for index, item in enumerate(value)]
        else:
            problems.extend(_scalar_problems(record, parts, value))
            children = []
        stack.extend((path, item, depth + 1) for path, item in reversed(children))
    return problems, too_deep


def _sound(value: object, parts: tuple[object, ...], depth: int) -> bool:
    """Whether ``value_problems`` would find nothing in ``value`` at ``parts``: the same
    tests, but a path is made only for the values that need one (containers and
    numbers), not for every text, which was most of the walk's time. Nearly every
    record read is sound; the full walk then runs only to name what is wrong."""
    if isinstance(value, str):
        return not _text_fault(value)
    if isinstance(value, float):
        return not _scalar_problems("", parts, value)
    if isinstance(value, (dict, Mapping)):
        if depth > MAX_NESTING or getattr(value, "repeated", None):
            return False
        if any(isinstance(key, str) and _text_fault(key) for key in value):
            return False
        items: Iterable[tuple[object, object]] = value.items()
    elif isinstance(value, list):
        if depth > MAX_NESTING:
            return False
        items = enumerate(value)
    else:
        return True
    for key, item in items:
        if isinstance(item, str):
            if _text_fault(item):
                return False
        elif not (item is None or isinstance(item, int)) and not _sound(
            item, (*parts, key), depth + 1
        ):
            return False
    return True


def _object_problems(
    record: str, parts: tuple[object, ...], value: Mapping[Any, Any]
) -> list[Problem]:
    problems = [
        Problem(record, field_path((*parts, key)), "a key given once", "it given again")
        for key in getattr(value, "repeated", ())
    ]
    for key in value:
        if isinstance(key, str) and _text_fault(key):
            expected = "a key " + _TEXT_RULE
            problems.append(Problem(record, field_path(parts), expected, _text_fault(key)))
    return problems


_TEXT_RULE = "without NUL characters or unpaired surrogates"


def _text_fault(text: str) -> str:
    if text.isascii() and "\x00" not in text:
        return ""
    if "\x00" in text:
        return f"a NUL character at position {text.index(chr(0)) + 1}"
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return f"an unpaired surrogate {surrogate.group()!a} at position {surrogate.start() + 1}"
    return ""


def _scalar_problems(record: str, parts: tuple[object, ...], value: object) -> list[Problem]:
    if isinstance(value, str):
        fault = _text_fault(value)
        return [Problem(record, field_path(parts), "text " + _TEXT_RULE, fault)] if fault else []
    if not isinstance(value, float):
        return []
    if not math.isfinite(value):
        found = value.text if isinstance(value, OutOfRange) else describe(value)
        return [Problem(record, field_path(parts), "a finite number", _shorten(found))]
    places = _PLACES.get(_pattern(parts)) if parts and parts[-1] in _PLACED else None
    if places is not None and round(value, places) != value:
        expected = f"a number with at most {places} decimal places"
        return [Problem(record, field_path(parts), expected, repr(value))]
    return []


_PLACED = {field.rsplit(".", 1)[-1] for field in _PLACES}


def _shorten(text: str) -> str:
    return text if len(text) <= 30 else f"{text[:20]}... ({len(text)} characters)"
