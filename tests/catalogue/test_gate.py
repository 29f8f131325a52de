"""The gate at the door of storage: import, the admin's model checks, canonical export."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from guidebook.catalogue import models
from tests.conftest import DEMO_IPP

DEMO_DIR = DEMO_IPP.parent


def write(tmp_path, data, name="record.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def import_refused(*paths):
    with pytest.raises(CommandError) as caught:
        call_command("import", *map(str, paths), stdout=StringIO())
    assert caught.value.returncode == 2
    assert not models.Programme.objects.exists()
    return str(caught.value)


def test_a_slug_with_a_trailing_newline_is_refused_and_the_catalogue_keeps_working(
    db, client, tmp_path, ipp_data
):
    # It passed the schema (Python's $ matches before a final newline); once published,
    # /programmes/ and /api/programmes answered 500 for everyone.
    ipp_data["slug"] = "infant-parent-psychotherapy\n"
    message = import_refused(write(tmp_path, ipp_data))
    assert "field 'slug' expected lower-case words joined by hyphens" in message
    assert client.get("/programmes/").status_code == 200
    assert client.get("/api/programmes").status_code == 200


def test_session_hours_of_1000_are_refused_so_staff_pages_keep_working(
    db, client, tmp_path, ipp_data, django_user_model
):
    # 1000 imported fine on SQLite, then could not be read back: /staff/ answered 500.
    ipp_data["delivery"]["session_hours_min"] = 1000
    message = import_refused(write(tmp_path, ipp_data))
    assert "field 'delivery.session_hours_min' expected a number <= 24, found 1000" in message
    staff = django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"slug": ' + "[" * 1000 + "]" * 1000 + "}", "nested at most 16 levels"),
        ('{"slug": "a", "slug": "b"}', "field 'slug' expected a key given once"),
        (
            '{"format": "guidebook-programme/1", "slug": "a", "name": NaN}',
            "field 'name' expected a finite number, found NaN",
        ),
    ],
    ids=["deep", "repeated-key", "nan"],
)
def test_hostile_files_exit_2_with_a_message(db, tmp_path, text, message):
    assert message in import_refused(write(tmp_path, text))


def test_every_problem_in_every_file_is_reported_and_nothing_is_written(db, tmp_path, ipp_data):
    first = write(tmp_path, ipp_data, "first.json")
    second = write(tmp_path, ipp_data, "second.json")
    broken = write(tmp_path, {**ipp_data, "slug": "other", "name": ""}, "broken.json")
    message = import_refused(first, second, broken)
    assert f"{second}: field 'slug' expected a slug no other file uses (also in {first})" in message
    assert "programme 'other': field 'name' expected a non-empty text" in message


def test_a_slug_already_stored_is_refused(ipp, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import", str(DEMO_IPP), stdout=StringIO())
    assert "expected a slug not yet in the catalogue" in str(caught.value)


def test_the_admin_checks_a_row_with_the_same_gate(ipp):
    programme = models.Programme.objects.get()
    programme.session_hours_min = Decimal("999")
    programme.contact_website = "https://localhost"
    with pytest.raises(ValidationError) as caught:
        programme.full_clean()
    errors = caught.value.message_dict
    assert errors["session_hours_min"] == [
        "programme 'infant-parent-psychotherapy': field 'delivery.session_hours_min' expected a "
        "number <= 24, found 999.0."
    ]
    assert "contact_website" in errors
    finding = models.Finding.objects.first()
    finding.months_after = float("inf")
    finding.statistics = {"type": "t", "t": "2.1x", "n_treatment": 3, "n_comparison": 3}
    with pytest.raises(ValidationError) as caught:
        finding.full_clean()
    assert caught.value.message_dict["months_after"] == [
        f"finding '{finding.key}': field 'months_after' expected a finite number, found inf."
    ]
    assert "statistics" in caught.value.message_dict


def test_an_appraisal_row_answering_an_unknown_criterion_is_refused(ipp):
    appraisal = models.Appraisal.objects.first()
    appraisal.answers = {"no.such-criterion": True}
    with pytest.raises(ValidationError) as caught:
        appraisal.full_clean()
    assert "answers" in caught.value.message_dict


def _export_all(tmp_path, folder):
    folder = tmp_path / folder
    folder.mkdir()
    for slug in models.Programme.objects.values_list("slug", flat=True):
        call_command("export", slug, output=folder / f"{slug}.json", stderr=StringIO())
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_every_demo_programme_exports_byte_identically_after_a_round_trip(db, tmp_path):
    demo = sorted(DEMO_DIR.glob("*.json"))
    call_command("import", *map(str, demo), stdout=StringIO())
    first = _export_all(tmp_path, "first")
    models.Programme.objects.all().delete()
    models.Review.objects.all().delete()
    call_command("import", *(str(tmp_path / "first" / name) for name in first), stdout=StringIO())
    second = _export_all(tmp_path, "second")
    assert len(first) == len(demo)
    assert second == first
    text = first["infant-parent-psychotherapy.json"].decode()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# Each text limit of the core and the column that stores the field.
COLUMNS = {
    "slug": models.Programme.slug,
    "name": models.Programme.name,
    "delivery.frequency": models.Programme.frequency,
    "delivery.duration": models.Programme.duration,
    "contact.name": models.Programme.contact_name,
    "contact.organisation": models.Programme.contact_organisation,
    "contact.email": models.Programme.contact_email,
    "contact.website": models.Programme.contact_website,
    "reviews[].name": models.Review.name,
    "studies[].key": models.Study.key,
    "studies[].label": models.Study.label,
    "studies[].citation": models.Study.citation,
    "studies[].country": models.Study.country,
    "characteristics.countries[]": models.Study.country,
    "studies[].timing": models.Study.timing,
    "studies[].publications[].url": models.Publication.url,
    "studies[].publications[].journal": models.Publication.journal,
    "studies[].publications[].volume": models.Publication.volume,
    "studies[].publications[].issue": models.Publication.issue,
    "studies[].publications[].pages": models.Publication.pages,
    "studies[].publications[].doi": models.Publication.doi,
    "studies[].publications[].pmid": models.Publication.pmid,
    "studies[].findings[].key": models.Finding.key,
    "studies[].findings[].outcome": models.Finding.outcome,
    "studies[].findings[].measure": models.Finding.measure,
    "studies[].appraisal.reviewer": models.Appraisal.reviewer,
    "imported.source": models.ImportedRating.source,
    "imported.outcomes[].outcome": models.SnapshotFacet.key,
}


@pytest.mark.parametrize(("field", "column"), COLUMNS.items(), ids=list(COLUMNS))
def test_each_text_limit_fits_the_column_that_stores_it(field, column):
    from guidebook.evidence.record_limits import limit_of

    assert limit_of(field, "text").maximum <= column.field.max_length


def test_the_record_format_page_lists_every_limit():
    from guidebook.evidence.record_limits import LIMITS

    page = (DEMO_IPP.parents[3] / "docs" / "record-format.md").read_text(encoding="utf-8")
    for limit in LIMITS:
        assert f"| `{limit.field}` |" in page, limit.field
