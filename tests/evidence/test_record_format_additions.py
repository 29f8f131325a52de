"""The record-format additions: full references, provenance, unrecorded verdicts and
published effects, read and written without loss and refused with clear messages."""

import copy
import json

import pytest

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import (
    programme_from_dict,
    programme_to_dict,
    provenance_from_dict,
    provenance_to_dict,
    read_provenance,
    read_statistics,
)
from guidebook.evidence.records import Provenance, PublishedEffect

PROVENANCE = {
    "sources": ["https://example.org/papers/1991-attachment", "http://example.org/report"],
    "retrieved": "2025-03-14",
    "appraised_by": "Guidebook evidence team",
    "note": "Numbers read from table 2.",
}
PUBLICATION = {
    "citation": "Lieberman, Weston and Pawl (1991)",
    "url": "https://doi.org/10.1111/j.1467-8624.1991.tb01525.x",
    "authors": ["Lieberman AF", "Weston DR", "Pawl JH"],
    "year": 1991,
    "title": "Preventive intervention and outcome with anxiously attached dyads",
    "journal": "Child Development",
    "volume": "62",
    "issue": "1",
    "pages": "199-209",
    "doi": "10.1111/j.1467-8624.1991.tb01525.x",
    "pmid": "2022135",
}
EFFECT = {
    "type": "effect",
    "effect_size": 0.42,
    "metric": "smd",
    "ci_lower": 0.1,
    "ci_upper": 0.74,
    "ci_level": 0.95,
    "se": None,
    "n_treatment": 60,
    "n_comparison": 58,
    "higher_is_better": True,
    "cluster": None,
}


@pytest.fixture
def full_data(ipp_data):
    """The IPP demo in the writer's full form, with every addition filled in."""
    study = ipp_data["studies"][0]
    study["publications"] = [PUBLICATION]
    study["provenance"] = PROVENANCE
    study["findings"][0]["provenance"] = {**PROVENANCE, "note": ""}
    study["findings"][0]["statistics"] = EFFECT
    study["findings"][1]["direction"] = None
    study["findings"][1]["significant"] = None
    return json.loads(json.dumps(programme_to_dict(programme_from_dict(ipp_data))))


def test_json_to_record_to_json_is_identical_with_every_addition(full_data):
    again = programme_to_dict(programme_from_dict(copy.deepcopy(full_data)))
    assert again == full_data
    study = again["studies"][0]
    assert study["publications"] == [PUBLICATION]
    assert study["provenance"] == PROVENANCE
    assert study["findings"][0]["statistics"] == EFFECT
    assert (study["findings"][1]["direction"], study["findings"][1]["significant"]) == (None, None)


def test_the_record_holds_the_additions_as_typed_values(full_data):
    study = programme_from_dict(full_data).studies[0]
    publication = study.publications[0]
    assert publication.authors == ("Lieberman AF", "Weston DR", "Pawl JH")
    assert (publication.year, publication.pages, publication.pmid) == (1991, "199-209", "2022135")
    assert study.provenance is not None
    assert study.provenance.retrieved.isoformat() == "2025-03-14"
    assert study.provenance.sources[0].startswith("https://")
    assert study.findings[0].statistics == PublishedEffect(
        0.42, "smd", 0.1, 0.74, 0.95, None, 60, 58, True, None
    )


def test_absent_direction_and_significance_read_as_not_recorded(ipp_data):
    finding = ipp_data["studies"][0]["findings"][0]
    del finding["direction"], finding["significant"]
    read = programme_from_dict(ipp_data).studies[0].findings[0]
    assert (read.direction, read.significant) == (None, None)


def test_older_files_without_the_additions_stay_valid(ipp_data):
    study = programme_from_dict(ipp_data).studies[0]
    assert study.provenance is None
    assert study.publications[0].authors == ()
    assert study.publications[0].doi == ""


def test_a_published_effect_needs_only_its_size_and_precision():
    assert read_statistics({"type": "effect", "effect_size": -0.3, "se": 0.1}, "f") == (
        PublishedEffect(effect_size=-0.3, se=0.1)
    )


