"""The programme page in Debian's Chromium: renders, passes axe, works without JS."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def ipp_live(transactional_db, live_server, ipp_record):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    publish(save_record(ipp_record))
    return live_server.url + "/programmes/infant-parent-psychotherapy/"


def test_the_ipp_page_shows_3_plus_and_passes_axe(page, axe, ipp_live):
    page.goto(ipp_live)
    assert page.get_by_test_id("evidence-rating").inner_text() == "3+"
    assert page.get_by_test_id("cost-rating").inner_text() == "4"
    assert page.get_by_role("heading", name="What does the plus mean?").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Infant-Parent Psychotherapy"
    assert_accessible(axe, page)


def test_the_page_works_without_javascript(browser, ipp_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(ipp_live)
    assert page.get_by_test_id("evidence-rating").inner_text() == "3+"
    page.get_by_text("Every rule checked for this rating").click()
    asks = "For a 4: more than one rigorous study found a child outcome improved."
    assert page.get_by_role("cell", name=asks).is_visible()
    assert page.get_by_role("cell", name="Only Study 2; 2 are needed.").is_visible()
    context.close()


def test_the_json_link_opens_the_twin(page, ipp_live):
    page.goto(ipp_live)
    page.get_by_role("link", name="This page as data (JSON)").click()
    assert '"value": "3+"' in page.content()


def test_the_programme_list_passes_axe(page, axe, ipp_live, live_server):
    page.goto(live_server.url + "/programmes/")
    page.get_by_role("link", name="Infant-Parent Psychotherapy").click()
    assert page.url == ipp_live
    page.goto(live_server.url + "/programmes/")
    assert_accessible(axe, page)


@pytest.fixture
def imported_live(transactional_db, live_server, ipp_data):
    """IPP with its appraisals removed: its page shows the rating published elsewhere."""
    from tests.public.published import programme_data, store

    data = programme_data(ipp_data, "imported-ipp", "Imported IPP")
    for study in data["studies"]:
        study["appraisal"] = None
    data["imported"] |= {"evidence_rating": "4", "cost_rating": "3"}
    # Without its number of sessions the cost model gives NA, so the published band shows.
    data["cost"] = dict(data["cost"], sessions=None)
    store(data)
    return live_server.url + "/programmes/imported-ipp/"


def test_an_imported_rating_page_says_so_in_one_sentence_and_passes_axe(page, axe, imported_live):
    page.goto(imported_live)
    assert page.get_by_test_id("evidence-rating").inner_text() == "4 (imported)"
    assert page.get_by_test_id("cost-rating").inner_text() == "3 (imported)"
    basis = page.get_by_test_id("rating-basis").inner_text()
    assert "the studies behind it are not yet appraised here" in basis
    assert "NL2" not in page.locator("main").inner_text()
    page.get_by_role("link", name="what imported means").first.click()
    assert page.url.endswith("/standards/how-to-read/#imported-ratings")
    assert page.get_by_role("heading", name="Imported ratings").is_visible()
    page.goto(imported_live)
    assert_accessible(axe, page)
