"""The one gate for every record: limits, values, files, and every problem in one pass."""

import json
import math
import types

import pytest
from hypothesis import HealthCheck, given, settings

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_file import (
    canonical_json,
    loads_record,
    read_programme_file,
    read_programme_text,
)
from guidebook.evidence.record_json import programme_from_dict, read_provenance, read_statistics
from guidebook.evidence.record_limits import (
    DEFAULT_NUMBER,
    DEFAULT_TEXT,
    LIMITS,
    MAX_FILE_BYTES,
    MAX_NESTING,
    limit_of,
    with_limits,
)
from guidebook.evidence.record_schema import programme_schema
from guidebook.evidence.record_values import OutOfRange, RepeatedKeys, value_problems
from tests.conftest import DEMO_IPP
from tests.fuzz.records import mutated_values

IPP = "programme 'infant-parent-psychotherapy'"


def problems_of(data, source="file.json"):
    with pytest.raises(InvalidRecord) as caught:
        programme_from_dict(data, source=source)
    return caught.value.problems


def text_problems(text, record="file.json"):
    with pytest.raises(InvalidRecord) as caught:
        read_programme_text(text, record)
    return caught.value.problems


def fields(problems):
    return {p.field: p for p in problems}


# --- Non-finite numbers (issue 10, defect 5) ------------------------------------------


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
@pytest.mark.parametrize(
    "field",
    [
        ("studies", 0, "sample_size"),
        ("studies", 0, "findings", 0, "months_after"),
        ("delivery", "session_hours_min"),
        ("cost", "licence_fee"),
    ],
)
def test_non_finite_numbers_are_refused_naming_the_field(ipp_data, literal, field):
    target = ipp_data
    for step in field[:-1]:
        target = target[step]
    target[field[-1]] = "__NUMBER__"
    text = json.dumps(ipp_data).replace('"__NUMBER__"', literal)
    problem = fields(text_problems(text))[
        ".".join(str(s) for s in field).replace(".0.", "[0].").replace(".0", "[0]")
    ]
    assert problem.expected == "a finite number"
    assert problem.found == literal


def test_an_infinite_follow_up_no_longer_lifts_a_programme(ipp_data):
    # Before the gate, months_after = Infinity counted as long-term follow-up (level 4).
    ipp_data["studies"][1]["findings"][0]["months_after"] = math.inf
    (problem,) = problems_of(ipp_data)
    assert problem.field == "studies[1].findings[0].months_after"
    assert problem.found == "inf"


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_non_finite_criterion_answer_is_refused(ipp_data, value):
    ipp_data["studies"][0]["appraisal"]["answers"]["sample.size"] = value
    problem = fields(problems_of(ipp_data))["studies[0].appraisal.answers.sample.size"]
    assert problem.expected == "a finite number"


def test_a_digit_string_too_long_for_any_number_is_refused(ipp_data):
    ipp_data["studies"][0]["sample_size"] = "__NUMBER__"
    text = json.dumps(ipp_data).replace('"__NUMBER__"', "9" * 400)
    problem = fields(text_problems(text))["studies[0].sample_size"]
    assert problem.found.startswith("99999") and "400 characters" in problem.found


# --- Nesting, size, syntax, repeated keys (issue 10, defect 6) -------------------------


def test_a_record_nested_1000_deep_gets_a_message_not_a_recursion_error():
    text = '{"format": "guidebook-programme/1", "name": ' + "[" * 1000 + "]" * 1000 + "}"
    (problem,) = text_problems(text)
    assert problem.field == "(file)"
    assert problem.expected == f"lists and objects nested at most {MAX_NESTING} levels"
    assert problem.found == "deeper nesting at line 1, column 60"


def test_brackets_inside_strings_do_not_count_as_nesting(ipp_data):
    ipp_data["description"] = "[" * 100 + '{"\\"' * 10
    assert read_programme_text(json.dumps(ipp_data), "file.json").description.startswith("[[[")


def test_decoded_data_nested_too_deep_is_reported_once_and_not_validated():
    deep: list = []
    for _ in range(MAX_NESTING + 5):
        deep = [deep]
    (problem,) = problems_of({"format": "guidebook-programme/1", "slug": "x", "name": deep})
    assert problem.field == "name" + "[0]" * (MAX_NESTING - 1)
    assert problem.expected == f"at most {MAX_NESTING} levels"


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(InvalidRecord) as caught:
        read_programme_file(path)
    (problem,) = caught.value.problems
    assert problem.expected == f"a file of at most {MAX_FILE_BYTES:,} bytes"
    assert problem.found == f"{MAX_FILE_BYTES + 1:,} bytes"


