"""Finding published programmes: filters, free-text search, counts, sorting and pages.

The catalogue page and the JSON API both answer through ``find_programmes``, so the
two can never disagree about what a filter means or how many programmes match it.
Only current published snapshots are searched (``Snapshot.is_current``), never the
records the evidence team is still working on.

The rules:

- multiple values of one filter are alternatives (OR); different filters must all
  hold (AND); every word of the search text must appear in the programme's name,
  summary, description or outcomes;
- the count beside a filter value is the number of programmes that would match if
  that value were the only one chosen in its filter, all other filters staying as
  they are (the usual rule of faceted search, so a count never drops to zero just
  because a sibling value is ticked);
- the main list holds listed programmes (rated 2 and above); NL2 and NE programmes
  are on a list of their own;
- anything the request gets wrong (an unknown parameter, an unknown value, a page
  past the end) raises ``InvalidRecord`` naming the parameter, what was expected and
  what was found, all problems at once.

Searching, filtering and counting happen in memory, over an index of the current
catalogue that each process builds once per publication (``finder_index``). That suits
a guidebook's size (hundreds or a few thousand programmes, tens of values each) and
keeps the counting rule in one readable place. A request then costs one query, for
the columns of the page shown, besides reading the catalogue version.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Protocol
from urllib.parse import urlencode

from guidebook.catalogue.finder_index import (
    EVIDENCE_BASED,
    CatalogueIndex,
    Entry,
    current_index,
    retire_index,
)
from guidebook.catalogue.models import Snapshot
from guidebook.evidence import vocabulary
from guidebook.evidence.cost_parameters import COST_BANDS
from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.standards import RATING_VALUES, rating_rank

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_SORT",
    "EVIDENCE_BASED",
    "FILTERS",
    "MAX_PAGE_SIZE",
    "MAX_TEXT_LENGTH",
    "MAX_WORDS",
    "SCOPE_PARAMETER",
    "SORTS",
    "FacetCounts",
    "Filter",
    "Found",
    "Option",
    "Query",
    "Results",
    "Scope",
    "find_programmes",
    "parse_query",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_WORDS = 10
MAX_TEXT_LENGTH = 200
RECORD = "query"

_LISTED_FROM = rating_rank("2")


class Scope(Enum):
    """Which list is searched: the main catalogue, the programmes not listed, or both."""

    LISTED = "listed"
    NOT_LISTED = "not-listed"
    ALL = "all"

    def holds(self, listed: bool) -> bool:
        return self is Scope.ALL or listed is (self is Scope.LISTED)


@dataclass(frozen=True)
class Filter:
    """One filter: its query parameter, the facet kind it reads, and its values.

    ``vocabulary`` maps each accepted key to its label; ``None`` means an open
    vocabulary (outcomes, countries) whose accepted values are those published.
    """

    name: str
    kind: str
    label: str
    vocabulary: Mapping[str, str] | None

    def values_for(self, scope: Scope) -> Mapping[str, str] | None:
        if self.name == "rating":
            return _rating_values(scope)
        return self.vocabulary


def _rating_label(value: str) -> str:
    words = {"NL2": "NL2 (not level 2)", "NE": "NE (found not to be effective)"}
    return words.get(value, value)


def _rating_values(scope: Scope) -> Mapping[str, str]:
    """Rating values offered on a list, strongest first, with "evidence-based" on top."""
    values = {
        value: _rating_label(value)
        for value in reversed(RATING_VALUES)
        if scope.holds(rating_rank(value) >= _LISTED_FROM)
    }
    if scope is not Scope.NOT_LISTED:
        values = {EVIDENCE_BASED: "Evidence-based (3 and above)", **values}
    return MappingProxyType(values)


_COST_RATINGS = MappingProxyType(
    {band.rating: f"{band.rating} ({band.label})" for band in COST_BANDS}
    | {"NA": "NA (not available)"}
)
_YES_NO = MappingProxyType({"yes": "Yes", "no": "No", "unknown": "Not known"})

FILTERS: tuple[Filter, ...] = (
    Filter("age_group", "age_group", "Age group", vocabulary.AGE_GROUPS),
    Filter("outcome_category", "outcome_category", "Outcome area", vocabulary.OUTCOME_CATEGORIES),
    Filter("outcome", "outcome", "Child outcome", None),
    Filter("delivery_model", "delivery_model", "Delivery model", vocabulary.DELIVERY_MODELS),
    Filter("setting", "setting", "Setting", vocabulary.SETTINGS),
    Filter("targeting", "targeting", "Level of need", vocabulary.TARGETING),
    Filter("rating", "rating", "Evidence rating", MappingProxyType({})),
    Filter("cost_rating", "cost_rating", "Cost rating", _COST_RATINGS),
    Filter("uk_provision", "uk_provision", "Delivered in the UK", _YES_NO),
    Filter("uk_evaluation", "uk_evaluation", "Evaluated in the UK", _YES_NO),
    Filter("country", "country", "Country where it has been implemented", None),
)
_FILTERS_BY_NAME = {item.name: item for item in FILTERS}
_FILTER_NAMES_BY_KIND = {item.kind: item.name for item in FILTERS}

# Sort keys: a leading "-" means descending. Ties are broken by name.
SORTS = MappingProxyType(
    {
        "name": "Name, A to Z",
        "-name": "Name, Z to A",
        "-rating": "Evidence rating, strongest first",
        "rating": "Evidence rating, weakest first",
        "cost": "Cost rating, lowest first",
        "-cost": "Cost rating, highest first",
    }
)
DEFAULT_SORT = "name"

_SINGLE_VALUED = ("q", "sort", "page", "page_size")
SCOPE_PARAMETER = "list"


class QueryParameters(Protocol):
    """What a Django ``QueryDict`` offers: each name with all its values."""

    def lists(self) -> Iterable[tuple[str, list[str]]]: ...


# --- The query ----------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A valid request: chosen filter values, search text, sort and page."""

    scope: Scope = Scope.LISTED
    selected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    text: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    scope_in_params: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        # Snapshot.search_text is stored lower-cased, so words are lower-cased too
        # (str.lower on both sides, as in publishing._search_text).
        return tuple(self.text.lower().split())

    def params(self) -> list[tuple[str, str]]:
        """The query as (name, value) pairs, in a fixed order, leaving out defaults."""
        pairs: list[tuple[str, str]] = []
        if self.scope_in_params and self.scope is not Scope.LISTED:
            pairs.append((SCOPE_PARAMETER, self.scope.value))
        if self.text:
            pairs.append(("q", self.text))
        for item in FILTERS:
            pairs.extend((item.name, value) for value in self.selected.get(item.name, ()))
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        if self.page_size != DEFAULT_PAGE_SIZE:
            pairs.append(("page_size", str(self.page_size)))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def encode(self) -> str:
        """The query string of this query, without the "?"; the same query gives the same text."""
        return urlencode(self.params())

    def on_page(self, page: int) -> Query:
        return replace(self, page=page)

    def without(self, name: str) -> Query:
        """The same query with one filter cleared, from the first page."""
        selected = {key: values for key, values in self.selected.items() if key != name}
        return replace(self, selected=selected, page=1)

    def is_filtered(self) -> bool:
        return bool(self.text or any(self.selected.values()))


