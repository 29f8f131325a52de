"""Settings fail loudly on bad values; system checks catch settings that disagree."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from guidebook import checks, settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("yes", True),
        ("On", True),
        ("0", False),
        ("no", False),
        ("", True),
        (None, True),
    ],
)
def test_env_bool_reads_yes_and_no(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("GB_FLAG", raising=False)
    else:
        monkeypatch.setenv("GB_FLAG", raw)
    assert settings.env_bool("GB_FLAG", True) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("GB_FLAG", "maybe")
    with pytest.raises(
        ImproperlyConfigured, match=r"GB_FLAG must be a yes/no value .* found 'maybe'"
    ):
        settings.env_bool("GB_FLAG", False)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("GB_NUMBER", "12")
    assert settings.env_int("GB_NUMBER", 3) == 12
    monkeypatch.setenv("GB_NUMBER", "twelve")
    with pytest.raises(
        ImproperlyConfigured, match="GB_NUMBER must be a whole number, found 'twelve'"
    ):
        settings.env_int("GB_NUMBER", 3)
    monkeypatch.delenv("GB_NUMBER")
    assert settings.env_int("GB_NUMBER", 3) == 3
    monkeypatch.setenv("GB_HOSTS", "a.org, b.org,")
    assert settings.env_list("GB_HOSTS", []) == ["a.org", "b.org"]
    monkeypatch.delenv("GB_HOSTS")
    assert settings.env_list("GB_HOSTS", ["x"]) == ["x"]


def test_a_public_host_with_the_local_key_is_an_error(settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["guidebook.example.org"]
    settings.GUIDEBOOK_SITE_URL = "https://guidebook.example.org"
    monkeypatch.setattr(checks, "database_engine", lambda: "django.db.backends.postgresql")
    assert {m.id for m in checks.check_deployment_settings()} == {"guidebook.E001"}
    settings.SECRET_KEY = "a-real-secret-" + "x" * 40
    assert checks.check_deployment_settings() == []


def test_public_hosts_on_sqlite_get_a_warning(settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["guidebook.example.org"]
    settings.GUIDEBOOK_SITE_URL = "https://guidebook.example.org"
    settings.SECRET_KEY = "a-real-secret-" + "x" * 40
    monkeypatch.setattr(checks, "database_engine", lambda: "django.db.backends.sqlite3")
    assert {m.id for m in checks.check_deployment_settings()} == {"guidebook.W001"}


@pytest.mark.parametrize(
    ("site_url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("https://guidebook.example.org", False),
    ],
)
def test_a_public_site_whose_links_lead_to_localhost_gets_a_warning(
    settings, monkeypatch, site_url, warned
):
    settings.ALLOWED_HOSTS = ["guidebook.example.org"]
    settings.SECRET_KEY = "a-real-secret-" + "x" * 40
    settings.GUIDEBOOK_SITE_URL = site_url
    monkeypatch.setattr(checks, "database_engine", lambda: "django.db.backends.postgresql")
    found = {m.id for m in checks.check_deployment_settings()}
    assert found == ({"guidebook.W002"} if warned else set())


def test_local_use_passes_the_checks():
    assert checks.check_deployment_settings() == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ("http://127.0.0.1:6081", ["http://127.0.0.1:6081"]),
        ("http://a:6081/, https://b.example", ["http://a:6081", "https://b.example"]),
    ],
)
def test_front_caches_are_base_urls(monkeypatch, raw, expected):
    monkeypatch.setenv("GB_FRONT", raw)
    assert settings.front_cache_urls("GB_FRONT") == expected


@pytest.mark.parametrize("raw", ["127.0.0.1:6081", "ftp://cache", "http://", "http://a/ban"])
def test_front_caches_refuse_anything_but_a_base_url(monkeypatch, raw):
    monkeypatch.setenv("GB_FRONT", raw)
    with pytest.raises(ImproperlyConfigured, match=f"GB_FRONT must list base URLs .* {raw!r}"):
        settings.front_cache_urls("GB_FRONT")
