"""A snapshot keeps the crosswalk results rated when it was written; pages read them
back, a snapshot kept under other versions of the standards is rated afresh, and
``rerate`` under a crosswalk standard always rates afresh."""

from guidebook.catalogue.crosswalk import crosswalk_results, programme_ratings
from guidebook.catalogue.publishing import publish
from guidebook.editorial.crosswalk_rerate import crosswalk_rerate
from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.record_json import programme_from_stored


def _fresh(snapshot):
    record = programme_from_stored(snapshot.record)
    return {s.key: s.rate(record).to_dict() for s in crosswalk_standards()}


def test_publishing_keeps_every_standards_result_in_the_snapshot(ipp):
    snapshot = publish(ipp)
    snapshot.refresh_from_db()
    assert set(snapshot.crosswalk) == {s.key for s in crosswalk_standards()}
    assert snapshot.crosswalk == _fresh(snapshot)


def test_pages_read_the_kept_results_rather_than_rating_again(ipp):
    snapshot = publish(ipp)
    key = next(iter(snapshot.crosswalk))
    snapshot.crosswalk[key]["value"] = "kept value"
    snapshot.crosswalk[key]["needs"] = []
    snapshot.save(update_fields=["crosswalk"])

    assert programme_ratings(snapshot).computed[key].value == "kept value"
    assert programme_ratings(snapshot, fresh=True).computed[key].value != "kept value"


def test_a_snapshot_without_results_or_rated_under_another_version_is_rated_afresh(ipp):
    snapshot = publish(ipp)
    expected = {key: result["value"] for key, result in _fresh(snapshot).items()}

    snapshot.crosswalk = None
    assert {k: r.value for k, r in programme_ratings(snapshot).computed.items()} == expected

    stale = crosswalk_results(programme_from_stored(snapshot.record))
    key = next(iter(stale))
    stale[key]["standard"]["version"] = "0.0-old"
    stale[key]["value"] = "from the old rules"
    snapshot.crosswalk = stale
    assert {k: r.value for k, r in programme_ratings(snapshot).computed.items()} == expected


def test_rerating_under_a_crosswalk_standard_ignores_the_kept_results(ipp):
    snapshot = publish(ipp)
    key = next(iter(snapshot.crosswalk))
    snapshot.crosswalk[key]["value"] = "kept value"
    snapshot.save(update_fields=["crosswalk"])

    (row,) = crosswalk_rerate(key)
    assert row.to_rating != "kept value"


def test_the_migration_rates_current_snapshots_kept_before_results_were(ipp):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("guidebook.catalogue.migrations.0010_snapshot_crosswalk_results")
    snapshot = publish(ipp)
    expected = _fresh(snapshot)
    type(snapshot).objects.filter(pk=snapshot.pk).update(crosswalk=None)

    migration.rate_current_snapshots(apps, None)

    snapshot.refresh_from_db()
    assert snapshot.crosswalk == expected
