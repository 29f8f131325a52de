"""Releases at their permanent addresses, /downloads/releases/..., and the latest."""

import datetime
import hashlib
import shutil

import pytest

from guidebook.interchange.releases import archive_name, make_release
from guidebook.interchange.releases.storage import release_folder
from tests.catalogue.map_catalogue import demo_data, store_and_publish

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def releases(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    store_and_publish(demo_data("fun-friends"))
    first = make_release("The first one", day=DAY)
    store_and_publish(demo_data("mellow-toddlers"))
    second = make_release("The second one", day=DAY)
    return first, second


def test_the_list_shows_every_release_with_its_notes(client, releases):
    html = client.get("/downloads/releases/").content.decode()
    assert html.index("2026-03-02-2") < html.index('href="/downloads/releases/2026-03-02/"')
    assert "The first one" in html and "The second one" in html


def test_the_list_says_when_there_is_none(client, db):
    assert 'data-testid="no-releases"' in client.get("/downloads/releases/").content.decode()


def test_a_release_page_shows_its_files_changelog_and_citation(client, releases):
    _, second = releases
    response = client.get("/downloads/releases/2026-03-02-2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The second one" in html and 'href="/downloads/releases/2026-03-02/"' in html
    assert "Mellow Toddlers: rated NL2" in html  # added since the first
    for path, checksum in second.checksums.items():
        assert f'href="/downloads/releases/2026-03-02-2/{path}"' in html
        assert checksum in html
    assert "CITATION.cff" in html and "/api/programmes?release=2026-03-02-2" in html


def test_a_file_is_served_as_released_and_cached_for_good(client, releases):
    _, second = releases
    response = client.get("/downloads/releases/2026-03-02-2/SHA256SUMS")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    assert hashlib.sha256(response.content).hexdigest() == second.checksums["SHA256SUMS"]
    zipped = client.get(f"/downloads/releases/2026-03-02-2/{archive_name(second.name)}")
    assert zipped["Content-Type"] == "application/zip"
    assert zipped["Content-Disposition"] == f'attachment; filename="{archive_name(second.name)}"'
    assert (
        client.get("/downloads/releases/2026-03-02-2/data/programmes.csv")["Content-Type"]
        == "text/csv; charset=utf-8"
    )


@pytest.mark.parametrize(
    "address",
    [
        "/downloads/releases/2026-03-03/",
        "/downloads/releases/2026-03-02/nothing.txt",
        "/downloads/releases/2026-03-02/../2026-03-02-2/SHA256SUMS",
        "/downloads/releases/2026-03-02/records/../SHA256SUMS",
        "/downloads/releases/latest/",
    ],
)
def test_anything_not_released_is_not_found(client, releases, address):
    assert client.get(address).status_code == 404


def test_the_latest_release_is_also_at_downloads(client, releases):
    response = client.get("/downloads/latest/")
    assert (
        response.status_code == 302 and response["Location"] == "/downloads/releases/2026-03-02-2/"
    )
    response = client.get("/downloads/latest/CHANGELOG.md")
    assert response["Location"] == "/downloads/releases/2026-03-02-2/CHANGELOG.md"
    html = client.get("/downloads/").content.decode()
    assert (
        'href="/downloads/releases/2026-03-02-2/">release 2026-03-02-2</a>: The second one' in html
    )


def test_no_latest_before_the_first_release(client, db):
    assert client.get("/downloads/latest/").status_code == 404
    assert "No release has been made yet" in client.get("/downloads/").content.decode()


def test_a_release_whose_folder_was_lost_is_rebuilt_from_its_snapshots(client, releases):
    first, _ = releases
    shutil.rmtree(release_folder(first.name))
    response = client.get(f"/downloads/releases/{first.name}/release.json")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == first.checksums["release.json"]
    assert (release_folder(first.name) / "CHANGELOG.md").exists()


def test_a_file_altered_on_disk_is_never_served(client, releases):
    first, _ = releases
    target = release_folder(first.name) / "CHANGELOG.md"
    target.chmod(0o644)
    target.write_text("altered\n")
    assert client.get(f"/downloads/releases/{first.name}/CHANGELOG.md").status_code == 404
