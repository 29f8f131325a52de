"""Conversion between stored rows and the evidence core's records.

The core rates and costs records; storage never computes a rating itself. Reading
uses one prefetching queryset so a page costs a fixed number of queries. Writing uses
one bulk insert per table, and gives each row the "created" history entry that saving
it one by one would have given (``bulk_create`` alone writes no history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from simple_history.utils import bulk_create_with_history, update_change_reason

from guidebook.catalogue import models
from guidebook.evidence import records
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import (
    provenance_to_dict,
    read_provenance,
    read_statistics,
    statistics_to_dict,
)

_KINDS = {
    "age_group": "age_groups",
    "delivery_model": "delivery_models",
    "setting": "settings",
    "targeting": "targeting",
}
_COST_FIELDS = [f.name for f in fields(records.CostProfile)]


def programmes_with_records() -> QuerySet[models.Programme]:
    """Programmes with everything needed to build their records, in a fixed number of queries."""
    studies = models.Study.objects.prefetch_related(
        "publications",
        "findings",
        Prefetch(
            "appraisals",
            queryset=models.Appraisal.objects.filter(consensus=True),
            to_attr="consensus_appraisals",
        ),
    )
    return models.Programme.objects.select_related(
        "cost_profile", "imported_rating"
    ).prefetch_related("characteristics", "reviews", Prefetch("studies", queryset=studies))


def check_statistics(data: object, record: str) -> records.ReportedStatistics | None:
    """Stored statistics, checked by the core's reader (``record_json.read_statistics``)."""
    return read_statistics(data, record)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def to_record(programme: models.Programme) -> records.Programme:
    """The core record of a stored programme (expects ``programmes_with_records`` rows)."""
    characteristics = {field: tuple(programme.keys_of(kind)) for kind, field in _KINDS.items()}
    return records.Programme(
        slug=programme.slug,
        name=programme.name,
        summary=programme.summary,
        description=programme.description,
        characteristics=records.Characteristics(
            **characteristics,
            countries=tuple(programme.countries),
            uk_provision=programme.uk_provision,
            uk_evaluation=programme.uk_evaluation,
        ),
        delivery=records.Delivery(
            sessions=programme.sessions,
            session_hours_min=_float(programme.session_hours_min),
            session_hours_max=_float(programme.session_hours_max),
            frequency=programme.frequency,
            duration=programme.duration,
            summary=tuple(programme.delivery_summary),
            activities=tuple(programme.activities),
        ),
        implementation=records.Implementation(
            practitioners=programme.practitioners,
            training=programme.training,
            supervision=programme.supervision,
            fidelity=programme.fidelity,
            licence=programme.licence,
        ),
        cost=_cost_record(programme),
        theory_of_change=tuple(programme.theory_of_change),
        contact=records.Contact(
            name=programme.contact_name,
            organisation=programme.contact_organisation,
            email=programme.contact_email,
            website=programme.contact_website,
        ),
        reviews=tuple(records.Review(r.name, r.date) for r in programme.reviews.all()),
        first_published=programme.first_published,
        last_updated=programme.last_updated,
        evidence_summary=programme.evidence_summary,
        other_outcomes_note=programme.other_outcomes_note,
        studies=tuple(_study_record(programme, study) for study in programme.studies.all()),
        imported=_imported_record(programme),
        readiness=records.Readiness(
            manual=programme.manual,
            dissemination_ready=programme.dissemination_ready,
            psc_area=programme.psc_area,
        ),
    )


def _imported_record(programme: models.Programme) -> records.ImportedRating | None:
    try:
        row = programme.imported_rating
    except models.ImportedRating.DoesNotExist:
        return None
    return records.ImportedRating(
        evidence_rating=row.evidence_rating,
        cost_rating=row.cost_rating,
        source=row.source,
        retrieved=row.retrieved,
        note=row.note,
        outcomes=tuple(records.ImportedOutcome(**item) for item in row.outcomes),
    )


def _cost_record(programme: models.Programme) -> records.CostProfile:
    try:
        profile = programme.cost_profile
    except models.CostProfile.DoesNotExist:
        return records.CostProfile()
    return records.CostProfile(**{name: getattr(profile, name) for name in _COST_FIELDS})


def _study_record(programme: models.Programme, study: models.Study) -> records.Study:
    consensus = getattr(study, "consensus_appraisals", None)
    if consensus is None:
        consensus = list(study.appraisals.filter(consensus=True))
    return records.Study(
        key=study.key,
        label=study.label,
        citation=study.citation,
        design=study.design,
        country=study.country,
        sample=study.sample,
        sample_size=study.sample_size,
        timing=study.timing,
        independent=study.independent,
        other_outcomes=tuple(study.other_outcomes),
        publications=tuple(publication_record(p) for p in study.publications.all()),
        findings=tuple(
            _finding_record(programme, study, finding) for finding in study.findings.all()
        ),
        appraisal=_appraisal_record(consensus[0]) if consensus else None,
        provenance=read_provenance(
            study.provenance, f"programme '{programme.slug}', {study.label}"
        ),
        conduct=records.StudyConduct(**study.conduct),
    )


