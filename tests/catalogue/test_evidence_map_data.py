"""The evidence map read from published snapshots: inputs, requests and catalogue links."""

import pytest
from django.http import QueryDict

from guidebook.catalogue.evidence_map import MapFilters, Status, build_map
from guidebook.catalogue.evidence_map_data import (
    CSV_HEADER,
    MapRequest,
    cell_query,
    current_map_programmes,
    map_csv,
    map_dict,
    map_json,
    read_map_request,
)
from guidebook.catalogue.finder import find_programmes
from guidebook.catalogue.models import Snapshot, SnapshotFacet
from guidebook.catalogue.published_records import published_record
from guidebook.catalogue.publishing import outcome_pairs, outcomes_of
from guidebook.evidence.errors import InvalidRecord
from tests.catalogue.map_catalogue import AWAITING_SLUG, NULL_SLUG, publish_map_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return publish_map_catalogue()


def by_slug():
    return {programme.slug: programme for programme in current_map_programmes()}


def test_every_published_programme_gets_the_status_of_its_snapshot(catalogue):
    statuses = {slug: programme.status for slug, programme in by_slug().items()}
    assert statuses == {
        "family-nurse-partnership": Status.RATED,
        "infant-parent-psychotherapy": Status.RATED,
        "fun-friends": Status.RATED,
        "mellow-toddlers": Status.NL2,
        AWAITING_SLUG: Status.UNDER_ASSESSMENT,
        NULL_SLUG: Status.NE,
    }


def test_outcome_pairs_are_the_outcome_facets_of_each_snapshot(catalogue):
    for snapshot in Snapshot.objects.filter(is_current=True):
        pairs = outcome_pairs(snapshot.record, snapshot.assessment)
        facets = set(SnapshotFacet.objects.filter(snapshot=snapshot).values_list("kind", "key"))
        assert {("outcome_category", c) for c, _ in pairs} | {
            ("outcome", o) for _, o in pairs if o
        } == {pair for pair in facets if pair[0] in {"outcome", "outcome_category"}}, snapshot.slug


def test_outcome_pairs_of_listed_and_imported_programmes_are_outcomes_of(catalogue):
    for snapshot in Snapshot.objects.filter(is_current=True, listed=True):
        expected = outcomes_of(published_record(snapshot), snapshot.assessment)
        assert set(outcome_pairs(snapshot.record, snapshot.assessment)) == set(expected)


def test_programmes_rated_below_2_are_found_under_the_outcomes_their_studies_measured(catalogue):
    programmes = by_slug()
    assert ("mental-health", "Improved attachment security") in programmes[NULL_SLUG].outcomes
    assert ("maltreatment", "Children taken off the child protection register") in programmes[
        "mellow-toddlers"
    ].outcomes
    # Only child outcomes: "Less negative mother–child interaction" benefits the family.
    assert all(
        outcome != "Less negative mother–child interaction"
        for _, outcome in programmes["mellow-toddlers"].outcomes
    )
    found = find_programmes(QueryDict("outcome=Improved attachment security"), allow_scope=True)
    assert found.total == 2 and found.elsewhere == 1  # IPP and the one awaiting appraisal


def test_the_map_of_the_current_catalogue_is_cached_per_catalogue_version(
    catalogue, django_assert_num_queries
):
    current_map_programmes()
    with django_assert_num_queries(1):  # the state of the catalogue, read to key the cache
        current_map_programmes()


def test_a_publication_changes_the_map(catalogue):
    from tests.catalogue.map_catalogue import demo_data, store_and_publish

    before = {p.slug for p in current_map_programmes()}
    store_and_publish(demo_data("paths-elementary-curriculum"))
    assert {p.slug for p in current_map_programmes()} == before | {"paths-elementary-curriculum"}


# --- Requests -----------------------------------------------------------------------


def test_a_request_reads_the_catalogues_filters_and_the_columns():
    wanted = read_map_request(
        QueryDict("columns=setting&rating=NE&rating=evidence-based&uk_provision=yes&cost_rating=2")
    )
    assert wanted == MapRequest(
        "setting",
        MapFilters(uk_provision=("yes",), rating=("evidence-based", "NE"), cost_rating=("2",)),
    )
    assert wanted.params() == [
        ("columns", "setting"),
        ("uk_provision", "yes"),
        ("rating", "evidence-based"),
        ("rating", "NE"),
        ("cost_rating", "2"),
    ]


def test_blank_values_count_as_not_given():
    assert read_map_request(QueryDict("columns=&rating=")) == MapRequest()


