"""API routes of the crosswalk: the catalogue's agreement table and one programme's
ratings under other clearinghouses' rules (the same data as the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from guidebook.api.views import ERRORS, _published, api
from guidebook.catalogue.crosswalk import catalogue_comparisons
from guidebook.public.crosswalk_section import crosswalk_rows
from guidebook.public.crosswalk_views import agreement_summary

__all__ = ["catalogue_crosswalk", "programme_crosswalk"]


@api.get(
    "/crosswalk",
    response=dict[str, Any],
    summary="Agreement between standards over the catalogue",
    description="Per pair of standards, how many programmes agree, differ or cannot be "
    "compared (computed against computed, and computed against published), and every "
    "comparison with the sentence saying why two ratings differ.",
    tags=["crosswalk"],
)
def catalogue_crosswalk(request: HttpRequest) -> dict[str, Any]:
    rows = catalogue_comparisons()
    return {
        "summary": agreement_summary(rows),
        "comparisons": [row.to_dict() for row in rows],
        "csv": request.build_absolute_uri(reverse("public:crosswalk_csv")),
    }


@api.get(
    "/programmes/{slug}/crosswalk",
    response={200: dict[str, Any], **ERRORS},
    summary="One programme rated under other clearinghouses' rules",
    description="Each clearinghouse: the rating computed here (or the facts it still "
    "needs), the rating it published with its source, and why they differ.",
    tags=["crosswalk"],
)
def programme_crosswalk(request: HttpRequest, slug: str) -> dict[str, Any]:
    snapshot = _published(slug)
    return {"programme": slug, "clearinghouses": crosswalk_rows(snapshot)}
