"""`guidebook check --deploy`: clean for a site declared HTTPS-only, advice otherwise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

GUIDEBOOK = Path(sys.executable).with_name("guidebook")
KEY = "a-long-random-value-for-the-deploy-check-test-0123456789abcdefghijklmnop"


def deploy_check(tmp_path, **extra):
    # Only this test's own settings: none of the suite's (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which the deploy check rightly refuses).
    left_out = ("GUIDEBOOK_HSTS", "GUIDEBOOK_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(left_out)}
    env.update(SECRET_KEY=KEY, GUIDEBOOK_DATA_DIR=str(tmp_path), **extra)
    return subprocess.run(
        [str(GUIDEBOOK), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_an_https_site_passes_every_deploy_check(tmp_path):
    done = deploy_check(tmp_path, GUIDEBOOK_HTTPS="1")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize("check", ["W004", "W008", "W012", "W016"])
def test_without_https_the_deploy_check_names_what_is_missing(tmp_path, check):
    done = deploy_check(tmp_path)
    assert done.returncode != 0
    assert f"security.{check}" in done.stderr


def test_hsts_extras_are_only_on_when_asked(tmp_path):
    done = deploy_check(tmp_path, GUIDEBOOK_HTTPS="1", GUIDEBOOK_HSTS_SECONDS="0")
    assert "security.W004" in done.stderr


def test_an_https_site_redirects_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/standards/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/standards/"
