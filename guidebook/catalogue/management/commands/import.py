"""Import programme record files: all of them, or, if any is invalid, none.

The files are read and checked by the core's reader (``record_file``) a batch at a
time, with no transaction open, and each sound batch's rows are prepared at once
(``prepared_store``) and wait in a scratch file, so memory holds one batch however
many files there are. Once a file has a problem nothing more is prepared, but every
file is still checked, so one run names every problem. Only when all are sound is one
transaction opened, which stores the prepared rows. On SQLite that transaction is the
only time the import holds the write lock, so staff saving their work meanwhile wait
a moment instead of failing (docs/operations.md, "SQLite and concurrent writers").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guidebook.catalogue import models
from guidebook.catalogue.prepared_store import PreparedRecords, prepare
from guidebook.evidence.errors import Problem, RecordError
from guidebook.evidence.record_file import read_programme_file
from guidebook.evidence.records import Programme

BATCH_FILES = 200
"""Files read, checked and prepared together: enough that each table's rows are
pickled in large pieces, few enough that a batch's records and rows take tens of
megabytes."""


class Command(BaseCommand):
    help = "Import programme record files (JSON). Nothing is written unless every file is valid."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        try:
            with PreparedRecords() as prepared:
                slugs = read_all(paths, prepared)
                with transaction.atomic():
                    # Checked again inside the transaction: another writer may have
                    # stored one of these slugs since the files were read.
                    _refuse_stored(slugs)
                    prepared.store(_reason(paths))
        except RecordError as error:
            raise CommandError(
                "nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems),
                returncode=2,
            ) from None
        self.stdout.write(f"Imported {len(slugs)} programme(s).")


def _reason(paths: list[Path]) -> str:
    """The history reason of rows shared by the files (assessment rounds)."""
    if len(paths) == 1:
        return f"Imported from {paths[0].name}"
    return f"Imported from {len(paths)} files"


def read_all(paths: list[Path], prepared: PreparedRecords) -> list[str]:
    """Read and check every file, adding each batch's rows to ``prepared`` while all are
    sound; the slug of each record, or ``RecordError`` naming every problem in all of
    them (a slug given by two files, or already stored, included)."""
    problems: list[Problem] = []
    stored: list[Problem] = []  # named after every other problem, as one query finds them
    slugs: list[str] = []
    first_file: dict[str, Path] = {}
    now = timezone.now()  # the time of every history entry the import writes
    for start in range(0, len(paths), BATCH_FILES):
        batch: list[tuple[Programme, Path]] = []
        for path in paths[start : start + BATCH_FILES]:
            try:
                record = read_programme_file(path)
            except RecordError as error:
                problems.extend(error.problems)
                continue
            if record.slug in first_file:
                expected = f"a slug no other file uses (also in {first_file[record.slug]})"
                problems.append(Problem(str(path), "slug", expected, repr(record.slug)))
                continue
            first_file[record.slug] = path
            batch.append((record, path))
        fresh = [record.slug for record, _ in batch]
        stored += _stored_problems(fresh)
        slugs += fresh
        if not (problems or stored):
            reasons = [f"Imported from {path.name}" for _, path in batch]
            prepared.add(prepare([record for record, _ in batch], reasons, now))
    if problems or stored:
        raise RecordError(problems + stored)
    return slugs


def _refuse_stored(slugs: list[str]) -> None:
    problems = _stored_problems(slugs)
    if problems:
        raise RecordError(problems)


def _stored_problems(slugs: list[str]) -> list[Problem]:
    """A problem for each slug already in the catalogue."""
    stored: set[str] = set()
    for start in range(0, len(slugs), 500):
        chunk = slugs[start : start + 500]
        stored |= set(
            models.Programme.objects.filter(slug__in=chunk).values_list("slug", flat=True)
        )
    return [
        Problem(f"programme '{slug}'", "slug", "a slug not yet in the catalogue", repr(slug))
        for slug in slugs
        if slug in stored
    ]
