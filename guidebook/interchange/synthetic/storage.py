"""Store and publish a synthetic catalogue with bulk inserts, in one transaction.

Rows are written with ``bulk_create`` (so no edit history is kept for them) and
published with the snapshot columns and facets of ``publishing``, so a synthetic
snapshot holds exactly what ``publish`` would have written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from guidebook.catalogue import models
from guidebook.catalogue.convert import programme_fields
from guidebook.catalogue.publishing import facets_of, refresh_catalogue_version, snapshot_fields
from guidebook.evidence.assessment import assess
from guidebook.evidence.record_json import statistics_to_dict
from guidebook.evidence.records import Programme, Review
from guidebook.interchange.synthetic.generate import synthetic_programmes
from guidebook.interchange.synthetic.tables import NOTE

__all__ = ["StoredCatalogue", "store_synthetic_catalogue"]


# --- Storing and publishing --------------------------------------------------------------


@dataclass(frozen=True)
class StoredCatalogue:
    """What ``store_synthetic_catalogue`` did."""

    added: int
    kept: int
    studies: int
    findings: int


Progress = Callable[[int, int], None]


def store_synthetic_catalogue(
    count: int, seed: int = 0, *, chunk: int = 200, progress: Progress | None = None
) -> StoredCatalogue:
    """Store and publish programmes 1 to ``count``; slugs already stored are kept as they are.

    All or nothing: one transaction. ``progress(done, count)`` is called after each chunk.
    """
    if count < 0:
        raise ValueError(f"count: expected a whole number of at least 0, found {count}")
    existing = set(
        models.Programme.objects.filter(slug__startswith="synthetic-programme-").values_list(
            "slug", flat=True
        )
    )
    added = studies = findings = 0
    with transaction.atomic():
        review_ids: dict[tuple[str, date], int] = {}
        for start in range(1, count + 1, chunk):
            batch = [
                item.record
                for item in synthetic_programmes(min(chunk, count + 1 - start), seed, start)
                if item.record.slug not in existing
            ]
            pks = _store(batch, review_ids)
            _publish(batch, pks)
            added += len(batch)
            studies += sum(len(record.studies) for record in batch)
            findings += sum(len(s.findings) for record in batch for s in record.studies)
            if progress is not None:
                progress(min(count, start + chunk - 1), count)
        if added:
            transaction.on_commit(refresh_catalogue_version)
    return StoredCatalogue(added, count - added, studies, findings)


def _store(batch: list[Programme], review_ids: dict[tuple[str, date], int]) -> list[int]:
    rows = models.Programme.objects.bulk_create(_programme_row(record) for record in batch)
    pks = [row.pk for row in rows]
    models.Characteristic.objects.bulk_create(
        models.Characteristic(programme_id=pk, kind=kind, key=key)
        for pk, record in zip(pks, batch, strict=True)
        for kind, field in _CHARACTERISTIC_FIELDS.items()
        for key in getattr(record.characteristics, field)
    )
    models.CostProfile.objects.bulk_create(
        models.CostProfile(programme_id=pk, **asdict(record.cost))
        for pk, record in zip(pks, batch, strict=True)
    )
    through = models.Programme.reviews.through
    through.objects.bulk_create(
        through(programme_id=pk, review_id=_review_id(review, review_ids))
        for pk, record in zip(pks, batch, strict=True)
        for review in record.reviews
    )
    _store_studies(pks, batch)
    return pks


_CHARACTERISTIC_FIELDS = {
    "age_group": "age_groups",
    "delivery_model": "delivery_models",
    "setting": "settings",
    "targeting": "targeting",
}


def _review_id(review: Review, known: dict[tuple[str, date], int]) -> int:
    key = (review.name, review.date)
    if key not in known:
        row, _ = models.Review.objects.get_or_create(name=review.name, date=review.date)
        known[key] = row.pk
    return known[key]


def _programme_row(record: Programme) -> models.Programme:
    return models.Programme(**programme_fields(record))


def _store_studies(pks: list[int], batch: list[Programme]) -> None:
    pairs = [
        (pk, position, study)
        for pk, record in zip(pks, batch, strict=True)
        for position, study in enumerate(record.studies, 1)
    ]
    rows = models.Study.objects.bulk_create(
        models.Study(
            programme_id=pk,
            key=study.key,
            position=position,
            label=study.label,
            citation=study.citation,
            design=study.design,
            country=study.country,
            sample=study.sample,
            sample_size=study.sample_size,
            timing=study.timing,
            independent=study.independent,
            other_outcomes=list(study.other_outcomes),
        )
        for pk, position, study in pairs
    )
    stored = [(row.pk, study) for row, (_, _, study) in zip(rows, pairs, strict=True)]
    models.Publication.objects.bulk_create(
        models.Publication(study_id=pk, position=n, citation=p.citation, url=p.url)
        for pk, study in stored
        for n, p in enumerate(study.publications, 1)
    )
    models.Finding.objects.bulk_create(
        models.Finding(
            study_id=pk,
            position=n,
            **{**asdict(f), "statistics": statistics_to_dict(f.statistics)},
        )
        for pk, study in stored
        for n, f in enumerate(study.findings, 1)
    )
    models.Appraisal.objects.bulk_create(
        models.Appraisal(
            study_id=pk,
            reviewer=study.appraisal.reviewer,
            answers=dict(study.appraisal.answers),
            consensus=study.appraisal.consensus,
        )
        for pk, study in stored
        if study.appraisal is not None
    )


def _publish(batch: list[Programme], pks: list[int]) -> None:
    """Snapshots as ``publishing.publish`` writes them, for programmes just stored."""
    now = timezone.now()
    snapshots = []
    facets = []
    for pk, record in zip(pks, batch, strict=True):
        fields = snapshot_fields(assess(record))
        snapshots.append(
            models.Snapshot(programme_id=pk, published_at=now, note=NOTE, is_current=True, **fields)
        )
        facets.append(sorted(facets_of(record, fields["assessment"], fields["cost"])))
    rows = models.Snapshot.objects.bulk_create(snapshots)
    models.SnapshotFacet.objects.bulk_create(
        models.SnapshotFacet(snapshot_id=row.pk, kind=kind, key=key)
        for row, pairs in zip(rows, facets, strict=True)
        for kind, key in pairs
    )
