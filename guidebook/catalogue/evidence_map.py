"""The evidence and gap map: child outcomes against who a programme is for, as counts.

Rows are the outcome categories, each followed by the outcomes recorded under it;
columns are the values of one characteristic (age group by default, or delivery
model, setting or level of need). A cell holds every programme whose evidence covers
the row's outcome and whose characteristics include the column's value, and says how
many there are, split by what is known of their evidence:

- **rated**: rated 2 or above here, computed from the appraised evidence under the
  standard; the cell's strongest rating and its level (2, 3 or 4) come from these
  alone;
- **NL2** and **NE**: rated here, below level 2 (the catalogue lists them apart);
- **under assessment**: shown with a rating imported from elsewhere, because their
  studies are not yet appraised here (the programme page says so); whatever that
  imported rating is, it is never counted as a rating of this guidebook.

A cell is a **gap** when no rated programme in it reaches level 3 (the level where
"evidence-based" starts). The map is plain data built from ``MapProgramme`` values,
so it is computed and tested without a database or a request;
``guidebook.catalogue.evidence_map_data`` reads those values from published snapshots.

Which programmes are counted follows the catalogue's filters of the same names
(``uk_provision``, ``rating``, ``cost_rating``), with the same meanings: values of
one filter are alternatives, filters all hold, "evidence-based" is every rating from
3 up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from types import MappingProxyType

from guidebook.catalogue.finder_index import EVIDENCE_BASED
from guidebook.evidence import vocabulary
from guidebook.evidence.standards import rating_rank

__all__ = [
    "DEFAULT_DIMENSION",
    "DIMENSIONS",
    "FILTER_NAMES",
    "Cell",
    "Dimension",
    "EvidenceMap",
    "Gap",
    "MapFilters",
    "MapProgramme",
    "Row",
    "Status",
    "build_map",
]

_LISTED_FROM = rating_rank("2")
_EVIDENCE_BASED_FROM = rating_rank("3")
_EMPTY: frozenset[str] = frozenset()

FILTER_NAMES = ("uk_provision", "rating", "cost_rating")
"""The catalogue's filters the map offers, in the order its form shows them."""


@dataclass(frozen=True)
class Dimension:
    """A characteristic the columns can show: its parameter (and facet kind) and values."""

    key: str
    label: str
    values: Mapping[str, str]


DIMENSIONS: Mapping[str, Dimension] = MappingProxyType(
    {
        item.key: item
        for item in (
            Dimension("age_group", "Age group", vocabulary.AGE_GROUPS),
            Dimension("delivery_model", "Delivery model", vocabulary.DELIVERY_MODELS),
            Dimension("setting", "Setting", vocabulary.SETTINGS),
            Dimension("targeting", "Level of need", vocabulary.TARGETING),
        )
    }
)
DEFAULT_DIMENSION = "age_group"


class Status(Enum):
    """What is known of a programme's evidence, as the map tells programmes apart."""

    RATED = "rated"
    NE = "NE"
    NL2 = "NL2"
    UNDER_ASSESSMENT = "under-assessment"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.RATED: "Rated 2 or above",
    Status.NE: "NE (found not to be effective)",
    Status.NL2: "NL2 (not level 2)",
    Status.UNDER_ASSESSMENT: "Under assessment (rating imported, studies not yet appraised)",
}


@dataclass(frozen=True)
class MapProgramme:
    """One published programme as the map sees it."""

    slug: str
    name: str
    rating: str
    """The rating shown, e.g. "3+*"; imported when ``rating_source`` says so."""
    rating_source: str
    outcomes: frozenset[tuple[str, str]]
    """(category, outcome) pairs its evidence covers (``publishing.outcome_pairs``)."""
    facets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Its characteristics and filter values by facet kind (age_group, cost_rating...)."""

    # Worked out once each: a map reads them for every cell a programme is in.
    @cached_property
    def rank(self) -> int:
        return rating_rank(self.rating)

    @cached_property
    def listed(self) -> bool:
        """On the catalogue's main list (rated 2 or above, whatever the source)."""
        return self.rank >= _LISTED_FROM

    @cached_property
    def status(self) -> Status:
        if self.rating_source != "computed":
            return Status.UNDER_ASSESSMENT
        if self.listed:
            return Status.RATED
        return Status.NE if self.rating.removesuffix("*") == "NE" else Status.NL2

    def keys(self, kind: str) -> frozenset[str]:
        return self.facets.get(kind, _EMPTY)


