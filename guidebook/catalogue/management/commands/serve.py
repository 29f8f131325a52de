"""Prepare the database and serve the guidebook with gunicorn.

A first start migrates a new database and loads the demo catalogue, which takes a
while; each step is announced as it starts (flushed at once, even into a pipe), so
the terminal never sits silent. The address served on becomes the site's own address
for the links in the emails the workflow sends, unless ``GUIDEBOOK_SITE_URL`` says
otherwise (a deployment behind a proxy sets it).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Addresses that mean "every interface": a browser (or an email) cannot open them.
_ANY_HOST = {"0.0.0.0", "::", ""}


def site_url_for(host: str, port: int) -> str:
    """The base URL a person on this machine opens for a server bound to host:port."""
    shown = "127.0.0.1" if host in _ANY_HOST else host
    if ":" in shown:  # an IPv6 literal
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    help = "Migrate, load the demo catalogue (keeping existing data) and serve the site."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        site_url = os.environ.get("GUIDEBOOK_SITE_URL") or site_url_for(
            options["host"], options["port"]
        )
        self.say(f"Guidebook: preparing to serve on {site_url}/")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.say(f"Migrating the database ({_database_name()})...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_demo"]:
            self.say("Loading the demo catalogue (about half a minute the first time)...")
            call_command("demo", stdout=self.stdout)
            self.say("Creating the demo sign-ins...")
            call_command("demo_users", if_allowed=True, stdout=self.stdout)
        bind = f"{options['host']}:{options['port']}"
        self.say(f"Serving the guidebook on {site_url}/ (open it in your browser; Ctrl-C stops it)")
        # The workers read their settings afresh: links in emails use this address.
        os.environ["GUIDEBOOK_SITE_URL"] = site_url
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "guidebook.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # A request may wait SQLITE_BUSY_SECONDS for the write lock: let it.
            "--timeout",
            str(max(30, settings.SQLITE_BUSY_SECONDS + 30)),
        ]
        os.execv(sys.executable, gunicorn)


def _database_name() -> str:
    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        return f"SQLite at {database['NAME']}"
    return f"PostgreSQL database {database['NAME']} on {database.get('HOST') or 'localhost'}"
