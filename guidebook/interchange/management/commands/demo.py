"""Load the demo catalogue; programmes already stored are left as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.models import Programme
from guidebook.catalogue.publishing import publish
from guidebook.interchange.demo import demo_records
from guidebook.interchange.synthetic import store_synthetic_catalogue

DEMO_REASON = "Imported with the demo catalogue"


class Command(BaseCommand):
    help = "Load and publish the demo catalogue (keeps every programme already stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--synthetic",
            type=int,
            metavar="N",
            help="instead of the demo catalogue, add N made-up programmes (for trying scale)",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="the seed of --synthetic: same seed, same data"
        )
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="with --synthetic, keep an edit history entry for every row (slower)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["synthetic"] is not None:
            self.add_synthetic(options["synthetic"], options["seed"], options["with_history"])
            return
        records = demo_records()
        existing = set(Programme.objects.values_list("slug", flat=True))
        added = [record for record in records if record.slug not in existing]
        for record in added:
            publish(save_record(record, reason=DEMO_REASON), note="Demo catalogue")
        self.stdout.write(
            f"Demo catalogue: {len(added)} programme(s) added, "
            f"{len(records) - len(added)} already present."
        )

    def add_synthetic(self, count: int, seed: int, with_history: bool) -> None:
        if count < 1:
            raise CommandError(
                f"--synthetic: expected a number of programmes of at least 1, found {count}"
            )

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  {done} of {total} synthetic programmes stored and published")

        stored = store_synthetic_catalogue(
            count, seed, progress=progress, with_history=with_history
        )
        self.stdout.write(
            f"Synthetic catalogue (seed {seed}): {stored.added} programme(s) added with "
            f"{stored.studies} studies and {stored.findings} findings, "
            f"{stored.kept} already present."
        )