@dataclass(frozen=True)
class MapFilters:
    """The catalogue filters chosen on the map; an empty tuple means "any"."""

    uk_provision: tuple[str, ...] = ()
    rating: tuple[str, ...] = ()
    cost_rating: tuple[str, ...] = ()

    def admits(self, programme: MapProgramme) -> bool:
        """Whether the catalogue, filtered the same way, would show ``programme``."""
        ratings = set(programme.keys("rating"))
        if programme.rank >= _EVIDENCE_BASED_FROM:
            ratings.add(EVIDENCE_BASED)
        return (
            _any(self.uk_provision, programme.keys("uk_provision"))
            and _any(self.rating, ratings)
            and _any(self.cost_rating, programme.keys("cost_rating"))
        )

    def selected(self) -> dict[str, tuple[str, ...]]:
        """The chosen values by parameter name, leaving out filters not used."""
        chosen = {name: getattr(self, name) for name in FILTER_NAMES}
        return {name: values for name, values in chosen.items() if values}


def _any(wanted: tuple[str, ...], found: Iterable[str]) -> bool:
    return not wanted or not set(wanted).isdisjoint(found)


@dataclass(frozen=True)
class Cell:
    """The programmes of one row under one column, strongest rating first."""

    column: str
    programmes: tuple[MapProgramme, ...]

    @cached_property
    def _counts(self) -> Counter[Status]:
        return Counter(programme.status for programme in self.programmes)

    def _count(self, status: Status) -> int:
        return self._counts[status]

    @property
    def total(self) -> int:
        return len(self.programmes)

    @property
    def rated(self) -> int:
        return self._count(Status.RATED)

    @property
    def ne(self) -> int:
        return self._count(Status.NE)

    @property
    def nl2(self) -> int:
        return self._count(Status.NL2)

    @property
    def under_assessment(self) -> int:
        return self._count(Status.UNDER_ASSESSMENT)

    @cached_property
    def evidence_based(self) -> int:
        """Rated programmes at level 3 or above."""
        return sum(
            1
            for programme in self.programmes
            if programme.status is Status.RATED and programme.rank >= _EVIDENCE_BASED_FROM
        )

    @cached_property
    def listed(self) -> int:
        """Programmes the catalogue's main list shows (imported ratings of 2 up included)."""
        return sum(1 for programme in self.programmes if programme.listed)

    @property
    def not_listed(self) -> int:
        return self.total - self.listed

    @property
    def strongest(self) -> str | None:
        """The strongest rating among the rated programmes (e.g. "3+*"), if any."""
        rated = [p for p in self.programmes if p.status is Status.RATED]
        return rated[0].rating if rated else None

    @property
    def level(self) -> str | None:
        """The strongest rating's level: "4", "3" or "2" (plus and asterisk dropped)."""
        return self.strongest[0] if self.strongest else None

    @property
    def is_gap(self) -> bool:
        """No rated programme at level 3 or above."""
        return self.evidence_based == 0

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The kinds of programme present, in the order of ``Status``."""
        present = {programme.status for programme in self.programmes}
        return tuple(status for status in Status if status in present)


@dataclass(frozen=True)
class Row:
    """An outcome category (``outcome`` is ``None``) or one outcome within it."""

    category: str
    outcome: str | None
    cells: tuple[Cell, ...]

    @property
    def category_label(self) -> str:
        return vocabulary.label_of(vocabulary.OUTCOME_CATEGORIES, self.category)

    @property
    def label(self) -> str:
        return self.outcome if self.outcome is not None else self.category_label

    @property
    def is_category(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True)
class Gap:
    """One cell with no rated programme at level 3 or above, and what it does hold."""

    row: Row
    cell: Cell
    column_label: str

    @property
    def unrated(self) -> bool:
        """Not even one programme rated 2 or above."""
        return self.cell.rated == 0


@dataclass(frozen=True)
class EvidenceMap:
    """Every row of the map under one choice of columns and filters."""

    dimension: Dimension
    filters: MapFilters
    rows: tuple[Row, ...]
    programme_count: int
    """Programmes the filters admit (each counted once, whatever its cells)."""

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.dimension.values.items())

    @property
    def largest_cell(self) -> int:
        return max((cell.total for row in self.rows for cell in row.cells), default=0)

    def gaps(self, column: str | None = None) -> tuple[Gap, ...]:
        """Gap cells, row by row; only those of ``column`` when one is given."""
        labels = dict(self.columns)
        return tuple(
            Gap(row, cell, labels[cell.column])
            for row in self.rows
            for cell in row.cells
            if cell.is_gap and (column is None or cell.column == column)
        )


def _strongest_first(programmes: Iterable[MapProgramme]) -> tuple[MapProgramme, ...]:
    # Rated programmes first, strongest first, so a cell's strongest rating is its
    # first rated programme; then the others by status; names break ties.
    order = {status: position for position, status in enumerate(Status)}
    return tuple(
        sorted(programmes, key=lambda p: (order[p.status], -p.rank, p.name.casefold(), p.slug))
    )


def _outcomes_by_category(programmes: Sequence[MapProgramme]) -> dict[str, list[str]]:
    """Every outcome recorded under each category, in vocabulary then name order."""
    found: dict[str, set[str]] = {}
    for programme in programmes:
        for category, outcome in programme.outcomes:
            outcomes = found.setdefault(category, set())
            if outcome:
                outcomes.add(outcome)
    # Categories outside the vocabulary (none today) come after it, by key.
    categories = [
        *vocabulary.OUTCOME_CATEGORIES,
        *sorted(set(found) - set(vocabulary.OUTCOME_CATEGORIES)),
    ]
    return {
        category: sorted(found.get(category, ()), key=lambda name: (name.casefold(), name))
        for category in categories
    }


def _row(
    category: str, outcome: str | None, covering: Sequence[MapProgramme], dimension: Dimension
) -> Row:
    cells = tuple(
        Cell(column, _strongest_first(p for p in covering if column in p.keys(dimension.key)))
        for column in dimension.values
    )
    return Row(category, outcome, cells)


def build_map(
    programmes: Iterable[MapProgramme],
    dimension: str = DEFAULT_DIMENSION,
    filters: MapFilters | None = None,
) -> EvidenceMap:
    """The map of ``programmes`` with columns from ``dimension``, counting those ``filters`` admit.

    Rows come from every programme given, admitted or not, so an outcome the filters
    leave without a programme stays on the map as a row of empty cells: a gap.
    Raises ``KeyError`` for a dimension not in ``DIMENSIONS`` (requests are checked
    before they get here, in ``evidence_map_data.read_map_request``).
    """
    chosen = DIMENSIONS[dimension]
    filters = filters or MapFilters()
    every = list(programmes)
    admitted = [programme for programme in every if filters.admits(programme)]
    by_category: dict[str, list[MapProgramme]] = {}
    by_pair: dict[tuple[str, str], list[MapProgramme]] = {}
    for programme in admitted:
        for category in {pair[0] for pair in programme.outcomes}:
            by_category.setdefault(category, []).append(programme)
        for pair in programme.outcomes:
            by_pair.setdefault(pair, []).append(programme)
    rows: list[Row] = []
    for category, outcomes in _outcomes_by_category(every).items():
        rows.append(_row(category, None, by_category.get(category, []), chosen))
        rows.extend(
            _row(category, outcome, by_pair.get((category, outcome), []), chosen)
            for outcome in outcomes
        )
    return EvidenceMap(chosen, filters, tuple(rows), len(admitted))
