"""Email settings: SMTP when a host is named, files in the data folder otherwise, and
bad values stop the process with a message naming the variable."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from guidebook import settings

EMAIL_VARIABLES = (
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "GUIDEBOOK_FROM_EMAIL",
    "GUIDEBOOK_SITE_URL",
)
SHOWN = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL")


def load_settings(tmp_path, **variables):
    """Import the settings in a fresh process with only these email variables set."""
    env = {k: v for k, v in os.environ.items() if k not in EMAIL_VARIABLES}
    env.update(GUIDEBOOK_DATA_DIR=str(tmp_path), **variables)
    names = ", ".join(repr(name) for name in (*SHOWN, "GUIDEBOOK_SITE_URL"))
    script = (
        "import json\n"
        "from guidebook import settings as s\n"
        f"values = {{n: getattr(s, n) for n in ({names})}}\n"
        "values['EMAIL_FILE_PATH'] = str(getattr(s, 'EMAIL_FILE_PATH', ''))\n"
        "print(json.dumps(values))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_host_mail_is_written_to_files_in_the_data_folder(tmp_path):
    done = load_settings(tmp_path)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert values["DEFAULT_FROM_EMAIL"] == "Guidebook <guidebook@localhost>"
    assert values["GUIDEBOOK_SITE_URL"] == "http://127.0.0.1:8000"


def test_a_host_switches_on_smtp(tmp_path):
    done = load_settings(
        tmp_path,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        GUIDEBOOK_FROM_EMAIL="Guidebook <editors@example.org>",
        GUIDEBOOK_SITE_URL="https://guidebook.example.org/",
    )
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert values["DEFAULT_FROM_EMAIL"] == "Guidebook <editors@example.org>"
    assert values["GUIDEBOOK_SITE_URL"] == "https://guidebook.example.org"


@pytest.mark.parametrize(
    ("variable", "raw", "message"),
    [
        ("EMAIL_PORT", "smtp", "EMAIL_PORT must be a whole number, found 'smtp'"),
        ("EMAIL_PORT", "70000", "EMAIL_PORT must be a port number from 1 to 65535, found 70000"),
        ("EMAIL_USE_TLS", "perhaps", "EMAIL_USE_TLS must be a yes/no value"),
        ("GUIDEBOOK_SITE_URL", "guidebook.example.org", "GUIDEBOOK_SITE_URL must be a base URL"),
        ("GUIDEBOOK_FROM_EMAIL", "Guidebook", "GUIDEBOOK_FROM_EMAIL must be an email address"),
    ],
)
def test_a_bad_value_stops_the_process_and_names_the_variable(tmp_path, variable, raw, message):
    done = load_settings(tmp_path, EMAIL_HOST="smtp.example.org", **{variable: raw})
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert message in done.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8124", "http://127.0.0.1:8124"),
        ("https://guidebook.example.org/", "https://guidebook.example.org"),
        ("  https://guidebook.example.org  ", "https://guidebook.example.org"),
    ],
)
def test_the_site_url_is_an_http_base_url(monkeypatch, raw, expected):
    monkeypatch.setenv("GB_SITE", raw)
    assert settings.env_site_url("GB_SITE", "http://127.0.0.1:8000") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "guidebook.example.org",
        "ftp://guidebook.example.org",
        "https://",
        "https://guidebook.example.org/staff/",
        "https://guidebook.example.org/?a=1",
        "https://guidebook.example.org/#top",
        "http://127.0.0.1:port",
        "http://[::1",
    ],
)
def test_the_site_url_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("GB_SITE", raw)
    with pytest.raises(
        ImproperlyConfigured, match="GB_SITE must be a base URL .* found " + re.escape(repr(raw))
    ):
        settings.env_site_url("GB_SITE", "http://127.0.0.1:8000")


@pytest.mark.parametrize(("raw", "expected"), [("", 25), ("587", 587), ("1", 1), ("65535", 65535)])
def test_the_port_is_a_port_number(monkeypatch, raw, expected):
    monkeypatch.setenv("GB_PORT", raw)
    assert settings.env_port("GB_PORT", 25) == expected


@pytest.mark.parametrize("raw", ["0", "65536", "-25", "twenty-five"])
def test_the_port_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("GB_PORT", raw)
    with pytest.raises(ImproperlyConfigured, match="GB_PORT must be a"):
        settings.env_port("GB_PORT", 25)


@pytest.mark.parametrize("raw", ["guidebook@example.org", "Guidebook <guidebook@example.org>", ""])
def test_the_sender_is_an_address(monkeypatch, raw):
    monkeypatch.setenv("GB_FROM", raw)
    assert settings.env_from_address("GB_FROM", "Guidebook <guidebook@localhost>") == (
        raw or "Guidebook <guidebook@localhost>"
    )


@pytest.mark.parametrize("raw", ["Guidebook", "Guidebook <>", "a@b.org\nBcc: c@d.org"])
def test_the_sender_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("GB_FROM", raw)
    with pytest.raises(ImproperlyConfigured, match="GB_FROM must be an email address"):
        settings.env_from_address("GB_FROM", "Guidebook <guidebook@localhost>")
