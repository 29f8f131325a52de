"""The staff page that makes a release: editors only, notes checked, nothing on refusal."""

import pytest
from django.urls import reverse

from guidebook.interchange.models import Release
from tests.catalogue.map_catalogue import demo_data, store_and_publish
from tests.editorial.conftest import PASSWORD

PAGE = "/staff/releases/"
MAKE = "/staff/releases/make/"


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"


@pytest.fixture
def published(db):
    store_and_publish(demo_data("fun-friends"))


def sign_in(client, personas, who):
    assert client.login(username=who, password=PASSWORD)


@pytest.mark.parametrize(
    ("who", "status"),
    [("editor", 200), ("admin", 200), ("assessor", 403), ("panel", 403), ("provider", 403)],
)
def test_only_editors_see_the_page(client, personas, who, status):
    sign_in(client, personas, who)
    assert client.get(PAGE).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("editorial:login") in response["Location"]


def test_an_editor_makes_a_release_with_notes(client, personas, published):
    sign_in(client, personas, "editor")
    response = client.post(MAKE, {"notes": "  Spring release  "}, follow=True)
    release = Release.objects.get()
    assert release.notes == "Spring release" and release.made_by == personas["editor"]
    html = response.content.decode()
    assert f"Release {release.name} made: 1 programme(s)" in html
    assert f'href="/downloads/releases/{release.name}/"' in html


def test_others_cannot_make_one(client, personas, published):
    sign_in(client, personas, "reviewer")
    assert client.post(MAKE, {"notes": "x"}).status_code == 403
    assert Release.objects.count() == 0


def test_making_is_a_post(client, personas, published):
    sign_in(client, personas, "editor")
    assert client.get(MAKE).status_code == 405


def test_too_long_notes_release_nothing(client, personas, published):
    sign_in(client, personas, "editor")
    response = client.post(MAKE, {"notes": "x" * 2001}, follow=True)
    assert (
        "Notes: expected at most 2000 characters, found 2001. Nothing was released."
        in response.content.decode()
    )
    assert Release.objects.count() == 0


def test_nothing_published_is_refused_with_the_reason(client, personas):
    sign_in(client, personas, "editor")
    response = client.post(MAKE, {"notes": ""}, follow=True)
    assert "Nothing is published yet" in response.content.decode()
    assert Release.objects.count() == 0


def test_the_staff_nav_links_to_releases_for_editors_only(client, personas):
    sign_in(client, personas, "editor")
    assert 'href="/staff/releases/">Releases</a>' in client.get("/staff/").content.decode()
    client.logout()
    sign_in(client, personas, "assessor")
    assert 'href="/staff/releases/"' not in client.get("/staff/").content.decode()
