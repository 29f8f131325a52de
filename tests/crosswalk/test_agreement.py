"""Comparisons between standards and with published ratings, and the published-ratings
data format with its clear errors."""

import pytest

from guidebook.evidence.crosswalk import get_crosswalk_standard
from guidebook.evidence.crosswalk.agreement import (
    AGREE,
    DIFFER,
    NOT_COMPARABLE,
    ProgrammeRatings,
    compare_programme,
    eif_tier,
    published_value,
)
from guidebook.evidence.crosswalk.published import FORMAT, PublishedRating, published_from_dict
from guidebook.evidence.errors import InvalidRecord

from .builders import finding, programme, study

PSC = get_crosswalk_standard("psc-1.0")
BLUEPRINTS = get_crosswalk_standard("blueprints")


def published(clearinghouse, value, standard=None):
    return PublishedRating(
        "demo",
        clearinghouse,
        "rated",
        standard=standard or {"psc": "psc-1.0"}.get(clearinghouse, clearinghouse),
        value=value,
        source_url="https://example.org/rated",
    )


def ratings(record, eif, *published_ratings):
    return ProgrammeRatings(
        "demo",
        "Demo",
        eif,
        {s.key: s.rate(record) for s in (PSC, BLUEPRINTS)},
        list(published_ratings),
    )


def by_pair(rows):
    return {row.pair: row for row in rows}


@pytest.mark.parametrize(
    ("value", "tier"), [("4+*", 2), ("4", 2), ("3+", 1), ("2+", 0), ("NL2", 0)]
)
def test_eif_tiers(value, tier):
    assert eif_tier(value) == tier


def test_well_supported_and_model_agree_with_eif_4():
    record = programme(study(), study("s2"))
    rows = by_pair(compare_programme(ratings(record, "4+")))
    assert rows["eif / psc-1.0"].outcome == AGREE
    assert rows["eif / blueprints"].outcome == AGREE
    assert rows["psc-1.0 / blueprints"].why == ""


def test_a_difference_names_the_rule_above():
    record = programme(study(usual_care=False))
    row = by_pair(compare_programme(ratings(record, "4")))["eif / psc-1.0"]
    assert row.outcome == DIFFER
    assert "rule psc.supported (Supported) is not met" in row.why


def test_computed_against_published_explains_both_directions():
    record = programme(study(usual_care=False))
    rows = by_pair(
        compare_programme(
            ratings(
                record,
                "3",
                published("psc", "Well-Supported"),
                published("blueprints", "Not certified"),
            )
        )
    )
    psc = rows["psc-1.0 / psc (published)"]
    assert (psc.outcome, psc.right_value) == (DIFFER, "Well-supported")
    assert psc.why == (
        "PSC published Well-supported; here rule psc.well-supported is not met on the facts "
        "recorded."
    )
    bp = rows["blueprints / blueprints (published)"]
    assert bp.outcome == DIFFER
    assert bp.why.startswith("Here rule blueprints.promising is met on the facts recorded; ")


def test_an_unknown_rule_is_explained_with_what_it_needs():
    record = programme(study(usual_care=None))
    rows = by_pair(compare_programme(ratings(record, "3", published("psc", "Supported"))))
    assert "needs usual care setting (s1)" in rows["psc-1.0 / psc (published)"].why
    assert rows["psc-1.0 / psc (published)"].outcome == NOT_COMPARABLE
    assert "it cannot be rated: needs usual care setting (s1)" in rows["eif / psc-1.0"].why


def test_a_higher_rung_unknown_is_explained_with_its_needs():
    record = programme(
        study(findings=[finding(months_after_treatment_end=None)]), study("s2", usual_care=False)
    )
    result = PSC.rate(record)
    assert result.value is None and result.floor == "Promising"
    row = by_pair(compare_programme(ratings(programme(study(usual_care=False)), "3")))
    assert row["eif / psc-1.0"].outcome == AGREE


def test_a_top_rung_is_described_as_met():
    record = programme(study(), study("s2", developer_independent=True))
    rows = by_pair(compare_programme(ratings(record, "3")))
    assert "the top rung is met" in rows["eif / blueprints"].why


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (published("psc", "Well-Supported"), "Well-supported"),
        (published("psc", None), None),
        (published("psc", "Promising", standard="psc-2.0"), None),
        (published("psc", "Endorsed"), None),
    ],
)
def test_published_values_map_to_rungs_only_under_the_same_handbook(rating, expected):
    assert published_value(PSC, rating) == expected


def test_not_published_is_not_comparable_and_says_so():
    rows = by_pair(compare_programme(ratings(programme(study()), "3")))
    row = rows["psc-1.0 / psc (published)"]
    assert (row.outcome, row.right_value) == (NOT_COMPARABLE, "not published")
    assert row.why == "No PSC rating of this programme to compare with (no entry recorded)."
    assert row.to_dict()["pair"] == "psc-1.0 / psc (published)"


@pytest.mark.parametrize(
    ("rating", "why"),
    [
        (
            PublishedRating("demo", "psc", "not_found", standard="psc-1.0"),
            "No PSC rating of this programme to compare with (not found).",
        ),
        (
            published("psc", "Promising", standard="psc-2.0"),
            "PSC published Promising (rated, under psc-2.0), which is not a rung of psc-1.0 "
            "for this programme.",
        ),
        (
            PublishedRating("demo", "psc", "related_entry_only", value="Endorsed"),
            "PSC published Endorsed (related entry only, under no stated standard), which is "
            "not a rung of psc-1.0 for this programme.",
        ),
    ],
)
def test_a_published_rating_that_cannot_be_compared_says_why(rating, why):
    row = by_pair(compare_programme(ratings(programme(study()), "3", rating)))
    assert row["psc-1.0 / psc (published)"].why == why


GOOD = {"programme": "demo", "clearinghouse": "psc", "status": "rated", "value": "Promising"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "format"),
        ({"format": "other"}, "format"),
        ({"format": FORMAT, "ratings": "no"}, "ratings"),
        ({"format": FORMAT, "ratings": [1]}, "entry"),
        ({"format": FORMAT, "ratings": [{**GOOD, "clearinghouse": "wwc"}]}, "clearinghouse"),
        ({"format": FORMAT, "ratings": [{**GOOD, "status": ""}]}, "status"),
        ({"format": FORMAT, "ratings": [{**GOOD, "value": 3}]}, "value"),
    ],
)
def test_a_malformed_published_rating_is_refused_naming_the_field(data, field):
    with pytest.raises(InvalidRecord, match=field):
        published_from_dict(data, "ratings.json")


def test_a_published_rating_reads_with_its_clearinghouse_name():
    (rating,) = published_from_dict({"format": FORMAT, "ratings": [GOOD]}, "ratings.json")
    assert rating.clearinghouse_name == "Title IV-E Prevention Services Clearinghouse"
    assert rating.value == "Promising"
