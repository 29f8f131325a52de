"""The programme record JSON format: round trips and messages that point at the field."""

import json
from pathlib import Path

import jsonschema
import pytest

from guidebook.evidence import record_json
from guidebook.evidence.errors import InvalidRecord, Problem, UnknownStandard, describe
from guidebook.evidence.record_json import (
    programme_from_dict,
    programme_from_stored,
    programme_to_dict,
    read_statistics,
    statistics_to_dict,
)
from guidebook.evidence.record_schema import programme_schema
from guidebook.evidence.records import MeansAndSDs, StudyLevel
from guidebook.evidence.vocabulary import AGE_GROUPS, label_of

SHIPPED_SCHEMA = (
    Path(__file__).resolve().parents[2] / "guidebook/evidence/schema/programme.schema.json"
)

MEANS = {
    "type": "means",
    "mean_treatment": 1.2,
    "sd_treatment": 1.0,
    "n_treatment": 20,
    "mean_comparison": 0.8,
    "sd_comparison": 1.1,
    "n_comparison": 22,
}
STATISTICS = [
    MEANS,
    {
        **MEANS,
        "higher_is_better": False,
        "cluster": {"intraclass_correlation": 0.1, "mean_cluster_size": 12},
    },
    {"type": "t", "t": 2.1, "n_treatment": 30, "n_comparison": 31},
    {"type": "f", "f": 4.4, "n_treatment": 30, "n_comparison": 31, "favours_treatment": True},
    {"type": "p", "p": 0.03, "n_treatment": 30, "n_comparison": 31, "favours_treatment": False},
    {
        "type": "counts",
        "events_treatment": 4,
        "n_treatment": 30,
        "events_comparison": 9,
        "n_comparison": 31,
    },
]


def problems_of(data):
    with pytest.raises(InvalidRecord) as caught:
        programme_from_dict(data, source="file.json")
    return caught.value.problems


def test_it_reads_the_demo_record_and_writes_it_back_unchanged(ipp_data):
    programme = programme_from_dict(ipp_data)
    assert programme.name == "Infant-Parent Psychotherapy"
    assert [s.label for s in programme.studies] == ["Study 1", "Study 2"]
    again = programme_from_dict(json.loads(json.dumps(programme_to_dict(programme))))
    assert again == programme


def test_a_record_it_wrote_from_a_checked_programme_reads_back_the_same_unchecked(ipp_data):
    programme = programme_from_dict(ipp_data)
    stored = json.loads(json.dumps(programme_to_dict(programme)))
    assert programme_from_stored(stored) == programme


@pytest.mark.parametrize("statistics", STATISTICS, ids=lambda s: s["type"])
def test_it_round_trips_every_kind_of_reported_statistics(ipp_data, statistics):
    ipp_data["studies"][0]["findings"][0]["statistics"] = statistics
    programme = programme_from_dict(ipp_data)
    written = programme_to_dict(programme)["studies"][0]["findings"][0]["statistics"]
    assert (
        programme_from_dict(
            {
                **ipp_data,
                "studies": [
                    {
                        **ipp_data["studies"][0],
                        "findings": [
                            {**ipp_data["studies"][0]["findings"][0], "statistics": written}
                        ],
                    }
                ],
            }
        )
        .studies[0]
        .findings[0]
        .statistics
        == programme.studies[0].findings[0].statistics
    )


def test_it_keeps_a_recorded_verdict(ipp_data):
    ipp_data["studies"][0]["appraisal"] = {
        "reviewer": "panel",
        "consensus": True,
        "verdict": "2",
        "justification": "Small sample; otherwise sound.",
        "answers": {"sample.size": 100},
    }
    programme = programme_from_dict(ipp_data)
    assert programme.studies[0].appraisal.verdict is StudyLevel.LEVEL_2
    assert programme_to_dict(programme)["studies"][0]["appraisal"]["verdict"] == "2"
    ipp_data["studies"][0]["appraisal"]["verdict"] = None
    assert programme_from_dict(ipp_data).studies[0].appraisal.verdict is None
    assert (
        programme_to_dict(programme_from_dict(ipp_data))["studies"][0]["appraisal"]["verdict"]
        is None
    )


