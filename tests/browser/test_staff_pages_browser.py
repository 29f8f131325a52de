"""Staff screens in Debian's Chromium: axe-core at 0 violations on each, the change
history included, at desktop and phone widths; the statistics form entered field by
field and its errors reached from the summary."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.editorial.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    _fast_passwords,
    appraised,
    make_round,
    personas,
)

pytestmark = pytest.mark.browser


# Elements that reach past the right edge of the screen, outside any scrolling box.
WIDER_THAN_THE_SCREEN = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => !el.closest('.table-scroll'))
  .map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 30))
  .slice(0, 8)"""


@pytest.fixture
def assessor(browser, live_server, transactional_db, appraised):  # noqa: F811
    def open_at(width):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(live_server.url + "/staff/login/")
        page.get_by_label("Username").fill("assessor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        opened.append(context)
        return page

    opened = []
    study = appraised.programme.studies.get()
    base = live_server.url + "/staff"
    addresses = {
        "dashboard": f"{base}/",
        "round": f"{live_server.url}{appraised.get_absolute_url()}",
        "search": f"{base}/assessments/{appraised.pk}/search/",
        "study": f"{base}/assessments/{appraised.pk}/studies/{study.pk}/",
        "consensus": f"{base}/assessments/{appraised.pk}/studies/{study.pk}/consensus/",
        "history": f"{base}/programmes/{appraised.programme.slug}/history/",
        "readiness": f"{base}/assessments/{appraised.pk}/readiness/",
        "finding facts": (
            f"{base}/assessments/{appraised.pk}/studies/{study.pk}/findings/"
            f"{study.findings.get().pk}/crosswalk/"
        ),
    }
    yield open_at, addresses
    for context in opened:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_staff_screen_passes_axe(assessor, axe, width):
    open_at, addresses = assessor
    page = open_at(width)
    for name, address in addresses.items():
        response = page.goto(address)
        assert response.status == 200, name
        assert_accessible(axe, page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            name,
            page.evaluate(WIDER_THAN_THE_SCREEN, width),
        )


def test_statistics_are_entered_field_by_field_and_a_mistake_is_named(assessor, axe):
    open_at, addresses = assessor
    page = open_at(1280)
    page.goto(addresses["study"])
    page.get_by_role("textbox", name="Outcome (required)").fill("Fewer tantrums")
    page.get_by_label("Statistics reported").select_option("p")
    page.locator("summary", has_text="A two-sided p value").click()
    page.get_by_label("p (p)").fill("3")
    page.locator("#id_p__n_treatment").fill("40")
    page.get_by_role("button", name="Add the finding").click()
    summary = page.get_by_role("alert")
    message = "p (p): expected a number from 0 to 1, found '3'."
    assert message in summary.inner_text()
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.name") == "p__p"
    assert_accessible(axe, page)


def test_how_a_study_was_run_is_entered_and_a_mistake_is_named(assessor, axe):
    open_at, addresses = assessor
    page = open_at(390)
    page.goto(addresses["study"])
    form = page.get_by_test_id("conduct-form")
    form.get_by_label("Run in a usual care or practice setting").select_option("Yes")
    form.get_by_label("Overall attrition (a fraction from 0 to 1)").fill("1.5")
    form.get_by_role("button", name="Save how the study was run").click()
    summary = page.get_by_role("alert")
    message = "Field 'overall_attrition': expected a number <= 1, found 1.5."
    assert message in summary.inner_text()
    assert_accessible(axe, page)
    form = page.get_by_test_id("conduct-form")
    form.get_by_label("Overall attrition (a fraction from 0 to 1)").fill("0.12")
    form.get_by_role("button", name="Save how the study was run").click()
    assert page.get_by_text("How Study 1 was run is saved.").is_visible()
    preview = page.get_by_test_id("crosswalk-preview")
    assert "usual care setting" not in preview.inner_text()
