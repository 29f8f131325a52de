"""The shipped Varnish configuration, pointed at an application server, and its command.

``guidebook front-cache`` uses these to run Varnish in front of ``guidebook serve``;
the tests and the catalogue benchmark use them to run the very same configuration.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["VCL", "find_varnishd", "varnishd_command", "vcl_for"]

VCL = Path(__file__).with_name("guidebook.vcl")
"""The configuration as shipped: its backend is gunicorn on 127.0.0.1:8000."""

_SHIPPED_HOST = '.host = "127.0.0.1";'
_SHIPPED_PORT = '.port = "8000";'


def vcl_for(host: str, port: int) -> str:
    """The shipped configuration with its backend moved to ``host:port``."""
    text = VCL.read_text(encoding="utf-8")
    if _SHIPPED_HOST not in text or _SHIPPED_PORT not in text:
        raise ValueError(f"{VCL} no longer names its backend as {_SHIPPED_HOST} {_SHIPPED_PORT}")
    return text.replace(_SHIPPED_HOST, f'.host = "{host}";').replace(
        _SHIPPED_PORT, f'.port = "{port}";'
    )


def find_varnishd() -> str | None:
    """Where varnishd is: on the PATH, or in /usr/sbin where Debian puts it."""
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")


def varnishd_command(
    varnishd: str,
    config: Path,
    listen: str,
    ban_listen: str,
    workdir: Path,
    memory: str = "256m",
) -> list[str]:
    """varnishd in the foreground with ``config``: visitors on ``listen`` (host:port),
    publications' BAN requests on ``ban_listen``, the listener the configuration names
    "ban" and the only one it takes them from.

    ``-j none`` keeps it in the calling user's account, so it runs the same for a
    developer and as root in CI; ``-n`` gives it a working folder of its own, so
    several can run side by side.
    """
    return [
        varnishd,
        "-F",
        "-j",
        "none",
        "-a",
        f"public={listen}",
        "-a",
        f"ban={ban_listen}",
        "-f",
        str(config),
        "-n",
        str(workdir),
        "-s",
        f"malloc,{memory}",
    ]
