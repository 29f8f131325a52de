"""Every unhandled exception is written to stderr with its traceback.

Run in a fresh process with the real settings and no DEBUG, as a server runs: the
site's database cannot be opened, so the first page that reads it fails with a 500.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.exceptions import ImproperlyConfigured

from guidebook import settings
from tests.conftest import REPO

REQUEST_A_BROKEN_PAGE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.test import Client
    response = Client(raise_request_exception=False).get("/programmes/")
    print(response.status_code)
    """
)


def _serve_one_request(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "GUIDEBOOK_DEBUG", "GUIDEBOOK_LOG_LEVEL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="guidebook.settings",
        PYTHONPATH=str(REPO),
        GUIDEBOOK_DATA_DIR=str(tmp_path),
        # A directory that does not exist: SQLite cannot open a file in it.
        GUIDEBOOK_SQLITE_PATH=str(tmp_path / "missing" / "guidebook.sqlite3"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", REQUEST_A_BROKEN_PAGE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_a_500_is_written_to_stderr_with_its_traceback(tmp_path):
    done = _serve_one_request(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "500"
    assert "ERROR django.request" in done.stderr
    assert "Internal Server Error: /programmes/" in done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "OperationalError: unable to open database file" in done.stderr


def test_the_log_level_can_hide_everything_below_it(tmp_path):
    done = _serve_one_request(tmp_path, GUIDEBOOK_LOG_LEVEL="critical")
    assert done.stdout.strip() == "500"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("raw", ["loud", "5"])
def test_an_unknown_log_level_is_refused(monkeypatch, raw):
    monkeypatch.setenv("GB_LEVEL", raw)
    with pytest.raises(ImproperlyConfigured, match=rf"GB_LEVEL must be one of .* found '{raw}'"):
        settings.env_choice("GB_LEVEL", "INFO", ["DEBUG", "INFO"])
