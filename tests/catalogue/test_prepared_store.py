"""Rows prepared outside the transaction, a batch at a time: the values Django itself
would write, the same records back, keys never reused, on SQLite and PostgreSQL."""

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
from django.db import connection, transaction
from psycopg.types.json import Jsonb
from psycopg.types.numeric import Int4

from guidebook.catalogue import models, prepared_store
from guidebook.catalogue.convert import (
    own_reasons,
    programmes_with_records,
    save_record,
    store_rows,
    to_record,
)
from guidebook.evidence.records import ImportedOutcome, ImportedRating

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def stored(slug):
    return to_record(programmes_with_records().get(slug=slug))


def store(*batches):
    with prepared_store.PreparedRecords() as prepared:
        for batch in batches:
            reasons = [f"Imported from {record.slug}.json" for record in batch]
            prepared.add(prepared_store.prepare(batch, reasons, NOW))
        with transaction.atomic():
            prepared.store("Imported")


@pytest.fixture
def rated_elsewhere(ipp_record):
    outcome = ImportedOutcome(category="child-behaviour", outcome="Fewer tantrums")
    imported = ImportedRating(
        "3", "2", "https://example.org/rating", date(2024, 5, 1), "", (outcome,)
    )
    return replace(ipp_record, slug="rated-elsewhere", name="Rated elsewhere", imported=imported)


def test_prepared_rows_are_the_records_with_their_history(db, ipp_record, rated_elsewhere):
    store([ipp_record, rated_elsewhere])
    assert stored("infant-parent-psychotherapy") == ipp_record
    assert stored("rated-elsewhere") == rated_elsewhere
    finding = models.Finding.objects.filter(study__programme__slug="rated-elsewhere").first()
    (entry,) = finding.history.all()
    assert (entry.history_type, entry.history_change_reason) == (
        "+",
        "Imported from rated-elsewhere.json",
    )
    assert entry.history_date == NOW
    assert models.Appraisal.objects.filter(created__isnull=True).count() == 0
    (review,) = models.Review.objects.all()
    assert review.history.get().history_change_reason == "Imported"


def test_batches_are_numbered_on_from_one_another(db, ipp_record, rated_elsewhere):
    third = replace(ipp_record, slug="third", name="Third")
    store([ipp_record], [rated_elsewhere, third])
    for record in (ipp_record, rated_elsewhere, third):
        assert stored(record.slug) == record
    keys = list(models.Programme.objects.order_by("pk").values_list("slug", flat=True))
    assert keys == ["infant-parent-psychotherapy", "rated-elsewhere", "third"]
    assert models.Programme.reviews.through.objects.count() == 3


def test_keys_of_deleted_rows_are_never_given_again(db, ipp_record):
    first = save_record(ipp_record).pk
    models.Programme.objects.filter(pk=first).delete()
    store([ipp_record])
    assert models.Programme.objects.get().pk > first


def test_a_writer_in_between_changes_nothing(db, ipp_record):
    batch = prepared_store.prepare([ipp_record], ["Imported from ipp.json"], NOW)
    meanwhile = replace(ipp_record, slug="meanwhile", name="Meanwhile")
    save_record(meanwhile)
    with prepared_store.PreparedRecords() as prepared:
        prepared.add(batch)
        with transaction.atomic():
            prepared.store("Imported")
    assert stored("infant-parent-psychotherapy") == ipp_record
    assert stored("meanwhile") == meanwhile


def _django_values(model, row):
    """What Django's own INSERT would send for ``row``, as the scratch file keeps it."""
    ready = (
        f.get_db_prep_save(f.pre_save(row, True), connection) for f in model._meta.concrete_fields
    )
    return tuple(
        prepared_store._as_copied(v) if connection.vendor == "postgresql" else v for v in ready
    )


def _history_entry(model, row, key):
    """The "created" history entry django-simple-history would make for ``row``."""
    historical = model.history.model
    return historical(
        history_id=key,
        history_date=NOW,
        history_user=None,
        history_change_reason=row._change_reason,
        history_type="+",
        **{f.attname: getattr(row, f.attname) for f in historical.tracked_fields},
    )


def test_every_value_is_the_one_django_would_write(db, ipp_record, rated_elsewhere, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)  # auto_now_add times
    batch = [ipp_record, rated_elsewhere]
    reasons = ["Imported from a.json", "Imported from b.json"]
    pieces = dict(pickle.loads(prepared_store.prepare(batch, reasons, NOW).tables))

    expected = {}

    def count(model, rows):
        own_reasons(rows)
        for key, row in enumerate(rows, start=1):
            row.pk = key
        expected[model._meta.label] = [_django_values(model, row) for row in rows]
        history = model.history.model
        entries = [_history_entry(model, row, key) for key, row in enumerate(rows, start=1)]
        expected[history._meta.label] = [_django_values(history, entry) for entry in entries]
        return rows

    store_rows(batch, count, reasons)
    assert pieces.keys() == {label for label, rows in expected.items() if rows}
    for label, rows in pieces.items():
        assert rows == expected[label], label


def test_a_value_for_copy_keeps_the_text_django_would_send():
    assert prepared_store._as_copied(Jsonb({"a": [1, 2.5]}, dumps=lambda v: "TEXT")) == "TEXT"
    wrapped = Jsonb({"a": 1})
    assert prepared_store._as_copied(wrapped) is wrapped  # no dumps given: left to psycopg
    assert type(prepared_store._as_copied(Int4(7))) is int
    assert prepared_store._as_copied("x") == "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
def test_keys_from_a_sequence_need_not_follow_one_another(db, ipp_record):
    """Another writer taking values of a sequence meanwhile leaves gaps: played here by
    a sequence that counts in twos."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('catalogue_finding', 'id')")
        (sequence,) = cursor.fetchone()
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")
    keys = prepared_store._sequence_values(connection, "catalogue_finding", "id", 3)
    assert isinstance(keys, list) and keys[1] - keys[0] == 2
    store([ipp_record])
    assert stored("infant-parent-psychotherapy") == ipp_record
    findings = list(models.Finding.objects.order_by("pk").values_list("pk", flat=True))
    assert all(later - earlier == 2 for earlier, later in pairwise(findings))