_PUBLICATION_TEXTS = ("title", "journal", "volume", "issue", "pages", "doi", "pmid")


def publication_record(row: models.Publication) -> records.Publication:
    """The core record of a stored publication, for pages that render its reference."""
    return records.Publication(
        citation=row.citation,
        url=row.url,
        authors=tuple(row.authors),
        year=row.year,
        **{name: getattr(row, name) for name in _PUBLICATION_TEXTS},
    )


def _publication_row(
    study: models.Study, position: int, p: records.Publication
) -> models.Publication:
    return models.Publication(
        study=study, position=position, **{**_field_values(p), "authors": list(p.authors)}
    )


def _finding_record(
    programme: models.Programme, study: models.Study, finding: models.Finding
) -> records.Finding:
    where = f"programme '{programme.slug}', {study.label}, finding '{finding.key}'"
    return records.Finding(
        key=finding.key,
        outcome=finding.outcome,
        category=finding.category,
        measure=finding.measure,
        reporter=finding.reporter,
        beneficiary=finding.beneficiary,
        months_after=finding.months_after,
        direction=finding.direction,
        significant=finding.significant,
        statistics=check_statistics(finding.statistics, where),
        provenance=read_provenance(finding.provenance, where),
        domains=dict(finding.domains),
        harmful=finding.harmful,
        months_after_treatment_end=finding.months_after_treatment_end,
    )


def _appraisal_record(appraisal: models.Appraisal) -> records.Appraisal:
    return records.Appraisal(
        reviewer=appraisal.reviewer,
        answers=dict(appraisal.answers),
        consensus=appraisal.consensus,
        verdict=records.StudyLevel(appraisal.verdict) if appraisal.verdict else None,
        justification=appraisal.justification,
    )


def _field_values(part: Any) -> dict[str, Any]:
    """A record part's fields by name, for the parts whose values a column takes as
    they are (or that the caller replaces): ``asdict`` would also copy every value and
    turn nested parts into dicts: a third of the time of building rows, profiled."""
    kind = type(part)
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(field.name for field in fields(part))
    return {name: getattr(part, name) for name in _FIELD_NAMES[kind]}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _programme_fields(record: records.Programme) -> dict[str, Any]:
    """The Programme row's columns for a record."""
    return dict(
        slug=record.slug,
        name=record.name,
        summary=record.summary,
        description=record.description,
        countries=list(record.characteristics.countries),
        uk_provision=record.characteristics.uk_provision,
        uk_evaluation=record.characteristics.uk_evaluation,
        sessions=record.delivery.sessions,
        session_hours_min=record.delivery.session_hours_min,
        session_hours_max=record.delivery.session_hours_max,
        frequency=record.delivery.frequency,
        duration=record.delivery.duration,
        delivery_summary=list(record.delivery.summary),
        activities=list(record.delivery.activities),
        **_field_values(record.implementation),
        theory_of_change=list(record.theory_of_change),
        contact_name=record.contact.name,
        contact_organisation=record.contact.organisation,
        contact_email=record.contact.email,
        contact_website=record.contact.website,
        first_published=record.first_published,
        last_updated=record.last_updated,
        evidence_summary=record.evidence_summary,
        other_outcomes_note=record.other_outcomes_note,
        **_field_values(record.readiness),
    )


IMPORTED = "Imported from a programme record"
"""The change reason of the history entries an import writes, unless told otherwise."""


@transaction.atomic
def save_record(record: records.Programme, *, reason: str = IMPORTED) -> models.Programme:
    """Store a new programme from its record; all or nothing.

    Every row stored gets one "created" history entry giving ``reason``, so the
    programme's history starts from the record it came from. Raises InvalidRecord if a
    programme with the same slug already exists.
    """
    if models.Programme.objects.filter(slug=record.slug).exists():
        raise InvalidRecord.single(
            f"programme '{record.slug}'", "slug", "a slug not yet in the catalogue", record.slug
        )
    return store_records([record], history_reason=reason)[0]


@transaction.atomic
def store_records(
    batch: Sequence[records.Programme],
    *,
    history_reason: str | None,
    review_ids: dict[tuple[str, date], int] | None = None,
    reasons: Sequence[str] | None = None,
) -> list[models.Programme]:
    """Store new programmes from their records with one bulk insert per table.

    With a ``history_reason`` each row gets a "created" history entry giving it; with
    None no history is written, which is what lets the synthetic catalogue store
    thousands of programmes quickly. ``review_ids`` remembers the assessment rounds
    already found or made, for callers storing many batches. The caller makes sure no
    slug is already stored. ``reasons``, one per record, gives each record's rows their
    own reason instead (an import names the file each came from).
    """
    if history_reason is not None:
        history_reason = history_reason[:_REASON_LENGTH]
    pairs = store_rows(batch, _inserter(history_reason), reasons)
    links = [(programme.pk, review) for programme, record in pairs for review in record.reviews]
    link_reviews(links, {} if review_ids is None else review_ids, history_reason)
    return [programme for programme, _ in pairs]


