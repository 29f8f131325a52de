"""A web worker that shows the published catalogue never loads the numerical or
printing libraries: numpy and scipy are for rating, WeasyPrint lays PDFs out in a
child process, frictionless checks open data in tests and releases.

Each of them costs a worker tens of megabytes it would keep for life (issue 13: at most
150 MB a worker). The catalogue is built in one process, which rates and so loads
numpy; a second, fresh process then serves every kind of public page from it through
Django's test client and reports what it imported.
"""

import json
import os
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("numpy", "scipy", "weasyprint", "frictionless")

SERVE = f"""
import json, sys
import django
django.setup()
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
print(json.dumps({{"statuses": statuses, "loaded": loaded}}))
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


def test_serving_published_pages_loads_no_numerical_or_printing_library(tmp_path):
    _run(["-m", "guidebook.cli", "migrate", "--verbosity", "0"], tmp_path)
    _run(["-m", "guidebook.cli", "demo"], tmp_path)

    answer = json.loads(_run(["-c", SERVE], tmp_path).strip().splitlines()[-1])

    assert answer["loaded"] == []
    failed = {address: status for address, status in answer["statuses"].items() if status != 200}
    assert failed == {}
