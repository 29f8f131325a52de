"""What public pages tell shared caches, and how a publication clears them."""

import http.server
import threading

import pytest
from django.db import transaction

from guidebook.catalogue import front_caches
from guidebook.catalogue.publishing import publish
from tests.public.published import publish_variants, store

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/programmes/programme-1/",
    "/programmes/programme-1/?format=json",
    "/programmes/",
    "/programmes/?q=attachment",
    "/api/programmes",
    "/standards/",
]


@pytest.fixture
def front_cache_set(settings):
    settings.FRONT_CACHES = ["http://127.0.0.1:9"]
    settings.FRONT_CACHE_SECONDS = 120


@pytest.mark.parametrize("page", PAGES)
def test_without_front_caches_pages_say_nothing_to_shared_caches(client, ipp_data, page):
    publish_variants(ipp_data, 1)
    response = client.get(page)
    assert response.status_code == 200
    assert "s-maxage" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("page", PAGES)
def test_with_front_caches_public_pages_may_be_kept_by_them(
    client, ipp_data, front_cache_set, page
):
    publish_variants(ipp_data, 1)
    for expected in ("miss", "hit"):
        response = client.get(page)
        assert response["X-Guidebook-Cache"] == expected
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"max-age=0", "s-maxage=120"}


def test_pages_for_a_visitor_with_a_session_are_not_for_shared_caches(
    client, ipp_data, front_cache_set
):
    publish_variants(ipp_data, 1)
    client.post("/shortlist/add/programme-1/", {"next": "/"})
    response = client.get("/programmes/programme-1/")
    assert "Remove from shortlist" in response.content.decode()
    assert "s-maxage" not in response.get("Cache-Control", "")


def test_error_pages_are_not_for_shared_caches(client, ipp_data, front_cache_set):
    publish_variants(ipp_data, 1)
    assert "s-maxage" not in client.get("/programmes/?age_group=nonsense").get("Cache-Control", "")
    assert "s-maxage" not in client.get("/programmes/no-such-thing/").get("Cache-Control", "")


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A stand-in front cache that records what it is asked and answers one status."""

    received: list[tuple[str, str, str | None]] = []
    status = 200

    def do_BAN(self):
        self.received.append((self.command, self.path, self.headers.get(front_caches.BAN_HEADER)))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.received = []
    _Recorder.status = 200
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Recorder, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_publication_clears_every_front_cache_once_committed(settings, recorder, ipp_data):
    handler, url = recorder
    settings.FRONT_CACHES = [url, url]
    stored = store(ipp_data, publish=False)
    publish(stored)
    assert handler.received == [("BAN", "/", "catalogue"), ("BAN", "/", "catalogue")]


def test_a_publication_that_rolls_back_clears_nothing(settings, recorder, ipp_data):
    handler, url = recorder
    settings.FRONT_CACHES = [url]
    stored = store(ipp_data, publish=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(stored)
        raise RuntimeError("something later in the same transaction failed")
    assert handler.received == []


@pytest.mark.parametrize(
    ("status", "ok", "detail"),
    [(200, True, "200 OK"), (403, False, "answered 403 Forbidden")],
)
def test_what_a_front_cache_answers_is_reported(settings, recorder, status, ok, detail):
    handler, url = recorder
    handler.status = status
    settings.FRONT_CACHES = [url]
    assert front_caches.clear_front_caches() == [front_caches.Cleared(url, ok, detail)]


def test_an_unreachable_front_cache_is_logged_and_does_not_fail(settings, caplog):
    settings.FRONT_CACHES = ["http://127.0.0.1:9"]
    [cleared] = front_caches.clear_front_caches()
    assert not cleared.ok
    assert cleared.detail.startswith("could not be reached")
    assert "http://127.0.0.1:9 was not cleared" in caplog.text
