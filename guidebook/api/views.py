"""The JSON API: published programmes and the evidence standards, read-only.

Programmes are answered from current published snapshots only, through the same
finder the catalogue page uses, so the site and the API agree on every filter and
count. Parameters are checked by the finder (unknown names and values are refused,
never ignored); the OpenAPI document lists them from the finder's own tables.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from guidebook.api import schemas
from guidebook.api.errors import INTERNAL_PROBLEM, NotFound, error_response
from guidebook.api.parameters import LIST_PARAMETERS, RELEASE_PARAMETER, RELEASE_QUERY
from guidebook.api.releases import chosen_release, without_release
from guidebook.catalogue.finder import PastTheLastPage, Results, Scope, find_programmes
from guidebook.catalogue.finder_index import build_index
from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.rating_basis import public_assessment, public_cost
from guidebook.evidence.errors import Problem, RecordError, UnknownStandard
from guidebook.evidence.explain import describe_level
from guidebook.evidence.record_schema import programme_schema
from guidebook.evidence.standards import (
    CRITERIA,
    DEFAULT_LIMITS,
    PARAMETERS,
    RATING_VALUES,
    Eif2018,
    Standard,
    all_standards,
    get_standard,
    newest_standard_key,
    rating_rank,
)
from guidebook.public.presenters import rating_history

__all__ = ["api"]

logger = logging.getLogger("guidebook.api")

ERRORS = {
    400: schemas.ErrorOut,
    404: schemas.ErrorOut,
    405: schemas.ErrorOut,
    500: schemas.ErrorOut,
}


class GuidebookAPI(NinjaAPI):
    """The API, with the record format's schema added to the OpenAPI components."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        record = {k: v for k, v in programme_schema().items() if k not in {"$schema", "$id"}}
        document.setdefault("components", {}).setdefault("schemas", {})[
            schemas.RECORD_COMPONENT
        ] = record
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {})["414"] = TOO_LONG
        return _point_at_record(document)


TOO_LONG = {
    "description": "The address is longer than the server reads (a request line over "
    "4,094 bytes under `guidebook serve`, gunicorn's limit). The server refuses it with "
    "a short HTML page before Guidebook sees it: send fewer or shorter values.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}
"""Said of every operation: any address can be made too long, whatever its parameters."""


def _point_at_record(node: Any) -> Any:
    """The document with each record marker replaced by a $ref to the record schema."""
    if isinstance(node, dict):
        if node.get(schemas.RECORD_MARKER):
            return {"$ref": f"#/components/schemas/{schemas.RECORD_COMPONENT}"}
        for key, value in node.items():
            node[key] = _point_at_record(value)
    elif isinstance(node, list):
        return [_point_at_record(item) for item in node]
    return node


api = GuidebookAPI(
    title="Guidebook API",
    version="1",
    description="Published programmes with their evidence and cost ratings, and the "
    "evidence standards that rate them. Read-only, open to any origin. Every error "
    "has the same shape: see the ErrorOut schema and docs/api.md.",
    urls_namespace="api",
)


# --- Errors: one shape for all --------------------------------------------------------


def _bad_request(request: HttpRequest, error: RecordError) -> HttpResponse:
    return error_response(400, error.problems)


def _unknown_standard(request: HttpRequest, error: UnknownStandard) -> HttpResponse:
    return error_response(404, error.problems)


def _not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return error_response(404, [error.problem])


def _django_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(
        404, [Problem("request", "path", "a published address", repr(request.path))]
    )


def _invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        Problem(
            "request",
            ".".join(str(part) for part in item.get("loc", ())),
            str(item.get("msg", "a valid value")),
            "an unusable value",
        )
        for item in error.errors
    ]
    return error_response(400, problems)


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return error_response(
        error.status_code, [Problem("request", "request", "a valid request", str(error))]
    )


def _internal_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API request %s failed", request.path, exc_info=error)
    return error_response(500, [INTERNAL_PROBLEM])


_E = TypeVar("_E", bound=Exception)