def test_text_larger_than_the_limit_is_refused():
    (problem,) = text_problems(" " * (MAX_FILE_BYTES + 1))
    assert problem.found == f"{MAX_FILE_BYTES + 1:,} bytes"


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(InvalidRecord) as caught:
        read_programme_file(tmp_path / "nowhere.json")
    assert caught.value.problems[0].expected == "a readable file"


@pytest.mark.parametrize(
    ("content", "found"),
    [(b"\xff\xfe", "undecodable bytes"), (b'{"a": }', "Expecting value at line 1, column 7")],
)
def test_unreadable_text_is_one_file_problem(content, found):
    (problem,) = text_problems(content)
    assert (problem.field, problem.found) == ("(file)", found)


def test_a_key_given_twice_is_refused_naming_it(ipp_data):
    text = json.dumps(ipp_data).replace('"name": ', '"name": "Other", "name": ', 1)
    problem = fields(text_problems(text))["name"]
    assert (problem.expected, problem.found) == ("a key given once", "it given again")


def test_the_parser_keeps_repeated_keys_and_non_finite_numbers_aside():
    data = loads_record('{"a": 1, "a": 2, "b": NaN, "c": 1.5, "d": -5}', "x")
    assert isinstance(data, RepeatedKeys) and data.repeated == ("a",)
    assert isinstance(data["b"], OutOfRange) and data["b"].text == "NaN"
    assert (data["c"], data["d"]) == (1.5, -5)


# --- Text: NUL, surrogates, lengths ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a\x00b", "a NUL character at position 2"),
        ("ab\ud800", "an unpaired surrogate '\\ud800' at position 3"),
    ],
)
def test_text_postgresql_or_utf8_cannot_store_is_refused(ipp_data, text, found):
    ipp_data["summary"] = text
    ipp_data["studies"][0]["appraisal"]["answers"]["x" + text] = True
    problems = fields(problems_of(ipp_data))
    assert problems["summary"].found == found
    assert problems["studies[0].appraisal.answers"].expected.startswith("a key without NUL")


def test_accented_text_is_kept(ipp_data):
    ipp_data["summary"] = "Thérapie précoce: 幼児"
    assert programme_from_dict(ipp_data).summary == "Thérapie précoce: 幼児"


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: limit.field)
def test_each_limit_is_in_the_shipped_schema(limit):
    node = programme_schema()
    for step in limit.field.replace("[]", ".[]").split("."):
        node = node["items"] if step == "[]" else node["properties"][step]
        node = next((v for v in node.get("oneOf", []) if v.get("type") == "object"), node)
    assert limit.maximum in (node.get("maxLength"), node.get("maximum"))


def test_text_over_its_column_length_names_length_and_limit(ipp_data):
    ipp_data["studies"][0]["label"] = "x" * 61
    ipp_data["summary"] = "y" * (int(DEFAULT_TEXT.maximum) + 1)
    problems = fields(problems_of(ipp_data))
    assert problems["studies[0].label"].expected == "a text of at most 60 characters"
    assert problems["studies[0].label"].found == "61 characters"
    assert problems["summary"].expected == "a text of at most 20,000 characters"


def test_limits_default_for_fields_not_in_the_table():
    assert limit_of("summary", "text") is DEFAULT_TEXT
    assert limit_of("studies[].findings[].statistics.t", "number") is DEFAULT_NUMBER
    schema = with_limits({"type": "object", "additionalProperties": {"type": "number"}})
    assert schema["additionalProperties"]["minimum"] == -DEFAULT_NUMBER.maximum


