"""The API's release parameter: read-only queries against the catalogue a release froze."""

import datetime

import pytest
from django.core.management import call_command

from guidebook.interchange.releases import make_release
from tests.catalogue.map_catalogue import demo_data, store_and_publish
from tests.editorial.test_rerate import mixed_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def released(settings, tmp_path):
    """A release of two programmes; afterwards a re-rating and a third programme."""
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    settings.RELEASES_DIR = tmp_path / "releases"
    publish(save_record(mixed_record()), note="first", standard_key="eif-2017")
    store_and_publish(demo_data("fun-friends"))
    release = make_release(day=DAY)
    call_command("rerate", "--standard", "eif-2018")
    store_and_publish(demo_data("mellow-toddlers"))
    return release


def test_the_list_answers_from_the_release(client, released):
    now = client.get("/api/programmes?list=all").json()
    then = client.get(f"/api/programmes?list=all&release={released.name}").json()
    assert {item["slug"] for item in now["results"]} == {
        "mixed-messages",
        "fun-friends",
        "mellow-toddlers",
    }
    assert {item["slug"] for item in then["results"]} == {"mixed-messages", "fun-friends"}
    assert then["release"] == released.name and now["release"] is None
    ratings = {item["slug"]: item["rating"] for item in then["results"]}
    assert ratings["mixed-messages"] == "3"


def test_filters_work_on_a_release_as_they_do_now(client, released):
    data = client.get(f"/api/programmes?release={released.name}&rating=3").json()
    assert [item["slug"] for item in data["results"]] == ["mixed-messages"]
    counts = {f["name"]: f for f in data["facets"]}
    assert {o["key"]: o["count"] for o in counts["rating"]["options"]}["2"] == 1


def test_page_links_keep_the_release(client, released):
    data = client.get(f"/api/programmes?release={released.name}&page_size=1").json()
    assert data["next"].endswith(f"page_size=1&page=2&release={released.name}")


def test_one_programme_as_the_release_froze_it(client, released):
    then = client.get(f"/api/programmes/mixed-messages?release={released.name}").json()
    now = client.get("/api/programmes/mixed-messages").json()
    assert then["rating"]["shown"]["value"] == "3" and now["rating"]["shown"]["value"] == "3*"
    assert [entry["rating"] for entry in then["rating_history"]] == ["3"]
    assert then["release"] == released.name


def test_a_programme_not_in_the_release_is_not_found(client, released):
    response = client.get(f"/api/programmes/mellow-toddlers?release={released.name}")
    assert response.status_code == 404
    problem = response.json()["error"]["problems"][0]
    assert problem["field"] == "slug" and "in release 2026-03-02" in problem["expected"]


@pytest.mark.parametrize("name", ["2026-03-03", "latest", "2026-03-02-x", "'; drop"])
def test_an_unknown_release_is_an_error_in_the_one_shape(client, released, name):
    response = client.get("/api/programmes", {"release": name})
    assert response.status_code == 404
    problem = response.json()["error"]["problems"][0]
    assert problem["field"] == "release"
    assert problem["expected"] == "the name of a release, e.g. 2026-12-04"


def test_the_release_parameter_is_in_the_openapi_document(client, db):
    document = client.get("/api/openapi.json").json()
    for path in ("/api/programmes", "/api/programmes/{slug}"):
        names = [p["name"] for p in document["paths"][path]["get"]["parameters"]]
        assert "release" in names, path
