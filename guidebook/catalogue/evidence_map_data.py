"""The evidence map's inputs read from published snapshots, its requests, and its data files.

Only snapshots are read: the current ones for the site (cached once per state of the
published catalogue), or the ones a release froze. Each becomes a ``MapProgramme``
from columns and facets the snapshot already holds and the outcome pairs of its
stored JSON (``publishing.outcome_pairs``), so no record is decoded.

Requests use the catalogue's own parameter names and values for the filters
(``uk_provision``, ``rating``, ``cost_rating``) plus ``columns`` (which characteristic
the columns show) and, for the gaps, ``column`` (one of its values). Anything else,
or a value outside a vocabulary, is refused with the finder's error shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.db.models.fields.json import KeyTransform

from guidebook.catalogue.evidence_map import (
    DEFAULT_DIMENSION,
    DIMENSIONS,
    FILTER_NAMES,
    Cell,
    EvidenceMap,
    MapFilters,
    MapProgramme,
    Row,
    Status,
    build_map,
)
from guidebook.catalogue.finder_query import (
    FILTERS_BY_NAME,
    Query,
    QueryParameters,
    Scope,
    query_problem,
)
from guidebook.catalogue.models import Snapshot, SnapshotFacet
from guidebook.catalogue.publishing import LISTED_FROM as _LISTED_FROM
from guidebook.catalogue.publishing import catalogue_version, outcome_pairs
from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.lib.csv_files import Cell as CsvCell
from guidebook.lib.csv_files import csv_text

__all__ = [
    "COLUMNS_PARAMETER",
    "COLUMN_PARAMETER",
    "CSV_HEADER",
    "MapRequest",
    "cell_query",
    "current_map_programmes",
    "map_csv",
    "map_dict",
    "map_for",
    "map_json",
    "map_programmes_of",
    "read_map_request",
]

COLUMNS_PARAMETER = "columns"
COLUMN_PARAMETER = "column"
_FACET_KINDS = (*DIMENSIONS, *FILTER_NAMES)
_CACHE_SECONDS = 24 * 60 * 60

LinkMaker = Callable[[Row, Cell], str]


# --- From snapshots -----------------------------------------------------------------


def map_programmes_of(snapshots: QuerySet[Snapshot]) -> list[MapProgramme]:
    """``MapProgramme`` values of the given snapshots, in their order.

    A snapshot's record and assessment are large; only the list of supported outcomes
    is read from the assessment, in the database, and the record only for the few
    programmes whose outcomes come from it (rated below 2 here, or imported). At two
    thousand programmes that takes two seconds rather than twenty (docs/map.md).
    """
    rows = list(
        snapshots.annotate(
            supported=KeyTransform("outcomes", KeyTransform("explanation", "assessment"))
        ).values_list("id", "slug", "name", "rating", "rating_source", "rating_rank", "supported")
    )
    from_record = [row[0] for row in rows if row[4] != "computed" or row[5] < _LISTED_FROM]
    records = dict(Snapshot.objects.filter(id__in=from_record).values_list("id", "record"))
    facets: dict[int, dict[str, set[str]]] = {row[0]: {} for row in rows}
    found = SnapshotFacet.objects.filter(
        snapshot_id__in=list(facets), kind__in=_FACET_KINDS
    ).values_list("snapshot_id", "kind", "key")
    for snapshot_id, kind, key in found:
        facets[snapshot_id].setdefault(kind, set()).add(key)
    programmes = []
    for snapshot_id, slug, name, rating, source, _, supported in rows:
        # Just the parts of the assessment ``outcome_pairs`` reads.
        assessment = {
            "shown": {"value": rating, "source": source},
            "explanation": {"outcomes": supported or []},
        }
        pairs = outcome_pairs(records.get(snapshot_id, {}), assessment)
        programmes.append(
            MapProgramme(
                slug=slug,
                name=name,
                rating=rating,
                rating_source=source,
                outcomes=frozenset(pairs),
                facets={kind: frozenset(keys) for kind, keys in facets[snapshot_id].items()},
            )
        )
    return programmes


def _published_state() -> str:
    # As for the open-data downloads: a worker whose cache is its own memory may hold
    # an old catalogue version; the count and newest id of current snapshots, read
    # from the database, change with every publication and withdrawal.
    state = Snapshot.objects.filter(is_current=True).aggregate(count=Count("pk"), last=Max("pk"))
    return f"{state['count']}-{state['last']}"


def current_map_programmes() -> list[MapProgramme]:
    """The current published catalogue as the map sees it, built once per state of it."""
    key = f"guidebook:map-programmes:{catalogue_version()}:{_published_state()}"
    programmes: list[MapProgramme] | None = cache.get(key)
    if programmes is None:
        programmes = map_programmes_of(
            Snapshot.objects.filter(is_current=True).defer("crosswalk").order_by("slug")
        )
        cache.set(key, programmes, _CACHE_SECONDS)
    return programmes


# --- Requests -----------------------------------------------------------------------


@dataclass(frozen=True)
class MapRequest:
    """A valid map request: the columns, the filters and, for the gaps, one column."""

    dimension: str = DEFAULT_DIMENSION
    filters: MapFilters = field(default_factory=MapFilters)
    column: str | None = None

    def params(self, *, column: bool = True) -> list[tuple[str, str]]:
        """The request as (name, value) pairs, leaving out defaults."""
        pairs: list[tuple[str, str]] = []
        if self.dimension != DEFAULT_DIMENSION:
            pairs.append((COLUMNS_PARAMETER, self.dimension))
        for name, values in self.filters.selected().items():
            pairs.extend((name, value) for value in values)
        if column and self.column is not None:
            pairs.append((COLUMN_PARAMETER, self.column))
        return pairs


def _one_of(values: Iterable[str]) -> str:
    return "one of " + ", ".join(values)


def read_map_request(params: QueryParameters, *, allow_column: bool = False) -> MapRequest:
    """Read and check the map's parameters; ``InvalidRecord`` lists every problem."""
    given = {name: [v for v in values if v.strip()] for name, values in params.lists()}
    given = {name: values for name, values in given.items() if values}
    known = [COLUMNS_PARAMETER, *FILTER_NAMES, *([COLUMN_PARAMETER] if allow_column else [])]
    problems: list[Problem] = [
        query_problem(name, "a known parameter: " + ", ".join(known), name)
        for name in given
        if name not in known
    ]
    for name in (COLUMNS_PARAMETER, COLUMN_PARAMETER):
        if len(given.get(name, [])) > 1:
            problems.append(query_problem(name, "a single value", given[name]))
    dimension = given.get(COLUMNS_PARAMETER, [DEFAULT_DIMENSION])[0]
    if dimension not in DIMENSIONS:
        problems.append(query_problem(COLUMNS_PARAMETER, _one_of(DIMENSIONS), dimension))
        dimension = DEFAULT_DIMENSION
    chosen: dict[str, tuple[str, ...]] = {}
    for name in FILTER_NAMES:
        accepted = FILTERS_BY_NAME[name].values_for(Scope.ALL) or {}
        values = given.get(name, [])
        problems.extend(
            query_problem(name, _one_of(accepted), value)
            for value in values
            if value not in accepted
        )
        chosen[name] = tuple(key for key in accepted if key in values)
    column = given.get(COLUMN_PARAMETER, [None])[0]
    if column is not None and column not in DIMENSIONS[dimension].values:
        problems.append(
            query_problem(COLUMN_PARAMETER, _one_of(DIMENSIONS[dimension].values), column)
        )
    if problems:
        raise InvalidRecord(problems)
    return MapRequest(dimension, MapFilters(**chosen), column)


