"""Imports prepared outside the transaction (SQLite): the same rows, keys never reused,
and the ordinary way when another writer got in first."""

from dataclasses import replace

import pytest
from django.db import connection, transaction

from guidebook.catalogue import models, prepared_store
from guidebook.catalogue.convert import programmes_with_records, save_record, to_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the prepared way is SQLite's"
)


def stored(slug):
    return to_record(programmes_with_records().get(slug=slug))


def store(batch, reasons=None):
    reasons = reasons or [f"Imported from {r.slug}.json" for r in batch]
    prepared = prepared_store.prepare(batch, reasons, "Imported")
    with transaction.atomic():
        prepared_store.store(prepared)
    return prepared


def test_prepared_rows_are_the_records_with_their_history(db, ipp_record):
    other = replace(ipp_record, slug="other", name="Other")
    store([ipp_record, other])
    assert stored("infant-parent-psychotherapy") == ipp_record
    assert stored("other") == other
    finding = models.Finding.objects.filter(study__programme__slug="other").first()
    (entry,) = finding.history.all()
    assert (entry.history_type, entry.history_change_reason) == ("+", "Imported from other.json")
    assert models.Appraisal.objects.filter(created__isnull=True).count() == 0


def test_keys_of_deleted_rows_are_never_given_again(db, ipp_record):
    first = save_record(ipp_record).pk
    models.Programme.objects.filter(pk=first).delete()
    store([ipp_record])
    assert models.Programme.objects.get().pk > first


def test_another_writer_first_means_storing_the_ordinary_way(db, ipp_record):
    prepared = prepared_store.prepare([ipp_record], ["Imported from ipp.json"], "Imported")
    save_record(replace(ipp_record, slug="meanwhile", name="Meanwhile"))
    with transaction.atomic():
        prepared_store.store(prepared)
    assert stored("infant-parent-psychotherapy") == ipp_record
    assert models.Programme.objects.count() == 2
