"""The catalogue in Debian's Chromium: filtering, searching, paging, axe, no JavaScript."""

import re

import pytest

from tests.api.fixture_catalogue import publish_catalogue
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, live_server):
    publish_catalogue()
    return live_server.url


def result_names(page):
    return page.locator('[data-testid="results"] h3').all_inner_texts()


def show(page):
    page.get_by_role("button", name="Show programmes").first.click()


def test_ticking_filters_narrows_the_list_and_the_address_can_be_shared(page, site):
    page.goto(site + "/programmes/")
    assert len(result_names(page)) == 6
    page.get_by_role("checkbox", name=re.compile(r"^Infants")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Toddlers")).check()
    page.get_by_role("checkbox", name=re.compile(r"^No \(")).first.check()
    show(page)
    assert "age_group=infants" in page.url and "age_group=toddlers" in page.url
    assert result_names(page) == ["Foxtrot Nurse Visits"]
    assert page.get_by_test_id("result-count").inner_text() == "1 programme matches your search"
    shared = page.url
    page.goto(site + "/programmes/")
    page.goto(shared)
    assert result_names(page) == ["Foxtrot Nurse Visits"]
    assert page.get_by_role("checkbox", name=re.compile(r"^Infants")).is_checked()


def test_searching_and_sorting(page, site):
    page.goto(site + "/programmes/")
    page.get_by_label("Search programmes").fill("nurses")
    page.get_by_label("Sort by").select_option("-cost")
    page.get_by_label("Search programmes").press("Enter")
    assert result_names(page) == ["Alpha Home Visits", "Foxtrot Nurse Visits"]
    assert page.get_by_label("Search programmes").input_value() == "nurses"
    page.get_by_role("link", name="Clear all filters").click()
    assert len(result_names(page)) == 6


def test_paging_and_the_other_list(page, site):
    page.goto(site + "/programmes/?page_size=4")
    assert len(result_names(page)) == 4
    page.get_by_role("link", name="Next page").click()
    assert result_names(page) == ["Echo Online Coaching", "Foxtrot Nurse Visits"]
    page.get_by_test_id("other-list").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Programmes not listed"
    assert result_names(page) == ["Golf Mentoring", "Hotel Youth Club"]


def test_the_catalogue_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/programmes/")
    page.get_by_role("checkbox", name=re.compile(r"^Evidence-based")).check()
    page.get_by_label("Search programmes").fill("home")
    show(page)
    assert result_names(page) == ["Alpha Home Visits"]
    context.close()


@pytest.mark.parametrize(
    "address",
    [
        "/programmes/",
        "/programmes/not-listed/",
        "/programmes/?age_group=infants&rating=evidence-based&q=nurses&page_size=1",
        "/programmes/?age_group=teens",
    ],
)
def test_the_catalogue_pages_pass_axe(page, axe, site, address):
    page.goto(site + address)
    assert_accessible(axe, page)


def test_the_skip_link_takes_the_keyboard_to_the_results(page, site):
    page.goto(site + "/programmes/?q=nurses")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    assert skip.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    heading = page.get_by_test_id("result-count")
    assert heading.evaluate("heading => heading === document.activeElement")
    assert heading.inner_text() == "2 programmes match your search"
    assert page.title().startswith("2 programmes match your search")
