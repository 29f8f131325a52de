"""Compare, shortlist, cost calculator and downloads in Debian's Chromium, checked by axe."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible
from tests.public.published import publish_variants

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, live_server, ipp_data):
    """Two published programmes: 'Programme 1' (cost NA) and 'Programme 2' (costed)."""
    publish_variants(ipp_data, 2, costed={2})
    return live_server.url


def shortlist_both(page, site):
    for slug in ["programme-1", "programme-2"]:
        page.goto(f"{site}/programmes/{slug}/")
        page.get_by_role("button", name="Add to shortlist").click()
        assert page.get_by_role("button", name="Remove from shortlist").is_visible()


def test_a_form_on_another_site_cannot_change_the_shortlist(page, site):
    shortlist_both(page, site)
    # A page from another origin (here the browser's blank page) that posts to the
    # shortlist, as a forged form would.
    page.goto("about:blank")
    page.set_content(
        f'<form method="post" action="{site}/shortlist/remove/programme-1/">'
        '<input type="hidden" name="next" value="/shortlist/"><button>Send</button></form>'
    )
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Send").click()
    assert sent.value.status == 403
    page.goto(f"{site}/shortlist/")
    assert page.get_by_test_id("shortlist-row").count() == 2


def test_the_compare_page_sets_programmes_side_by_side_and_passes_axe(page, axe, site):
    page.goto(f"{site}/compare/?p=programme-1&p=programme-2")
    table = page.get_by_test_id("compare-table")
    assert table.get_by_role("columnheader", name="Programme 1").is_visible()
    assert table.get_by_role("columnheader", name="Programme 2").is_visible()
    assert table.get_by_role("rowheader", name="Cost rating").is_visible()
    assert_accessible(axe, page)


def test_a_refused_comparison_is_explained_and_passes_axe(page, axe, site):
    response = page.goto(f"{site}/compare/?p=programme-1")
    assert response.status == 400
    assert "found 1 (programme-1)" in page.get_by_test_id("compare-problems").inner_text()
    assert_accessible(axe, page)


def test_the_shortlist_fills_compares_and_exports(page, axe, site):
    shortlist_both(page, site)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Shortlist").click()
    assert page.get_by_test_id("shortlist-row").count() == 2
    assert_accessible(axe, page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the shortlist as a spreadsheet (CSV)").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [row["name"] for row in rows] == ["Programme 1", "Programme 2"]
    assert csv_download.value.suggested_filename == "shortlist.csv"

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the shortlist as a report (PDF)").click()
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("button", name="Compare the ticked programmes").click()
    assert page.get_by_test_id("compare-rating").count() == 2
    page.get_by_role("button", name="Remove Programme 1 from shortlist").click()
    assert page.get_by_role("button", name="Add Programme 1 to shortlist").is_visible()


def test_the_programme_page_folds_its_calculator_and_passes_axe(page, axe, site):
    page.goto(f"{site}/programmes/programme-1/")
    fold = page.get_by_text("Work out the cost with your local figures", exact=True)
    assert fold.is_visible()
    assert not page.get_by_label("Hourly cost at QCF 7/8").is_visible()
    fold.click()
    assert page.get_by_label("Hourly cost at QCF 7/8").is_visible()
    assert_accessible(axe, page)


def test_the_calculator_works_out_a_local_cost(page, axe, site):
    page.goto(f"{site}/programmes/programme-1/")
    page.get_by_text("Work out the cost with your local figures", exact=True).click()
    page.get_by_label("Hourly cost at QCF 7/8").fill("40")
    page.get_by_label("Children or families to serve").fill("30")
    # Programme 1 does not publish its number of sessions (cost NA); the IPP's 32.
    page.get_by_label("Number of sessions").fill("32")
    page.get_by_label("Practitioner training fee (£)").fill("2000")
    page.get_by_role("button", name="Work out the cost").click()
    assert "/programmes/programme-1/cost/?" in page.url
    assert page.get_by_test_id("calc-unit-cost").inner_text() == "£1,897.46"
    assert page.get_by_test_id("calc-total").inner_text() == "£56,923.80"
    assert page.get_by_role("img", name="Cost per child, item by item").is_visible()
    assert (
        page.get_by_test_id("calc-breakdown").get_by_role("rowheader", name="Delivery").is_visible()
    )
    assert_accessible(axe, page)


def test_calculator_errors_point_at_the_field_and_pass_axe(page, axe, site):
    response = page.goto(f"{site}/programmes/programme-2/cost/?children=lots")
    assert response.status == 400
    errors = page.get_by_test_id("calculator-errors")
    assert "found 'lots'" in errors.inner_text()
    errors.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "calc-children"
    assert_accessible(axe, page)


def test_the_calculator_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/programmes/programme-2/cost/")
    page.get_by_label("Children or families to serve").fill("12")
    page.get_by_role("button", name="Work out the cost").click()
    assert page.get_by_test_id("calc-total").is_visible()
    context.close()


def test_the_downloads_page_passes_axe_and_the_zip_downloads(page, axe, site):
    page.goto(f"{site}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Open data").click()
    assert page.get_by_test_id("rows-programmes").inner_text() == "2"
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_test_id("download-zip").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert "datapackage.json" in names and "programmes.csv" in names