def _problem(parameter: str, expected: str, found: object) -> Problem:
    return Problem(RECORD, parameter, expected, describe(found))


def _one_of(values: Iterable[str]) -> str:
    return "one of " + ", ".join(values)


def _whole_number(
    parameter: str, raw: str, lowest: int, highest: int | None, problems: list[Problem]
) -> int | None:
    expected = (
        f"a whole number from {lowest} to {highest}"
        if highest is not None
        else f"a whole number of at least {lowest}"
    )
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        problems.append(_problem(parameter, expected, raw))
        return None
    return number


def _chosen(
    item: Filter, values: list[str], scope: Scope, problems: list[Problem]
) -> tuple[str, ...]:
    """The valid values of one filter, in vocabulary order and without repeats."""
    accepted = item.values_for(scope)
    if accepted is None:
        return tuple(dict.fromkeys(values))
    unknown = [value for value in values if value not in accepted]
    if unknown:
        problems.extend(_problem(item.name, _one_of(accepted), value) for value in unknown)
    return tuple(key for key in accepted if key in values)


def _text_problems(text: str) -> list[Problem]:
    if len(text) > MAX_TEXT_LENGTH or len(text.split()) > MAX_WORDS:
        expected = f"at most {MAX_WORDS} words and {MAX_TEXT_LENGTH} characters"
        return [_problem("q", expected, text)]
    # Control characters match nothing, and PostgreSQL refuses NUL in a query.
    if any(ord(character) < 32 or ord(character) == 127 for character in text):
        return [_problem("q", "words without control characters", text)]
    return []


def _given(params: QueryParameters) -> dict[str, list[str]]:
    """Each parameter's non-blank values; a blank value counts as not given.

    Values are kept as sent: "rating=4+" arrives as "4 " (a "+" in a query string is a
    space) and is refused as such, rather than quietly read as "4".
    """
    given: dict[str, list[str]] = {}
    for name, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            given.setdefault(name, []).extend(kept)
    return given


def _read_scope(
    given: dict[str, list[str]], scope: Scope, allow_scope: bool, problems: list[Problem]
) -> Scope:
    if not allow_scope or SCOPE_PARAMETER not in given:
        return scope
    raw = given[SCOPE_PARAMETER][0]
    try:
        return Scope(raw)
    except ValueError:
        problems.append(_problem(SCOPE_PARAMETER, _one_of(s.value for s in Scope), raw))
        return scope


