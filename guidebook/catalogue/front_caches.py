"""Clearing the shared front caches (Varnish) when the catalogue changes.

A front cache keeps whole public pages in front of the application servers and
answers most visitors without reaching Django (``guidebook/deploy/guidebook.vcl``,
docs/caching.md). Every publication must clear it, as it moves the catalogue
version on for Django's own page cache. Each cache listed in ``FRONT_CACHES`` is
sent one ``BAN`` request, which the shipped configuration answers by retiring
every page it holds.

A cache that cannot be reached does not undo the publication, which has already
committed: the failure is logged with the cache's address and the reason, and the
pages it holds expire on their own after ``FRONT_CACHE_SECONDS`` (their
``s-maxage``), the longest a page can lag behind a publication.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

__all__ = ["BAN_HEADER", "Cleared", "clear_front_caches"]

log = logging.getLogger(__name__)

BAN_HEADER = "X-Guidebook-Ban"
"""Names what is retired; the shipped configuration retires everything on "catalogue"."""

TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Cleared:
    """What one front cache answered to the request to clear it."""

    url: str
    ok: bool
    detail: str


def clear_front_caches() -> list[Cleared]:
    """Ask every configured front cache to retire all the pages it holds."""
    return [_clear(url) for url in settings.FRONT_CACHES]


def _clear(url: str) -> Cleared:
    request = urllib.request.Request(f"{url}/", method="BAN", headers={BAN_HEADER: "catalogue"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Cleared(url, True, f"{response.status} {response.reason}")
    except urllib.error.HTTPError as error:
        detail = f"answered {error.code} {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        detail = f"could not be reached: {reason}"
    log.warning(
        "Front cache %s was not cleared after a publication (%s); its pages expire "
        "within %s seconds",
        url,
        detail,
        settings.FRONT_CACHE_SECONDS,
    )
    return Cleared(url, False, detail)
