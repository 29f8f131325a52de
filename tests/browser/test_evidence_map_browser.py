"""The evidence map in Debian's Chromium, over the demo catalogue, at desktop and phone width.

The two questions the map is for, each answered in two clicks from /map/:

- "What has level 3+ evidence for mental health in adolescents?": the "Only level 3
  and above" link, then the cell of that outcome area and age group, which opens
  the catalogue filtered to it;
- "Which outcomes have no rated programme for infants?": "Show the gaps", then
  "Infants".

Both pages pass axe with no violation, work with the keyboard and without JavaScript.
"""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def site(transactional_db, live_server):
    call_command("demo", verbosity=0)
    return live_server.url


def sized_page(browser, width, javascript=True):
    w, h = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": w, "height": h}, java_script_enabled=javascript
    )
    return context, context.new_page()


def expected_cell(page, site, query, category, column):
    data = page.request.get(f"{site}/map.json?{query}").json()
    row = next(r for r in data["rows"] if r["category"] == category and r["outcome"] is None)
    return next(c for c in row["cells"] if c["column"] == column)


def result_slugs(page):
    hrefs = page.locator('[data-testid="results"] h3 a').evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return {href.strip("/").split("/")[-1] for href in hrefs}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_level_3_evidence_for_mental_health_in_adolescents_in_two_clicks(browser, axe, site, width):
    context, page = sized_page(browser, width)
    page.goto(site + "/map/")
    assert_accessible(axe, page)
    expected = expected_cell(page, site, "rating=evidence-based", "mental-health", "adolescents")
    assert expected["level_3_or_above"] >= 1
    page.get_by_test_id("map-level-3").click()  # click 1
    assert page.url.endswith("/map/?rating=evidence-based")
    if width == "desktop":
        cell = page.locator("svg.evidence-map a.map-cell").filter(
            has=page.locator(
                "title",
                has_text=re.compile(
                    r"^Supporting children's mental health and wellbeing, Adolescents:"
                ),
            )
        )
    else:
        cell = page.locator(
            'tr.map-category:has(th:text-is("Supporting children\'s mental health and wellbeing")) td[data-column="adolescents"] a'
        )
    cell.click()  # click 2
    assert "outcome_category=mental-health" in page.url and "age_group=adolescents" in page.url
    assert "rating=evidence-based" in page.url
    assert result_slugs(page) == {p["slug"] for p in expected["programme_list"]}
    ratings = page.get_by_test_id("result-rating").all_inner_texts()
    assert ratings and all(re.match(r"^[34]", rating) for rating in ratings)
    assert_accessible(axe, page)
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_outcomes_with_no_rated_programme_for_infants_in_two_clicks(browser, axe, site, width):
    context, page = sized_page(browser, width)
    page.goto(site + "/map/")
    gaps = page.request.get(f"{site}/map/gaps.json?column=infants").json()["gaps"]
    unrated = [gap for gap in gaps if gap["no_rated_programme"]]
    assert unrated
    page.get_by_test_id("map-gaps").click()  # click 1
    page.get_by_test_id("gap-column-infants").click()  # click 2
    assert page.get_by_role("heading", level=1).inner_text() == "Gaps in the evidence: Infants"
    listed = page.get_by_test_id("unrated-infants").locator("li > a").all_inner_texts()
    labels = {gap["outcome"] or "" for gap in unrated if gap["outcome"]}
    assert {text for text in listed} >= labels
    assert len(listed) == len(unrated)
    assert page.get_by_test_id("unrated-infants").is_visible()
    assert_accessible(axe, page)
    context.close()


def test_the_map_is_keyboard_navigable(browser, site):
    context, page = sized_page(browser, "desktop")
    page.goto(site + "/map/")
    page.keyboard.press("Tab")  # the skip link of every page
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    first_cell = page.locator("svg.evidence-map a.map-cell").first
    first_cell.focus()
    assert page.evaluate("document.activeElement.getAttribute('class')") == "map-cell"
    link = page.locator('[data-testid="map-table"] td a').first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/programmes/"))
    assert "outcome_category=mental-health" in page.url
    context.close()


def test_the_map_works_without_javascript(browser, site):
    context, page = sized_page(browser, "phone", javascript=False)
    page.goto(site + "/map/")
    page.get_by_text("Filter the programmes counted").click()
    page.get_by_label("Columns show").select_option("targeting")
    page.get_by_role("checkbox", name="Evidence-based (3 and above)").check()
    page.get_by_role("button", name="Show the map").click()
    assert "columns=targeting" in page.url and "rating=evidence-based" in page.url
    assert page.get_by_role("columnheader", name="Universal").is_visible()
    page.get_by_test_id("map-gaps").click()
    assert "columns=targeting" in page.url
    assert page.get_by_test_id("gaps-universal").is_visible()
    context.close()


@pytest.mark.parametrize(
    "address", ["/map/?columns=setting", "/map/gaps/", "/map/?columns=country"]
)
def test_other_map_pages_pass_axe(page, axe, site, address):
    page.goto(site + address)
    assert_accessible(axe, page)
