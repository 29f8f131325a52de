"""One shape for every API error, and the edge that makes every response use it.

Every error the API gives, whatever its cause, is::

    {"error": {"status": 400, "title": "Bad request parameters",
               "problems": [{"record": ..., "field": ..., "expected": ...,
                             "found": ..., "message": ...}]}}

The core's ``RecordError`` already names the record, the field, what was expected and
what was found; this module only turns it (and 404, 405 and 500) into a response.
``api_view`` wraps every URL under ``/api/``: it answers CORS preflight requests,
answers HEAD as GET, gives 405 answers the shape, and marks responses readable from
any origin (the API is public, read-only and uses no cookies).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from guidebook.evidence.errors import Problem

__all__ = [
    "ALLOWED_METHODS",
    "INTERNAL_PROBLEM",
    "NotFound",
    "api_view",
    "error_body",
    "error_response",
    "not_found_view",
]

logger = logging.getLogger("guidebook.api")

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
TITLES = {
    400: "Bad request parameters",
    404: "Not found",
    405: "Method not allowed",
    500: "Internal server error",
}
PREFLIGHT_MAX_AGE = 86400
INTERNAL_PROBLEM = Problem(
    "server", "request", "an answer", "an error on our side; it has been logged"
)


class NotFound(Exception):
    """Nothing published answers to the address; carries the problem to show."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def error_body(status: int, problems: Iterable[Problem]) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "title": TITLES.get(status, "Error"),
            "problems": [problem.as_dict() for problem in problems],
        }
    }


def error_response(status: int, problems: Iterable[Problem]) -> HttpResponse:
    body = json.dumps(error_body(status, problems), ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _method_problem(request: HttpRequest) -> Problem:
    return Problem("request", "method", f"one of {ALLOWED_METHODS}", repr(request.method))


def _with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    # Echo the headers asked for: the API reads none of them and sets no cookies.
    requested = request.headers.get("Access-Control-Request-Headers", "")
    if requested:
        response["Access-Control-Allow-Headers"] = requested
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return _with_cors(response)


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one API view: preflight, HEAD, the 405 shape and the CORS header."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _preflight(request)
        if request.method == "HEAD":
            # Answered as GET; the server leaves out the body (Content-Length stays).
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            # Routes outside ninja's operations (the OpenAPI document, the docs page)
            # have no exception handlers of their own.
            logger.exception("API request %s failed", request.path)
            response = error_response(500, [INTERNAL_PROBLEM])
        if response.status_code == 405:
            response = error_response(405, [_method_problem(request)])
            response["Allow"] = ALLOWED_METHODS
        return _with_cors(response)

    return wrapped


def not_found_view(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any address under /api/ that names no endpoint."""
    problem = Problem(
        "request", "path", "an endpoint listed at /api/openapi.json", repr(request.path)
    )
    return error_response(404, [problem])
