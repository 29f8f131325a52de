"""Reading record files and writing them canonically: the way in for every file.

``read_programme_file`` is what ``guidebook rate``, ``cost`` and ``import`` use. Before
the JSON is parsed it checks the file's size and how deep its brackets nest (a cheap
scan that skips strings), so a hostile file gets a message instead of exhausting
memory or Python's recursion limit. The parser refuses nothing silently: a key given
twice and the NaN and Infinity literals are kept aside and reported, with their field,
by ``programme_from_dict``, together with every other problem.

``canonical_json`` is the one way records are written: keys sorted, two-space indent,
numbers as Python writes them (the shortest text that reads back as the same float),
so an export is byte-identical whichever database it came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.record_limits import MAX_FILE_BYTES, MAX_NESTING
from guidebook.evidence.record_values import OutOfRange, RepeatedKeys
from guidebook.evidence.records import Programme

__all__ = ["canonical_json", "loads_record", "read_programme_file", "read_programme_text"]

_FILE = "(file)"
# A JSON string (with its escapes) or a bracket: strings are skipped, brackets counted.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKENS = re.compile(_STRING + r"|[\[\]{}]", re.DOTALL)
_STRINGS = re.compile(_STRING, re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INT_DIGITS = 30


def read_programme_file(path: Path) -> Programme:
    """Read and check a programme record file; ``InvalidRecord`` names every problem."""
    record = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidRecord([Problem(record, _FILE, _size_rule(), f"{size:,} bytes")])
        content = path.read_bytes()
    except OSError as error:
        raise InvalidRecord.single(record, _FILE, "a readable file", error.strerror) from None
    return read_programme_text(content, record)


def read_programme_text(content: bytes | str, record: str) -> Programme:
    """Read and check one record given as JSON text (UTF-8 bytes or str)."""
    return programme_from_dict(loads_record(content, record), source=record)


def loads_record(content: bytes | str, record: str) -> Any:
    """Decode JSON text within the size and nesting limits, keeping repeated keys and
    non-finite numbers aside for the record checks to report."""
    size = len(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    if size > MAX_FILE_BYTES:
        raise InvalidRecord([Problem(record, _FILE, _size_rule(), f"{size:,} bytes")])
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            problem = Problem(record, _FILE, "UTF-8 text", "undecodable bytes")
            raise InvalidRecord([problem]) from None
    _check_nesting(content, record)
    try:
        return json.loads(
            content,
            object_pairs_hook=_object,
            parse_constant=OutOfRange.of,
            parse_int=_integer,
            parse_float=_float,
        )
    except json.JSONDecodeError as error:
        found = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise InvalidRecord([Problem(record, _FILE, "a JSON document", found)]) from None


def _size_rule() -> str:
    return f"a file of at most {MAX_FILE_BYTES:,} bytes"


def _check_nesting(text: str, record: str) -> None:
    if _deepest(text) <= MAX_NESTING:
        return
    offset = _first_too_deep(text)
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    found = f"deeper nesting at line {line}, column {column}"
    expected = f"lists and objects nested at most {MAX_NESTING} levels"
    raise InvalidRecord([Problem(record, _FILE, expected, found)])


_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _deepest(text: str) -> int:
    """How deep the brackets outside strings nest, counted on the brackets alone (a
    third of the time of walking every token, which only says where it goes too far)."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _first_too_deep(text: str) -> int:
    """Where the first bracket nested deeper than MAX_NESTING is (the text has one)."""
    tokens = list(_TOKENS.finditer(text))
    depths = accumulate(_DEPTH_STEP.get(token.group(), 0) for token in tokens)
    return next(
        token.start() for token, depth in zip(tokens, depths, strict=True) if depth > MAX_NESTING
    )


def _object(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    plain = dict(pairs)
    if len(plain) == len(pairs):
        return plain
    keys = [key for key, _ in pairs]
    repeated = RepeatedKeys(pairs)
    repeated.repeated = tuple(sorted({key for key in keys if keys.count(key) > 1}))
    return repeated


def _integer(text: str) -> int | float:
    # Python refuses to convert very long digit strings; none is a plausible value.
    return int(text) if len(text.lstrip("-")) <= _INT_DIGITS else OutOfRange.of(text)


def _float(text: str) -> float:
    value = float(text)
    return value if abs(value) != float("inf") else OutOfRange.of(text)


def canonical_json(data: Any) -> str:
    """The canonical text of a record: sorted keys, two-space indent, UTF-8 characters
    as themselves, a final newline; refuses NaN and Infinity."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
