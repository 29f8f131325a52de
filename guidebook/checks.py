"""System checks for settings that must agree (ids are stable: guidebook.E001...)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1"}
LOCAL_KEY_PREFIX = "guidebook-local-development-key"


def database_engine() -> str:
    return str(settings.DATABASES["default"]["ENGINE"])


@register()
def check_deployment_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    public_hosts = set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS
    if public_hosts and settings.SECRET_KEY.startswith(LOCAL_KEY_PREFIX):
        messages.append(
            Error(
                "SECRET_KEY is the local development key but ALLOWED_HOSTS names public hosts "
                f"({', '.join(sorted(public_hosts))}).",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="guidebook.E001",
            )
        )
    if public_hosts and database_engine().endswith("sqlite3"):
        messages.append(
            Warning(
                "Serving public hosts from SQLite: fine for a small site, but PostgreSQL "
                "(DATABASE_URL) is the production engine.",
                id="guidebook.W001",
            )
        )
    site_host = urlsplit(settings.GUIDEBOOK_SITE_URL).hostname or ""
    if public_hosts and site_host in LOCAL_HOSTS:
        messages.append(
            Warning(
                f"GUIDEBOOK_SITE_URL is {settings.GUIDEBOOK_SITE_URL}, but ALLOWED_HOSTS names "
                "public hosts: links in the emails the workflow sends would lead nowhere.",
                hint="Set GUIDEBOOK_SITE_URL to the site's public address.",
                id="guidebook.W002",
            )
        )
    return messages
