"""Limits on attempts, counted in the database so that every worker counts the same.

A limit of five failed sign-ins only holds if every app-server process sees the same
count. Django's cache is shared only with Redis; without it, each gunicorn worker kept
its own count and four workers let twenty guesses through. The counts live in one
table (``AttemptCount``) instead, on SQLite and PostgreSQL alike.

An attempt is counted *before* it is tried (``take``), in one transaction that locks
the count's row: two attempts sent at the same moment cannot both see room for one
more, so the limit holds even for guesses sent in parallel. A window starts with the
first attempt and is not extended by later ones; when it is over, the count starts
again from nothing.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from guidebook.editorial.models import AttemptCount

__all__ = ["attempts", "forget", "key_for", "take"]


def key_for(kind: str, *parts: str) -> str:
    """A key for ``kind`` of attempt by ``parts``, hashed so no address or name is stored."""
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"{kind}:{digest}"


def attempts(key: str) -> int:
    """How many attempts ``key`` has made in its current window."""
    row = AttemptCount.objects.filter(key=key, window_ends__gt=timezone.now()).first()
    return 0 if row is None else row.count


def take(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key`` if it has made fewer than ``limit`` in its window.

    Returns whether the attempt was counted, that is, may go ahead.
    """
    now = timezone.now()
    with transaction.atomic():
        # Ended windows of every key go, so the table holds only live counts.
        AttemptCount.objects.filter(window_ends__lte=now).delete()
        row, _ = AttemptCount.objects.select_for_update().get_or_create(
            key=key, defaults={"window_ends": now + timedelta(seconds=window_seconds)}
        )
        if row.count >= limit:
            return False
        AttemptCount.objects.filter(key=key).update(count=F("count") + 1)
    return True


def forget(key: str) -> None:
    """Start ``key`` afresh (a successful sign-in clears its failures)."""
    AttemptCount.objects.filter(key=key).delete()
