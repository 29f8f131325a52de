"""Storing records: a lossless round trip, all-or-nothing imports, a repeatable demo load."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from guidebook.catalogue import models
from guidebook.catalogue.convert import programmes_with_records, save_record, to_record
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import programme_from_dict, programme_to_dict


def stored(slug):
    return to_record(programmes_with_records().get(slug=slug))


def test_a_stored_record_reads_back_unchanged(ipp, ipp_record):
    assert stored("infant-parent-psychotherapy") == ipp_record


def test_statistics_and_imported_ratings_survive_storage(db, ipp_data):
    ipp_data["slug"] = "with-statistics"
    ipp_data["studies"][0]["findings"][0]["statistics"] = {
        "type": "counts",
        "events_treatment": 30,
        "n_treatment": 50,
        "events_comparison": 20,
        "n_comparison": 50,
        "event_is_good": True,
        "cluster": {"intraclass_correlation": 0.05, "mean_cluster_size": 10},
    }
    ipp_data["imported"] = {
        "evidence_rating": "3+",
        "cost_rating": "NA",
        "source": "https://example.org/ipp",
        "retrieved": "2017-04-01",
        "note": "as published",
    }
    record = programme_from_dict(ipp_data)
    save_record(record)
    assert stored("with-statistics") == record


def test_saving_a_slug_twice_is_refused_and_writes_nothing(ipp, ipp_record):
    with pytest.raises(
        InvalidRecord, match="field 'slug' expected a slug not yet in the catalogue"
    ):
        save_record(ipp_record)
    assert models.Programme.objects.count() == 1


def test_the_demo_load_keeps_existing_data(db):
    call_command("demo")
    programme = models.Programme.objects.get(slug="infant-parent-psychotherapy")
    programme.name = "Edited by the evidence team"
    programme.save()
    call_command("demo")
    assert models.Programme.objects.get(slug=programme.slug).name == "Edited by the evidence team"
    assert models.Study.objects.filter(programme=programme).count() == 2


def test_export_then_import_reproduces_the_record(ipp, ipp_record, tmp_path):
    path = tmp_path / "ipp.json"
    call_command("export", "infant-parent-psychotherapy", output=path)
    data = json.loads(path.read_text())
    assert programme_from_dict(data) == ipp_record
    assert data == programme_to_dict(ipp_record)
    models.Programme.objects.all().delete()
    call_command("import", str(path))
    assert stored("infant-parent-psychotherapy") == ipp_record


def test_export_of_an_unknown_programme_says_which(db):
    with pytest.raises(CommandError, match="programme 'nope': no programme with this slug"):
        call_command("export", "nope")


def test_an_import_with_one_bad_file_writes_nothing(db, tmp_path, ipp_data):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ipp_data))
    ipp_data["slug"] = "second"
    ipp_data["cost"]["sessions"] = "many"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(ipp_data))
    with pytest.raises(CommandError) as caught:
        call_command("import", str(good), str(bad))
    assert "nothing was imported" in str(caught.value)
    assert (
        "programme 'second': field 'cost.sessions' expected a value of type integer or null, found 'many'"
        in str(caught.value)
    )
    assert caught.value.returncode == 2
    assert models.Programme.objects.count() == 0


def test_an_import_that_clashes_with_stored_data_writes_nothing(ipp, tmp_path, ipp_data):
    fresh = dict(ipp_data, slug="fresh")
    (tmp_path / "a.json").write_text(json.dumps(fresh))
    (tmp_path / "b.json").write_text(json.dumps(ipp_data))
    with pytest.raises(CommandError, match="slug not yet in the catalogue"):
        call_command("import", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert not models.Programme.objects.filter(slug="fresh").exists()


def test_model_validation_names_the_field(ipp):
    programme = models.Programme.objects.get()
    programme.session_hours_min = 3
    with pytest.raises(ValidationError) as caught:
        programme.full_clean()
    assert "session_hours_max" in caught.value.message_dict
    characteristic = models.Characteristic(programme=programme, kind="age_group", key="group")
    with pytest.raises(ValidationError) as caught:
        characteristic.clean()
    assert "found 'group'" in caught.value.message_dict["key"][0]
    finding = models.Finding.objects.filter(key="attachment").first()
    finding.statistics = {
        "type": "p",
        "p": 3,
        "n_treatment": 4,
        "n_comparison": 4,
        "favours_treatment": True,
    }
    with pytest.raises(ValidationError) as caught:
        finding.clean()
    assert (
        "statistics.p' expected a number <= 1, found 3"
        in caught.value.message_dict["statistics"][0]
    )
    appraisal = models.Appraisal.objects.first()
    appraisal.justification = ""
    with pytest.raises(ValidationError):
        appraisal.clean()


def test_records_have_readable_names(ipp):
    study = models.Study.objects.get(key="study-1")
    assert str(study) == "Infant-Parent Psychotherapy: Study 1 (Lieberman, Weston and Pawl (1991))"
    assert str(models.Review.objects.get()) == "Foundations for Life, July 2016"
    assert str(models.Characteristic.objects.get(kind="age_group")) == "Age group: Infants"
    assert (
        str(models.Appraisal.objects.filter(study=study).get())
        == "Appraisal of Study 1 (consensus)"
    )
    assert str(study.findings.first()) == "Study 1: Improved attachment security"
    assert str(study.publications.first()).startswith("Lieberman AF, Weston DR, Pawl JH.")
    assert str(models.CostProfile.objects.get()) == "Cost inputs for Infant-Parent Psychotherapy"


def test_the_admin_lists_programmes_for_staff(admin_client, ipp):
    response = admin_client.get("/admin/catalogue/programme/")
    assert response.status_code == 200
    assert "Infant-Parent Psychotherapy" in response.content.decode()
    change = admin_client.get(f"/admin/catalogue/programme/{ipp.pk}/change/")
    assert change.status_code == 200
    study = admin_client.get(f"/admin/catalogue/study/{ipp.studies.first().pk}/change/")
    assert study.status_code == 200


def test_publishing_keeps_one_current_snapshot_with_facets_and_history(
    ipp, django_capture_on_commit_callbacks
):
    from guidebook.catalogue.publishing import catalogue_version, publish

    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(ipp, note="again")
    snapshots = models.Snapshot.objects.filter(programme=ipp)
    assert snapshots.count() == 2
    assert list(snapshots.filter(is_current=True)) == [second]
    facets = set(second.facets.values_list("kind", "key"))
    assert {
        ("age_group", "infants"),
        ("outcome", "Improved attachment security"),
        ("rating", "3+"),
        ("cost_rating", "4"),
        ("uk_provision", "no"),
        ("country", "United States"),
    } <= facets
    assert second.listed is True
    assert second.inputs_hash == models.Snapshot.objects.exclude(pk=second.pk).get().inputs_hash
    assert "attachment security" in second.search_text
    assert catalogue_version() != before


def test_the_publish_command_needs_slugs_or_all(db):
    call_command("demo")
    with pytest.raises(CommandError, match="give programme slugs or --all"):
        call_command("publish")
    with pytest.raises(CommandError, match="no programme with slug: nope"):
        call_command("publish", "nope")
    call_command("publish", "infant-parent-psychotherapy", note="check")
    call_command("publish", all=True, standard="eif-2017")
    snapshots = models.Snapshot.objects.filter(slug="infant-parent-psychotherapy")
    assert snapshots.get(is_current=True).standard_key == "eif-2017"
    assert snapshots.count() == 3
