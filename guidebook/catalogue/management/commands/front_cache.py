"""Run Varnish with the shipped front-cache configuration in front of ``guidebook serve``."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guidebook.deploy.varnish import find_varnishd, varnishd_command, vcl_for


def _host_and_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--backend must be HOST:PORT, such as 127.0.0.1:8000, found {text!r}")
    return host, int(port)


class Command(BaseCommand):
    help = (
        "Run Varnish in the foreground in front of the application server, with the "
        "shipped configuration. Serve with GUIDEBOOK_FRONT_CACHES=http://127.0.0.1:BAN_PORT "
        "so pages may be kept and publications clear them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=6081, help="where Varnish answers")
        parser.add_argument(
            "--ban-port",
            type=int,
            default=6082,
            help="where publications clear it (on 127.0.0.1; GUIDEBOOK_FRONT_CACHES)",
        )
        parser.add_argument("--host", default="127.0.0.1", help="the address Varnish answers on")
        parser.add_argument(
            "--backend",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="the application server, HOST:PORT (default: guidebook serve's)",
        )
        parser.add_argument("--memory", default="256m", help="cache size, e.g. 256m or 2g")
        parser.add_argument("--print", action="store_true", help="print the configuration and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = _host_and_port(options["backend"])
        config = vcl_for(host, port)
        if options["print"]:
            self.stdout.write(config, ending="")
            return
        varnishd = find_varnishd()
        if varnishd is None:
            raise CommandError("varnishd was not found: install Debian's varnish package")
        folder = settings.DATA_DIR / "varnish"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "guidebook.vcl"
        path.write_text(config, encoding="utf-8")
        listen = f"{options['host']}:{options['port']}"
        ban_listen = f"127.0.0.1:{options['ban_port']}"
        self.stdout.write(
            f"Varnish on http://{listen}/ in front of http://{host}:{port}/; serve with "
            f"GUIDEBOOK_FRONT_CACHES=http://{ban_listen}",
        )
        self.stdout.flush()
        command = varnishd_command(
            varnishd, path, listen, ban_listen, folder / "work", options["memory"]
        )
        os.execv(varnishd, command)
