"""The crosswalk in Debian's Chromium: the /crosswalk/ page filters its rows and lists
every difference, the programme page's "Rated under other clearinghouses' rules" table
shows each clearinghouse with the published rating's source, both pass axe-core and
neither scrolls sideways on a phone."""

import pytest

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.publishing import publish
from guidebook.interchange.demo import demo_records
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

# Programmes with published PSC or Blueprints ratings, and one with neither.
SLUGS = [
    "family-nurse-partnership",
    "paths-elementary-curriculum",
    "incredible-years-toddler",
    "coping-power",
    "mellow-toddlers",
]
PHONES = [320, 390]


@pytest.fixture
def site(transactional_db, live_server):
    for record in demo_records():
        if record.slug in SLUGS:
            publish(save_record(record, reason="Crosswalk browser test"), note="Test")
    return live_server.url


@pytest.fixture
def open_at(browser):
    contexts = []

    def open_page(width=1280, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _row_texts(page, test_id):
    return [row.inner_text() for row in page.get_by_test_id(test_id).all()]


def test_the_crosswalk_page_passes_axe_and_lists_every_difference(open_at, site, axe):
    page = open_at()
    page.goto(site + "/crosswalk/")
    assert page.get_by_role("heading", level=1).is_visible()
    summary = page.get_by_test_id("agreement-table")
    assert summary.get_by_role("row").count() > 1
    differences = _row_texts(page, "disagreement")
    assert differences, "the demo programmes cannot all agree"
    unexplained = [row for row in differences if row.split("\t")[-1].strip() == "—"]
    assert not unexplained, unexplained
    assert_accessible(axe, page)


@pytest.mark.parametrize("javascript", [True, False])
def test_the_filters_narrow_the_rows_to_one_pair_and_outcome(open_at, site, javascript):
    page = open_at(javascript=javascript)
    page.goto(site + "/crosswalk/")
    everything = len(_row_texts(page, "disagreement"))
    page.get_by_label("Standards").select_option("eif / psc-1.0")
    page.get_by_label("Outcome").select_option("not comparable")
    page.get_by_role("button", name="Filter").click()
    assert "pair=eif+%2F+psc-1.0" in page.url and "outcome=not+comparable" in page.url
    rows = _row_texts(page, "disagreement")
    assert 0 < len(rows) < everything
    assert all("eif / psc-1.0" in row and "not comparable" in row for row in rows), rows
    # The filter keeps its choices, and the CSV link carries them.
    assert page.get_by_label("Standards").input_value() == "eif / psc-1.0"
    csv_link = page.get_by_role("link", name="These rows as CSV").get_attribute("href")
    assert "pair=eif+%2F+psc-1.0" in csv_link


def test_the_programme_page_table_shows_each_clearinghouse_and_its_source(open_at, site, axe):
    page = open_at()
    page.goto(site + "/programmes/family-nurse-partnership/")
    section = page.get_by_test_id("crosswalk")
    assert section.get_by_role(
        "heading", name="Rated under other clearinghouses' rules"
    ).is_visible()
    table = page.get_by_test_id("crosswalk-table")
    rows = table.get_by_test_id("crosswalk-row")
    assert rows.count() >= 2
    psc = rows.filter(has_text="Title IV-E Prevention Services Clearinghouse")
    assert "handbook 1.0" in psc.inner_text()
    source = psc.get_by_role("link", name="Source", exact=False)
    assert source.get_attribute("href").startswith("https://preventionservices.acf.hhs.gov/")
    # Not rated on facts the record lacks: the cell says what it needs instead.
    cells = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("Cannot be rated: needs" in cell or "Not yet implemented" in cell for cell in cells)
    section.get_by_role("link", name="The whole catalogue compared").click()
    assert page.url == site + "/crosswalk/"
    page.go_back()
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_nothing_scrolls_sideways_and_axe_finds_nothing(open_at, site, axe, width):
    page = open_at(width)
    for address in ("/crosswalk/", "/programmes/family-nurse-partnership/"):
        page.goto(site + address)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{address}: scroll width {scroll_width}"
        assert_accessible(axe, page)
    page.goto(site + "/crosswalk/")
    page.get_by_label("Outcome").select_option("differ")
    page.get_by_role("button", name="Filter").click()
    assert "outcome=differ" in page.url
