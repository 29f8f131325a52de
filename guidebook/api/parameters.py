"""The list endpoint's query parameters for the OpenAPI document, from the finder's tables.

The finder reads and checks the parameters; this only describes them, built from the
same tables (filters, vocabularies, sort keys, limits), so the document cannot
promise a value the finder refuses.
"""

from __future__ import annotations

from typing import Any

from guidebook.catalogue.finder import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_SORT,
    FILTERS,
    MAX_PAGE_SIZE,
    MAX_TEXT_LENGTH,
    MAX_WORDS,
    SCOPE_PARAMETER,
    SEARCH_SORT,
    SORTS,
    Scope,
)

__all__ = ["LIST_PARAMETERS", "RELEASE_PARAMETER", "RELEASE_QUERY"]

RELEASE_PARAMETER = "release"


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description + _BLANK,
        "schema": schema,
        # The finder reads an empty value as the parameter not given.
        "allowEmptyValue": True,
    }


_BLANK = " An empty value is the same as leaving the parameter out."


def _filter_parameters() -> list[dict[str, Any]]:
    parameters = []
    for item in FILTERS:
        values = item.values_for(Scope.ALL)
        value_schema: dict[str, Any] = {"type": "string"}
        if values is None:
            description = (
                f"{item.label}: any value published in the catalogue (see the facet "
                f"'{item.name}' of a response for the values and their counts)."
            )
        else:
            value_schema["enum"] = list(values)
            description = f"{item.label}: " + "; ".join(
                f"{key} = {label}" for key, label in values.items()
            )
        parameters.append(
            {
                **_query(
                    item.name,
                    description + " Repeat for several values (any may match).",
                    {
                        "type": "array",
                        "items": value_schema,
                    },
                ),
                "style": "form",
                "explode": True,
            }
        )
    return parameters


RELEASE_QUERY = _query(
    RELEASE_PARAMETER,
    "The name of a release (e.g. 2026-12-04, or 2026-12-04-2 for a second that day): "
    "answer from the catalogue as that release froze it, read-only. Left out: the "
    "catalogue as published now. Releases are listed at /downloads/releases/.",
    {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(-\d+)?$"},
)

LIST_PARAMETERS: list[dict[str, Any]] = [
    _query(
        SCOPE_PARAMETER,
        "Which list: 'listed' (rated 2 and above), 'not-listed' (NL2 and NE) or 'all'. "
        "Rating values offered depend on the list.",
        {"type": "string", "enum": [scope.value for scope in Scope], "default": "listed"},
    ),
    _query(
        "q",
        f"Search words (at most {MAX_WORDS}). Each word, or its stem or a synonym, must "
        "appear in what the programme publishes: name and initials, summary, "
        "description, outcomes and outcome areas, who it is for, delivery, settings or "
        "studies. Letter case and accents do not matter; when nothing is found, close "
        "spellings are tried (docs/search.md).",
        {"type": "string", "maxLength": MAX_TEXT_LENGTH},
    ),
    *_filter_parameters(),
    _query(
        "sort",
        f"Order of results; a leading '-' means descending. Default: '{SEARCH_SORT}' "
        f"with search words, '{DEFAULT_SORT}' without. "
        + "; ".join(f"{key} = {label}" for key, label in SORTS.items()),
        {"type": "string", "enum": list(SORTS)},
    ),
    _query(
        "page",
        "Page number, from 1 to the last page; a page past the last answers 404 with a "
        "problem naming the last page.",
        {"type": "integer", "minimum": 1, "default": 1},
    ),
    _query(
        "page_size",
        f"Programmes per page, at most {MAX_PAGE_SIZE}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
    RELEASE_QUERY,
]
