"""The evidence map computed from plain values: statuses, cells, filters, rows and gaps."""

import pytest

from guidebook.catalogue.evidence_map import (
    DIMENSIONS,
    MapFilters,
    MapProgramme,
    Status,
    build_map,
)
from guidebook.evidence import vocabulary

MENTAL = ("mental-health", "Less anxiety")
CONDUCT = ("crime-antisocial", "Fewer conduct problems")


def programme(
    slug, rating, *, source="computed", ages=("adolescents",), outcomes=(MENTAL,), **facets
):
    values = {"age_group": frozenset(ages), "rating": frozenset({rating.removesuffix("*")})}
    values.update({kind: frozenset(keys) for kind, keys in facets.items()})
    return MapProgramme(
        slug=slug,
        name=slug.replace("-", " ").title(),
        rating=rating,
        rating_source=source,
        outcomes=frozenset(outcomes),
        facets=values,
    )


@pytest.mark.parametrize(
    ("rating", "source", "status"),
    [
        ("4+", "computed", Status.RATED),
        ("3*", "computed", Status.RATED),
        ("2", "computed", Status.RATED),
        ("NE", "computed", Status.NE),
        ("NL2", "computed", Status.NL2),
        ("3+", "imported", Status.UNDER_ASSESSMENT),
        ("NL2", "imported", Status.UNDER_ASSESSMENT),
    ],
)
def test_each_programme_has_one_status_and_imported_ratings_are_never_rated(rating, source, status):
    assert programme("p", rating, source=source).status is status


def cell_of(evidence_map, outcome, column):
    for row in evidence_map.rows:
        if (row.category, row.outcome) == outcome or (
            row.outcome is None and outcome == row.category
        ):
            return next(cell for cell in row.cells if cell.column == column)
    raise AssertionError(f"no row {outcome}")


def test_a_cell_counts_each_kind_apart_and_takes_its_strongest_rating_from_rated_ones_only():
    evidence_map = build_map(
        [
            programme("a", "2+"),
            programme("b", "3*"),
            programme("c", "NE"),
            programme("d", "NL2"),
            programme("e", "4+", source="imported"),
        ]
    )
    cell = cell_of(evidence_map, MENTAL, "adolescents")
    assert (cell.total, cell.rated, cell.ne, cell.nl2, cell.under_assessment) == (5, 2, 1, 1, 1)
    assert cell.strongest == "3*" and cell.level == "3"
    assert cell.evidence_based == 1 and not cell.is_gap
    assert [p.slug for p in cell.programmes] == ["b", "a", "c", "d", "e"]
    assert cell.statuses == tuple(Status)


def test_an_imported_rating_of_4_does_not_close_a_gap():
    evidence_map = build_map([programme("a", "2"), programme("b", "4", source="imported")])
    cell = cell_of(evidence_map, MENTAL, "adolescents")
    assert cell.is_gap and cell.strongest == "2" and cell.under_assessment == 1
    assert cell.listed == 2 and cell.not_listed == 0


def test_a_cell_of_only_programmes_not_rated_here_has_no_strongest_rating():
    cell = cell_of(build_map([programme("a", "NE")]), MENTAL, "adolescents")
    assert cell.strongest is None and cell.level is None and cell.is_gap
    assert cell.listed == 0 and cell.not_listed == 1


def test_a_programme_counts_in_every_column_it_serves_and_no_other():
    evidence_map = build_map([programme("a", "3", ages=("infants", "toddlers"))])
    row = next(row for row in evidence_map.rows if (row.category, row.outcome) == MENTAL)
    counts = {cell.column: cell.total for cell in row.cells}
    assert counts == {key: int(key in {"infants", "toddlers"}) for key in vocabulary.AGE_GROUPS}


def test_rows_are_every_category_in_vocabulary_order_each_followed_by_its_outcomes():
    evidence_map = build_map(
        [programme("a", "3", outcomes=(MENTAL, CONDUCT, ("mental-health", "Better sleep")))]
    )
    rows = [(row.category, row.outcome) for row in evidence_map.rows]
    categories = [category for category, outcome in rows if outcome is None]
    assert categories == list(vocabulary.OUTCOME_CATEGORIES)
    assert rows[:3] == [("mental-health", None), ("mental-health", "Better sleep"), MENTAL]
    assert ("crime-antisocial", "Fewer conduct problems") in rows


