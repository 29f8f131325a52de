"""The compiled schema says valid exactly when jsonschema does: keyword by keyword at
each boundary, then on generated records, mutated values and mutated files."""

import json
import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebook.evidence.compiled_schema import compile_schema, known_formats, search_pattern
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_file import loads_record
from guidebook.evidence.record_json import (
    _jsonschema_conforms,
    _valid_record,
    _validator,
    _validator_class,
)
from guidebook.evidence.record_values import OutOfRange, RepeatedKeys
from tests.fuzz.records import mutated_texts, mutated_values, records

_Validator = _validator_class()
FORMATS = _Validator.FORMAT_CHECKER

# One row per boundary: the schema, a value, and whether it is valid.
KEYWORDS = [
    ({"type": "string"}, "x", True),
    ({"type": "string"}, 1, False),
    ({"type": "integer"}, 3, True),
    ({"type": "integer"}, 3.0, True),  # Draft 2020-12: a float with no fraction is an integer
    ({"type": "integer"}, 3.5, False),
    ({"type": "integer"}, True, False),  # a boolean is never a number
    ({"type": "number"}, True, False),
    ({"type": "number"}, 2, True),
    ({"type": "number"}, OutOfRange.of("1e999"), True),  # the value checks refuse it
    ({"type": "number"}, "2", False),
    ({"type": "boolean"}, False, True),
    ({"type": "boolean"}, 0, False),
    ({"type": "null"}, None, True),
    ({"type": "null"}, 0, False),
    ({"type": "array"}, [], True),
    ({"type": "array"}, (), False),
    ({"type": "object"}, {}, True),
    ({"type": "object"}, RepeatedKeys(a=1), True),
    ({"type": "object"}, [], False),
    ({"type": ["integer", "null"]}, None, True),
    ({"type": ["integer", "null"]}, "1", False),
    ({"minimum": 1}, 1, True),
    ({"minimum": 1}, 0.99, False),
    ({"minimum": 1}, "0", True),  # a keyword ignores values of other types
    ({"minimum": 1}, False, True),
    ({"minimum": 1}, math.nan, True),  # as jsonschema compares: NaN is not below 1
    ({"exclusiveMinimum": 0}, 0, False),
    ({"exclusiveMinimum": 0}, 1e-9, True),
    ({"maximum": 10}, 10, True),
    ({"maximum": 10}, 10.5, False),
    ({"exclusiveMaximum": 1}, 1, False),
    ({"exclusiveMaximum": 1}, 0.999, True),
    ({"minLength": 1}, "", False),
    ({"minLength": 1}, "a", True),
    ({"minLength": 1}, [], True),
    ({"maxLength": 2}, "ab", True),
    ({"maxLength": 2}, "abc", False),
    ({"maxLength": 2}, 123, True),
    ({"minItems": 1}, [], False),
    ({"minItems": 1}, [0], True),
    ({"minItems": 1}, "", True),
    ({"uniqueItems": True}, ["a", "b"], True),
    ({"uniqueItems": True}, ["a", "a"], False),
    ({"uniqueItems": True}, "aa", True),
    ({"uniqueItems": False}, ["a", "a"], True),
    ({"enum": ["a", None]}, "a", True),
    ({"enum": ["a", None]}, None, True),
    ({"enum": ["a", None]}, "null", False),
    ({"enum": ["a"]}, None, False),
    ({"enum": ["1"]}, 1, False),
    ({"enum": ["a"]}, ["a"], False),
    ({"const": "x"}, "x", True),
    ({"const": "x"}, "y", False),
    ({"const": "x"}, None, False),
    ({"pattern": "^[a-z]+$"}, "abc", True),
    ({"pattern": "^[a-z]+$"}, "abc\n", False),  # $ is the very end, as in JSON Schema
    ({"pattern": "^a\\$"}, "a$", True),
    ({"pattern": "^[a-z]+$"}, 5, True),
    ({"pattern": "b"}, "abc", True),  # a search, not a whole match
    ({"format": "date"}, "2024-02-29", True),
    ({"format": "date"}, "2023-02-29", False),
    ({"format": "date"}, "29/02/2024", False),
    ({"format": "date"}, 20240229, True),
    ({"items": {"type": "integer"}}, [1, 2], True),
    ({"items": {"type": "integer"}}, [1, "2"], False),
    ({"items": {"type": "integer"}}, {"a": "b"}, True),
    ({"properties": {"a": {"type": "integer"}}}, {"a": 1, "b": "x"}, True),
    ({"properties": {"a": {"type": "integer"}}}, {"a": "1"}, False),
    ({"properties": {"a": {"type": "integer"}}}, "not an object", True),
    ({"required": ["a"]}, {"a": None}, True),
    ({"required": ["a"]}, {"b": 1}, False),
    ({"required": ["a"]}, [], True),
    ({"properties": {"a": {}}, "additionalProperties": False}, {"a": 1}, True),
    ({"properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "b": 2}, False),
    ({"additionalProperties": {"type": "integer"}}, {"a": 1}, True),
    ({"additionalProperties": {"type": "integer"}}, {"a": "1"}, False),
    ({"properties": {"a": {}}, "additionalProperties": {"type": "null"}}, {"a": 1}, True),
    ({"additionalProperties": True}, {"a": 1}, True),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, None, True),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, "x", False),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1.5, True),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1, False),  # both match
    ({"oneOf": [{"type": "integer"}, {"type": "null"}]}, "x", False),
    ({"oneOf": [True, False]}, "anything", True),
    ({"description": "words only", "title": "t", "$comment": "c"}, 1, True),
    ({"type": "string", "maxLength": 3, "pattern": "^[a-c]*$", "minLength": 1}, "abc", True),
    ({"type": "string", "maxLength": 3, "pattern": "^[a-c]*$", "minLength": 1}, "abd", False),
]