def _handle(error_class: type[_E], handler: Callable[[HttpRequest, _E], HttpResponse]) -> None:
    # ninja types a handler's argument as "the exception or its class"; it only ever
    # passes the exception.
    api.add_exception_handler(error_class, handler)  # type: ignore[arg-type]


_handle(RecordError, _bad_request)
_handle(UnknownStandard, _unknown_standard)
_handle(NotFound, _not_found)
_handle(Http404, _django_not_found)
_handle(ValidationError, _invalid_input)
_handle(HttpError, _http_error)
_handle(Exception, _internal_error)


# --- The index ----------------------------------------------------------------------


@api.get("/", response=schemas.ApiIndex, summary="Where everything is", tags=["index"])
def api_index(request: HttpRequest) -> dict[str, str]:
    return {
        "programmes": request.build_absolute_uri(reverse("api:list_programmes")),
        "standards": request.build_absolute_uri(reverse("api:list_standards")),
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
    }


# --- Programmes ---------------------------------------------------------------------


def _summary(request: HttpRequest, found: Any) -> dict[str, Any]:
    snapshot = found.snapshot
    evidence, cost = found.evidence_basis, found.cost_basis
    return {
        "slug": snapshot.slug,
        "name": snapshot.name,
        "summary": snapshot.summary,
        "rating": snapshot.rating,
        "rating_source": snapshot.rating_source,
        "rating_statement": evidence.statement,
        "published_rating": None if evidence.published is None else evidence.published.to_dict(),
        "cost_rating": snapshot.cost_rating,
        "cost_rating_source": cost.source,
        "cost_rating_statement": cost.statement,
        "cost_label": found.cost_label,
        "unit_cost": snapshot.unit_cost,
        "outcomes": list(found.outcomes),
        "published_at": snapshot.published_at,
        "url": request.build_absolute_uri(reverse("api:programme_detail", args=[snapshot.slug])),
        "page_url": request.build_absolute_uri(
            reverse("public:programme_detail", args=[snapshot.slug])
        ),
    }


def _page_link(request: HttpRequest, results: Results, page: int | None) -> str | None:
    if page is None:
        return None
    query = results.query.on_page(page).encode()
    release = request.GET.get(RELEASE_PARAMETER, "").strip()
    if release:
        query = "&".join(part for part in (query, f"{RELEASE_PARAMETER}={release}") if part)
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


@api.get(
    "/programmes",
    response={200: schemas.ProgrammeList, **ERRORS},
    summary="Find published programmes",
    description="Filters, search, sorting and pages as on the catalogue page. Values "
    "of one filter are alternatives; different filters must all hold. Repeat a "
    "parameter for several values (age_group=infants&age_group=toddlers). An empty "
    "value counts as not given. A page past the last answers 404, naming the last page.",
    tags=["programmes"],
    openapi_extra={"parameters": LIST_PARAMETERS},
)
def list_programmes(request: HttpRequest) -> dict[str, Any]:
    release = chosen_release(request)
    index = None if release is None else build_index(None, release.snapshot_ids)
    params = without_release(request.GET)
    try:
        results = find_programmes(params, Scope.LISTED, allow_scope=True, index=index)
    except PastTheLastPage as error:
        # A page past the last is an address with nothing at it, not a malformed request.
        raise NotFound(error.problems[0]) from None
    return {
        "release": release.name if release else None,
        "count": results.total,
        "page": results.query.page,
        "page_size": results.query.page_size,
        "pages": results.page_count,
        "next": _page_link(request, results, results.next_page),
        "previous": _page_link(request, results, results.previous_page),
        "list": results.query.scope.value,
        "results": [_summary(request, found) for found in results.items],
        "facets": [
            {
                "name": facet.name,
                "label": facet.label,
                "options": [vars(option) for option in facet.options],
            }
            for facet in results.facets
        ],
    }


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _published(slug: str) -> Snapshot:
    """The current published snapshot of ``slug``; anything else is not found."""
    # What cannot be a slug is never sent to the database (PostgreSQL refuses NUL).
    snapshot = (
        Snapshot.objects.filter(slug=slug, is_current=True).first()
        if _SLUG.fullmatch(slug)
        else None
    )
    if snapshot is None:
        raise NotFound(
            Problem("programme", "slug", "the slug of a published programme", repr(slug))
        )
    return snapshot


