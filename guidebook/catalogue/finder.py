"""Finding published programmes: filters, free-text search, counts, sorting and pages.

The catalogue page and the JSON API both answer through ``find_programmes``, so the
two can never disagree about what a filter means or how many programmes match it.
Only current published snapshots are searched (``Snapshot.is_current``), never the
records the evidence team is still working on.

The rules:

- multiple values of one filter are alternatives (OR); different filters must all
  hold (AND); every word of the search text, or a synonym or stem of it, must appear
  in what the programme publishes (``guidebook.catalogue.search``, docs/search.md);
- with search text and no sort asked for, the best matches come first;
- the count beside a filter value is the number of programmes that would match if
  that value were the only one chosen in its filter, all other filters staying as
  they are (the usual rule of faceted search, so a count never drops to zero just
  because a sibling value is ticked);
- the main list holds listed programmes (rated 2 and above); NL2 and NE programmes
  are on a list of their own;
- anything the request gets wrong (an unknown parameter, an unknown value, a page
  past the end) raises ``InvalidRecord`` naming the parameter, what was expected and
  what was found, all problems at once.

Filtering and counting happen in memory, over an index of the current catalogue that
each process builds once per publication (``finder_index``). That suits a guidebook's
size (hundreds or a few thousand programmes, tens of values each) and keeps the
counting rule in one readable place. Search words are looked up in the database's
full-text index, which answers with programmes in order of relevance; the index of
the catalogue keeps the answer until the next publication. A request then costs one
query for the columns of the page shown, and one for search words not looked up
since the last publication, besides reading the catalogue version. Reading and
checking the request itself is ``finder_query``'s part; its names are importable from
here too.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models.fields.json import KT, KeyTransform

from guidebook.catalogue.finder_index import (
    EVIDENCE_BASED,
    CatalogueIndex,
    Entry,
    current_index,
    retire_index,
)
from guidebook.catalogue.finder_query import (
    COST_RATING_LABELS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_SORT,
    FILTER_NAMES_BY_KIND,
    FILTERS,
    FILTERS_BY_NAME,
    MAX_PAGE_SIZE,
    MAX_TEXT_LENGTH,
    MAX_WORDS,
    SCOPE_PARAMETER,
    SEARCH_SORT,
    SORTS,
    Filter,
    Query,
    QueryParameters,
    Scope,
    parse_query,
    query_problem,
)
from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.rating_basis import RatingBasis, cost_basis, evidence_basis
from guidebook.catalogue.search import search_programmes
from guidebook.evidence.errors import InvalidRecord, Problem

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_SORT",
    "EVIDENCE_BASED",
    "FILTERS",
    "MAX_PAGE_SIZE",
    "MAX_TEXT_LENGTH",
    "MAX_WORDS",
    "SCOPE_PARAMETER",
    "SEARCH_SORT",
    "SORTS",
    "FacetCounts",
    "Filter",
    "Found",
    "Option",
    "PastTheLastPage",
    "Query",
    "Results",
    "Scope",
    "find_programmes",
    "parse_query",
]

# --- Checking against the catalogue ------------------------------------------------


def _open_value_problems(query: Query, index: CatalogueIndex) -> list[Problem]:
    problems: list[Problem] = []
    for item in FILTERS:
        if item.vocabulary is not None or item.name not in query.selected:
            continue
        published = index.published.get(item.kind, ())
        expected = "a value published in the catalogue, such as " + ", ".join(published[:5])
        if not published:
            expected = "a published value (none is published yet)"
        problems.extend(
            query_problem(item.name, expected, value)
            for value in query.selected[item.name]
            if value not in published
        )
    return problems


# --- Results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One value of a filter, with how many programmes it would show."""

    key: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetCounts:
    """A filter with the counts beside each of its values."""

    name: str
    label: str
    options: tuple[Option, ...]

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


