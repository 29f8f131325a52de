"""Conversion between stored rows and the evidence core's records.

The core rates and costs records; storage never computes a rating itself. Reading
uses one prefetching queryset so a page costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from guidebook.catalogue import models
from guidebook.evidence import records
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import read_statistics, statistics_to_dict
from guidebook.evidence.standards.judging import effect_of_statistics

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
    """Validate stored statistics; raises InvalidRecord naming the field.

    The schema catches a wrong shape; computing the effect size catches what the
    schema cannot, such as a count of events larger than its group or an SD of 0.
    """
    statistics = read_statistics(data, record)
    if statistics is not None:
        effect_of_statistics(statistics, record)
    return statistics


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
        publications=tuple(
            records.Publication(p.citation, p.url) for p in study.publications.all()
        ),
        findings=tuple(
            _finding_record(programme, study, finding) for finding in study.findings.all()
        ),
        appraisal=_appraisal_record(consensus[0]) if consensus else None,
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
    )


def _appraisal_record(appraisal: models.Appraisal) -> records.Appraisal:
    return records.Appraisal(
        reviewer=appraisal.reviewer,
        answers=dict(appraisal.answers),
        consensus=appraisal.consensus,
        verdict=records.StudyLevel(appraisal.verdict) if appraisal.verdict else None,
        justification=appraisal.justification,
    )


def programme_fields(record: records.Programme) -> dict[str, Any]:
    """The Programme row's columns for a record (shared by imports and the synthetic
    catalogue's bulk inserts)."""
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
        **asdict(record.implementation),
        theory_of_change=list(record.theory_of_change),
        contact_name=record.contact.name,
        contact_organisation=record.contact.organisation,
        contact_email=record.contact.email,
        contact_website=record.contact.website,
        first_published=record.first_published,
        last_updated=record.last_updated,
        evidence_summary=record.evidence_summary,
        other_outcomes_note=record.other_outcomes_note,
    )


@transaction.atomic
def save_record(record: records.Programme) -> models.Programme:
    """Store a new programme from its record; all or nothing.

    Raises InvalidRecord if a programme with the same slug already exists.
    """
    if models.Programme.objects.filter(slug=record.slug).exists():
        raise InvalidRecord.single(
            f"programme '{record.slug}'", "slug", "a slug not yet in the catalogue", record.slug
        )
    programme = models.Programme.objects.create(**programme_fields(record))
    models.Characteristic.objects.bulk_create(
        models.Characteristic(programme=programme, kind=kind, key=key)
        for kind, field in _KINDS.items()
        for key in getattr(record.characteristics, field)
    )
    models.CostProfile.objects.create(programme=programme, **asdict(record.cost))
    for review in record.reviews:
        row, _ = models.Review.objects.get_or_create(name=review.name, date=review.date)
        programme.reviews.add(row)
    if record.imported is not None:
        models.ImportedRating.objects.create(programme=programme, **asdict(record.imported))
    for position, study in enumerate(record.studies, start=1):
        _save_study(programme, position, study)
    return programme


def _save_study(programme: models.Programme, position: int, study: records.Study) -> None:
    row = models.Study.objects.create(
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
    )
    models.Publication.objects.bulk_create(
        models.Publication(study=row, position=n, citation=p.citation, url=p.url)
        for n, p in enumerate(study.publications, start=1)
    )
    models.Finding.objects.bulk_create(
        models.Finding(
            study=row,
            position=n,
            **{**asdict(f), "statistics": statistics_to_dict(f.statistics)},
        )
        for n, f in enumerate(study.findings, start=1)
    )
    if study.appraisal is not None:
        appraisal = study.appraisal
        models.Appraisal.objects.create(
            study=row,
            reviewer=appraisal.reviewer,
            answers=dict(appraisal.answers),
            consensus=appraisal.consensus,
            verdict=appraisal.verdict.value if appraisal.verdict else None,
            justification=appraisal.justification,
        )
