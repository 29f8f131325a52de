"""Rebuild the search index from the published snapshots."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from guidebook.catalogue.search.store import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Write every current programme's search document again from its published "
        "snapshot (after changing the synonym or alias tables, or to repair the index)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = rebuild_search_index()
        self.stdout.write(f"Indexed {written} published programme(s) for search.")
