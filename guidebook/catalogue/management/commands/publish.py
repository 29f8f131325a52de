"""Publish programmes: freeze their current records and computed ratings for the public."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guidebook.catalogue.models import Programme
from guidebook.catalogue.publishing import publish


class Command(BaseCommand):
    help = "Publish programmes by slug (or --all) as new public snapshots."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slugs", nargs="*")
        parser.add_argument("--all", action="store_true", help="publish every programme")
        parser.add_argument("--note", default="", help="why this publication happens")
        parser.add_argument("--standard", help="standard key (default: the newest)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"] == bool(options["slugs"]):
            raise CommandError("give programme slugs or --all (not both)")
        programmes = Programme.objects.all()
        if not options["all"]:
            programmes = programmes.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(programmes.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no programme with slug: {', '.join(sorted(missing))}")
        count = 0
        for programme in programmes:
            snapshot = publish(programme, note=options["note"], standard_key=options["standard"])
            self.stdout.write(f"{snapshot.slug}: {snapshot.rating} ({snapshot.standard_key})")
            count += 1
        self.stdout.write(f"Published {count} programme(s).")
