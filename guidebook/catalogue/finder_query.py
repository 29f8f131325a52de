"""Reading a finder request: the filters, sorts and limits, and the ``Query`` they make.

Everything here is about what a request may say and what it means, checked before
the catalogue is looked at: unknown parameters, values outside a closed vocabulary,
numbers out of range and over-long search text are all reported together, each
naming the parameter, what was expected and what was found. Values of the open
vocabularies (outcomes, countries) are checked against what is published, in
``finder``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Protocol
from urllib.parse import urlencode

from guidebook.catalogue.finder_index import EVIDENCE_BASED
from guidebook.evidence import vocabulary
from guidebook.evidence.cost_parameters import COST_BANDS
from guidebook.evidence.errors import Problem, describe
from guidebook.evidence.standards import RATING_VALUES, rating_rank

__all__ = [
    "COST_RATING_LABELS",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_SORT",
    "FILTERS",
    "FILTERS_BY_NAME",
    "FILTER_NAMES_BY_KIND",
    "MAX_PAGE_SIZE",
    "MAX_TEXT_LENGTH",
    "MAX_WORDS",
    "SCOPE_PARAMETER",
    "SEARCH_SORT",
    "SORTS",
    "Filter",
    "Query",
    "QueryParameters",
    "Scope",
    "parse_query",
    "query_problem",
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


COST_RATING_LABELS = MappingProxyType(
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
    Filter("cost_rating", "cost_rating", "Cost rating", COST_RATING_LABELS),
    Filter("uk_provision", "uk_provision", "Delivered in the UK", _YES_NO),
    Filter("uk_evaluation", "uk_evaluation", "Evaluated in the UK", _YES_NO),
    Filter("country", "country", "Country where it has been implemented", None),
)
FILTERS_BY_NAME = {item.name: item for item in FILTERS}
FILTER_NAMES_BY_KIND = {item.kind: item.name for item in FILTERS}

# Sort keys: a leading "-" means descending. Ties are broken by name.
SORTS = MappingProxyType(
    {
        "relevance": "Best match",
        "name": "Name, A to Z",
        "-name": "Name, Z to A",
        "-rating": "Evidence rating, strongest first",
        "rating": "Evidence rating, weakest first",
        "cost": "Cost rating, lowest first",
        "-cost": "Cost rating, highest first",
    }
)
DEFAULT_SORT = "name"
SEARCH_SORT = "relevance"
"""The order when search words are given and no sort is asked for."""

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
    def default_sort(self) -> str:
        """Best match first when searching, otherwise by name."""
        return default_sort(self.text)

    def params(self) -> list[tuple[str, str]]:
        """The query as (name, value) pairs, in a fixed order, leaving out defaults."""
        pairs: list[tuple[str, str]] = []
        if self.scope_in_params and self.scope is not Scope.LISTED:
            pairs.append((SCOPE_PARAMETER, self.scope.value))
        if self.text:
            pairs.append(("q", self.text))
        for item in FILTERS:
            pairs.extend((item.name, value) for value in self.selected.get(item.name, ()))
        if self.sort != self.default_sort:
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


def default_sort(text: str) -> str:
    return SEARCH_SORT if text else DEFAULT_SORT


def query_problem(parameter: str, expected: str, found: object) -> Problem:
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
        problems.append(query_problem(parameter, expected, raw))
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
        problems.extend(query_problem(item.name, _one_of(accepted), value) for value in unknown)
    return tuple(key for key in accepted if key in values)


def _text_problems(text: str) -> list[Problem]:
    if len(text) > MAX_TEXT_LENGTH or len(text.split()) > MAX_WORDS:
        expected = f"at most {MAX_WORDS} words and {MAX_TEXT_LENGTH} characters"
        return [query_problem("q", expected, text)]
    # Control characters match nothing, and PostgreSQL refuses NUL in a query.
    if any(ord(character) < 32 or ord(character) == 127 for character in text):
        return [query_problem("q", "words without control characters", text)]
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
        problems.append(query_problem(SCOPE_PARAMETER, _one_of(s.value for s in Scope), raw))
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
    known = {*FILTERS_BY_NAME, *_SINGLE_VALUED, *([SCOPE_PARAMETER] if allow_scope else [])}
    for name in given:
        if name not in known:
            problems.append(
                query_problem(name, "a known parameter: " + ", ".join(sorted(known)), name)
            )
    for name in [*_SINGLE_VALUED, SCOPE_PARAMETER]:
        if len(given.get(name, [])) > 1:
            problems.append(query_problem(name, "a single value", given[name]))
    scope = _read_scope(given, scope, allow_scope, problems)
    selected = {
        item.name: _chosen(item, given[item.name], scope, problems)
        for item in FILTERS
        if item.name in given
    }
    typed = " ".join(given.get("q", [""])[0].split())
    text_problems = _text_problems(typed)
    problems.extend(text_problems)
    # Refused text is never searched for.
    text = "" if text_problems else typed
    sort = given.get("sort", [default_sort(text)])[0]
    if sort not in SORTS:
        problems.append(query_problem("sort", _one_of(SORTS), sort))
    page = _whole_number("page", given.get("page", ["1"])[0], 1, None, problems)
    page_size = _whole_number(
        "page_size", given.get("page_size", [str(DEFAULT_PAGE_SIZE)])[0], 1, MAX_PAGE_SIZE, problems
    )
    query = Query(
        scope=scope,
        selected={name: values for name, values in selected.items() if values},
        text=text,
        sort=sort if sort in SORTS else default_sort(text),
        page=page or 1,
        page_size=page_size or DEFAULT_PAGE_SIZE,
        scope_in_params=allow_scope,
    )
    return query, problems
