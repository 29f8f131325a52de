"""The standards pages in Debian's Chromium: axe finds nothing, and they work without JS."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PAGES = [
    "/standards/",
    "/standards/eif-2017/",
    "/standards/eif-2018/",
    "/standards/cost/",
    "/standards/how-to-read/",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_standards_page_passes_axe(page, axe, live_server, transactional_db, url):
    page.goto(live_server.url + url)
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(axe, page)


def test_the_main_navigation_leads_to_every_standard(browser, live_server, transactional_db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/standards/cost/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Standards").click()
    assert page.url == live_server.url + "/standards/"
    page.get_by_role("link", name="EIF evidence standard, 2018 (with mixed findings)").click()
    assert page.get_by_role("heading", name="What the asterisk means").is_visible()
    page.get_by_role("link", name="This page as data (JSON)").click()
    assert '"key": "eif-2018"' in page.content()
    context.close()