@pytest.mark.parametrize(
    ("query", "field", "found"),
    [
        ("columns=country", "columns", "'country'"),
        ("columns=setting&columns=targeting", "columns", "['setting', 'targeting']"),
        ("rating=4 ", "rating", "'4 '"),
        ("uk_provision=maybe", "uk_provision", "'maybe'"),
        ("cost_rating=6", "cost_rating", "'6'"),
        ("age_group=infants", "age_group", "'age_group'"),
        ("column=infants", "column", "'column'"),
    ],
)
def test_a_bad_request_names_the_parameter_and_what_was_found(query, field, found):
    with pytest.raises(InvalidRecord) as raised:
        read_map_request(QueryDict(query))
    problem = raised.value.problems[0]
    assert (problem.record, problem.field, problem.found) == ("query", field, found)


def test_the_gaps_may_name_one_column_of_the_chosen_characteristic():
    assert read_map_request(QueryDict("column=infants"), allow_column=True).column == "infants"
    with pytest.raises(InvalidRecord) as raised:
        read_map_request(QueryDict("columns=setting&column=infants"), allow_column=True)
    assert raised.value.problems[0].field == "column"


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidRecord) as raised:
        read_map_request(QueryDict("columns=x&rating=y&foo=z"))
    assert {p.field for p in raised.value.problems} == {"columns", "rating", "foo"}


# --- Links: a cell's catalogue page lists exactly its programmes ---------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "rating=evidence-based",
        "rating=NE&rating=NL2",
        "rating=3&rating=NL2",
        "uk_provision=no",
        "columns=targeting",
        "columns=delivery_model&cost_rating=NA&cost_rating=2",
    ],
)
def test_each_cells_catalogue_link_finds_its_programmes_on_the_list_and_the_other_list(
    catalogue, query
):
    wanted = read_map_request(QueryDict(query))
    evidence_map = build_map(current_map_programmes(), wanted.dimension, wanted.filters)
    checked = 0
    for row in evidence_map.rows:
        for cell in row.cells:
            link = cell_query(evidence_map, row, cell)
            found = find_programmes(QueryDict(link.encode()), link.scope)
            listed, elsewhere = (cell.listed, cell.not_listed)
            if link.scope.value == "not-listed":
                listed, elsewhere = elsewhere, listed
            assert found.total == listed, (row.label, cell.column)
            # The other list is searched without the rating filter: it counts what
            # the cell holds there only when no rating was chosen.
            if not wanted.filters.rating:
                assert found.elsewhere == elsewhere, (row.label, cell.column)
            checked += 1
    assert checked == len(evidence_map.rows) * len(evidence_map.columns)


# --- Data files ---------------------------------------------------------------------


def test_the_json_and_csv_carry_every_cell_with_the_same_numbers(catalogue):
    evidence_map = build_map(current_map_programmes())
    data = map_dict(evidence_map, lambda row, cell: f"/x/{cell.column}")
    cells = [cell for row in data["rows"] for cell in row["cells"]]
    lines = map_csv(evidence_map).splitlines()
    assert lines[0].split(",") == list(CSV_HEADER)
    assert len(lines) - 1 == len(cells) == len(evidence_map.rows) * 7
    infants = next(
        cell
        for row in data["rows"]
        if row["outcome"] == "Improved attachment security"
        for cell in row["cells"]
        if cell["column"] == "infants"
    )
    assert infants["rated"] == 1 and infants["strongest_rating"] == "3+" and not infants["gap"]
    assert infants["catalogue_url"] == "/x/infants"
    assert data["statuses"][0] == {"key": "rated", "label": "Rated 2 or above"}


def test_the_json_text_is_the_same_for_the_same_map(catalogue):
    evidence_map = build_map(current_map_programmes())
    about = {"release": "2026-01-01"}
    assert map_json(evidence_map, about=about) == map_json(evidence_map, about=about)
    assert map_json(evidence_map, about=about).startswith('{\n  "columns"')
    assert '"release": "2026-01-01"' in map_json(evidence_map, about=about)


def test_csv_cells_that_look_like_formulas_are_quoted():
    from guidebook.catalogue.evidence_map import MapProgramme

    sneaky = MapProgramme(
        "s",
        "S",
        "3",
        "computed",
        frozenset({("mental-health", "=cmd()")}),
        {"age_group": frozenset({"infants"})},
    )
    text = map_csv(build_map([sneaky]))
    assert ",'=cmd()," in text and ",=cmd()," not in text