# --- Slugs, keys, addresses, ranges -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (("slug",), "infant-parent-psychotherapy\n", "lower-case words joined by hyphens"),
        (("slug",), "x" * 121, "a text of at most 120 characters"),
        (("studies", 0, "key"), "study 1", "letters, digits, hyphens and underscores"),
        (("studies", 0, "key"), "study-1\n", "letters, digits, hyphens and underscores"),
        (("contact", "email"), "ada@example", "empty, or an email address"),
        (("contact", "email"), "ada@example.org\n", "empty, or an email address"),
        (("contact", "website"), "javascript:alert(1)", "empty, or an http:// or https://"),
        (("contact", "website"), "ftp://example.org", "empty, or an http:// or https://"),
        (("contact", "website"), "https://localhost/", "empty, or an http:// or https://"),
        (("imported", "source"), "test catalogue", "an http:// or https:// web address"),
        (("delivery", "session_hours_min"), 1000, "a number <= 24"),
        (("delivery", "session_hours_min"), 1.234, "a number with at most 2 decimal places"),
        (("delivery", "sessions"), 2**63, "a number <= 1000"),
        (("studies", 0, "sample_size"), 2**31, "a number <= 100000000"),
        (("studies", 0, "findings", 0, "months_after"), 1e300, "a number <= 1200"),
        (("cost", "licence_fee"), -1, "a number >= 0"),
    ],
)
def test_values_storage_cannot_keep_are_refused_at_the_door(ipp_data, field, value, expected):
    ipp_data.setdefault("imported", None)
    if field[0] == "imported":
        ipp_data["imported"] = {
            "evidence_rating": "3",
            "cost_rating": "NA",
            "source": "https://example.org",
            "retrieved": "2024-01-01",
        }
    target = ipp_data
    for step in field[:-1]:
        target = target[step]
    target[field[-1]] = value
    name = ".".join(str(s) for s in field).replace(".0.", "[0].")
    problem = fields(problems_of(ipp_data))[name]
    assert problem.expected.startswith(expected), problem


@pytest.mark.parametrize(
    "url",
    ["https://example.org", "http://www.example.co.uk/a/b?c=d#e", "https://doi.org/10.1/x(1)"],
)
def test_ordinary_web_addresses_pass(ipp_data, url):
    ipp_data["contact"]["website"] = url
    assert programme_from_dict(ipp_data).contact.website == url


# --- What only the parts together show, in the same pass --------------------------------


def test_every_problem_is_reported_in_one_pass(ipp_data):
    ipp_data["name"] = 5  # schema
    ipp_data["studies"][1]["key"] = "study-1"  # repeated key
    ipp_data["studies"][0]["appraisal"]["answers"]["no.such-criterion"] = True  # standards
    ipp_data["studies"][0]["appraisal"]["justification"] = " "  # verdict without reason
    ipp_data["cost"]["families_per_group"] = 0  # schema, in the cost section
    ipp_data["reviews"].append(dict(ipp_data["reviews"][0]))  # the same round twice
    problems = fields(problems_of(ipp_data))
    assert set(problems) >= {
        "name",
        "studies[1].key",
        "studies[0].appraisal.answers[no.such-criterion]",
        "studies[0].appraisal.justification",
        "cost.families_per_group",
        f"reviews[{len(ipp_data['reviews']) - 1}]",
    }


def test_an_appraisal_that_is_not_the_consensus_is_refused_not_dropped(ipp_data):
    ipp_data["studies"][0]["appraisal"]["consensus"] = False
    problem = fields(problems_of(ipp_data))["studies[0].appraisal.consensus"]
    assert problem.expected.startswith("true: a record holds the study's consensus")


def test_impossible_cost_inputs_are_refused_as_the_cost_model_would(ipp_data, monkeypatch):
    from guidebook.evidence import record_json
    from guidebook.evidence.errors import Problem

    def refuse(profile, record):
        return [Problem(record, "cost.sessions", "something", "else")]

    monkeypatch.setattr(record_json, "profile_problems", refuse)
    assert "cost.sessions" in fields(problems_of(ipp_data))


def test_the_gate_names_the_cost_problems_estimate_cost_raises(ipp_data):
    from guidebook.evidence.cost import estimate_cost
    from guidebook.evidence.records import CostProfile

    ipp_data["cost"]["session_hours"] = 0  # the schema allows 0; the cost model does not
    with pytest.raises(InvalidRecord) as caught:
        estimate_cost(CostProfile(**ipp_data["cost"]), IPP)
    (problem,) = caught.value.problems
    assert fields(problems_of(ipp_data))["cost.session_hours"] == problem


# --- Statistics: strings, effects that cannot be computed ----------------------------


def test_a_non_numeric_string_in_statistics_gets_a_message_not_a_value_error(ipp_data):
    ipp_data["studies"][0]["findings"][0]["statistics"] = {
        "type": "t",
        "t": "2.1x",
        "n_treatment": 30,
        "n_comparison": 31,
    }
    problem = fields(problems_of(ipp_data))["studies[0].findings[0].statistics.t"]
    assert (problem.expected, problem.found) == ("a value of type number", "'2.1x'")


