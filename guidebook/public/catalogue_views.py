"""The catalogue: finding programmes by filters and words, on two lists.

``/programmes/`` lists programmes rated 2 and above; ``/programmes/not-listed/``
lists NL2 and NE programmes with the same filters. Both answer through
``guidebook.catalogue.finder``, as the API does, and both are plain GET forms, so
every state of the page is a link that can be shared and works without JavaScript.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from guidebook.catalogue.finder import (
    DEFAULT_PAGE_SIZE,
    SEARCH_SORT,
    SORTS,
    FacetCounts,
    Query,
    Results,
    Scope,
    find_programmes,
)
from guidebook.evidence.errors import RecordError
from guidebook.public import fragments
from guidebook.public.caching import cache_public_page

_LISTS = {
    Scope.LISTED: {
        "title": "Programmes",
        "url_name": "public:programme_list",
        "intro": "Programmes rated 2 or above. Guidebook computes each rating from the "
        "programme's studies as appraised here, under a named evidence standard. A "
        "rating marked imported is one another guidebook published, shown with its "
        "source and date until the studies behind it are appraised here; cost ratings "
        "are marked the same way. Choose filters or search to narrow the list.",
        "other_title": "Programmes not listed",
        "empty": "",
    },
    Scope.NOT_LISTED: {
        "title": "Programmes not listed",
        "url_name": "public:programmes_not_listed",
        "intro": "Programmes whose appraised evidence does not reach level 2 (NL2), or "
        "where a rigorous study found no benefit to children (NE). They are kept apart "
        "from the main list so that no one mistakes them for recommended programmes. A "
        "programme whose studies are not yet appraised here is never placed here for "
        "that reason: it is listed by the rating its source published, marked imported.",
        "other_title": "Programmes",
        "empty": "No programme in this catalogue is rated NL2 or NE on evidence appraised "
        "here, so this list is empty for now.",
    },
}

# Filters whose values are many and free (outcomes, countries) start folded away.
_FOLDED = {"outcome", "country"}


@cache_public_page
def programme_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_page(request, Scope.LISTED)


@cache_public_page
def programmes_not_listed(request: HttpRequest) -> HttpResponse:
    return _catalogue_page(request, Scope.NOT_LISTED)


def _catalogue_page(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The list, its counts and its filters are rendered once per catalogue version and
    query (``fragments``); every request renders only the page around them."""
    words = _LISTS[scope]
    try:
        parts = fragments.once_per_catalogue(
            f"catalogue-{scope.value}", _query_identity(request), lambda: _parts(request, scope)
        )
    except RecordError as error:
        context = {
            "list": words,
            "problems": error.problems,
            "start_over": reverse(words["url_name"]),
        }
        return render(request, "public/catalogue_bad_query.html", context, status=400)
    return render(request, "public/programme_list.html", parts)


def _query_identity(request: HttpRequest) -> str:
    """The query string with its parameters in one order: the same question, one key."""
    pairs = sorted((name, value) for name, values in request.GET.lists() for value in values)
    return hashlib.sha256(urlencode(pairs).encode("utf-8")).hexdigest()


def _parts(request: HttpRequest, scope: Scope) -> dict[str, str]:
    """What the page shows of this query: its title, its body and its data address."""
    context = _context(find_programmes(request.GET, scope), scope)
    return {
        "title": _title(context),
        "api_url": context["api_url"],
        "content": render_to_string("public/includes/catalogue_content.html", context, request),
    }


def _title(context: dict[str, Any]) -> str:
    """The title says how many were found: the first thing a screen reader announces
    after the form is sent."""
    total, title = context["results"].total, context["list"]["title"]
    if context["query"].is_filtered():
        programmes = "programme matches" if total == 1 else "programmes match"
        return f"{total} {programmes} your search – {title}"
    return title if total else f"{title}: none found"


def _link(url_name: str, query: str) -> str:
    url = reverse(url_name)
    return f"{url}?{query}" if query else url


def _pages(results: Results, url_name: str) -> list[dict[str, Any]]:
    """Links to each page, with gaps shown as None when there are many pages."""
    current, last = results.query.page, results.page_count
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    pages: list[dict[str, Any]] = []
    for number in wanted:
        if pages and number - pages[-1]["number"] > 1:
            pages.append({"number": None})
        pages.append(
            {
                "number": number,
                "url": _link(url_name, results.query.on_page(number).encode()),
                "current": number == current,
            }
        )
    return pages


def _facet_blocks(facets: tuple[FacetCounts, ...]) -> list[dict[str, Any]]:
    return [
        {
            "facet": facet,
            "folded": facet.name in _FOLDED and facet.selected_count == 0,
        }
        for facet in facets
        # An open vocabulary with nothing published has nothing to offer.
        if facet.options
    ]


def _sort_options(query: Query) -> list[dict[str, Any]]:
    """The sort menu. The order the query would have anyway is sent blank, meaning "not
    chosen", so typing search words later still brings the best matches first; best
    match is offered only with search words."""
    return [
        {
            "value": "" if key == query.default_sort else key,
            "label": label,
            "selected": key == query.sort,
        }
        for key, label in SORTS.items()
        if key != SEARCH_SORT or query.text
    ]


def _context(results: Results, scope: Scope) -> dict[str, Any]:
    words = _LISTS[scope]
    url_name = words["url_name"]
    query = results.query
    other_scope = Scope.NOT_LISTED if scope is Scope.LISTED else Scope.LISTED
    other_query = query.without("rating").on_page(1)
    next_page, previous_page = results.next_page, results.previous_page
    return {
        "list": words,
        "results": results,
        "query": query,
        "facets": _facet_blocks(results.facets),
        "sorts": _sort_options(query),
        "sort_label": SORTS[query.sort],
        "pages": _pages(results, url_name) if results.page_count > 1 else [],
        "next_url": _link(url_name, query.on_page(next_page).encode()) if next_page else "",
        "previous_url": _link(url_name, query.on_page(previous_page).encode())
        if previous_page
        else "",
        "clear_url": reverse(url_name),
        "custom_page_size": query.page_size if query.page_size != DEFAULT_PAGE_SIZE else None,
        "other_url": _link(_LISTS[other_scope]["url_name"], other_query.encode()),
        "other_title": words["other_title"],
        "api_url": _link("api:list_programmes", replace(query, scope_in_params=True).encode()),
    }
