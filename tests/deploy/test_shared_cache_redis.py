"""Several worker processes sharing one Redis cache, as docs/caching.md promises.

gunicorn runs two worker processes over one SQLite file, with ``REDIS_URL`` set. A
page cached by one worker is a hit for the other, and a publication made by a third
process (the ``guidebook`` command) retires it for both at once: every response
after it shows the new page. With per-process memory caches the other worker would
keep serving its old copy until it expired.

Without Redis the module is skipped (tests/redis_server.py says when that fails instead).
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.servers import free_port
from tests.redis_server import flush, require_redis

REDIS_DATABASE = 13  # a database of its own, emptied by the test
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DATABASE}"
GUIDEBOOK = Path(sys.executable).with_name("guidebook")
DEMO_IPP = Path(__file__).resolve().parents[2] / "guidebook/interchange/demo"
PAGE = "/programmes/infant-parent-psychotherapy/"


@pytest.fixture(scope="module")
def redis():
    require_redis()
    flush(REDIS_DATABASE)
    yield REDIS_URL
    flush(REDIS_DATABASE)


def _environment(data_dir, redis_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "GUIDEBOOK_DATA_DIR": str(data_dir), "REDIS_URL": redis_url}


def _guidebook(env, *args):
    done = subprocess.run([str(GUIDEBOOK), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"guidebook {' '.join(args)} failed:\n{done.stderr}"


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Guidebook-Cache"), response.read().decode()


@pytest.fixture(scope="module")
def site(redis, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("shared-cache")
    env = _environment(data_dir, redis)
    _guidebook(env, "migrate", "-v0")
    _guidebook(env, "import", str(DEMO_IPP / "infant-parent-psychotherapy.json"))
    _guidebook(env, "publish", "infant-parent-psychotherapy")
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "guidebook.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(base + "/standards/")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield base, env
    server.terminate()
    server.wait(timeout=20)


def test_one_workers_cached_page_is_every_workers_hit(site):
    base, _ = site
    states = [_get(base + PAGE)[0] for _ in range(20)]
    assert states[0] == "miss"
    assert states[1:] == ["hit"] * 19


def test_a_publication_elsewhere_retires_the_page_for_every_worker(site):
    base, env = site
    for _ in range(10):
        _get(base + PAGE)
    rename = (
        "from guidebook.catalogue.models import Programme;"
        "from guidebook.catalogue.publishing import publish;"
        "Programme.objects.filter(slug='infant-parent-psychotherapy')"
        ".update(name='Infant-Parent Psychotherapy (renamed)');"
        "publish(Programme.objects.get(slug='infant-parent-psychotherapy'))"
    )
    _guidebook(env, "shell", "-c", rename)
    pages = [_get(base + PAGE) for _ in range(20)]
    assert all("Infant-Parent Psychotherapy (renamed)" in body for _, body in pages)
    assert [state for state, _ in pages] == ["miss"] + ["hit"] * 19
