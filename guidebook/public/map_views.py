"""The evidence and gap map at /map/, its gaps at /map/gaps/, and their data twins.

Everything is a plain GET address: the columns (``columns``), the catalogue's filters
(``uk_provision``, ``rating``, ``cost_rating``) and, on the gaps page, one column
(``column``). The picture is SVG drawn on the server and the table beside it gives
the same numbers, so the page needs no JavaScript. Each cell links to the catalogue
filtered to it. The map is computed from published snapshots only
(``evidence_map_data``) and every response is cached per catalogue version.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from guidebook.catalogue.evidence_map import (
    DIMENSIONS,
    FILTER_NAMES,
    Cell,
    EvidenceMap,
    Gap,
    MapFilters,
    Row,
)
from guidebook.catalogue.evidence_map_data import (
    COLUMN_PARAMETER,
    COLUMNS_PARAMETER,
    MapRequest,
    cell_query,
    current_map_programmes,
    map_csv,
    map_dict,
    map_for,
    read_map_request,
)
from guidebook.catalogue.finder import EVIDENCE_BASED, FILTERS_BY_NAME, Scope
from guidebook.evidence.errors import RecordError
from guidebook.public.caching import cache_public_page
from guidebook.public.evidence_map_svg import cell_words, map_svg

_CATALOGUE = {
    Scope.LISTED: "public:programme_list",
    Scope.NOT_LISTED: "public:programmes_not_listed",
}
_JSON_STYLE = {"ensure_ascii": False, "indent": 2}
# The SVG file is an image: it may not run script or load anything, wherever it is opened.
_SVG_POLICY = "default-src 'none'"


def _address(url_name: str, pairs: list[tuple[str, str]]) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode(pairs)}" if pairs else url


def catalogue_link(evidence_map: EvidenceMap, row: Row, cell: Cell) -> str:
    """The catalogue page listing the programmes of a cell."""
    query = cell_query(evidence_map, row, cell)
    return _address(_CATALOGUE[query.scope], query.params())


def _bad_request(request: HttpRequest, error: RecordError, url_name: str) -> HttpResponse:
    context = {"problems": error.problems, "start_over": reverse(url_name)}
    return render(request, "public/map_bad_query.html", context, status=400)


def _read(request: HttpRequest, *, allow_column: bool = False) -> MapRequest:
    return read_map_request(request.GET, allow_column=allow_column)


def _current_map(wanted: MapRequest) -> EvidenceMap:
    return map_for(wanted, current_map_programmes())


# --- The page -----------------------------------------------------------------------


def _filter_blocks(wanted: MapRequest) -> list[dict[str, Any]]:
    blocks = []
    for name in FILTER_NAMES:
        item = FILTERS_BY_NAME[name]
        chosen = getattr(wanted.filters, name)
        options = [
            {"key": key, "label": label, "checked": key in chosen, "id": f"map-{name}-{n}"}
            for n, (key, label) in enumerate((item.values_for(Scope.ALL) or {}).items(), start=1)
        ]
        blocks.append({"name": name, "label": item.label, "options": options})
    return blocks


def _column_switches(wanted: MapRequest) -> list[dict[str, Any]]:
    """One link per characteristic the columns can show, keeping the filters."""
    switches = []
    for key, dimension in DIMENSIONS.items():
        other = MapRequest(key, wanted.filters)
        switches.append(
            {
                "key": key,
                "label": dimension.label,
                "url": _address("public:evidence_map", other.params()),
                "current": key == wanted.dimension,
            }
        )
    return switches


def _rating_shortcut(wanted: MapRequest) -> dict[str, Any]:
    """A one-click link to count only programmes at level 3 and above, or to undo it."""
    only = wanted.filters.rating == (EVIDENCE_BASED,)
    filters = MapFilters(
        uk_provision=wanted.filters.uk_provision,
        rating=() if only else (EVIDENCE_BASED,),
        cost_rating=wanted.filters.cost_rating,
    )
    return {
        "url": _address("public:evidence_map", MapRequest(wanted.dimension, filters).params()),
        "label": "Count every rating again" if only else "Only level 3 and above",
        "active": only,
    }


def _table_rows(evidence_map: EvidenceMap) -> list[dict[str, Any]]:
    labels = dict(evidence_map.columns)
    rows = []
    for row in evidence_map.rows:
        cells = []
        for cell in row.cells:
            others = [
                f"{count} {words}"
                for count, words in (
                    (cell.nl2, "NL2"),
                    (cell.ne, "NE"),
                    (cell.under_assessment, "under assessment"),
                )
                if count
            ]
            cells.append(
                {
                    "cell": cell,
                    "url": catalogue_link(evidence_map, row, cell),
                    "words": cell_words(row, cell, labels[cell.column]),
                    "where": f"{row.label}, {labels[cell.column]}",
                    "others": ", ".join(others),
                }
            )
        rows.append({"row": row, "cells": cells})
    return rows


def _downloads(wanted: MapRequest) -> dict[str, str]:
    pairs = wanted.params(column=False)
    return {
        "json": _address("public:evidence_map_json", pairs),
        "csv": _address("public:evidence_map_csv", pairs),
        "svg": _address("public:evidence_map_svg", pairs),
        "gaps": _address("public:evidence_gaps", pairs),
        "page": _address("public:evidence_map", pairs),
    }


@cache_public_page
def evidence_map_page(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request)
    except RecordError as error:
        return _bad_request(request, error, "public:evidence_map")
    evidence_map = _current_map(wanted)
    svg = map_svg(evidence_map, lambda row, cell: catalogue_link(evidence_map, row, cell))
    context = {
        "map": evidence_map,
        "wanted": wanted,
        "svg": mark_safe(svg),  # built from escaped parts in evidence_map_svg
        "table_rows": _table_rows(evidence_map),
        "filters": _filter_blocks(wanted),
        "switches": _column_switches(wanted),
        "shortcut": _rating_shortcut(wanted),
        "links": _downloads(wanted),
        "dimensions": [(key, d.label) for key, d in DIMENSIONS.items()],
        "is_filtered": bool(wanted.filters.selected()),
    }
    return render(request, "public/evidence_map.html", context)


# --- Data twins ---------------------------------------------------------------------


def _absolute(request: HttpRequest, evidence_map: EvidenceMap) -> Any:
    return lambda row, cell: request.build_absolute_uri(catalogue_link(evidence_map, row, cell))


def _bad_data_request(error: RecordError) -> JsonResponse:
    problems = [vars(problem) for problem in error.problems]
    return JsonResponse({"problems": problems}, status=400, json_dumps_params=_JSON_STYLE)


@cache_public_page
def evidence_map_json(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request)
    except RecordError as error:
        return _bad_data_request(error)
    evidence_map = _current_map(wanted)
    data = map_dict(evidence_map, _absolute(request, evidence_map))
    return JsonResponse(data, json_dumps_params=_JSON_STYLE)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_name(wanted: MapRequest, extension: str) -> str:
    return f"guidebook-evidence-map-{wanted.dimension.replace('_', '-')}.{extension}"


@cache_public_page
def evidence_map_csv(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request)
    except RecordError as error:
        return _bad_data_request(error)
    evidence_map = _current_map(wanted)
    text = map_csv(evidence_map, _absolute(request, evidence_map))
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, _file_name(wanted, "csv"))


@cache_public_page
def evidence_map_svg(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request)
    except RecordError as error:
        return _bad_data_request(error)
    evidence_map = _current_map(wanted)
    svg = map_svg(evidence_map, _absolute(request, evidence_map), standalone=True)
    response = HttpResponse(svg.encode("utf-8"), content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = _SVG_POLICY
    return _attachment(response, _file_name(wanted, "svg"))


# --- Gaps ---------------------------------------------------------------------------


def _gap_sections(evidence_map: EvidenceMap, wanted: MapRequest) -> list[dict[str, Any]]:
    """For each column shown: its gaps with no rated programme, then those rated only at 2."""
    sections = []
    for key, label in evidence_map.columns:
        if wanted.column is not None and key != wanted.column:
            continue
        gaps = evidence_map.gaps(key)

        def entries(unrated: bool, gaps: tuple[Gap, ...] = gaps) -> list[dict[str, Any]]:
            return [
                {
                    "gap": gap,
                    "url": catalogue_link(evidence_map, gap.row, gap.cell),
                    "holds": _holds(gap.cell),
                }
                for gap in gaps
                if gap.unrated is unrated
            ]

        sections.append(
            {"key": key, "label": label, "unrated": entries(True), "weak": entries(False)}
        )
    return sections


def _holds(cell: Cell) -> str:
    if cell.total == 0:
        return "no programme"
    parts = []
    if cell.rated:
        parts.append(f"{cell.rated} rated, strongest {cell.strongest}")
    parts.extend(
        f"{count} {words}"
        for count, words in (
            (cell.nl2, "NL2"),
            (cell.ne, "NE"),
            (cell.under_assessment, "under assessment"),
        )
        if count
    )
    return "; ".join(parts)


def _gap_columns(evidence_map: EvidenceMap, wanted: MapRequest) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "count": len(evidence_map.gaps(key)),
            "unrated": sum(1 for gap in evidence_map.gaps(key) if gap.unrated),
            "url": _address(
                "public:evidence_gaps", MapRequest(wanted.dimension, wanted.filters, key).params()
            ),
            "current": key == wanted.column,
        }
        for key, label in evidence_map.columns
    ]


@cache_public_page
def evidence_gaps_page(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request, allow_column=True)
    except RecordError as error:
        return _bad_request(request, error, "public:evidence_gaps")
    evidence_map = _current_map(wanted)
    every_column = MapRequest(wanted.dimension, wanted.filters)
    context = {
        "map": evidence_map,
        "wanted": wanted,
        "columns": _gap_columns(evidence_map, wanted),
        "sections": _gap_sections(evidence_map, wanted),
        "all_columns_url": _address("public:evidence_gaps", every_column.params()),
        "map_url": _address("public:evidence_map", every_column.params()),
        "json_url": _address("public:evidence_gaps_json", wanted.params()),
        "column_label": dict(evidence_map.columns).get(wanted.column or ""),
    }
    return render(request, "public/evidence_gaps.html", context)


@cache_public_page
def evidence_gaps_json(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _read(request, allow_column=True)
    except RecordError as error:
        return _bad_data_request(error)
    evidence_map = _current_map(wanted)
    link = _absolute(request, evidence_map)
    data = {
        "columns": {
            "dimension": evidence_map.dimension.key,
            "label": evidence_map.dimension.label,
        },
        "filters": {k: list(v) for k, v in evidence_map.filters.selected().items()},
        "column": wanted.column,
        "gaps": [
            {
                "category": gap.row.category,
                "outcome": gap.row.outcome,
                "column": gap.cell.column,
                "column_label": gap.column_label,
                "no_rated_programme": gap.unrated,
                "rated": gap.cell.rated,
                "strongest_rating": gap.cell.strongest,
                "NL2": gap.cell.nl2,
                "NE": gap.cell.ne,
                "under_assessment": gap.cell.under_assessment,
                "catalogue_url": link(gap.row, gap.cell),
            }
            for gap in evidence_map.gaps(wanted.column)
        ],
    }
    return JsonResponse(data, json_dumps_params=_JSON_STYLE)


__all__ = [
    "COLUMNS_PARAMETER",
    "COLUMN_PARAMETER",
    "catalogue_link",
    "evidence_gaps_json",
    "evidence_gaps_page",
    "evidence_map_csv",
    "evidence_map_json",
    "evidence_map_page",
    "evidence_map_svg",
]