def _set(data, path, value):
    *parents, last = path
    for part in parents:
        data = data[part]
    data[last] = value


# One row per kind of schema rule: where the bad value goes, what the message must say.
BAD_VALUES = [
    (["name"], 5, "name", "a value of type string", "5"),
    (["name"], "", "name", "a non-empty text", "''"),
    (["slug"], "Not A Slug", "slug", "lower-case words joined by hyphens", "'Not A Slug'"),
    (["format"], "other/1", "format", "'guidebook-programme/1'", "'other/1'"),
    (
        ["characteristics", "age_groups"],
        ["babies"],
        "characteristics.age_groups[0]",
        "one of perinatal",
        "'babies'",
    ),
    (
        ["characteristics", "age_groups"],
        ["infants", "infants"],
        "characteristics.age_groups",
        "no repeated values",
        "['infants', 'infants']",
    ),
    (["cost", "sessions"], 0, "cost.sessions", "a number >= 1", "0"),
    (
        ["cost", "practitioner_level"],
        "phd",
        "cost.practitioner_level",
        "one of null, qcf-3",
        "'phd'",
    ),
    (["first_published"], "March 2017", "first_published", "a date in ISO form", "'March 2017'"),
    (
        ["studies", 0, "sample_size"],
        "100",
        "studies[0].sample_size",
        "a value of type integer or null",
        "'100'",
    ),
    (
        ["studies", 0, "design"],
        "randomised",
        "studies[0].design",
        "one of rct, qed",
        "'randomised'",
    ),
    (
        ["studies", 0, "findings", 0, "statistics"],
        {**MEANS, "sd_treatment": -1},
        "studies[0].findings[0].statistics.sd_treatment",
        "a number > 0",
        "-1",
    ),
    (
        ["studies", 0, "findings", 0, "statistics"],
        {"type": "p", "p": 1.5, "n_treatment": 3, "n_comparison": 3, "favours_treatment": True},
        "studies[0].findings[0].statistics.p",
        "a number <= 1",
        "1.5",
    ),
    (
        ["studies", 0, "findings", 0, "statistics"],
        {"type": "odds"},
        "studies[0].findings[0].statistics",
        "null or an object of one of the documented kinds",
        "{'type': 'odds'}",
    ),
    (
        ["studies", 0, "findings", 0, "statistics"],
        {**MEANS, "cluster": {"intraclass_correlation": 1, "mean_cluster_size": 3}},
        "studies[0].findings[0].statistics.cluster.intraclass_correlation",
        "a number < 1",
        "1",
    ),
]


@pytest.mark.parametrize(("path", "value", "field", "expected", "found"), BAD_VALUES)
def test_it_names_the_field_what_was_expected_and_what_was_found(
    ipp_data, path, value, field, expected, found
):
    _set(ipp_data, path, value)
    problems = problems_of(ipp_data)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.field == field
    assert problem.expected.startswith(expected)
    assert problem.found.startswith(found)
    assert problem.record == "programme 'infant-parent-psychotherapy'" or field == "slug"


def test_it_reports_a_missing_required_field_at_top_level_and_nested(ipp_data):
    del ipp_data["name"]
    del ipp_data["studies"][1]["design"]
    problems = {p.field: p for p in problems_of(ipp_data)}
    assert problems["name"].expected == "a value (required)"
    assert problems["name"].found == "nothing"
    assert "studies[1].design" in problems


def test_it_reports_unknown_fields_by_name(ipp_data):
    ipp_data["colour"] = "blue"
    ipp_data["contact"]["phone"] = "123"
    fields = {p.field for p in problems_of(ipp_data)}
    assert fields == {"colour", "contact.phone"}


def test_it_falls_back_to_the_source_name_when_there_is_no_slug():
    problems = problems_of({"format": "guidebook-programme/1"})
    assert {p.record for p in problems} == {"file.json"}
    assert problems_of([1, 2])[0].expected == "a value of type object"