def test_a_category_row_counts_a_programme_once_however_many_of_its_outcomes_it_has():
    evidence_map = build_map(
        [programme("a", "3", outcomes=(MENTAL, ("mental-health", "Better sleep")))]
    )
    assert cell_of(evidence_map, "mental-health", "adolescents").total == 1


def test_a_category_with_no_outcome_recorded_is_an_empty_row_and_a_gap():
    evidence_map = build_map([programme("a", "4")])
    cell = cell_of(evidence_map, "obesity-physical-health", "adolescents")
    assert cell.total == 0 and cell.is_gap


@pytest.mark.parametrize(
    ("filters", "admitted"),
    [
        (MapFilters(), {"a", "b", "c", "d"}),
        (MapFilters(rating=("evidence-based",)), {"a", "d"}),
        (MapFilters(rating=("3",)), {"a"}),
        (MapFilters(rating=("NE", "2")), {"b", "c"}),
        (MapFilters(uk_provision=("yes",)), {"a", "c"}),
        (MapFilters(uk_provision=("yes", "unknown")), {"a", "c", "d"}),
        (MapFilters(cost_rating=("1",)), {"b"}),
        (MapFilters(uk_provision=("yes",), rating=("evidence-based",)), {"a"}),
    ],
)
def test_filters_mean_what_the_catalogue_means(filters, admitted):
    programmes = [
        programme("a", "3", uk_provision={"yes"}, cost_rating={"2"}),
        programme("b", "2", uk_provision={"no"}, cost_rating={"1"}),
        programme("c", "NE", uk_provision={"yes"}, cost_rating={"NA"}),
        # An imported 4 is "evidence-based" to the catalogue's rating filter too.
        programme("d", "4", source="imported", uk_provision={"unknown"}, cost_rating={"5"}),
    ]
    assert {p.slug for p in programmes if filters.admits(p)} == admitted
    assert build_map(programmes, filters=filters).programme_count == len(admitted)


def test_an_outcome_whose_programmes_are_filtered_out_stays_as_a_row_of_gaps():
    evidence_map = build_map(
        [programme("a", "4", outcomes=(CONDUCT,)), programme("b", "2")],
        filters=MapFilters(rating=("evidence-based",)),
    )
    cell = cell_of(evidence_map, MENTAL, "adolescents")
    assert cell.total == 0 and cell.is_gap


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_columns_are_the_vocabulary_of_the_chosen_characteristic(dimension):
    evidence_map = build_map([programme("a", "3")], dimension)
    assert [key for key, _ in evidence_map.columns] == list(DIMENSIONS[dimension].values)
    assert all(len(row.cells) == len(evidence_map.columns) for row in evidence_map.rows)


def test_switching_columns_reads_the_other_characteristic():
    evidence_map = build_map([programme("a", "3", delivery_model={"group"})], "delivery_model")
    cell = cell_of(evidence_map, MENTAL, "group")
    assert cell.total == 1


def test_gaps_are_cells_without_a_rated_programme_at_level_3_and_say_whether_any_is_rated():
    evidence_map = build_map(
        [programme("a", "2", ages=("infants",)), programme("b", "3+", ages=("adolescents",))]
    )
    infant_gaps = {(gap.row.outcome, gap.unrated) for gap in evidence_map.gaps("infants")}
    assert ("Less anxiety", False) in infant_gaps
    assert (None, False) in infant_gaps  # the mental-health category row
    assert all(gap.cell.column == "infants" for gap in evidence_map.gaps("infants"))
    adolescent_outcomes = {gap.row.outcome for gap in evidence_map.gaps("adolescents")}
    assert "Less anxiety" not in adolescent_outcomes
    toddler = {(gap.row.outcome, gap.unrated) for gap in evidence_map.gaps("toddlers")}
    assert ("Less anxiety", True) in toddler
    assert len(evidence_map.gaps()) == sum(
        len(evidence_map.gaps(key)) for key, _ in evidence_map.columns
    )


def test_an_unknown_dimension_is_a_key_error():
    with pytest.raises(KeyError):
        build_map([], "country")


def test_an_empty_catalogue_is_all_gaps():
    evidence_map = build_map([])
    assert evidence_map.programme_count == 0 and evidence_map.largest_cell == 0
    assert all(cell.is_gap for row in evidence_map.rows for cell in row.cells)
