"""The addresses every public page links to in its header and footer, worked out once.

The header's navigation and the footer name ten addresses; reversing them on every
page cost about a third of a millisecond, more than everything else an uncached
catalogue page does per request. They never change while the process runs, so they
are reversed once per URL configuration and handed to templates as ``site``
(a context processor, read only by templates that use it).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

__all__ = ["NAVIGATION", "site_links"]

NAVIGATION = (
    ("public:programme_list", "Programmes"),
    ("public:programmes_not_listed", "Not listed"),
    ("public:evidence_map", "Evidence map"),
    ("public:crosswalk", "Crosswalk"),
    ("public:standards_index", "Standards"),
    ("public:shortlist", "Shortlist"),
    ("public:downloads", "Open data"),
)
"""The main navigation, in order: adding a section is one line."""


@cache
def _links(urlconf: str | None) -> dict[str, Any]:
    return {
        "home": reverse("public:home", urlconf),
        "navigation": tuple((reverse(name, urlconf), label) for name, label in NAVIGATION),
        "register": reverse("editorial:register", urlconf),
        "sign_in": reverse("editorial:home", urlconf),
    }


def site_links(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``site.home``, ``site.navigation`` ((href, label), ...),
    ``site.register`` and ``site.sign_in``."""
    return {"site": SimpleLazyObject(lambda: _links(get_urlconf()))}