def parse_query(
    params: QueryParameters, scope: Scope = Scope.LISTED, *, allow_scope: bool = False
) -> tuple[Query, list[Problem]]:
    """Read request parameters into a ``Query``, with every problem found.

    ``allow_scope`` accepts a ``list`` parameter (listed, not-listed, all) choosing
    the list; without it the list is ``scope``. Values of open vocabularies are
    checked later, against what is published (``find_programmes``).
    """
    given = _given(params)
    problems: list[Problem] = []
    known = {*_FILTERS_BY_NAME, *_SINGLE_VALUED, *([SCOPE_PARAMETER] if allow_scope else [])}
    for name in given:
        if name not in known:
            problems.append(_problem(name, "a known parameter: " + ", ".join(sorted(known)), name))
    for name in [*_SINGLE_VALUED, SCOPE_PARAMETER]:
        if len(given.get(name, [])) > 1:
            problems.append(_problem(name, "a single value", given[name]))
    scope = _read_scope(given, scope, allow_scope, problems)
    selected = {
        item.name: _chosen(item, given[item.name], scope, problems)
        for item in FILTERS
        if item.name in given
    }
    text = " ".join(given.get("q", [""])[0].split())
    text_problems = _text_problems(text)
    problems.extend(text_problems)
    sort = given.get("sort", [DEFAULT_SORT])[0]
    if sort not in SORTS:
        problems.append(_problem("sort", _one_of(SORTS), sort))
    page = _whole_number("page", given.get("page", ["1"])[0], 1, None, problems)
    page_size = _whole_number(
        "page_size", given.get("page_size", [str(DEFAULT_PAGE_SIZE)])[0], 1, MAX_PAGE_SIZE, problems
    )
    query = Query(
        scope=scope,
        selected={name: values for name, values in selected.items() if values},
        # Refused text is never searched for.
        text="" if text_problems else text,
        sort=sort if sort in SORTS else DEFAULT_SORT,
        page=page or 1,
        page_size=page_size or DEFAULT_PAGE_SIZE,
        scope_in_params=allow_scope,
    )
    return query, problems


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
            _problem(item.name, expected, value)
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
    """One programme on the page of results."""

    snapshot: Snapshot
    outcomes: tuple[str, ...]

    @property
    def cost_label(self) -> str:
        return _COST_RATINGS.get(self.snapshot.cost_rating, self.snapshot.cost_rating)


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
    return not entry.keys(_FILTERS_BY_NAME[name].kind).isdisjoint(values)


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
            counts[failed[0]].update(entry.keys(_FILTERS_BY_NAME[failed[0]].kind))
    for (kind, key), number in everywhere.items():
        if kind in _FILTER_NAMES_BY_KIND:
            counts[_FILTER_NAMES_BY_KIND[kind]][key] += number
    return matched, counts


def _sorted(entries: list[Entry], sort: str) -> list[Entry]:
    """The entries in the order asked for; they arrive sorted by name (``CatalogueIndex``)."""
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


def _page_rows(entries: list[Entry]) -> tuple[Found, ...]:
    """The page's programmes, leaving out any that is no longer current."""
    rows = Snapshot.objects.filter(id__in=[entry.id for entry in entries], is_current=True).only(
        "slug",
        "name",
        "summary",
        "rating",
        "rating_source",
        "cost_rating",
        "unit_cost",
        "published_at",
    )
    by_id = {row.id: row for row in rows}
    return tuple(
        Found(by_id[entry.id], tuple(sorted(entry.keys("outcome"), key=str.casefold)))
        for entry in entries
        if entry.id in by_id
    )


def _results(query: Query, index: CatalogueIndex) -> Results:
    words = query.words
    searched = [entry for entry in index.entries if entry.has_words(words)]
    pool = [entry for entry in searched if query.scope.holds(entry.listed)]
    matched, counts = _count(query, pool)
    page_count = max(1, math.ceil(len(matched) / query.page_size))
    if query.page > page_count:
        raise InvalidRecord([_problem("page", f"a page from 1 to {page_count}", str(query.page))])
    start = (query.page - 1) * query.page_size
    return Results(
        query=query,
        total=len(matched),
        items=_page_rows(_sorted(matched, query.sort)[start : start + query.page_size]),
        facets=_facet_counts(query, pool, counts),
        elsewhere=_elsewhere(query, searched),
    )


def _rows_missing(results: Results) -> bool:
    """Whether the page shows fewer programmes than the index said it would."""
    query = results.query
    expected = min(query.page_size, results.total - (query.page - 1) * query.page_size)
    return len(results.items) < expected


def find_programmes(
    params: QueryParameters, scope: Scope = Scope.LISTED, *, allow_scope: bool = False
) -> Results:
    """One page of current published programmes matching the request's parameters.

    Raises ``InvalidRecord`` listing every problem with the parameters. Costs one query
    (the page's columns) besides reading the catalogue version, and two more when the
    catalogue index is built: after a publication, and on every call inside a
    transaction.
    """
    query, problems = parse_query(params, scope, allow_scope=allow_scope)
    index = current_index()
    problems += _open_value_problems(query, index)
    if problems:
        raise InvalidRecord(problems)
    results = _results(query, index)
    if _rows_missing(results):
        # A programme the index holds was deleted or replaced without this process
        # seeing the catalogue version move on: the index is stale, so build another.
        retire_index(index)
        results = _results(query, current_index())
    return results