def test_it_refuses_repeated_study_and_finding_keys(ipp_data):
    ipp_data["studies"][1]["key"] = "study-1"
    ipp_data["studies"][0]["findings"][1]["key"] = "attachment"
    fields = [p.field for p in problems_of(ipp_data)]
    assert fields == ["studies[1].key", "studies[0].findings[1].key"]


def test_it_refuses_a_session_length_range_that_runs_backwards(ipp_data):
    ipp_data["delivery"]["session_hours_min"] = 2
    (problem,) = problems_of(ipp_data)
    assert problem.field == "delivery.session_hours_max"
    assert problem.expected == "at least session_hours_min (2)"


def test_reading_statistics_alone_names_the_field():
    assert read_statistics(None, "finding x") is None
    assert read_statistics(MEANS, "finding x") == MeansAndSDs(1.2, 1.0, 20, 0.8, 1.1, 22)
    with pytest.raises(InvalidRecord) as caught:
        read_statistics({**MEANS, "n_comparison": 0}, "finding x")
    assert (
        str(caught.value)
        == "finding x: field 'statistics.n_comparison' expected a number >= 1, found 0"
    )
    with pytest.raises(InvalidRecord) as caught:
        read_statistics(7, "finding x")
    assert caught.value.problems[0].field == "statistics"
    assert statistics_to_dict(None) is None


def test_unlisted_schema_rules_still_get_a_readable_expectation():
    error = jsonschema.ValidationError(
        "too many", validator="maxItems", validator_value=3, instance=[1, 2, 3, 4]
    )
    assert record_json._expected(error) == "a value satisfying 'maxItems'"
    fmt = jsonschema.ValidationError(
        "bad", validator="format", validator_value="email", instance="x"
    )
    assert record_json._expected(fmt) == "a email"


def test_the_shipped_schema_file_matches_the_code():
    assert json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8")) == programme_schema()


def test_errors_render_for_people_and_for_machines():
    problem = Problem("programme 'x'", "name", "a text", "5")
    assert problem.as_dict()["message"] == "programme 'x': field 'name' expected a text, found 5"
    assert describe(None) == "nothing"
    assert describe("y" * 100).endswith("...")
    assert len(describe("y" * 100)) == 60
    error = UnknownStandard("eif-1999", ["eif-2018", "eif-2017"])
    assert (
        str(error) == "standard: field 'key' expected one of eif-2017, eif-2018, found 'eif-1999'"
    )
    assert InvalidRecord.single("r", "f", "e", 3).problems == (Problem("r", "f", "e", "3"),)


def test_levels_and_vocabularies_have_labels():
    assert StudyLevel.LEVEL_3.label == "level 3"
    assert StudyLevel.LEVEL_3.rank > StudyLevel.LEVEL_2_QUALITY.rank
    assert label_of(AGE_GROUPS, "infants") == "Infants"
    assert label_of(AGE_GROUPS, "unknown") == "unknown"


def test_it_round_trips_an_imported_rating(ipp_data):
    ipp_data["imported"] = {
        "evidence_rating": "3+",
        "cost_rating": "NA",
        "source": "https://guidebook.eif.org.uk/programme/infant-parent-psychotherapy",
        "retrieved": "2017-04-01",
    }
    programme = programme_from_dict(ipp_data)
    assert programme.imported.evidence_rating == "3+"
    assert programme_from_dict(programme_to_dict(programme)) == programme
    ipp_data["imported"]["evidence_rating"] = "5"
    assert problems_of(ipp_data)[0].field == "imported.evidence_rating"


def test_a_minimal_record_needs_only_format_slug_and_name():
    programme = programme_from_dict(
        {
            "format": "guidebook-programme/1",
            "slug": "minimal",
            "name": "Minimal",
            "studies": [
                {
                    "key": "s1",
                    "label": "Study 1",
                    "citation": "A (2020)",
                    "design": "rct",
                    "appraisal": None,
                }
            ],
            "imported": None,
        }
    )
    assert programme.imported is None
    assert programme.studies[0].appraisal is None
    assert programme.first_published is None
    assert programme_from_dict(programme_to_dict(programme)) == programme