@pytest.mark.parametrize(("schema", "value", "valid"), KEYWORDS)
def test_each_keyword_agrees_with_jsonschema(schema, value, valid):
    assert _Validator(schema, format_checker=FORMATS).is_valid(value) is valid
    assert compile_schema(schema, FORMATS.conforms)(value) is valid


def test_without_a_format_check_formats_are_not_tested():
    assert compile_schema({"format": "date"})("not a date") is True


def test_a_list_of_other_values_under_unique_items_is_left_to_jsonschema():
    check = compile_schema({"uniqueItems": True})
    # jsonschema finds both valid (true is not 1), but the check does not decide.
    assert _Validator({"uniqueItems": True}).is_valid([1, True])
    assert check([1, True]) is False
    assert check(["a", 1]) is False


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"$ref": "#/x"}, "schema keyword '$ref': not one compile_schema knows"),
        ({"properties": {"a": {"not": {}}}}, "schema keyword 'not': not one compile_schema knows"),
        ({"enum": [1]}, "schema keyword 'enum': only texts and null are known"),
        ({"const": 1}, "schema keyword 'const': only a text is known"),
        ({"items": "string"}, "schema: expected an object or a boolean, found 'string'"),
    ],
)
def test_a_schema_it_does_not_understand_is_refused_not_half_checked(schema, message):
    with pytest.raises(ValueError, match="^" + message.replace("$", r"\$") + "$"):
        compile_schema(schema)


def test_the_programme_schema_compiles():
    assert _valid_record() is _valid_record()  # built once


def test_a_pattern_keeps_an_escaped_dollar():
    assert search_pattern(r"^a\$").pattern == r"^a\$"
    assert search_pattern("^a$").pattern == r"^a\Z"


# Dates as a record might hold them, and the near misses jsonschema refuses.
DATES = [
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "0000-01-01",
    "9999-12-31",
    "2024-1-01",
    "20240229",
    "2024-02-29T00:00",
    "2024-02-29\n",
    " 2024-02-29",
    "+2024-02-29",
    "\uff12\uff10\uff12\uff14-01-01",  # full-width digits are digits, but not ASCII
    "29/02/2024",
    "",
    20240229,
    None,
    ["2024-02-29"],
]


@pytest.mark.parametrize("value", DATES)
def test_a_date_is_tested_as_jsonschema_tests_it_without_jsonschema(value):
    def never_asked(value, name):
        raise AssertionError(f"asked about {name}")

    assert known_formats(never_asked)(value, "date") is FORMATS.conforms(value, "date")


@given(st.from_regex(r"\A[0-9\-]{8,12}\Z") | st.dates().map(str) | st.text(max_size=12))
def test_any_text_is_a_date_exactly_when_jsonschema_says_so(text):
    assert known_formats(FORMATS.conforms)(text, "date") is FORMATS.conforms(text, "date")


def test_the_record_gate_leaves_other_formats_to_jsonschema():
    assert _jsonschema_conforms("someone@example.org", "email") is True
    assert _jsonschema_conforms("nobody", "email") is False


def test_other_formats_are_left_to_the_checker_given():
    asked = []
    check = known_formats(lambda value, name: asked.append((value, name)) or False)
    assert check("a@b", "email") is False
    assert asked == [("a@b", "email")]


PROFILE = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _agrees(data):
    valid = not any(True for _ in _validator().iter_errors(data))
    assert _valid_record()(data) is valid


@PROFILE
@given(records())
def test_every_generated_record_is_valid_to_both(data):
    assert _valid_record()(data) is True
    _agrees(data)


@PROFILE
@given(mutated_values())
def test_a_mutated_record_is_judged_alike(data):
    _agrees(data)


@PROFILE
@given(mutated_texts())
def test_a_mutated_file_is_judged_alike(text):
    try:
        data = loads_record(text, "file.json")
    except InvalidRecord:
        return  # refused before the schema
    _agrees(data)


def test_the_demo_records_and_their_dates_are_valid_to_both(ipp_data):
    _agrees(ipp_data)
    ipp_data["reviews"] = [{"name": "Review", "date": date(2024, 1, 1).isoformat()}]
    _agrees(json.loads(json.dumps(ipp_data)))
    ipp_data["reviews"][0]["date"] = "2024-13-01"
    _agrees(ipp_data)
