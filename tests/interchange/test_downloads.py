"""Open data: CSV tables read back equal the published snapshots; the package validates."""

import csv
import io
import json
import zipfile

import frictionless
import pytest

from guidebook.catalogue.models import Programme, Snapshot
from guidebook.catalogue.publishing import publish
from guidebook.interchange.downloads import TABLES, build_open_data, table, write_open_data
from guidebook.public import download_views
from guidebook.public.download_views import current_open_data
from tests.conftest import REPO
from tests.public.published import programme_data, publish_variants, store, unrated_cost

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(ipp_data):
    """Two published programmes (one with a costed profile) and an unpublished draft."""
    publish_variants(ipp_data, 2, costed={2})
    store(programme_data(ipp_data, "draft-only", "Draft Only"), publish=False)


def read_table(client, name):
    response = client.get(f"/downloads/{name}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))


def current(slug):
    return Snapshot.objects.get(slug=slug, is_current=True)


def test_every_table_downloads_as_csv_with_its_declared_columns(client, catalogue):
    for t in TABLES:
        response = client.get(f"/downloads/{t.name}.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{t.name}.csv"'
        header = next(csv.reader(io.StringIO(response.getvalue().decode())))
        assert header == [c.name for c in t.columns]


def test_programmes_read_back_equal_the_snapshots(client, catalogue):
    rows = read_table(client, "programmes")
    assert [row["programme"] for row in rows] == ["programme-1", "programme-2"]
    for row in rows:
        snapshot = current(row["programme"])
        assert row["name"] == snapshot.name
        assert row["evidence_rating"] == snapshot.rating
        assert row["rating_source"] == snapshot.rating_source
        assert row["standard_key"] == snapshot.standard_key
        assert row["standard_version"] == snapshot.standard_version
        assert row["inputs_hash"] == snapshot.inputs_hash
        assert row["cost_rating"] == snapshot.cost_rating
        assert row["unit_cost"] == ("" if snapshot.unit_cost is None else str(snapshot.unit_cost))
        assert row["sessions"] == str(snapshot.record["delivery"]["sessions"])
        assert row["uk_provision"] == "false"
    assert rows[0]["cost_missing"] == "sessions"
    assert rows[1]["cost_missing"] == ""


def test_drafts_never_reach_the_downloads(client, catalogue):
    Programme.objects.filter(slug="programme-1").update(name="Renamed in a draft")
    for t in TABLES:
        text = client.get(f"/downloads/{t.name}.csv").getvalue().decode()
        assert "draft-only" not in text
        assert "Renamed in a draft" not in text


def test_characteristics_studies_and_findings_read_back_equal_the_snapshots(client, catalogue):
    characteristics = read_table(client, "characteristics")
    studies = read_table(client, "studies")
    findings = read_table(client, "findings")
    publications = read_table(client, "publications")
    for slug in ["programme-1", "programme-2"]:
        record = current(slug).record
        traits = record["characteristics"]
        mine = {(r["kind"], r["key"]) for r in characteristics if r["programme"] == slug}
        assert mine == (
            {("age_group", k) for k in traits["age_groups"]}
            | {("delivery_model", k) for k in traits["delivery_models"]}
            | {("setting", k) for k in traits["settings"]}
            | {("targeting", k) for k in traits["targeting"]}
            | {("country", k) for k in traits["countries"]}
        )
        assert [(r["study"], r["citation"]) for r in studies if r["programme"] == slug] == [
            (s["key"], s["citation"]) for s in record["studies"]
        ]
        assert [
            (r["study"], r["finding"], r["outcome"], r["significant"])
            for r in findings
            if r["programme"] == slug
        ] == [
            (s["key"], f["key"], f["outcome"], "true" if f["significant"] else "false")
            for s in record["studies"]
            for f in s["findings"]
        ]
        assert [r["citation"] for r in publications if r["programme"] == slug] == [
            p["citation"] for s in record["studies"] for p in s["publications"]
        ]


def test_study_levels_come_from_the_published_assessment(client, catalogue):
    studies = read_table(client, "studies")
    for row in studies:
        levels = {
            s["study"]: s["level"] for s in current(row["programme"]).assessment["study_levels"]
        }
        assert row["level"] == levels[row["study"]]


def test_outcomes_list_the_studies_behind_each(client, catalogue):
    rows = read_table(client, "outcomes")
    assert {(r["programme"], r["outcome"], r["studies"]) for r in rows} == {
        ("programme-1", "Improved attachment security", "Study 1; Study 2"),
        ("programme-2", "Improved attachment security", "Study 1; Study 2"),
    }


def test_ratings_have_one_row_per_reason_with_its_values(client, catalogue):
    rows = [r for r in read_table(client, "ratings") if r["programme"] == "programme-1"]
    assessment = current("programme-1").assessment
    reasons = list(assessment["reasons"])
    for level in assessment["study_levels"]:
        reasons += level["reasons"]
    assert len(rows) == len(reasons)
    assert [int(r["reason"]) for r in rows] == list(range(1, len(reasons) + 1))
    for row, reason in zip(rows, reasons, strict=True):
        assert row["rule"] == reason["rule"]
        assert row["met"] == ("true" if reason["met"] else "false")
        assert json.loads(row["values"]) == reason["values"]
        assert row["evidence_rating"] == "3+"
    assert {r["scope"] for r in rows} == {"programme", "study"}
    assert {r["study"] for r in rows if r["scope"] == "study"} == {"study-1", "study-2"}


def test_cost_items_add_up_to_the_unit_cost(client, catalogue):
    rows = read_table(client, "cost_items")
    assert {r["programme"] for r in rows} == {"programme-2"}
    unit_cost = current("programme-2").unit_cost
    assert sum(float(r["amount"]) for r in rows) == pytest.approx(unit_cost, abs=0.05)


def test_the_data_package_validates_with_frictionless(catalogue, tmp_path):
    current_open_data().write_to(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(TABLES)


def test_frictionless_catches_a_row_that_breaks_a_foreign_key(catalogue, tmp_path):
    current_open_data().write_to(tmp_path)
    with (tmp_path / "characteristics.csv").open("a", encoding="utf-8") as handle:
        handle.write("no-such-programme,age_group,infants,Infants\r\n")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_the_descriptor_describes_every_table(client, catalogue):
    response = client.get("/downloads/datapackage.json")
    assert response.status_code == 200
    package = json.loads(response.getvalue())
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == [t.name for t in TABLES]
    for t in TABLES:
        schema = resources[t.name]["schema"]
        assert resources[t.name]["path"] == f"{t.name}.csv"
        assert schema["primaryKey"] == list(t.primary_key)
        assert all(field["description"] for field in schema["fields"])
    assert resources["findings"]["schema"]["foreignKeys"] == [
        {
            "fields": ["programme", "study"],
            "reference": {"resource": "studies", "fields": ["programme", "study"]},
        }
    ]


def test_an_empty_catalogue_still_makes_a_valid_package(db, tmp_path):
    data = current_open_data()
    assert set(data.row_counts.values()) == {0}
    data.write_to(tmp_path)
    assert frictionless.validate(tmp_path / "datapackage.json").valid


def test_the_zip_holds_the_descriptor_and_every_table(client, catalogue):
    response = client.get("/downloads/guidebook-open-data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    assert sorted(archive.namelist()) == sorted(
        ["datapackage.json"] + [f"{t.name}.csv" for t in TABLES]
    )
    served = client.get("/downloads/programmes.csv").getvalue()
    assert archive.read("programmes.csv") == served


def test_the_downloads_page_lists_each_table_with_its_row_count(client, catalogue):
    response = client.get("/downloads/")
    assert response.status_code == 200
    text = response.content.decode()
    counts = current_open_data().row_counts
    for t in TABLES:
        assert f'href="/downloads/{t.name}.csv"' in text
        assert f'data-testid="rows-{t.name}">{counts[t.name]}<' in text
    assert counts["programmes"] == 2


def test_an_unknown_table_is_not_found(client, db):
    assert client.get("/downloads/secrets.csv").status_code == 404
    with pytest.raises(KeyError):
        table("secrets")


def test_a_new_publication_reaches_the_downloads(
    client, ipp_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_variants(ipp_data, 1)
    assert len(read_table(client, "programmes")) == 1
    later = store(programme_data(ipp_data, "later", "Later"), publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        publish(later)
    assert [r["programme"] for r in read_table(client, "programmes")] == ["later", "programme-1"]


def test_an_imported_rating_names_its_source(client, ipp_data):
    data = programme_data(ipp_data, "imported-one", "Imported One", cost=unrated_cost(ipp_data))
    data["imported"] = {
        "evidence_rating": "2+",
        "cost_rating": "2",
        "source": "https://example.org/imported-one",
        "retrieved": "2016-07-01",
        "note": "As the source published it.",
    }
    for study in data["studies"]:
        study["appraisal"] = None  # an imported rating is shown until studies are appraised
    store(data)
    (row,) = read_table(client, "programmes")
    assert row["evidence_rating"] == "2+"
    assert row["rating_source"] == "imported"
    assert row["imported_source"] == "https://example.org/imported-one"
    assert row["imported_retrieved"] == "2016-07-01"
    assert row["imported_note"] == "As the source published it."
    assert (row["cost_rating"], row["cost_rating_source"], row["computed_cost_rating"]) == (
        "2",
        "imported",
        "NA",
    )


def test_docs_describe_every_table_and_column():
    docs = (REPO / "docs" / "open-data.md").read_text(encoding="utf-8")
    for t in TABLES:
        assert f"### `{t.path}`" in docs, t.name
        section = docs.split(f"### `{t.path}`")[1].split("### ")[0]
        for column in t.columns:
            assert f"| `{column.name}` | {column.type} |" in section, (t.name, column.name)


def test_a_withdrawn_programme_leaves_the_downloads_in_every_worker(client, catalogue):
    # No catalogue-version bump here: a worker with its own cache must still notice.
    assert len(read_table(client, "programmes")) == 2
    Snapshot.objects.filter(slug="programme-1").update(is_current=False)
    assert [r["programme"] for r in read_table(client, "programmes")] == ["programme-2"]


def test_provenance_and_full_references_reach_the_open_data(client, ipp_data, tmp_path):
    data = programme_data(ipp_data, "with-provenance", "With Provenance")
    provenance = {
        "sources": ["https://example.org/paper", "https://example.org/registry"],
        "retrieved": "2025-03-14",
        "appraised_by": "Guidebook evidence team",
        "note": "",
    }
    study = data["studies"][0]
    study["provenance"] = provenance
    study["findings"][0]["provenance"] = {**provenance, "note": "Table 2."}
    study["findings"][1]["direction"] = None
    study["findings"][1]["significant"] = None
    study["publications"][0].update(
        authors=["Lieberman AF", "Weston DR", "Pawl JH"],
        year=1991,
        title="Preventive intervention and outcome with anxiously attached dyads",
        journal="Child Development",
        volume="62",
        issue="1",
        pages="199-209",
        doi="10.1111/j.1467-8624.1991.tb01525.x",
    )
    store(data)
    (study_row, _) = read_table(client, "studies")
    assert json.loads(study_row["provenance_sources"]) == provenance["sources"]
    assert (study_row["provenance_retrieved"], study_row["provenance_appraised_by"]) == (
        "2025-03-14",
        "Guidebook evidence team",
    )
    findings = read_table(client, "findings")
    assert [(f["provenance_note"], f["direction"], f["significant"]) for f in findings[:2]] == [
        ("Table 2.", "positive", "true"),
        ("", "", ""),
    ]
    assert findings[2]["provenance_sources"] == ""
    publication = read_table(client, "publications")[0]
    assert publication["authors"] == "Lieberman AF; Weston DR; Pawl JH"
    assert (publication["year"], publication["doi"], publication["pmid"]) == (
        "1991",
        "10.1111/j.1467-8624.1991.tb01525.x",
        "",
    )
    assert publication["title"].startswith("Preventive intervention")
    current_open_data().write_to(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- Written to disk once per state -----------------------------------------------------


def test_the_files_written_a_programme_at_a_time_match_the_tables_built_in_memory(
    catalogue, tmp_path
):
    programmes = list(download_views._published_programmes())
    counts = write_open_data(programmes, tmp_path)
    built = build_open_data(programmes)
    assert counts == built.row_counts
    for t in TABLES:
        assert (tmp_path / t.path).read_bytes().decode("utf-8") == built.csv_text[t.name]
    assert json.loads((tmp_path / "datapackage.json").read_text("utf-8")) == built.descriptor


def test_a_publication_is_served_from_files_of_its_own_state(client, catalogue, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    before = current_open_data().folder
    programme = Programme.objects.get(slug="programme-1")
    Programme.objects.filter(pk=programme.pk).update(name="Programme One, renamed")
    publish(Programme.objects.get(pk=programme.pk), note="Renamed")
    after = current_open_data().folder
    assert after != before
    assert "Programme One, renamed" in read_table(client, "programmes")[0]["name"]


def test_only_the_newest_states_are_kept_on_disk(client, catalogue, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    programme = Programme.objects.get(slug="programme-1")
    for number in range(download_views.KEEP_STATES + 2):
        Programme.objects.filter(pk=programme.pk).update(name=f"Programme {number}")
        publish(Programme.objects.get(pk=programme.pk), note="Renamed")
        current_open_data()
    kept = [path for path in (tmp_path / "open-data").iterdir()]
    assert len(kept) == download_views.KEEP_STATES
    assert current_open_data().folder in kept