@dataclass(frozen=True)
class Found:
    """One programme on the page of results.

    Its snapshot row carries, beside the page's columns, the rating imported for it
    (``published``, or None) and its cost rating's source (``cost_source``), read from
    the stored JSON so a result can say what its ratings rest on (``rating_basis``).
    """

    snapshot: Snapshot
    outcomes: tuple[str, ...]

    @property
    def cost_label(self) -> str:
        return COST_RATING_LABELS.get(self.snapshot.cost_rating, self.snapshot.cost_rating)

    def _assessment(self) -> dict[str, Any]:
        snapshot = self.snapshot
        return {
            "shown": {"value": snapshot.rating, "source": snapshot.rating_source},
            "rating": {"value": snapshot.rating},
            "imported": getattr(snapshot, "published", None),
        }

    @property
    def evidence_basis(self) -> RatingBasis:
        # A shown rating that is computed is the computed rating; an imported one
        # withholds the computed rating anyway, so the row needs nothing more.
        return evidence_basis(self._assessment())

    @property
    def cost_basis(self) -> RatingBasis:
        snapshot = self.snapshot
        source = getattr(snapshot, "cost_source", None) or "computed"
        cost = {
            "rating": snapshot.cost_rating,
            "shown": {"rating": snapshot.cost_rating, "source": source},
        }
        return cost_basis(cost, self._assessment())


@dataclass(frozen=True)
class Results:
    """One page of programmes matching a query, with counts for every filter value."""

    query: Query
    total: int
    items: tuple[Found, ...]
    facets: tuple[FacetCounts, ...]
    elsewhere: int
    """Programmes on the other list matching the same filters (evidence rating aside)."""

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.query.page_size))

    @property
    def first_shown(self) -> int:
        return (self.query.page - 1) * self.query.page_size + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.items) - 1 if self.items else 0

    @property
    def next_page(self) -> int | None:
        return self.query.page + 1 if self.query.page < self.page_count else None

    @property
    def previous_page(self) -> int | None:
        return self.query.page - 1 if self.query.page > 1 else None


def _matches(entry: Entry, name: str, values: tuple[str, ...]) -> bool:
    return not entry.keys(FILTERS_BY_NAME[name].kind).isdisjoint(values)


def _count(query: Query, pool: list[Entry]) -> tuple[list[Entry], dict[str, Counter[str]]]:
    """The entries matching every filter, and each filter's counts under the other filters.

    An entry that fails exactly one filter still counts towards that filter's values:
    choosing one of them instead would bring the entry in.
    """
    matched: list[Entry] = []
    counts: dict[str, Counter[str]] = {item.name: Counter() for item in FILTERS}
    # An entry matching every filter counts towards all its values; counting them as
    # (kind, key) pairs in one Counter keeps the unfiltered catalogue quick to count.
    everywhere: Counter[tuple[str, str]] = Counter()
    for entry in pool:
        failed = [
            name for name, values in query.selected.items() if not _matches(entry, name, values)
        ]
        if not failed:
            matched.append(entry)
            everywhere.update(entry.values)
        elif len(failed) == 1:
            counts[failed[0]].update(entry.keys(FILTERS_BY_NAME[failed[0]].kind))
    for (kind, key), number in everywhere.items():
        if kind in FILTER_NAMES_BY_KIND:
            counts[FILTER_NAMES_BY_KIND[kind]][key] += number
    return matched, counts


def _sorted(entries: list[Entry], sort: str, relevance: dict[int, int]) -> list[Entry]:
    """The entries in the order asked for; they arrive sorted by name (``CatalogueIndex``).

    ``relevance`` is each programme's place in the search results; without search words
    it is empty and the best match order is the name order.
    """
    if sort == SEARCH_SORT and relevance:
        return sorted(entries, key=lambda e: relevance[e.programme_id])
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    # Ties are broken by name, then id; the index's order is exactly that.
    by_name = entries[::-1] if key == "name" and descending else entries
    if key == "rating":
        return sorted(by_name, key=lambda e: e.rating_rank, reverse=descending)
    if key == "cost":
        # Programmes without a cost rating come last whichever way costs are sorted.
        known = [e for e in by_name if e.cost_rating != "NA"]
        unknown = [e for e in by_name if e.cost_rating == "NA"]
        return sorted(known, key=lambda e: e.cost_rating, reverse=descending) + unknown
    return by_name


def _facet_counts(
    query: Query, pool: list[Entry], counts: dict[str, Counter[str]]
) -> tuple[FacetCounts, ...]:
    facets = []
    for item in FILTERS:
        chosen = query.selected.get(item.name, ())
        values = item.values_for(query.scope)
        if values is None:
            keys = sorted(set(chosen).union(*(entry.keys(item.kind) for entry in pool)))
            values = {key: key for key in keys}
        options = tuple(
            Option(key, label, counts[item.name][key], key in chosen)
            for key, label in values.items()
        )
        facets.append(FacetCounts(item.name, item.label, options))
    return tuple(facets)


