"""The OpenAPI document is valid, and every documented response matches its schema."""

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from guidebook.catalogue.finder import FILTERS
from guidebook.evidence.record_schema import programme_schema
from tests.api.fixture_catalogue import module_catalogue
from tests.public.test_effects_page import SLUG as FOREST_SLUG
from tests.public.test_effects_page import forest_programme  # noqa: F401 (a fixture)

published_catalogue = module_catalogue()
DOCUMENT = "urn:guidebook:openapi"


@pytest.fixture
def catalogue(published_catalogue, db):
    return published_catalogue


@pytest.fixture
def document(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def with_base(document):
    """The document with every internal $ref made absolute, so it can be a resource."""

    def walk(node):
        if isinstance(node, dict):
            return {
                key: (DOCUMENT + value if key == "$ref" and value.startswith("#") else walk(value))
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(document)


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {
        "/api/programmes",
        "/api/programmes/{slug}",
        "/api/standards",
        "/api/standards/{key}",
    }


def test_the_docs_page_is_served(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_list_documents_every_parameter_the_finder_reads(document):
    parameters = document["paths"]["/api/programmes"]["get"]["parameters"]
    names = [parameter["name"] for parameter in parameters]
    finder = ["list", "q", *(item.name for item in FILTERS), "sort", "page", "page_size"]
    # ... and the release to read them from (tests/api/test_release_queries.py).
    assert names == [*finder, "release"]
    by_name = {parameter["name"]: parameter for parameter in parameters}
    assert by_name["age_group"]["schema"]["items"]["enum"][:2] == ["perinatal", "infants"]
    assert "evidence-based" in by_name["rating"]["schema"]["items"]["enum"]
    assert by_name["page_size"]["schema"]["maximum"] == 100


def test_the_record_component_is_the_record_format_schema(document):
    shipped = {k: v for k, v in programme_schema().items() if k not in {"$schema", "$id"}}
    assert document["components"]["schemas"]["ProgrammeRecord"] == shipped
    detail = document["components"]["schemas"]["ProgrammeDetail"]
    assert detail["properties"]["programme"] == {"$ref": "#/components/schemas/ProgrammeRecord"}


def _broken(*args, **kwargs):
    raise RuntimeError("a failure on our side")


# One real request for every response the document promises on these endpoints.
RESPONSES = {
    ("/api/programmes", 200): "/api/programmes?list=all&page_size=3&page=2",
    ("/api/programmes", 400): "/api/programmes?age_group=teens",
    ("/api/programmes", 404): "/api/programmes/no-such-programme",
    ("/api/programmes", 405): ("post", "/api/programmes"),
    ("/api/programmes", 500): ("broken", "/api/programmes"),
    ("/api/programmes/{slug}", 200): "/api/programmes/alpha-home-visits",
    ("/api/programmes/{slug}", 400): "/api/programmes?page=0",
    ("/api/programmes/{slug}", 404): "/api/programmes/no-such-programme",
    ("/api/programmes/{slug}", 405): ("delete", "/api/programmes/alpha-home-visits"),
    ("/api/programmes/{slug}", 500): ("broken", "/api/programmes/alpha-home-visits"),
    ("/api/standards", 200): "/api/standards",
    ("/api/standards", 400): "/api/programmes?sort=price",
    ("/api/standards", 404): "/api/standards/nothing",
    ("/api/standards", 405): ("post", "/api/standards"),
    ("/api/standards", 500): ("broken", "/api/standards"),
    ("/api/standards/{key}", 200): "/api/standards/eif-2018",
    ("/api/standards/{key}", 400): "/api/programmes?page_size=0",
    ("/api/standards/{key}", 404): "/api/standards/nothing",
    ("/api/standards/{key}", 405): ("put", "/api/standards/eif-2017"),
    ("/api/standards/{key}", 500): ("broken", "/api/standards/eif-2017"),
}


def test_every_documented_response_is_exercised(document):
    documented = {
        (path, int(status))
        for path in [
            "/api/programmes",
            "/api/programmes/{slug}",
            "/api/standards",
            "/api/standards/{key}",
        ]
        for status in document["paths"][path]["get"]["responses"]
        # 414 comes from the server in front of Django, never from a view:
        # tests/deploy/test_long_address.py pins it against a real gunicorn.
        if status != "414"
    }
    assert documented == set(RESPONSES)


@pytest.mark.parametrize(("path", "status"), list(RESPONSES))
def test_real_responses_match_their_documented_schema(
    client, catalogue, document, monkeypatch, path, status
):
    request = RESPONSES[(path, status)]
    method, url = request if isinstance(request, tuple) else ("get", request)
    if method == "broken":
        for name in ["find_programmes", "_published", "all_standards", "get_standard"]:
            monkeypatch.setattr(f"guidebook.api.views.{name}", _broken)
        method = "get"
    response = getattr(client, method)(url)
    assert response.status_code == status
    reference = document["paths"][path]["get"]["responses"][str(status)]["content"]
    schema = reference["application/json"]["schema"]
    absolute = with_base(document)
    registry = Registry().with_resource(
        DOCUMENT, Resource.from_contents(absolute, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(with_base(schema), registry=registry)
    errors = sorted(validator.iter_errors(response.json()), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_the_schemas_refuse_a_body_that_does_not_match(document):
    """Guards the checks above against passing for want of resolving anything."""
    registry = Registry().with_resource(
        DOCUMENT, Resource.from_contents(with_base(document), default_specification=DRAFT202012)
    )
    for component, body in [
        ("ErrorOut", {"error": {"status": "400", "title": "x", "problems": []}}),
        ("ProgrammeList", {"count": 1}),
        ("ProgrammeDetail", {"programme": {"slug": "x"}}),
    ]:
        schema = {"$ref": f"{DOCUMENT}#/components/schemas/{component}"}
        assert list(Draft202012Validator(schema, registry=registry).iter_errors(body)), component


def test_the_detail_of_a_computed_rating_matches_its_schema(client, ipp, document):
    """The demo IPP has appraised studies, reasons and a cost with missing inputs."""
    absolute = with_base(document)
    registry = Registry().with_resource(
        DOCUMENT, Resource.from_contents(absolute, default_specification=DRAFT202012)
    )
    schema = {"$ref": DOCUMENT + "#/components/schemas/ProgrammeDetail"}
    validator = Draft202012Validator(schema, registry=registry)
    data = client.get("/api/programmes/infant-parent-psychotherapy").json()
    assert not list(validator.iter_errors(data))


def test_pooled_effects_and_their_prediction_interval_match_the_schema(
    client,
    forest_programme,  # noqa: F811
    document,
):
    """A programme with a forest plot: effects, pooled estimate, prediction interval."""
    pooled = document["components"]["schemas"]["PooledOut"]
    assert {"pi_low", "pi_high", "pi_riley_low", "pi_riley_high"} <= set(pooled["required"])
    assert "effects" not in document["components"]["schemas"]["Assessment"]["required"]
    registry = Registry().with_resource(
        DOCUMENT, Resource.from_contents(with_base(document), default_specification=DRAFT202012)
    )
    schema = {"$ref": DOCUMENT + "#/components/schemas/ProgrammeDetail"}
    data = client.get(f"/api/programmes/{FOREST_SLUG}").json()
    assert data["rating"]["effects"]["outcomes"][0]["pooled"]["pi_riley_low"] is not None
    assert not list(Draft202012Validator(schema, registry=registry).iter_errors(data))
    data["rating"]["effects"]["outcomes"][0]["pooled"].pop("pi_riley_low")
    assert list(Draft202012Validator(schema, registry=registry).iter_errors(data))