@pytest.mark.parametrize(
    ("statistics", "found"),
    [
        (
            {
                "type": "means",
                "mean_treatment": 1e9,
                "sd_treatment": 1e-150,
                "n_treatment": 20,
                "mean_comparison": -1e9,
                "sd_comparison": 1e-150,
                "n_comparison": 20,
            },
            "(34, 'Numerical result out of range')",
        ),
        (
            {
                "type": "means",
                "mean_treatment": 1e9,
                "sd_treatment": 1e-300,
                "n_treatment": 20,
                "mean_comparison": -1e9,
                "sd_comparison": 1e-300,
                "n_comparison": 20,
            },
            "float division by zero",
        ),
    ],
)
def test_statistics_whose_effect_is_not_finite_are_refused(statistics, found):
    with pytest.raises(InvalidRecord) as caught:
        read_statistics(statistics, "finding x")
    (problem,) = caught.value.problems
    assert problem.field == "statistics"
    assert problem.found.startswith(found)


def test_an_effect_that_comes_out_infinite_is_refused(monkeypatch):
    from dataclasses import replace

    from guidebook.evidence import record_json

    real = record_json.effect_of
    monkeypatch.setattr(
        record_json, "effect_of", lambda s, r: replace(real(s, r), g=math.inf, variance=0.0)
    )
    stats = {"type": "t", "t": 2.0, "n_treatment": 30, "n_comparison": 30}
    with pytest.raises(InvalidRecord) as caught:
        read_statistics(stats, "f")
    assert caught.value.problems[0].found == "effect inf with variance 0.0"


def test_read_statistics_checks_values_first():
    with pytest.raises(InvalidRecord) as caught:
        read_statistics({"type": "t", "t": math.nan, "n_treatment": 3, "n_comparison": 3}, "f")
    assert caught.value.problems[0].field == "statistics.t"


def test_an_arithmetic_failure_in_the_effect_becomes_a_problem(monkeypatch):
    from guidebook.evidence import record_json

    def overflow(statistics, record):
        raise OverflowError("math range error")

    monkeypatch.setattr(record_json, "effect_of", overflow)
    stats = {"type": "t", "t": 2.0, "n_treatment": 30, "n_comparison": 30}
    with pytest.raises(InvalidRecord) as caught:
        read_statistics(stats, "f")
    assert caught.value.problems[0].found == "math range error"


# --- Canonical text ---------------------------------------------------------------------


def test_canonical_text_sorts_keys_and_reads_back_the_same():
    data = json.loads(DEMO_IPP.read_text(encoding="utf-8"))
    text = canonical_json(data)
    assert text.endswith("}\n")
    assert json.loads(text) == data
    assert canonical_json(json.loads(text)) == text
    assert text.index('"cost"') < text.index('"slug"')


def test_canonical_text_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})


def test_value_problems_walk_any_decoded_value():
    assert value_problems([1, "a", None, True, 2.5], "r") == ([], False)


def test_the_demo_file_reads_through_the_gate():
    assert read_programme_file(DEMO_IPP).slug == "infant-parent-psychotherapy"


def test_a_slug_of_the_wrong_type_is_one_problem(ipp_data):
    ipp_data["slug"] = 5
    (problem,) = [p for p in problems_of(ipp_data) if p.field == "slug"]
    assert problem.expected == "a value of type string"


# --- The record-format additions pass the same gate -------------------------------------

_PUBLICATION = {"citation": "Smith (2020)"}
_PROVENANCE = {
    "sources": ["https://example.org/paper"],
    "retrieved": "2024-01-01",
    "appraised_by": "Ada",
    "note": "",
}
_EFFECT = {"type": "effect", "effect_size": 0.4, "se": 0.1}