def _elsewhere(query: Query, searched: list[Entry]) -> int:
    if query.scope is Scope.ALL:
        return 0
    other = Scope.NOT_LISTED if query.scope is Scope.LISTED else Scope.LISTED
    filters = {name: values for name, values in query.selected.items() if name != "rating"}
    return sum(
        1
        for entry in searched
        if other.holds(entry.listed)
        and all(_matches(entry, name, values) for name, values in filters.items())
    )


def _page_rows(entries: list[Entry], current_only: bool = True) -> tuple[Found, ...]:
    """The page's programmes, leaving out any that is no longer current (unless the
    index is a release's, whose snapshots need not be)."""
    wanted = Snapshot.objects.filter(id__in=[entry.id for entry in entries])
    rows = (
        (wanted.filter(is_current=True) if current_only else wanted)
        .only(
            "slug",
            "name",
            "summary",
            "rating",
            "rating_source",
            "cost_rating",
            "unit_cost",
            "published_at",
        )
        .annotate(
            published=KeyTransform("imported", "assessment"),
            cost_source=KT("cost__shown__source"),
        )
    )
    by_id = {row.id: row for row in rows}
    return tuple(
        Found(by_id[entry.id], tuple(sorted(entry.keys("outcome"), key=str.casefold)))
        for entry in entries
        if entry.id in by_id
    )


class PastTheLastPage(InvalidRecord):
    """A page number past the last page of the results (the API answers 404)."""


def _relevance(query: Query, index: CatalogueIndex) -> dict[int, int]:
    """Each programme matching the search words with its place, best first."""
    if not query.text:
        return {}
    found = index.searched(query.text, search_programmes)
    return {programme_id: place for place, programme_id in enumerate(found)}


def _results(query: Query, index: CatalogueIndex, current_only: bool = True) -> Results:
    relevance = _relevance(query, index)
    searched = (
        [entry for entry in index.entries if entry.programme_id in relevance]
        if query.text
        else list(index.entries)
    )
    pool = [entry for entry in searched if query.scope.holds(entry.listed)]
    matched, counts = _count(query, pool)
    page_count = max(1, math.ceil(len(matched) / query.page_size))
    if query.page > page_count:
        raise PastTheLastPage(
            [query_problem("page", f"a page from 1 to {page_count}", str(query.page))]
        )
    start = (query.page - 1) * query.page_size
    return Results(
        query=query,
        total=len(matched),
        items=_page_rows(
            _sorted(matched, query.sort, relevance)[start : start + query.page_size],
            current_only,
        ),
        facets=_facet_counts(query, pool, counts),
        elsewhere=_elsewhere(query, searched),
    )


def _rows_missing(results: Results) -> bool:
    """Whether the page shows fewer programmes than the index said it would."""
    query = results.query
    expected = min(query.page_size, results.total - (query.page - 1) * query.page_size)
    return len(results.items) < expected


def find_programmes(
    params: QueryParameters,
    scope: Scope = Scope.LISTED,
    *,
    allow_scope: bool = False,
    index: CatalogueIndex | None = None,
) -> Results:
    """One page of current published programmes matching the request's parameters.

    Raises ``InvalidRecord`` listing every problem with the parameters. Costs one query
    (the page's columns) besides reading the catalogue version, one more for search
    words new to this catalogue version (two more when nothing matches them, to try
    corrected spellings), and two
    more when the catalogue index is built: after a publication, and on every call
    inside a transaction. Given an ``index`` (a release's, from ``build_index``), that
    catalogue is searched instead of the current one (search words are matched against
    the current search documents of the same programmes).
    """
    query, problems = parse_query(params, scope, allow_scope=allow_scope)
    given = index is not None
    index = index or current_index()
    problems += _open_value_problems(query, index)
    if problems:
        raise InvalidRecord(problems)
    if given:
        return _results(query, index, current_only=False)
    results = _results(query, index)
    if _rows_missing(results):
        # A programme the index holds was deleted or replaced without this process
        # seeing the catalogue version move on: the index is stale, so build another.
        retire_index(index)
        results = _results(query, current_index())
    return results