# --- Links to the catalogue ---------------------------------------------------------


def _rating_values(scope: Scope) -> Mapping[str, str]:
    return FILTERS_BY_NAME["rating"].values_for(scope) or {}


def cell_query(evidence_map: EvidenceMap, row: Row, cell: Cell) -> Query:
    """The catalogue query that lists the programmes of ``cell``.

    The catalogue's main list holds programmes rated 2 and above (imported ratings
    too); NL2 and NE are on the list of programmes not listed. The link goes to the
    main list when the cell has a programme there, or could have one under the
    filters chosen, else to the other list; its page links across to the other with
    the same filters. Only rating values the chosen list offers are passed on.
    """
    filters = evidence_map.filters
    main_ratings = [v for v in filters.rating if v in _rating_values(Scope.LISTED)]
    if cell.listed or (cell.total == 0 and (not filters.rating or main_ratings)):
        scope = Scope.LISTED
    else:
        scope = Scope.NOT_LISTED
    offered = _rating_values(scope)
    selected: dict[str, tuple[str, ...]] = {"outcome_category": (row.category,)}
    if row.outcome is not None:
        selected["outcome"] = (row.outcome,)
    selected[evidence_map.dimension.key] = (cell.column,)
    selected["uk_provision"] = filters.uk_provision
    selected["rating"] = tuple(value for value in filters.rating if value in offered)
    selected["cost_rating"] = filters.cost_rating
    return Query(scope=scope, selected={k: v for k, v in selected.items() if v})


