"""Rows written in bulk still get their history: one "created" entry each, with a reason."""

import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from guidebook.catalogue import models
from guidebook.catalogue.convert import IMPORTED, save_record
from guidebook.evidence.record_json import programme_from_dict
from guidebook.interchange.synthetic import store_synthetic_catalogue
from tests.conftest import DEMO_IPP

SLUG = "infant-parent-psychotherapy"

# Each history-tracked model, with the lookup from its rows to the programme they
# describe. The IPP record has rows in every one of them.
ROWS_OF_PROGRAMME = {
    models.Programme: "slug",
    models.Characteristic: "programme__slug",
    models.CostProfile: "programme__slug",
    models.ImportedRating: "programme__slug",
    models.Review: "programmes__slug",
    models.Study: "programme__slug",
    models.Publication: "study__programme__slug",
    models.Finding: "study__programme__slug",
    models.Appraisal: "study__programme__slug",
}


def rows_of(model, slug=SLUG):
    return model.objects.filter(**{ROWS_OF_PROGRAMME[model]: slug})


def history_of(model, rows):
    return model.history.filter(id__in=[row.pk for row in rows])


def test_the_table_names_every_tracked_model_of_the_catalogue():
    tracked = {
        model
        for model in apps.get_app_config("catalogue").get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    }
    assert tracked == set(ROWS_OF_PROGRAMME)


@pytest.fixture
def imported(db, tmp_path):
    """The IPP record file imported with the ``import`` command."""
    path = tmp_path / "ipp.json"
    shutil.copy(DEMO_IPP, path)
    call_command("import", str(path), stdout=StringIO())


@pytest.mark.parametrize("model", list(ROWS_OF_PROGRAMME), ids=lambda m: m.__name__)
def test_it_gives_each_imported_row_one_created_entry_naming_the_file(imported, model):
    rows = list(rows_of(model))
    assert rows
    entries = list(history_of(model, rows))
    assert sorted(entry.id for entry in entries) == sorted(row.pk for row in rows)
    assert {(e.history_type, e.history_change_reason) for e in entries} == {
        ("+", "Imported from ipp.json")
    }


@pytest.mark.parametrize("model", list(ROWS_OF_PROGRAMME), ids=lambda m: m.__name__)
def test_the_entries_hold_the_values_stored(imported, model):
    for entry in history_of(model, rows_of(model)):
        row = entry.instance
        stored = model.objects.get(pk=row.pk)
        fields = [f.attname for f in model._meta.concrete_fields]
        assert [getattr(row, f) for f in fields] == [getattr(stored, f) for f in fields]


def test_saving_a_record_says_it_was_imported_unless_told_otherwise(db, ipp_record):
    save_record(ipp_record)
    reasons = set(models.Finding.history.values_list("history_change_reason", flat=True))
    assert reasons == {IMPORTED}


def test_a_long_reason_is_cut_to_what_the_history_column_holds(db, ipp_record):
    save_record(ipp_record, reason="Imported from " + "x" * 200)
    (reason,) = set(models.Study.history.values_list("history_change_reason", flat=True))
    assert len(reason) == 100 and reason.startswith("Imported from xxx")


def test_a_review_already_stored_keeps_its_own_history(db, ipp_record, ipp_data):
    save_record(ipp_record)
    ipp_data["slug"] = "second-programme"
    save_record(programme_from_dict(ipp_data), reason="Second import")
    assert models.Review.objects.count() == 1
    assert list(models.Review.history.values_list("history_change_reason", flat=True)) == [IMPORTED]


# --- The synthetic catalogue: without history unless asked ------------------------------


@pytest.mark.parametrize(
    ("with_history", "reasons"),
    [(False, set()), (True, {"Synthetic catalogue"})],
)
def test_the_synthetic_catalogue_keeps_history_only_when_asked(db, with_history, reasons):
    store_synthetic_catalogue(3, seed=1, with_history=with_history)
    for model in (models.Programme, models.Study, models.Finding, models.Appraisal):
        entries = model.history.all()
        assert {e.history_change_reason for e in entries} == reasons, model.__name__
        assert len(entries) == (model.objects.count() if with_history else 0)


def test_the_demo_command_passes_with_history_on(db):
    call_command("demo", synthetic=2, with_history=True, stdout=StringIO(), stderr=StringIO())
    assert models.Finding.history.count() == models.Finding.objects.count() > 0
