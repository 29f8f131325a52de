"""The /crosswalk/ page: where the standards agree over the whole catalogue, computed
against computed and computed against published, with every disagreement explained;
the same rows as CSV (``guidebook.lib.csv_files``, the one CSV writer)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guidebook.catalogue.crosswalk import catalogue_comparisons
from guidebook.evidence.crosswalk.agreement import AGREE, DIFFER, NOT_COMPARABLE, Comparison
from guidebook.lib.csv_files import csv_text
from guidebook.public.caching import cache_public_page

__all__ = ["CSV_COLUMNS", "agreement_summary", "crosswalk_csv", "crosswalk_page", "filtered"]

CSV_COLUMNS = (
    "kind",
    "pair",
    "programme",
    "name",
    "left_value",
    "right_value",
    "outcome",
    "why",
)
OUTCOMES = (AGREE, DIFFER, NOT_COMPARABLE)


def agreement_summary(rows: Sequence[Comparison]) -> list[dict[str, Any]]:
    """Per pair of standards: how many programmes agree, differ, or cannot be compared."""
    pairs = list(dict.fromkeys((row.kind, row.pair) for row in rows))
    counts = Counter((row.kind, row.pair, row.outcome) for row in rows)
    summary = []
    for kind, pair in pairs:
        cells = {outcome: counts[(kind, pair, outcome)] for outcome in OUTCOMES}
        compared = cells[AGREE] + cells[DIFFER]
        summary.append(
            {
                "kind": kind,
                "pair": pair,
                "agree": cells[AGREE],
                "differ": cells[DIFFER],
                "not_comparable": cells[NOT_COMPARABLE],
                "agreement": round(cells[AGREE] / compared, 3) if compared else None,
            }
        )
    return summary


def filtered(rows: Sequence[Comparison], request: HttpRequest) -> list[Comparison]:
    """The rows matching the ``pair``, ``kind`` and ``outcome`` filters (empty: all)."""
    wanted = {name: request.GET.get(name, "") for name in ("pair", "kind", "outcome")}
    return [
        row
        for row in rows
        if all(not value or getattr(row, name) == value for name, value in wanted.items())
    ]


@cache_public_page
def crosswalk_page(request: HttpRequest) -> HttpResponse:
    rows = catalogue_comparisons()
    shown = filtered(rows, request)
    context = {
        "summary": agreement_summary(rows),
        "rows": shown,
        "disagreements": [row for row in shown if row.outcome != AGREE],
        "pairs": list(dict.fromkeys(row.pair for row in rows)),
        "outcomes": OUTCOMES,
        "chosen": {name: request.GET.get(name, "") for name in ("pair", "kind", "outcome")},
    }
    return render(request, "public/crosswalk.html", context)


@cache_public_page
def crosswalk_csv(request: HttpRequest) -> HttpResponse:
    rows = filtered(catalogue_comparisons(), request)
    text = csv_text(CSV_COLUMNS, ([getattr(row, c) for c in CSV_COLUMNS] for row in rows))
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="crosswalk.csv"'
    return response
