"""Counts of attempts within a time window, kept where every app-server process sees them."""

from __future__ import annotations

from django.db import models


class AttemptCount(models.Model):
    """How often one thing was tried since its window began: failed sign-ins for a
    username from an address, account requests from an address
    (``guidebook.editorial.attempts``).

    Kept in the database rather than Django's cache: without Redis that cache is each
    process's own memory, and with four workers a limit of five would let twenty
    through.
    """

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} attempt(s) until {self.window_ends:%Y-%m-%d %H:%M}"
