"""The crosswalk on the demo catalogue: programme section, JSON twin, /crosswalk/ page,
CSV and API; the agreement table is pinned (run on SQLite and PostgreSQL)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from guidebook.catalogue.crosswalk import published_ratings

# The agreement table over the demo catalogue, pinned: a change to a rule, a parameter
# or the demo records that moves it must be seen and explained.
PINNED = [
    ("computed", "eif / psc-1.0", 1, 0, 22),
    ("computed", "eif / blueprints", 1, 0, 22),
    ("computed", "psc-1.0 / blueprints", 1, 0, 22),
    ("published", "psc-1.0 / psc (published)", 0, 0, 23),
    ("published", "blueprints / blueprints (published)", 0, 0, 23),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", stdout=io.StringIO())
    yield Client()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_agreement_table_over_the_demo_catalogue_is_pinned(demo, db):
    summary = demo.get("/api/crosswalk").json()["summary"]
    assert [
        (r["kind"], r["pair"], r["agree"], r["differ"], r["not_comparable"]) for r in summary
    ] == PINNED


def test_every_difference_or_unrated_comparison_is_explained(demo, db):
    comparisons = demo.get("/api/crosswalk").json()["comparisons"]
    assert comparisons
    for row in comparisons:
        if row["outcome"] != "agree" and row["kind"] == "computed":
            assert row["why"], row


def test_the_programme_page_json_and_api_show_other_clearinghouses(demo, db):
    page = demo.get("/programmes/family-nurse-partnership/")
    text = page.content.decode()
    assert "Rated under other clearinghouses' rules" in text
    assert 'href="https://preventionservices.acf.hhs.gov/programs/' in text
    twin = demo.get("/programmes/family-nurse-partnership.json").json()
    rows = {r["clearinghouse"]: r for r in twin["other_clearinghouses"]}
    psc = rows["Title IV-E Prevention Services Clearinghouse"]
    assert psc["published"]["value"] == "Well-Supported"
    assert psc["published"]["handbook_version"] == "1.0"
    # The demo records hold none of the crosswalk facts: never rated on missing facts.
    assert psc["computed"]["value"] is None
    assert psc["shown"].startswith("Cannot be rated: needs ")
    assert rows["California Evidence-Based Clearinghouse for Child Welfare"]["shown"] == (
        "Not yet implemented"
    )
    api = demo.get("/api/programmes/family-nurse-partnership/crosswalk").json()
    assert api["clearinghouses"] == twin["other_clearinghouses"]


def test_the_crosswalk_page_filters_and_its_csv_matches(demo, db):
    page = demo.get("/crosswalk/", {"pair": "eif / psc-1.0"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="agreement-table"' in text
    assert text.count('data-testid="disagreement"') == 22
    body = demo.get("/crosswalk.csv", {"pair": "eif / psc-1.0"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 23  # the CSV has every row, agreements too
    assert {row["pair"] for row in rows} == {"eif / psc-1.0"}


def test_an_unknown_programme_has_no_crosswalk(demo, db):
    assert demo.get("/api/programmes/no-such-programme/crosswalk").status_code == 404


def test_published_ratings_carry_source_version_and_date():
    rated = [p for p in published_ratings() if p.clearinghouse == "psc" and p.value]
    assert rated and all(p.source_url and p.handbook_version == "1.0" for p in rated)


def test_standards_pages_list_every_rule_of_the_new_standards(demo, db):
    from guidebook.evidence.crosswalk import crosswalk_standards

    for standard in crosswalk_standards():
        text = demo.get(f"/standards/other/{standard.key}/").content.decode()
        for rule, _ in standard.rules:
            assert f"<code>{rule}</code>" in text
        data = demo.get(f"/standards/other/{standard.key}.json").json()
        assert [r["rule"] for r in data["rules"]] == [rule for rule, _ in standard.rules]
        assert any(not p["seen"] for p in data["parameters"])
    index = demo.get("/standards/").content.decode()
    assert 'data-testid="not-implemented"' in index
    assert "California Evidence-Based Clearinghouse for Child Welfare" in index
    assert demo.get("/standards/other/cebc/").status_code == 404


def test_psc_handbook_2_is_listed_as_not_yet_implemented_with_what_it_needs(demo, db):
    index = demo.get("/standards/").content.decode()
    assert "Title IV-E Prevention Services Clearinghouse, Handbook v2.0: A draft went out" in index
    assert demo.get("/standards/other/psc-2.0/").status_code == 404
    # No programme row for it: its published ratings would be v1.0's.
    twin = demo.get("/programmes/family-nurse-partnership.json").json()
    shown = [row["clearinghouse"] for row in twin["other_clearinghouses"]]
    assert len(shown) == len(set(shown))
