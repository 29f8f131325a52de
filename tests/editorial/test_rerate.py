"""Re-rating the published catalogue: the report, applying it, and reproducibility."""

import csv
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from guidebook.catalogue.models import Snapshot
from tests.editorial.conftest import LEVEL_3_ANSWERS, small_record


def mixed_record():
    """One rigorous study: one improved child outcome, two that did not improve."""
    from guidebook.evidence import records

    base = small_record(slug="mixed-messages", name="Mixed Messages")
    study = base.studies[0]
    nulls = tuple(
        records.Finding(
            key=k, outcome=k, category="mental-health", direction="null", significant=False
        )
        for k in ("anxiety", "sleep")
    )
    study = replace(
        study,
        findings=study.findings + nulls,
        appraisal=records.Appraisal("panel", LEVEL_3_ANSWERS, consensus=True),
    )
    return replace(base, studies=(study,))


@pytest.fixture
def published_2017(db):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    programme = save_record(mixed_record())
    return publish(programme, note="first", standard_key="eif-2017")


def test_a_dry_run_reports_what_would_change_and_publishes_nothing(published_2017, capsys):
    call_command("rerate", "--standard", "eif-2018", "--dry-run")
    out = capsys.readouterr().out
    assert "mixed-messages" in out
    assert "asterisk.mixed-findings" in out
    assert "1 published programme(s) re-rated under eif-2018 1.0: 1 rating(s) change, " in out
    assert "1 new snapshot(s) would be published." in out
    assert Snapshot.objects.count() == 1


def test_applying_publishes_a_new_snapshot_with_the_note(published_2017, capsys):
    call_command("rerate", "--standard", "eif-2018", "--note", "New standard adopted")
    assert "1 new snapshot(s) were published." in capsys.readouterr().out
    current = Snapshot.objects.get(is_current=True)
    assert (current.rating, current.standard_key, current.note) == (
        "3*",
        "eif-2018",
        "New standard adopted",
    )
    assert current.record == published_2017.record  # the published record, rated again
    assert set(current.facets.values_list("kind", "key")) >= {("rating", "3")}
    assert Snapshot.objects.filter(programme=current.programme).count() == 2


def test_re_rating_unchanged_inputs_changes_nothing(published_2017, capsys):
    call_command("rerate", "--standard", "eif-2017")
    out = capsys.readouterr().out
    assert "0 rating(s) change, 0 new snapshot(s) were published." in out
    assert Snapshot.objects.get() == published_2017


def test_every_snapshot_reproduces_its_inputs_hash_and_rating(published_2017):
    from guidebook.evidence.assessment import assess
    from guidebook.evidence.record_json import programme_from_dict

    for snapshot in Snapshot.objects.all():
        again = assess(programme_from_dict(snapshot.record), snapshot.standard_key).to_dict()
        assert again["inputs_hash"] == snapshot.inputs_hash
        assert again["shown"]["value"] == snapshot.rating


def test_work_under_way_does_not_reach_a_re_rating(published_2017, capsys):
    from guidebook.catalogue.models import Appraisal

    # A round under way weakens the live consensus; the published record is what is re-rated.
    Appraisal.objects.filter(consensus=True).update(answers={})
    call_command("rerate", "--standard", "eif-2017", "--dry-run")
    assert "0 rating(s) change" in capsys.readouterr().out


def test_an_unknown_standard_names_the_known_ones(published_2017):
    with pytest.raises(CommandError, match=r"expected one of .*eif-2017.*, found .eif-1999."):
        call_command("rerate", "--standard", "eif-1999")


def test_the_report_can_be_written_as_csv(published_2017, tmp_path):
    target = tmp_path / "report.csv"
    call_command("rerate", "--standard", "eif-2018", "--dry-run", "--report", str(target))
    with target.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["programme"], row["from"], row["to"], row["rule"], row["republish"]) == (
        "mixed-messages",
        "3",
        "3*",
        "asterisk.mixed-findings",
        "True",
    )


def test_the_staff_page_shows_the_same_report_and_applies_it(client, personas, published_2017):
    client.force_login(personas["editor"])
    page = client.get(reverse("editorial:rerate"), {"standard": "eif-2018"})
    assert page.status_code == 200
    (row,) = page.context["report"].rows
    assert (row.from_rating, row.to_rating, row.deciding_rules) == (
        "3",
        "3*",
        ("asterisk.mixed-findings",),
    )
    applied = client.post(reverse("editorial:apply_rerate"), {"standard": "eif-2018", "note": ""})
    assert applied.status_code == 302
    current = Snapshot.objects.get(is_current=True)
    assert (current.rating, current.note, current.published_by) == (
        "3*",
        "Re-rated under eif-2018 1.0",
        personas["editor"],
    )


def test_the_staff_page_refuses_an_unknown_standard(client, personas, published_2017):
    client.force_login(personas["editor"])
    page = client.get(reverse("editorial:rerate"), {"standard": "nope"})
    assert page.status_code == 400
    assert "expected one of" in page.content.decode() and "nope" in page.content.decode()


@pytest.fixture
def three_published_2017(db):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    base = mixed_record()
    records = [replace(base, slug=f"mixed-{n}", name=f"Mixed {n}") for n in ("c", "a", "b")] + [
        small_record()
    ]
    return [publish(save_record(record), standard_key="eif-2017") for record in records]


def test_read_a_few_snapshots_at_a_time_the_report_is_the_same(three_published_2017, monkeypatch):
    from guidebook.editorial import rerating

    whole = rerating.rerate_report("eif-2018")
    monkeypatch.setattr(rerating, "CHUNK_SIZE", 1)
    streamed = rerating.rerate_report("eif-2018")
    assert streamed == whole
    assert [(row.slug, row.to_rating, row.deciding_rules) for row in streamed.rows] == [
        ("mixed-a", "3*", ("asterisk.mixed-findings",)),
        ("mixed-b", "3*", ("asterisk.mixed-findings",)),
        ("mixed-c", "3*", ("asterisk.mixed-findings",)),
        ("sure-start-steps", "NL2", ()),
    ]
    assert [row.republish for row in streamed.rows] == [True] * 4


def test_the_progress_is_told_how_many_snapshots_there_are(three_published_2017):
    from guidebook.editorial.rerating import rerate_report

    counts = []

    def progress(snapshots, count):
        counts.append(count)
        return snapshots

    assert len(rerate_report("eif-2018", progress).rows) == 4
    assert counts == [4]


def test_a_stored_record_that_is_not_the_one_published_is_checked_in_full(published_2017):
    from guidebook.editorial.rerating import rerate_report
    from guidebook.evidence.errors import InvalidRecord

    record = published_2017.record
    record["studies"][0]["sample_size"] = -5
    Snapshot.objects.filter(pk=published_2017.pk).update(record=record)
    with pytest.raises(InvalidRecord) as raised:
        rerate_report("eif-2018")
    (problem,) = raised.value.problems
    assert (problem.record, problem.field) == (
        "programme 'mixed-messages'",
        "studies[0].sample_size",
    )
