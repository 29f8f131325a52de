"""A web worker, as gunicorn loads it (``guidebook.wsgi``), that shows the published
catalogue never loads the numerical or printing libraries, and keeps its long-lived
objects out of the garbage collector's full passes.

numpy and scipy are for rating, WeasyPrint lays PDFs out in a child process,
frictionless checks open data in tests and releases, jsonschema checks records coming
in (a published record is never checked again): each costs a worker megabytes it
would keep for life (issue 13: at most 150 MB a worker). The catalogue is
built in one process, which rates and so loads numpy; a second, fresh process then
loads the WSGI application, serves every kind of public page through Django's test
client and reports what it imported and what it froze (guidebook/lib/collector.py).
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("numpy", "scipy", "weasyprint", "frictionless", "jsonschema")

SERVE = f"""
import gc, json, sys
from guidebook.wsgi import application
from guidebook.lib import collector
frozen_at_start = gc.get_freeze_count()
collector.WARM_REQUESTS = 40
from django.test import Client
from guidebook.catalogue.models import Snapshot

client = Client()
slugs = sorted(Snapshot.objects.filter(is_current=True).values_list("slug", flat=True))
addresses = ["/programmes/", "/programmes/?q=anxiety&age_group=infants",
             "/programmes/not-listed/", "/api/programmes", "/crosswalk/", "/standards/",
             "/map/", "/downloads/", "/downloads/programmes.csv",
             f"/compare/?p={{slugs[0]}}&p={{slugs[1]}}"]
for slug in slugs:
    addresses += [f"/programmes/{{slug}}/", f"/programmes/{{slug}}.json",
                  f"/api/programmes/{{slug}}"]
statuses = {{address: client.get(address).status_code for address in addresses}}
loaded = sorted(name for name in {HEAVY!r} if name in sys.modules)
frozen = [frozen_at_start, gc.get_freeze_count()]
print(json.dumps({{"statuses": statuses, "loaded": loaded, "frozen": frozen}}))
"""


def _run(arguments, data_dir):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "GUIDEBOOK_SQLITE_PATH"}
    }
    environment |= {
        "GUIDEBOOK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "guidebook.settings",
        "PYTHONPATH": str(REPO),
    }
    finished = subprocess.run(
        [sys.executable, *arguments],
        cwd=data_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """What a fresh worker reported after serving every kind of public page."""
    folder = tmp_path_factory.mktemp("worker")
    _run(["-m", "guidebook.cli", "migrate", "--verbosity", "0"], folder)
    _run(["-m", "guidebook.cli", "demo"], folder)
    return json.loads(_run(["-c", SERVE], folder).strip().splitlines()[-1])


def test_every_public_page_answers(served):
    failed = {address: status for address, status in served["statuses"].items() if status != 200}
    assert failed == {}
    assert len(served["statuses"]) > 40  # enough requests to pass WARM_REQUESTS


def test_serving_published_pages_loads_no_numerical_or_printing_library(served):
    assert served["loaded"] == []


def test_a_worker_freezes_what_start_up_made_and_again_once_warm(served):
    at_start, after = served["frozen"]
    assert at_start > 50_000  # Django, the site's modules and its URL configuration
    assert after > at_start
