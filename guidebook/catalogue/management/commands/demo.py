"""Load the demo catalogue; programmes already stored are left as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.models import Programme
from guidebook.catalogue.publishing import publish
from guidebook.interchange.demo import demo_records


class Command(BaseCommand):
    help = "Load and publish the demo catalogue (keeps every programme already stored)."

    def handle(self, *args: Any, **options: Any) -> None:
        records = demo_records()
        existing = set(Programme.objects.values_list("slug", flat=True))
        added = [record for record in records if record.slug not in existing]
        for record in added:
            publish(save_record(record), note="Demo catalogue")
        self.stdout.write(
            f"Demo catalogue: {len(added)} programme(s) added, "
            f"{len(records) - len(added)} already present."
        )
