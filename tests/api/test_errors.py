"""Every error the API gives has one shape, and no bad input ever causes a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebook.catalogue.finder import FILTERS
from tests.api.fixture_catalogue import module_catalogue

published_catalogue = module_catalogue()

PROBLEM_KEYS = {"record", "field", "expected", "found", "message"}


@pytest.fixture
def catalogue(published_catalogue, db):
    return published_catalogue


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = json.loads(response.content)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "title", "problems"}
    assert error["status"] == status
    assert isinstance(error["title"], str) and error["title"]
    assert error["problems"], "an error names at least one problem"
    for problem in error["problems"]:
        assert set(problem) == PROBLEM_KEYS
        assert all(isinstance(value, str) and value for value in problem.values())
        assert problem["message"] == (
            f"{problem['record']}: field '{problem['field']}' expected "
            f"{problem['expected']}, found {problem['found']}"
        )
    return error


# Every way a request can go wrong: method, address, expected status, field named.
ERROR_PATHS = [
    ("get", "/api/programmes?colour=red", 400, "colour"),
    ("get", "/api/programmes?age_group=teens", 400, "age_group"),
    ("get", "/api/programmes?rating=NE", 400, "rating"),
    ("get", "/api/programmes?list=somewhere", 400, "list"),
    ("get", "/api/programmes?page=0", 400, "page"),
    ("get", "/api/programmes?page=99", 404, "page"),
    ("get", "/api/programmes?page_size=1000", 400, "page_size"),
    ("get", "/api/programmes?sort=price", 400, "sort"),
    ("get", "/api/programmes?q=%00", 400, "q"),
    ("get", "/api/programmes?country=Atlantis", 400, "country"),
    ("get", "/api/programmes/no-such-programme", 404, "slug"),
    ("get", "/api/programmes/Not%20a%20slug", 404, "slug"),
    ("get", "/api/standards/no-such-standard", 404, "key"),
    ("get", "/api/nothing-here", 404, "path"),
    ("get", "/api/programmes/", 404, "path"),
    ("post", "/api/nothing-here", 404, "path"),
    ("post", "/api/programmes", 405, "method"),
    ("put", "/api/programmes/alpha-home-visits", 405, "method"),
    ("patch", "/api/standards", 405, "method"),
    ("delete", "/api/standards/eif-2017", 405, "method"),
    ("post", "/api/", 405, "method"),
]


@pytest.mark.parametrize(("method", "url", "status", "field"), ERROR_PATHS)
def test_every_error_path_answers_in_the_one_shape(client, catalogue, method, url, status, field):
    response = getattr(client, method)(url)
    error = assert_error_shape(response, status)
    assert error["problems"][0]["field"] == field
    if status == 405:
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_several_problems_come_back_together(client, catalogue):
    response = client.get("/api/programmes?colour=red&age_group=teens&page=x")
    error = assert_error_shape(response, 400)
    assert [p["field"] for p in error["problems"]] == ["colour", "age_group", "page"]


def test_a_failure_on_our_side_is_a_500_in_the_same_shape(client, catalogue, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("guidebook.api.views.find_programmes", broken)
    error = assert_error_shape(client.get("/api/programmes"), 500)
    assert "the database went away" not in str(error), "internals must not leak"
    assert "API request /api/programmes failed" in caplog.text


def test_a_failure_outside_the_endpoints_is_a_500_in_the_same_shape(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no document today")

    monkeypatch.setattr("guidebook.api.views.api.get_openapi_schema", broken)
    assert_error_shape(client.get("/api/openapi.json"), 500)


def test_get_answers_are_readable_from_any_origin(client, catalogue):
    for url in ["/api/programmes", "/api/programmes/alpha-home-visits", "/api/standards"]:
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_request_is_answered(client, db):
    response = client.options(
        "/api/programmes",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, x-requested-with",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept, x-requested-with"
    assert int(response["Access-Control-Max-Age"]) > 0
    assert response.content == b""


def test_head_is_answered_like_get(client, catalogue):
    got = client.get("/api/programmes/alpha-home-visits")
    head = client.head("/api/programmes/alpha-home-visits")
    assert head.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Access-Control-Allow-Origin"] == "*"


_NAMES = st.sampled_from(
    [item.name for item in FILTERS] + ["q", "sort", "page", "page_size", "list", "other"]
)
_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["infants", "3+", "4%2B", "evidence-based", "NA", "-1", "1e9", "99999999999999999999"]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.lists(st.tuples(_NAMES, _VALUES), max_size=5))
def test_no_query_string_causes_a_server_error(client, catalogue, params):
    response = client.get("/api/programmes", params)
    assert response.status_code in {200, 400, 404}  # 404: a page past the last
    if response.status_code == 400:
        assert_error_shape(response, 400)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    slug=st.text(min_size=1, max_size=40).filter(
        lambda s: "/" not in s and "?" not in s and "#" not in s
    )
)
def test_no_slug_causes_a_server_error(client, catalogue, slug):
    from urllib.parse import quote

    response = client.get("/api/programmes/" + quote(slug, safe=""))
    assert response.status_code in {200, 404}


def test_a_preflight_without_requested_headers_allows_none(client, db):
    response = client.options("/api/standards", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert "Access-Control-Allow-Headers" not in response


@pytest.mark.parametrize(
    ("error", "status", "field"),
    [
        ("http404", 404, "path"),
        ("validation", 400, "query.page"),
        ("http_error", 429, "request"),
    ],
)
def test_framework_errors_are_given_the_one_shape(rf, error, status, field):
    """Handlers for errors no endpoint raises today, so a future one keeps the shape."""
    from django.http import Http404
    from ninja.errors import HttpError, ValidationError

    from guidebook.api import views

    request = rf.get("/api/programmes")
    handlers = {
        "http404": lambda: views._django_not_found(request, Http404("gone")),
        "validation": lambda: views._invalid_input(
            request, ValidationError([{"loc": ("query", "page"), "msg": "a whole number"}])
        ),
        "http_error": lambda: views._http_error(request, HttpError(429, "slow down")),
    }
    response = handlers[error]()
    response["Access-Control-Allow-Origin"] = "*"  # added by api_view around real views
    body = assert_error_shape(response, status)
    assert body["problems"][0]["field"] == field
