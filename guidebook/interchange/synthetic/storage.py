"""Store and publish a synthetic catalogue with bulk inserts, in one transaction.

Rows are written by ``convert.store_records``, as an import writes them, and
published by ``publishing.write_snapshots``, as ``publish`` would publish them. By
default no edit history is kept for them, which makes large catalogues quick to
build; ``with_history`` keeps a "created" entry for every row, as an import does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from guidebook.catalogue import models
from guidebook.catalogue.convert import store_records
from guidebook.catalogue.publishing import write_snapshots
from guidebook.evidence.assessment import assess
from guidebook.interchange.synthetic.generate import synthetic_programmes
from guidebook.interchange.synthetic.tables import NOTE

__all__ = ["StoredCatalogue", "store_synthetic_catalogue"]


@dataclass(frozen=True)
class StoredCatalogue:
    """What ``store_synthetic_catalogue`` did."""

    added: int
    kept: int
    studies: int
    findings: int


Progress = Callable[[int, int], None]


def store_synthetic_catalogue(
    count: int,
    seed: int = 0,
    *,
    chunk: int = 200,
    progress: Progress | None = None,
    with_history: bool = False,
) -> StoredCatalogue:
    """Store and publish programmes 1 to ``count``; slugs already stored are kept as they are.

    All or nothing: one transaction. ``progress(done, count)`` is called after each chunk.
    ``with_history`` gives every stored row a "created" history entry (about twice the
    inserts); without it the rows have no history.
    """
    if count < 0:
        raise ValueError(f"count: expected a whole number of at least 0, found {count}")
    existing = set(
        models.Programme.objects.filter(slug__startswith="synthetic-programme-").values_list(
            "slug", flat=True
        )
    )
    history_reason = NOTE if with_history else None
    added = studies = findings = 0
    with transaction.atomic():
        review_ids: dict[tuple[str, date], int] = {}
        for start in range(1, count + 1, chunk):
            batch = [
                item.record
                for item in synthetic_programmes(min(chunk, count + 1 - start), seed, start)
                if item.record.slug not in existing
            ]
            stored = store_records(batch, history_reason=history_reason, review_ids=review_ids)
            write_snapshots(
                [(row.pk, assess(record)) for row, record in zip(stored, batch, strict=True)],
                note=NOTE,
            )
            added += len(batch)
            studies += sum(len(record.studies) for record in batch)
            findings += sum(len(s.findings) for record in batch for s in record.studies)
            if progress is not None:
                progress(min(count, start + chunk - 1), count)
    return StoredCatalogue(added, count - added, studies, findings)