# --- Data files ---------------------------------------------------------------------


def _cell_dict(cell: Cell, link: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "column": cell.column,
        "programmes": cell.total,
        "rated": cell.rated,
        "level_3_or_above": cell.evidence_based,
        "strongest_rating": cell.strongest,
        "strongest_level": cell.level,
        "NL2": cell.nl2,
        "NE": cell.ne,
        "under_assessment": cell.under_assessment,
        "gap": cell.is_gap,
        "programme_list": [
            {"slug": p.slug, "rating": p.rating, "status": p.status.value} for p in cell.programmes
        ],
    }
    if link is not None:
        data["catalogue_url"] = link
    return data


def map_dict(
    evidence_map: EvidenceMap, link: LinkMaker | None = None, about: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The map as JSON data: its columns, filters, statuses and every row's cells.

    ``link`` gives each cell's catalogue address (the site's JSON twin has them; a
    release, frozen, does not); ``about`` adds fields at the top (a release's name).
    """
    return {
        **(about or {}),
        "columns": {
            "dimension": evidence_map.dimension.key,
            "label": evidence_map.dimension.label,
            "values": [{"key": key, "label": label} for key, label in evidence_map.columns],
        },
        "filters": {name: list(values) for name, values in evidence_map.filters.selected().items()},
        "programmes": evidence_map.programme_count,
        "statuses": [{"key": status.value, "label": status.label} for status in Status],
        "rows": [
            {
                "category": row.category,
                "category_label": row.category_label,
                "outcome": row.outcome,
                "cells": [
                    _cell_dict(cell, link(row, cell) if link else None) for cell in row.cells
                ],
            }
            for row in evidence_map.rows
        ],
    }


def map_json(
    evidence_map: EvidenceMap, link: LinkMaker | None = None, about: Mapping[str, Any] | None = None
) -> str:
    """``map_dict`` as text: keys sorted, two-space indents, a final newline."""
    data = map_dict(evidence_map, link, about)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


CSV_HEADER = (
    "category",
    "category_label",
    "outcome",
    "column_kind",
    "column",
    "column_label",
    "programmes",
    "rated",
    "level_3_or_above",
    "strongest_rating",
    "NL2",
    "NE",
    "under_assessment",
    "gap",
    "programme_slugs",
)


def map_csv(evidence_map: EvidenceMap, link: LinkMaker | None = None) -> str:
    """One CSV row per cell (category rows have an empty ``outcome``); the one CSV writer."""
    labels = dict(evidence_map.columns)
    header = [*CSV_HEADER, *(["catalogue_url"] if link else [])]
    rows: list[list[CsvCell]] = []
    for row in evidence_map.rows:
        for cell in row.cells:
            line: list[CsvCell] = [
                row.category,
                row.category_label,
                row.outcome,
                evidence_map.dimension.key,
                cell.column,
                labels[cell.column],
                cell.total,
                cell.rated,
                cell.evidence_based,
                cell.strongest,
                cell.nl2,
                cell.ne,
                cell.under_assessment,
                "true" if cell.is_gap else "false",
                "; ".join(p.slug for p in cell.programmes),
            ]
            if link:
                line.append(link(row, cell))
            rows.append(line)
    return csv_text(header, rows)


def map_for(request: MapRequest, programmes: Iterable[MapProgramme]) -> EvidenceMap:
    return build_map(programmes, request.dimension, request.filters)
