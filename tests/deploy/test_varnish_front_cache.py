"""The shipped Varnish configuration in front of a live Guidebook, in a real varnishd.

Pins what guidebook/deploy/guidebook.vcl promises, run by ``guidebook front-cache``: public pages are kept and served
from the cache; a publication clears them at once; visitors with a session, posts
and responses that set a cookie always reach the application.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from guidebook.deploy.varnish import find_varnishd
from tests.deploy.servers import free_port
from tests.public.published import programme_data, store

pytestmark = pytest.mark.django_db(transaction=True)

GUIDEBOOK = Path(sys.executable).with_name("guidebook")


def _get(url, headers=None, method="GET", data=None):
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    """``guidebook front-cache`` in front of the live server, as an operator runs it."""
    assert find_varnishd(), "make test installs Debian's varnish; it is missing"
    backend = urllib.parse.urlsplit(live_server.url).port
    port, ban_port = free_port(), free_port()
    command = [str(GUIDEBOOK), "front-cache", "--port", str(port), "--ban-port", str(ban_port)]
    command += ["--backend", f"127.0.0.1:{backend}", "--memory", "32m"]
    env = {**os.environ, "GUIDEBOOK_DATA_DIR": str(tmp_path)}
    log_path = tmp_path / "front-cache.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    settings.FRONT_CACHES = [f"http://127.0.0.1:{ban_port}"]
    try:
        _wait_until_up(port, process, log_path)
        _wait_until_up(ban_port, process, log_path)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_up(port, process, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("varnishd stopped:\n" + log.read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("varnishd did not start:\n" + log.read_text())


@pytest.fixture
def published(ipp_data):
    store(programme_data(ipp_data, "programme-1", "Programme 1"))
    return ipp_data


def test_a_public_page_is_kept_and_served_from_the_front_cache(varnish, published):
    status, first, body = _get(varnish + "/programmes/programme-1/")
    assert (status, first["X-Front-Cache"]) == (200, "miss")
    status, again, cached = _get(varnish + "/programmes/programme-1/")
    assert (status, again["X-Front-Cache"]) == (200, "hit")
    assert cached == body
    assert "Programme 1" in cached


def test_other_cookies_share_the_kept_page(varnish, published):
    _get(varnish + "/programmes/")
    _, headers, _ = _get(varnish + "/programmes/", {"Cookie": "csrftoken=abc; theme=dark"})
    assert headers["X-Front-Cache"] == "hit"


def test_a_publication_clears_the_front_cache_at_once(varnish, published):
    _get(varnish + "/programmes/programme-1/")
    _get(varnish + "/programmes/?q=programme")
    from guidebook.catalogue.models import Programme
    from guidebook.catalogue.publishing import publish

    Programme.objects.filter(slug="programme-1").update(name="Programme 1 renamed")
    publish(Programme.objects.get(slug="programme-1"))
    for page in ["/programmes/programme-1/", "/programmes/?q=programme"]:
        _, headers, body = _get(varnish + page)
        assert headers["X-Front-Cache"] == "miss"
        assert "Programme 1 renamed" in body


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=abc", "django_language=cy"])
def test_visitors_with_a_page_of_their_own_always_reach_the_application(varnish, published, cookie):
    _get(varnish + "/programmes/programme-1/")
    _, headers, _ = _get(varnish + "/programmes/programme-1/", {"Cookie": cookie})
    assert headers["X-Front-Cache"] == "pass"


def test_a_shortlist_post_reaches_the_application(varnish, published):
    form = urllib.parse.urlencode({"next": "/shortlist/"}).encode()
    status, headers, _ = _get(varnish + "/shortlist/add/programme-1/", method="POST", data=form)
    # urllib follows the redirect to the shortlist, which reads the new session.
    assert status == 200
    assert headers["X-Front-Cache"] != "hit"


def test_pages_that_set_a_cookie_or_are_not_marked_are_never_kept(varnish, published):
    for page in ["/staff/login/", "/shortlist/"]:
        _get(varnish + page)
        _, headers, _ = _get(varnish + page)
        assert headers["X-Front-Cache"] == "miss", page


def test_a_cookie_smuggled_in_the_configurations_own_header_is_dropped(varnish, published):
    from http.cookiejar import CookieJar

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"next": "/shortlist/"}).encode()
    opener.open(varnish + "/shortlist/add/programme-1/", data=form, timeout=10).read()
    session = next(c.value for c in jar if c.name == "sessionid")
    own = _get(varnish + "/shortlist/", {"Cookie": f"sessionid={session}"})[2]
    assert "Programme 1" in own
    smuggled = _get(varnish + "/shortlist/", {"X-Guidebook-Cookie": f"sessionid={session}"})[2]
    assert "Programme 1" not in smuggled


def test_a_ban_on_the_public_listener_is_refused(varnish, published):
    """A proxy in front connects from 127.0.0.1 as the application does: the address
    alone must not let a visitor clear the cache through it."""
    _get(varnish + "/programmes/programme-1/")
    status, _, _ = _get(varnish + "/", method="BAN")
    assert status == 403
    _, headers, _ = _get(varnish + "/programmes/programme-1/")
    assert headers["X-Front-Cache"] == "hit"
