"""Published records are decoded once and shared, keyed by the record's own hash."""

import pytest

from guidebook.catalogue import published_records
from guidebook.catalogue.models import Snapshot
from tests.public.published import programme_data, store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    published_records._decoded.clear()
    yield
    published_records._decoded.clear()


def test_a_record_is_decoded_once_and_then_shared(ipp_data, monkeypatch):
    store(ipp_data)
    snapshot = Snapshot.objects.get(is_current=True)
    first = published_records.published_record(snapshot)
    assert first.slug == "infant-parent-psychotherapy"
    monkeypatch.setattr(published_records, "programme_from_stored", _must_not_decode)
    assert published_records.published_record(Snapshot.objects.get(pk=snapshot.pk)) is first


def test_a_different_record_is_never_served_for_the_same_snapshot_id(ipp_data):
    """The key is the record's hash, not the row: a changed record is decoded anew."""
    store(ipp_data)
    snapshot = Snapshot.objects.get(is_current=True)
    published_records.published_record(snapshot)
    changed = programme_data(ipp_data, "infant-parent-psychotherapy", "Renamed")
    snapshot.record = changed
    snapshot.inputs_hash = "0" * 64
    assert published_records.published_record(snapshot).name == "Renamed"


def test_only_the_most_recently_used_are_kept(ipp_data, monkeypatch):
    monkeypatch.setattr(published_records, "MAX_RECORDS", 2)
    for number in range(3):
        store(programme_data(ipp_data, f"programme-{number}", f"Programme {number}"))
    for snapshot in Snapshot.objects.order_by("pk"):
        published_records.published_record(snapshot)
    kept = {record.slug for record in published_records._decoded.values()}
    assert kept == {"programme-1", "programme-2"}


def _must_not_decode(*args, **kwargs):
    raise AssertionError("decoded again")