def test_provenance_reads_alone_and_names_its_fields():
    assert read_provenance(None, "study s") is None
    read = read_provenance(PROVENANCE, "study s")
    assert read == Provenance(
        tuple(PROVENANCE["sources"]),
        provenance_from_dict(PROVENANCE).retrieved,
        "Guidebook evidence team",
        "Numbers read from table 2.",
    )
    assert provenance_to_dict(read) == PROVENANCE
    assert provenance_to_dict(None) is None
    with pytest.raises(InvalidRecord) as caught:
        read_provenance({**PROVENANCE, "sources": []}, "study s")
    assert str(caught.value) == (
        "study s: field 'provenance.sources' expected a list of at least 1 item, found []"
    )


# Where the bad value goes (within the first study), the field named, the expectation.
BAD_SHAPES = [
    (
        ["provenance"],
        {**PROVENANCE, "sources": ["ftp://example.org/x"]},
        "studies[0].provenance.sources[0]",
        "an http:// or https:// web address with a domain name or IPv4 address",
    ),
    (
        ["provenance"],
        {**PROVENANCE, "sources": []},
        "studies[0].provenance.sources",
        "a list of at least 1 item",
    ),
    (
        ["provenance"],
        {**PROVENANCE, "retrieved": "14 March 2025"},
        "studies[0].provenance.retrieved",
        "a date in ISO form (YYYY-MM-DD)",
    ),
    (
        ["provenance"],
        {key: value for key, value in PROVENANCE.items() if key != "appraised_by"},
        "studies[0].provenance.appraised_by",
        "a value (required)",
    ),
    (
        ["publications", 0],
        {**PUBLICATION, "doi": "https://doi.org/10.1111/x"},
        "studies[0].publications[0].doi",
        "a bare DOI such as '10.1111/j.1467-8624.1991.tb01525.x'",
    ),
    (
        ["publications", 0],
        {**PUBLICATION, "pmid": "PMID2022135"},
        "studies[0].publications[0].pmid",
        "a PubMed id in digits",
    ),
    (
        ["publications", 0],
        {**PUBLICATION, "year": 1991.5},
        "studies[0].publications[0].year",
        "a value of type integer or null",
    ),
    (
        ["publications", 0],
        {**PUBLICATION, "authors": "Lieberman AF"},
        "studies[0].publications[0].authors",
        "a value of type array",
    ),
    (
        ["findings", 0, "direction"],
        "up",
        "studies[0].findings[0].direction",
        "one of positive, null, negative, JSON null (not recorded)",
    ),
    (
        ["findings", 0, "significant"],
        "yes",
        "studies[0].findings[0].significant",
        "a value of type boolean or null",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4},
        "studies[0].findings[0].statistics",
        "a standard error (se), or both ci_lower and ci_upper",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "se": None, "ci_lower": 0.1, "ci_upper": None},
        "studies[0].findings[0].statistics",
        "a standard error (se), or both ci_lower and ci_upper",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "se": 0},
        "studies[0].findings[0].statistics.se",
        "a number > 0",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "se": 0.1, "metric": "cohen"},
        "studies[0].findings[0].statistics.metric",
        "one of smd, log-odds-ratio, log-risk-ratio",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "se": 0.1, "ci_level": 95},
        "studies[0].findings[0].statistics.ci_level",
        "a number < 1",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "ci_lower": 0.5, "ci_upper": 0.9},
        "studies[0].findings[0].statistics.ci_lower",
        "an interval containing effect_size (0.4)",
    ),
    (
        ["findings", 0, "statistics"],
        {"type": "effect", "effect_size": 0.4, "se": 0.1, "ci_lower": 0.2},
        "studies[0].findings[0].statistics.ci_upper",
        "a bound, since ci_lower is given",
    ),
]


@pytest.mark.parametrize(("path", "value", "field", "expected"), BAD_SHAPES)
def test_bad_shapes_are_refused_naming_the_field_and_what_was_expected(
    ipp_data, path, value, field, expected
):
    target = ipp_data["studies"][0]
    *parents, last = path
    for part in parents:
        target = target[part]
    target[last] = value
    with pytest.raises(InvalidRecord) as caught:
        programme_from_dict(ipp_data)
    (problem,) = caught.value.problems
    assert (problem.record, problem.field, problem.expected) == (
        "programme 'infant-parent-psychotherapy'",
        field,
        expected,
    )
