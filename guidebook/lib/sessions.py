"""Django's database sessions, read with one plain query.

Every request from a visitor with a shortlist, and every request from signed-in staff,
reads the session. Django's own store reads it through the ORM, which costs several
times the query itself; this store reads the same row of the same table with the
query written out, and leaves writing (saving, creating, deleting) to Django.
Settings: ``SESSION_ENGINE = "guidebook.lib.sessions"``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

__all__ = ["SessionStore"]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: a key that names no live session is dropped.
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])
