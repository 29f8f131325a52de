"""Standards pages for the other clearinghouses' rules: every rule of each crosswalk
standard read from its registry, its ladder, its parameters (with the ones still to
confirm), and the clearinghouses not yet implemented with what is missing."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from guidebook.evidence.crosswalk import (
    NOT_YET_IMPLEMENTED,
    PENDING_VERSIONS,
    CrosswalkStandard,
    crosswalk_standards,
    get_crosswalk_standard,
)
from guidebook.evidence.crosswalk.parameters import CROSSWALK_PARAMETERS
from guidebook.evidence.errors import UnknownStandard
from guidebook.public.caching import cache_public_page

__all__ = ["other_standard_data", "other_standards_data"]


def other_standards_data() -> dict[str, Any]:
    """The crosswalk standards and the clearinghouses not yet implemented."""
    return {
        "implemented": [
            {
                "key": s.key,
                "title": s.title,
                "summary": s.summary,
                "url": reverse("public:other_standard_detail", args=[s.key]),
            }
            for s in crosswalk_standards()
        ],
        "not_implemented": [
            {"key": key, "title": title, "missing": missing}
            for key, title, missing in (*NOT_YET_IMPLEMENTED, *PENDING_VERSIONS)
        ],
        "crosswalk_url": reverse("public:crosswalk"),
    }


def other_standard_data(standard: CrosswalkStandard) -> dict[str, Any]:
    """One crosswalk standard: ladder, every rule, and its parameters."""
    prefix = standard.clearinghouse + "."
    return {
        "key": standard.key,
        "version": standard.version,
        "title": standard.title,
        "summary": standard.summary,
        "ladder": [
            {"value": s.value, "rule": s.rule, "meaning": s.meaning} for s in standard.ladder
        ],
        "rules": [{"rule": rule, "meaning": meaning} for rule, meaning in standard.rules],
        "parameters": [p.to_dict() for p in CROSSWALK_PARAMETERS if p.key.startswith(prefix)],
    }


def _standard(key: str) -> CrosswalkStandard:
    try:
        return get_crosswalk_standard(key)
    except UnknownStandard:
        raise Http404(f"No crosswalk standard '{key}'") from None


@cache_public_page
def other_standard_detail(request: HttpRequest, key: str) -> HttpResponse:
    data = other_standard_data(_standard(key))
    return render(request, "public/standards/other_detail.html", {"standard": data})


@cache_public_page
def other_standard_json(request: HttpRequest, key: str) -> JsonResponse:
    return JsonResponse(other_standard_data(_standard(key)), json_dumps_params={"indent": 2})
