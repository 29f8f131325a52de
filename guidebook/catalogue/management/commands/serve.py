"""Prepare the database and serve the guidebook with gunicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the demo catalogue (keeping existing data) and serve the site."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("demo")
            call_command("demo_users", if_allowed=True)
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Serving the guidebook on http://{bind}/")
        sys.stdout.flush()
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
