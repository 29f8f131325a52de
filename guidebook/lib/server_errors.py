"""The page for a request that failed on our side (Django's ``handler500``).

A database busy with another write is not a fault: on SQLite one writer at a time
holds the lock, and a writer that has waited the whole busy timeout for it (a long
import holding it, say) gets "database is locked"; on PostgreSQL a lock wait can time
out or two writers can deadlock. The request then gets 503 with ``Retry-After`` and
a page saying to try again, rather than the 500 page. Django logs it with its
traceback, as it does every unhandled exception, so busy spells show in the logs.

Being the error handler rather than a middleware, this also answers for errors
raised after the view, such as the session being saved at the end of the request.
"""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

__all__ = ["RETRY_AFTER_SECONDS", "is_database_busy", "server_error"]

RETRY_AFTER_SECONDS = 10

# PostgreSQL's codes for a lock wait that timed out and for a deadlock broken by
# cancelling this transaction (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_BUSY_SQLSTATES = frozenset({"55P03", "40P01"})
# SQLite's messages for SQLITE_BUSY and SQLITE_LOCKED (https://sqlite.org/rescode.html).
_BUSY_MESSAGES = ("database is locked", "database table is locked")


def is_database_busy(error: BaseException | None) -> bool:
    """Whether ``error`` says the database was busy with another writer, not broken."""
    if not isinstance(error, OperationalError):
        return False
    if str(error).strip() in _BUSY_MESSAGES:
        return True
    return getattr(error.__cause__, "sqlstate", None) in _BUSY_SQLSTATES


def server_error(request: HttpRequest) -> HttpResponse:
    """503 "busy, try again" for a busy database, else Django's plain 500 page."""
    if not is_database_busy(sys.exc_info()[1]):
        return defaults.server_error(request)
    # Rendered without the request: its context processors could need the database.
    body = loader.render_to_string("busy.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
