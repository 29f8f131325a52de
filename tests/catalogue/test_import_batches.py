"""An import read a batch of files at a time: the same rows, the same history and the
same problems, in the same order, however the files fall into batches."""

import importlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guidebook.catalogue import models
from guidebook.catalogue.convert import programmes_with_records, save_record, to_record
from guidebook.evidence.record_json import programme_from_dict

command = importlib.import_module("guidebook.catalogue.management.commands.import")


def write(folder, data, name):
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def numbered(folder, ipp_data, count):
    paths = []
    for number in range(count):
        data = dict(ipp_data, slug=f"programme-{number}", name=f"Programme {number}")
        paths.append(write(folder, data, f"programme-{number}"))
    return paths


def test_an_import_in_several_batches_stores_every_record(db, tmp_path, ipp_data, monkeypatch):
    monkeypatch.setattr(command, "BATCH_FILES", 2)
    paths = numbered(tmp_path, ipp_data, 5)
    out = StringIO()
    call_command("import", *paths, stdout=out)
    assert out.getvalue() == "Imported 5 programme(s).\n"
    for number in range(5):
        data = dict(ipp_data, slug=f"programme-{number}", name=f"Programme {number}")
        assert to_record(programmes_with_records().get(slug=data["slug"])) == programme_from_dict(
            data
        )
        finding = models.Finding.objects.filter(study__programme__slug=data["slug"]).first()
        reason = finding.history.get().history_change_reason
        assert reason == f"Imported from programme-{number}.json"
    (review,) = models.Review.objects.all()
    assert review.programmes.count() == 5
    assert review.history.get().history_change_reason == "Imported from 5 files"


def _problems(paths):
    with pytest.raises(CommandError) as caught:
        call_command("import", *paths, stdout=StringIO())
    assert caught.value.returncode == 2
    return str(caught.value)


@pytest.mark.parametrize("batch_files", [1, 2, 200])
def test_every_problem_is_named_in_order_whatever_the_batches(
    db, tmp_path, ipp_data, ipp_record, monkeypatch, batch_files
):
    save_record(ipp_record)  # its slug is taken
    paths = numbered(tmp_path, ipp_data, 3)
    bad = dict(ipp_data, slug="bad", cost=dict(ipp_data["cost"], sessions="many"))
    paths.insert(1, write(tmp_path, bad, "bad"))
    paths.append(write(tmp_path, ipp_data, "already-stored"))
    paths.append(write(tmp_path, dict(ipp_data, slug="programme-0"), "again"))
    monkeypatch.setattr(command, "BATCH_FILES", batch_files)
    message = _problems(paths)
    assert message.splitlines() == [
        "nothing was imported:",
        "  programme 'bad': field 'cost.sessions' expected a value of type integer or null,"
        " found 'many'",
        f"  {tmp_path / 'again.json'}: field 'slug' expected a slug no other file uses"
        f" (also in {tmp_path / 'programme-0.json'}), found 'programme-0'",
        "  programme 'infant-parent-psychotherapy': field 'slug' expected a slug not yet in"
        " the catalogue, found 'infant-parent-psychotherapy'",
    ]
    assert models.Programme.objects.count() == 1
    assert (
        models.Finding.history.filter(history_change_reason__startswith="Imported from p").count()
        == 0
    )
