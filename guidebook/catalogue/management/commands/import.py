"""Import programme record files: all of them, or, if any is invalid, none.

Every file is read and checked first, by the core's reader (``record_file``), with no
transaction open; only when all are sound are they stored, in one transaction. On
SQLite every INSERT is prepared before it too (``prepared_store``), so the transaction
only runs them. On SQLite that transaction is the only time the import holds the
write lock, so staff saving their work meanwhile wait a moment instead of failing
(docs/operations.md, "SQLite and concurrent writers").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guidebook.catalogue import models, prepared_store
from guidebook.catalogue.convert import store_records
from guidebook.evidence.errors import Problem, RecordError
from guidebook.evidence.record_file import read_programme_file
from guidebook.evidence.records import Programme


class Command(BaseCommand):
    help = "Import programme record files (JSON). Nothing is written unless every file is valid."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        try:
            records = read_all(paths)
            batch = [record for record, _ in records]
            reasons = [f"Imported from {path.name}" for _, path in records]
            prepared = (
                prepared_store.prepare(batch, reasons, _reason(records))
                if prepared_store.applies()
                else None
            )
            with transaction.atomic():
                # Checked again inside the transaction: another writer may have stored
                # one of these slugs since the files were read.
                _refuse_stored(records)
                if prepared is not None:
                    prepared_store.store(prepared)
                else:
                    store_records(batch, history_reason=_reason(records), reasons=reasons)
        except RecordError as error:
            raise CommandError(
                "nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems),
                returncode=2,
            ) from None
        self.stdout.write(f"Imported {len(records)} programme(s).")


def _reason(records: list[tuple[Programme, Path]]) -> str:
    """The history reason of rows shared by the files (assessment rounds)."""
    if len(records) == 1:
        return f"Imported from {records[0][1].name}"
    return f"Imported from {len(records)} files"


def read_all(paths: list[Path]) -> list[tuple[Programme, Path]]:
    """Every file read and checked, or ``RecordError`` naming every problem in all of them
    (a slug given by two files, or already stored, included)."""
    problems: list[Problem] = []
    records: list[tuple[Programme, Path]] = []
    first_file: dict[str, Path] = {}
    for path in paths:
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
        records.append((record, path))
    try:
        _refuse_stored(records)
    except RecordError as error:
        problems.extend(error.problems)
    if problems:
        raise RecordError(problems)
    return records


def _refuse_stored(records: list[tuple[Programme, Path]]) -> None:
    slugs = [record.slug for record, _ in records]
    stored: set[str] = set()
    for start in range(0, len(slugs), 500):
        chunk = slugs[start : start + 500]
        stored |= set(
            models.Programme.objects.filter(slug__in=chunk).values_list("slug", flat=True)
        )
    problems = [
        Problem(
            f"programme '{record.slug}'",
            "slug",
            "a slug not yet in the catalogue",
            repr(record.slug),
        )
        for record, _ in records
        if record.slug in stored
    ]
    if problems:
        raise RecordError(problems)