def store_rows(
    batch: Sequence[records.Programme], insert: Insert, reasons: Sequence[str] | None = None
) -> list[tuple[models.Programme, records.Programme]]:
    """Every row of the records but their assessment rounds, table by table, each
    table handed to ``insert`` (which gives the rows their keys) before the tables
    that point at it; returns each programme's row with its record."""
    rows = [models.Programme(**_programme_fields(r)) for r in batch]
    for row, reason in zip(rows, reasons or (), strict=False):
        row._change_reason = reason[:_REASON_LENGTH]  # type: ignore[attr-defined]
    programmes = insert(models.Programme, rows)
    pairs = list(zip(programmes, batch, strict=True))
    insert(
        models.Characteristic,
        [
            models.Characteristic(programme=programme, kind=kind, key=key)
            for programme, record in pairs
            for kind, field in _KINDS.items()
            for key in getattr(record.characteristics, field)
        ],
    )
    insert(
        models.CostProfile,
        [
            models.CostProfile(programme=programme, **_field_values(record.cost))
            for programme, record in pairs
        ],
    )
    insert(
        models.ImportedRating,
        [
            models.ImportedRating(programme=programme, **asdict(record.imported))
            for programme, record in pairs
            if record.imported is not None
        ],
    )
    _store_studies(pairs, insert)
    return pairs


# The most characters a history entry's change reason holds (django-simple-history's column).
_REASON_LENGTH = 100
Insert = Callable[[type[Model], list[Any]], list[Any]]


def _inserter(history_reason: str | None) -> Insert:
    def with_history(model: type[Model], rows: list[Any]) -> list[Any]:
        if not rows:
            return rows
        own_reasons(rows)
        return bulk_create_with_history(rows, model, default_change_reason=history_reason)

    def without_history(model: type[Model], rows: list[Any]) -> list[Any]:
        return model._default_manager.bulk_create(rows)

    return without_history if history_reason is None else with_history


def own_reasons(rows: list[Any]) -> None:
    """Give each row its programme's change reason (read by django-simple-history)."""
    for row in rows:
        reason = getattr(_programme_of(row), "_change_reason", None)
        if reason is not None:
            row._change_reason = reason


def _programme_of(row: Any) -> Any:
    if isinstance(row, models.Programme):
        return row
    parent = getattr(row, "study", None) or getattr(row, "programme", None)
    return None if parent is None else _programme_of(parent)


def link_reviews(
    links: Iterable[tuple[int, records.Review]],
    known: dict[tuple[str, date], int],
    history_reason: str | None,
) -> None:
    """Link each programme (by key) to its assessment round, found or made."""
    through = models.Programme.reviews.through
    through.objects.bulk_create(
        through(programme_id=programme_id, review_id=_review_id(review, known, history_reason))
        for programme_id, review in links
    )


def _review_id(
    review: records.Review, known: dict[tuple[str, date], int], history_reason: str | None
) -> int:
    key = (review.name, review.date)
    if key not in known:
        row, created = models.Review.objects.get_or_create(name=review.name, date=review.date)
        if created and history_reason is not None:
            update_change_reason(row, history_reason)
        known[key] = row.pk
    return known[key]


def _store_studies(pairs: list[tuple[models.Programme, records.Programme]], insert: Insert) -> None:
    numbered = [
        (programme, position, study)
        for programme, record in pairs
        for position, study in enumerate(record.studies, start=1)
    ]
    rows = insert(
        models.Study,
        [_study_row(programme, position, study) for programme, position, study in numbered],
    )
    stored = [(row, study) for row, (_, _, study) in zip(rows, numbered, strict=True)]
    insert(
        models.Publication,
        [
            _publication_row(row, n, p)
            for row, study in stored
            for n, p in enumerate(study.publications, start=1)
        ],
    )
    insert(
        models.Finding,
        [
            models.Finding(
                study=row,
                position=n,
                **{
                    **_field_values(f),
                    "statistics": statistics_to_dict(f.statistics),
                    "provenance": provenance_to_dict(f.provenance),
                },
            )
            for row, study in stored
            for n, f in enumerate(study.findings, start=1)
        ],
    )
    insert(
        models.Appraisal,
        [
            _appraisal_row(row, study.appraisal)
            for row, study in stored
            if study.appraisal is not None
        ],
    )


def _study_row(programme: models.Programme, position: int, study: records.Study) -> models.Study:
    return models.Study(
        programme=programme,
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
        provenance=provenance_to_dict(study.provenance),
        conduct=_field_values(study.conduct),
    )


def _appraisal_row(study: models.Study, appraisal: records.Appraisal) -> models.Appraisal:
    return models.Appraisal(
        study=study,
        reviewer=appraisal.reviewer,
        answers=dict(appraisal.answers),
        consensus=appraisal.consensus,
        verdict=appraisal.verdict.value if appraisal.verdict else None,
        justification=appraisal.justification,
    )