@pytest.mark.parametrize(
    ("part", "field", "value", "expected"),
    [
        ("publication", "authors", ["x" * 201], "a text of at most 200 characters"),
        ("publication", "year", 1799, "a number >= 1800"),
        ("publication", "year", 2101, "a number <= 2100"),
        ("publication", "journal", "j" * 301, "a text of at most 300 characters"),
        ("publication", "volume", "1" * 31, "a text of at most 30 characters"),
        ("publication", "issue", "1" * 31, "a text of at most 30 characters"),
        ("publication", "pages", "1" * 31, "a text of at most 30 characters"),
        ("publication", "doi", "10.1000/" + "x" * 200, "a text of at most 200 characters"),
        ("publication", "doi", "doi:10.1000/x", "a bare DOI"),
        ("publication", "pmid", "1" * 21, "a text of at most 20 characters"),
        ("publication", "pmid", "PMID 12", "a PubMed id in digits"),
        ("publication", "title", "t" * 20_001, "a text of at most 20,000 characters"),
        ("provenance", "sources", ["javascript:alert(1)"], "an http:// or https://"),
        ("provenance", "sources", ["https://x.org/" + "a" * 500], "a text of at most 500"),
        ("provenance", "appraised_by", "a" * 151, "a text of at most 150 characters"),
        ("provenance", "note", "n" * 2_001, "a text of at most 2,000 characters"),
        ("provenance", "retrieved", "yesterday", "a date in ISO form"),
        ("effect", "effect_size", 1e300, "a number <= 1000000000"),
        ("effect", "se", 0, "a number > 0"),
        ("effect", "ci_level", 1, "a number < 1"),
        ("effect", "ci_level", 0, "a number > 0"),
    ],
)
def test_the_new_fields_meet_their_limits(ipp_data, part, field, value, expected):
    study = ipp_data["studies"][0]
    if part == "publication":
        study["publications"] = [{**_PUBLICATION, field: value}]
        name = f"studies[0].publications[0].{field}"
    elif part == "provenance":
        study["provenance"] = {**_PROVENANCE, field: value}
        name = f"studies[0].provenance.{field}"
    else:
        study["findings"][0]["statistics"] = {**_EFFECT, field: value}
        name = f"studies[0].findings[0].statistics.{field}"
    found = fields(problems_of(ipp_data))
    problem = found.get(name) or found[f"{name}[0]"]
    assert problem.expected.startswith(expected), problem


def test_the_new_fields_at_their_limits_pass(ipp_data):
    study = ipp_data["studies"][0]
    study["publications"] = [
        {
            **_PUBLICATION,
            "authors": ["a" * 200],
            "year": 2100,
            "journal": "j" * 300,
            "volume": "v" * 30,
            "issue": "i" * 30,
            "pages": "p" * 30,
            "doi": "10.1000/" + "x" * 192,
            "pmid": "1" * 20,
        }
    ]
    study["provenance"] = {**_PROVENANCE, "appraised_by": "a" * 150, "note": "n" * 2_000}
    finding = study["findings"][0]
    finding.update(direction=None, significant=None, statistics=_EFFECT)
    programme = programme_from_dict(ipp_data)
    assert programme.studies[0].publications[0].year == 2100
    assert programme.studies[0].findings[0].direction is None


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_non_finite_published_effect_is_refused(ipp_data, value):
    ipp_data["studies"][0]["findings"][0]["statistics"] = {**_EFFECT, "effect_size": value}
    problem = fields(problems_of(ipp_data))["studies[0].findings[0].statistics.effect_size"]
    assert problem.expected == "a finite number"


def test_read_provenance_checks_values_first():
    with pytest.raises(InvalidRecord) as caught:
        read_provenance({**_PROVENANCE, "note": "a\x00b"}, "f")
    assert caught.value.problems[0].field == "provenance.note"


def test_read_provenance_applies_the_limits():
    with pytest.raises(InvalidRecord) as caught:
        read_provenance({**_PROVENANCE, "appraised_by": "a" * 151}, "f")
    assert caught.value.problems[0].field == "provenance.appraised_by"


# --- The quick walk over sound records --------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "a\x00b",
        "plain",
        1.5,
        math.inf,
        None,
        {"a\x00": 1},
        {"\ud800": 1},
        {"ok": "\ud800"},
        {"ok": [1, "x", None, True, {"deeper": 2.5}]},
        RepeatedKeys(a=1),
        {"delivery": {"session_hours_min": 1.234}},
        {"delivery": {"session_hours_min": 1.25}},
        {"outer": types.MappingProxyType({"inner": "\x00"})},
        types.MappingProxyType({"inner": "fine"}),
        [[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]],
        {"a": [[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]},
        [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]],
    ],
)
def test_the_quick_walk_finds_a_record_sound_exactly_when_the_full_walk_does(data):
    from guidebook.evidence.record_values import _sound, _walk

    problems, too_deep = _walk(data, "r")
    assert _sound(data, (), 1) is (not problems and not too_deep)
    assert value_problems(data, "r") == (problems, too_deep)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(mutated_values())
def test_the_quick_walk_agrees_with_the_full_walk_on_mutated_records(data):
    from guidebook.evidence.record_values import _sound, _walk

    problems, too_deep = _walk(data, "r")
    assert _sound(data, (), 1) is (not problems and not too_deep)