@api.get(
    "/programmes/{slug}",
    response={200: schemas.ProgrammeDetail, **ERRORS},
    summary="One published programme",
    description="The published record with its studies and findings, the rating with "
    "its reasons and study levels, the cost estimate with its breakdown, and the "
    "programme's rating history. With release=NAME, the programme as that release froze it.",
    openapi_extra={"parameters": [RELEASE_QUERY]},
    tags=["programmes"],
)
def programme_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    release = chosen_release(request)
    snapshot = _published(slug) if release is None else release.snapshot(slug)
    # The history up to the snapshot read: a release's page knows nothing published after.
    history = Snapshot.objects.filter(
        programme_id=snapshot.programme_id, published_at__lte=snapshot.published_at
    ).only(
        "published_at",
        "rating",
        "rating_source",
        "standard_key",
        "standard_version",
        "review",
        "note",
    )
    return {
        "release": release.name if release else None,
        "programme": snapshot.record,
        "rating": public_assessment(snapshot.assessment),
        "cost": public_cost(snapshot.cost, snapshot.assessment),
        "published_at": snapshot.published_at,
        "rating_history": rating_history(list(history)),
        "page_url": request.build_absolute_uri(reverse("public:programme_detail", args=[slug])),
    }


# --- Standards ----------------------------------------------------------------------


def _standard_summary(request: HttpRequest, standard: Standard) -> dict[str, Any]:
    return {
        "key": standard.key,
        "version": standard.version,
        "year": standard.year,
        "title": standard.title,
        "summary": standard.summary,
        "newest": standard.key == newest_standard_key(),
        "url": request.build_absolute_uri(reverse("api:standard_detail", args=[standard.key])),
    }


def _rating_values(standard: Standard) -> list[str]:
    """The values a standard can give: the eif-2018 family adds the asterisk."""
    values = list(RATING_VALUES)
    if isinstance(standard, Eif2018):
        values += [value + "*" for value in RATING_VALUES if value[0].isdigit()]
    return values


def _rating_value(value: str) -> dict[str, Any]:
    rank = rating_rank(value)
    return {
        "value": value,
        "rank": rank,
        "meaning": describe_level(value),
        "listed": rank >= rating_rank("2"),
        "evidence_based": rank >= rating_rank("3"),
    }


def _parameters(standard: Standard) -> list[dict[str, Any]]:
    limits = getattr(standard, "limits", DEFAULT_LIMITS)
    return [
        {
            "name": item.name,
            "value": getattr(limits, item.name),
            "default": item.default,
            "help": item.help,
            "source": item.source,
            "decision": item.decision,
        }
        for item in PARAMETERS
    ]


def _criterion(item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "group": item.group,
        "question": item.question,
        "kind": item.kind,
        "gates": item.gates.value,
        "role": item.role,
        "minimum": item.minimum,
        "lowest": item.lowest,
        "highest": item.highest,
    }


@api.get(
    "/standards",
    response={200: list[schemas.StandardSummary], **ERRORS},
    summary="The evidence standards",
    description="Every registered standard, oldest first.",
    tags=["standards"],
)
def list_standards(request: HttpRequest) -> list[dict[str, Any]]:
    return [_standard_summary(request, standard) for standard in all_standards()]


@api.get(
    "/standards/{key}",
    response={200: schemas.StandardDetail, **ERRORS},
    summary="One evidence standard",
    description="Its rating values with what each means, the appraisal criteria and "
    "the numeric parameters with their sources.",
    tags=["standards"],
)
def standard_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    standard = get_standard(key)
    return {
        **_standard_summary(request, standard),
        "ratings": [_rating_value(value) for value in _rating_values(standard)],
        "criteria": [_criterion(item) for item in CRITERIA],
        "parameters": _parameters(standard),
    }
