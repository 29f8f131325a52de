"""Every public page on a phone, in Debian's Chromium: nothing wider than the screen, the
whole navigation in view, the catalogue's results before its filters, a compare table
whose names stay in sight, and axe-core at 0 violations on every page, at phone and
desktop widths."""

import pytest

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.publishing import publish
from guidebook.interchange.demo import demo_records
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

# Demo programmes that between them show every kind of programme page: computed with
# long references (IPP), mixed findings (Coping Power), level 4 (PATHS), a forest plot
# and an asterisk (FNP), not listed (Mellow Toddlers) and imported (Selected Seminars).
SLUGS = [
    "infant-parent-psychotherapy",
    "coping-power",
    "paths-elementary-curriculum",
    "family-nurse-partnership",
    "mellow-toddlers",
    "selected-seminars-stepping-stones-triple-p",
]
COMPARE = "/compare/?" + "&".join(f"p={slug}" for slug in SLUGS[:4])
PUBLIC_PAGES = [
    "/",
    "/programmes/",
    "/programmes/not-listed/",
    *(f"/programmes/{slug}/" for slug in SLUGS),
    "/programmes/infant-parent-psychotherapy/cost/",
    "/programmes/coping-power/cost/?children=40",
    COMPARE,
    "/shortlist/",
    "/standards/",
    "/standards/eif-2017/",
    "/standards/eif-2018/",
    "/standards/cost/",
    "/standards/how-to-read/",
    "/methodology/effect-sizes/",
    "/downloads/",
]
PHONES = [320, 390]
NAVIGATION = ["Programmes", "Not listed", "Standards", "Shortlist", "Open data"]


@pytest.fixture
def site(transactional_db, live_server):
    for record in demo_records():
        if record.slug in SLUGS:
            publish(save_record(record, reason="Phone layout test"), note="Test")
    return live_server.url


@pytest.fixture
def phone(browser):
    contexts = []

    def open_at(width, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


def _shortlist_some(page, site):
    for slug in SLUGS[:3]:
        page.goto(f"{site}/programmes/{slug}/")
        page.get_by_role("button", name="Add to shortlist").click()


def _too_wide(page, width):
    """The widest thing on the page when it is wider than the screen, else ''."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return "" if scroll_width <= width else f"scroll width {scroll_width}"


@pytest.mark.parametrize("width", PHONES)
def test_no_public_page_scrolls_sideways_on_a_phone(phone, site, width):
    page = phone(width)
    _shortlist_some(page, site)
    wide = {}
    for address in PUBLIC_PAGES:
        response = page.goto(site + address)
        assert response.status == 200, address
        if problem := _too_wide(page, width):
            wide[address] = problem
    assert wide == {}


@pytest.mark.parametrize("width", PHONES)
def test_every_navigation_item_is_on_the_screen_and_legible(phone, site, axe, width):
    page = phone(width)
    page.goto(site + "/programmes/")
    navigation = page.get_by_role("navigation", name="Main")
    for name in NAVIGATION:
        box = navigation.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, name
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [320, 1280])
def test_every_public_page_passes_axe_on_a_phone_and_a_desktop(phone, site, axe, width):
    page = phone(width)
    _shortlist_some(page, site)
    for address in PUBLIC_PAGES:
        page.goto(site + address)
        assert_accessible(axe, page)


def test_on_a_phone_the_filters_fold_behind_a_button_and_results_come_first(phone, site):
    page = phone(390)
    page.goto(site + "/programmes/")
    infants = page.get_by_role("checkbox", name="Infants", exact=False).first
    assert not infants.is_visible()
    first_result = page.get_by_test_id("results").get_by_role("heading").first.bounding_box()
    assert first_result["y"] < 1.5 * 800, "the first result is within a screen and a half"
    page.get_by_text("Filters", exact=True).click()
    assert infants.is_visible()


def test_the_folded_filters_work_without_javascript(phone, site):
    page = phone(390, javascript=False)
    page.goto(site + "/programmes/")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_role("checkbox", name="Infants", exact=False).first.check()
    page.get_by_role("button", name="Show programmes").last.click()
    assert "age_group=infants" in page.url
    # Filters chosen: they stay unfolded, so the reader sees what narrowed the list.
    assert page.get_by_role("checkbox", name="Infants", exact=False).first.is_checked()
    assert page.get_by_role("checkbox", name="Infants", exact=False).first.is_visible()


def test_on_a_wide_screen_the_filters_show_beside_the_results(phone, site):
    page = phone(1280)
    page.goto(site + "/programmes/")
    assert page.get_by_role("checkbox", name="Infants", exact=False).first.is_visible()
    assert not page.get_by_text("Filters", exact=True).is_visible()


def test_the_compare_table_keeps_names_in_view_as_it_scrolls(phone, site):
    page = phone(390)
    page.goto(site + COMPARE)
    region = page.get_by_role("region")
    region.evaluate("box => box.scrollTo(box.scrollWidth, 300)")
    row_name = page.get_by_role("rowheader", name="Evidence rating").bounding_box()
    region_box = region.bounding_box()
    assert abs(row_name["x"] - region_box["x"]) < 3, "row names stay at the left"
    last = page.get_by_role("columnheader").last.bounding_box()
    assert abs(last["y"] - region_box["y"]) < 60, "programme names stay at the top"
    assert last["x"] + last["width"] <= 390 + 1, "the last programme can be scrolled to"
