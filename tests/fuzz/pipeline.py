"""One record through everything that uses it: read, store, rate, publish, render,
export, import into an empty catalogue and export again."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from guidebook.catalogue import models
from guidebook.catalogue.convert import save_record
from guidebook.catalogue.publishing import publish
from guidebook.evidence.assessment import assess
from guidebook.evidence.cost import estimate_cost
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_file import read_programme_text
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.records import Programme
from guidebook.evidence.standards import all_standards


def export(slug: str) -> str:
    out = StringIO()
    call_command("export", slug, stdout=out)
    return out.getvalue()


def read(given: str | dict[str, Any], counts: Counter[str]) -> Programme | None:
    """The record, or None when the gate refused it (every problem fully described)."""
    try:
        if isinstance(given, str):
            return read_programme_text(given, "fuzzed.json")
        return programme_from_dict(given, source="fuzzed record")
    except InvalidRecord as error:
        assert error.problems
        for problem in error.problems:
            assert problem.record and problem.field and problem.expected and problem.found
        counts["refused"] += 1
        counts.update(f"{p.field.split('[')[0]}: {p.expected}" for p in error.problems)
        return None


def _all_rows_valid(programme: models.Programme) -> None:
    """Every stored row passes the models' own rules (lengths, URLs, emails, keys)."""
    programme.full_clean(validate_unique=False)
    related = [
        programme.characteristics.all(),
        programme.reviews.all(),
        models.CostProfile.objects.filter(programme=programme),
        models.ImportedRating.objects.filter(programme=programme),
        programme.studies.all(),
        models.Publication.objects.filter(study__programme=programme),
        models.Finding.objects.filter(study__programme=programme),
        models.Appraisal.objects.filter(study__programme=programme),
    ]
    for rows in related:
        for row in rows:
            # A study's short citation may be empty in a record (demo programmes with
            # imported ratings have none), though its column is not marked blank.
            exclude = ["citation"] if isinstance(row, models.Study) else []
            row.full_clean(exclude=exclude, validate_constraints=False, validate_unique=False)


def through_everything(client: Any, given: str | dict[str, Any], counts: Counter[str]) -> None:
    """Read ``given``; if the gate lets it in, it must survive everything after."""
    record = read(given, counts)
    if record is None:
        return
    with transaction.atomic():
        for standard in all_standards():
            assess(record, standard.key)
        estimate_cost(record.cost, "fuzzed")
        programme = save_record(record)
        _all_rows_valid(models.Programme.objects.get(pk=programme.pk))
        publish(programme)
        cache.clear()
        for url in (
            f"/programmes/{record.slug}/",
            f"/programmes/{record.slug}.json",
            "/programmes/",
            f"/api/programmes/{record.slug}",
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        first = export(record.slug)
        models.Programme.objects.filter(pk=programme.pk).delete()
        models.Review.objects.filter(programmes=None).delete()
        save_record(read_programme_text(first, "exported.json"))
        assert export(record.slug) == first
        transaction.set_rollback(True)
    counts["accepted"] += 1
