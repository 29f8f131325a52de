"""Import programme record files: all of them, or, if any is invalid, none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guidebook.catalogue.convert import save_record
from guidebook.cli import read_programme_file
from guidebook.evidence.errors import Problem, RecordError


class Command(BaseCommand):
    help = "Import programme record files (JSON). Nothing is written unless every file is valid."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[Problem] = []
        records = []
        for path in options["files"]:
            try:
                records.append((read_programme_file(path), path))
            except RecordError as error:
                problems.extend(error.problems)
        try:
            with transaction.atomic():
                if problems:
                    raise RecordError(problems)
                for record, path in records:
                    save_record(record, reason=f"Imported from {path.name}")
        except RecordError as error:
            raise CommandError(
                "nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems),
                returncode=2,
            ) from None
        self.stdout.write(f"Imported {len(records)} programme(s).")
