"""A JSON Schema turned into one plain Python function that says only: valid or not.

The record gate checks every record against the programme schema, and the jsonschema
library takes about 8 ms to do it for a record of ten studies: for every value it
builds a validator, looks each keyword up and yields from generators, because it is
ready to explain every error. Most records have none. So the gate asks the function
``compile_schema`` makes first, which does the same tests with none of that machinery
(about a tenth of the time), and calls jsonschema only for a record it refuses, to
name each problem as before.

The function must agree with jsonschema on every value, or a record jsonschema
refuses could get through. So it understands only the keywords the programme schema
uses, each applied exactly as jsonschema applies it under Draft 2020-12 (a keyword
ignores values of the types it is not about; "integer" includes 1.0; true is not 1);
``compile_schema`` refuses a schema holding any other keyword, rather than ignoring
one it does not know. ``tests/evidence/test_compiled_schema.py`` checks the agreement
keyword by keyword and on generated and mutated records.

Why not a library: fastjsonschema, the usual compiling validator for Python,
implements drafts 4, 6 and 7 only, and the programme schema is Draft 2020-12.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

__all__ = ["Check", "FormatCheck", "compile_schema", "known_formats", "search_pattern"]

Check = Callable[[Any], bool]
"""Whether a decoded JSON value is valid under the schema it was compiled from."""

FormatCheck = Callable[[Any, str], bool]
"""Whether a value conforms to a named format (jsonschema's ``FormatChecker.conforms``)."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default"})
_OBJECT_KEYWORDS = ("properties", "required", "additionalProperties")


def search_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` as JSON Schema means it, for ``re.search``: ``$`` matches only at the
    very end (Python's ``$`` also matches before a final newline, so 'my-programme\\n'
    would pass as a slug)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def known_formats(other: FormatCheck) -> FormatCheck:
    """A format test that decides "date", the one format the programme schema names,
    as jsonschema's format checker does, and asks ``other`` about any other format.

    jsonschema calls a date valid when it is a text of the form YYYY-MM-DD in ASCII
    digits that ``datetime.date.fromisoformat`` accepts, and calls any value that is not
    a text valid too (``jsonschema._format.is_date``). Deciding it here keeps jsonschema,
    some 50 ms to import, out of a process whose records are all valid, such as
    ``guidebook rate`` on a good file.
    """

    def conforms(value: Any, name: str) -> bool:
        if name != "date":
            return other(value, name)
        if not isinstance(value, str):
            return True
        if _ISO_DATE.fullmatch(value) is None:
            return False
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True

    return conforms


def compile_schema(schema: Mapping[str, Any], format_check: FormatCheck | None = None) -> Check:
    """The validity test of ``schema``: True only for a value jsonschema finds valid;
    False for one it refuses, and for the one kind of value this test leaves to it (a
    ``uniqueItems`` list holding something other than texts). ``format_check`` tests
    ``format`` (None: formats are not tested, as jsonschema without a format checker).

    Raises ValueError naming a keyword it does not understand.
    """
    test = _Compiler(format_check).schema(schema)

    def check(value: object) -> bool:
        try:
            return test(value)
        except _Undecided:
            return False

    return check


class _Undecided(Exception):
    """Raised where only jsonschema itself can tell (the caller then asks it)."""


def _is_number(value: object) -> bool:
    kind = type(value)
    if kind is float or kind is int:
        return True
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


def _is_integer(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


def _all(checks: Sequence[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: object) -> bool:
        for check in checks:  # noqa: SIM110 (a loop is quicker than all() here)
            if not check(value):
                return False
        return True

    return every


class _Compiler:
    def __init__(self, format_check: FormatCheck | None) -> None:
        self.format_check = format_check

    def schema(self, schema: object) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, Mapping):
            raise ValueError(f"schema: expected an object or a boolean, found {schema!r}")
        checks: list[Check] = []
        if "type" in schema:  # the cheapest test first: most failures are the wrong type
            checks.append(self.type_test(schema["type"]))
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or keyword == "type" or keyword in _OBJECT_KEYWORDS:
                continue
            method = getattr(self, f"keyword_{keyword}", None)
            if method is None:
                raise ValueError(f"schema keyword {keyword!r}: not one compile_schema knows")
            checks.append(method(value))
        if any(keyword in schema for keyword in _OBJECT_KEYWORDS):
            checks.append(self.object_test(schema))
        return _all(checks)

    def type_test(self, types: str | list[str]) -> Check:
        tests = [_TYPES[name] for name in ([types] if isinstance(types, str) else types)]
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def object_test(self, schema: Mapping[str, Any]) -> Check:
        properties = {key: self.schema(sub) for key, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        # A key the schema does not name: allowed (None), refused, or tested by a schema.
        closed = extra is False
        other = None if isinstance(extra, bool) else self.schema(extra)

        def check(value: object) -> bool:
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                test = properties.get(key, other)
                if test is None:
                    if closed:
                        return False
                elif not test(item):
                    return False
            return True

        return check

    def keyword_items(self, schema: object) -> Check:
        test = self.schema(schema)

        def each(value: object) -> bool:
            if isinstance(value, list):
                for item in value:
                    if not test(item):
                        return False
            return True

        return each

    def keyword_enum(self, allowed: list[Any]) -> Check:
        texts = frozenset(item for item in allowed if isinstance(item, str))
        if len(texts) + allowed.count(None) != len(allowed):
            raise ValueError("schema keyword 'enum': only texts and null are known")
        null = None in allowed
        # jsonschema compares a text only with texts, and null is only null.
        return lambda value: value in texts if isinstance(value, str) else null and value is None

    def keyword_const(self, expected: object) -> Check:
        if not isinstance(expected, str):
            raise ValueError("schema keyword 'const': only a text is known")
        return lambda value: isinstance(value, str) and value == expected

    def keyword_minimum(self, limit: float) -> Check:
        return lambda value: not _is_number(value) or not value < limit

    def keyword_exclusiveMinimum(self, limit: float) -> Check:
        return lambda value: not _is_number(value) or not value <= limit

    def keyword_maximum(self, limit: float) -> Check:
        return lambda value: not _is_number(value) or not value > limit

    def keyword_exclusiveMaximum(self, limit: float) -> Check:
        return lambda value: not _is_number(value) or not value >= limit

    def keyword_minLength(self, least: int) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= least

    def keyword_maxLength(self, most: int) -> Check:
        return lambda value: not isinstance(value, str) or len(value) <= most

    def keyword_minItems(self, least: int) -> Check:
        return lambda value: not isinstance(value, list) or len(value) >= least

    def keyword_uniqueItems(self, unique: bool) -> Check:
        if not unique:
            return lambda value: True
        return lambda value: not isinstance(value, list) or _unique(value)

    def keyword_pattern(self, pattern: str) -> Check:
        search = search_pattern(pattern).search
        return lambda value: not isinstance(value, str) or search(value) is not None

    def keyword_format(self, name: str) -> Check:
        conforms = self.format_check
        if conforms is None:
            return lambda value: True
        return lambda value: conforms(value, name)

    def keyword_anyOf(self, schemas: list[object]) -> Check:
        tests = [self.schema(schema) for schema in schemas]
        return lambda value: any(test(value) for test in tests)

    def keyword_oneOf(self, schemas: list[object]) -> Check:
        tests = [self.schema(schema) for schema in schemas]
        return lambda value: sum(1 for test in tests if test(value)) == 1


def _unique(items: list[Any]) -> bool:
    """``uniqueItems`` for a list of texts. jsonschema compares other values its own way
    (true is not 1, but 1 is 1.0, and it sorts them first), so they are left to it."""
    if not all(isinstance(item, str) for item in items):
        raise _Undecided
    return len(set(items)) == len(items)
