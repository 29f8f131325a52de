"""The whole editorial journey in Debian's Chromium: a provider submits a new programme,
an assessor logs the search and its study, two reviewers appraise it independently,
the consensus settles their disagreement, the facts are checked, the panel signs off,
and the public catalogue shows the programme with its computed rating."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.editorial.conftest import LEVEL_3_ANSWERS

pytestmark = pytest.mark.browser

PASSWORD = "journey-password"
PEOPLE = {
    "provider": "provider",
    "assessor": "assessor",
    "reviewer1": "reviewer",
    "reviewer2": "reviewer",
    "panel": "panel member",
}
NAME = "Little Steps Together"


@pytest.fixture
def staff(transactional_db, settings):
    from django.contrib.auth.models import Group, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for username, role in PEOPLE.items():
        user = User.objects.create_user(username, password=PASSWORD, is_staff=role != "provider")
        user.groups.add(Group.objects.get(name=role))


@pytest.fixture
def sign_in(browser, live_server):
    contexts = []

    def open_as(username, javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/staff/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return page

    yield open_as
    for context in contexts:
        context.close()


def _open_round(page):
    page.get_by_role("link", name=NAME).click()


def _move(page, label):
    page.get_by_role("button", name=label).click()
    assert page.get_by_role("status").is_visible()


def _answer_criteria(page, answers):
    for criterion_id, answer in answers.items():
        name = criterion_id.replace(".", "__")
        if isinstance(answer, bool):
            page.locator(f"#id_{name}_{0 if answer else 1}").check()
        else:
            page.locator(f"#id_{name}").fill(str(answer))


def _appraise(page, answers, axe=None):
    _open_round(page)
    page.get_by_role("link", name="Study 1").click()
    page.get_by_role("link", name="Your appraisal of Study 1").click()
    _answer_criteria(page, answers)
    if axe:
        assert_accessible(axe, page)
    page.get_by_role("button", name="Submit the appraisal").click()
    assert page.get_by_text("Your appraisal of Study 1 is submitted.").is_visible()


def test_a_new_programme_goes_from_submission_to_the_public_catalogue(
    staff, sign_in, axe, live_server, page
):
    # The provider fills in the questionnaire, saves a draft, resumes and submits it,
    # with JavaScript off: every screen is a plain HTML form.
    provider = sign_in("provider", javascript=False)
    assert provider.get_by_role("heading", name="Your programmes").is_visible()
    provider.get_by_role("link", name="Submit a new programme").click()
    provider.get_by_label("Programme name").fill(NAME)
    provider.get_by_role("button", name="Save as a draft").click()
    assert provider.get_by_text("Your draft is saved.").is_visible()
    # axe needs JavaScript: the same draft is checked in a second, scripted session.
    checker = sign_in("provider")
    checker.goto(provider.url)
    assert checker.get_by_label("Programme name").input_value() == NAME
    assert_accessible(axe, checker)
    provider.get_by_role("button", name="Submit for assessment").click()
    assert provider.get_by_role("heading", name="There is a problem").is_visible()
    assert provider.get_by_role(
        "link", name="Summary: Expected an answer, found none."
    ).is_visible()
    provider.get_by_label("Summary").fill(
        "Group sessions helping parents of toddlers play and talk."
    )
    provider.get_by_label("Toddlers").check()
    provider.get_by_label("Group", exact=True).check()
    provider.get_by_label("Number of sessions").fill("10")
    provider.get_by_label("Evaluations you know of").fill(
        "Rahman et al (2020) | https://doi.org/10.1000/ls1"
    )
    provider.get_by_role("button", name="Submit for assessment").click()
    assert provider.get_by_text("Your programme is submitted").is_visible()

    # The assessor logs the search, includes the trial and enters its finding.
    assessor = sign_in("assessor")
    assert_accessible(axe, assessor)
    _open_round(assessor)
    _move(assessor, "Start the evidence search")
    assessor.get_by_role("link", name="Evidence search log").click()
    assert assessor.get_by_text("Rahman et al (2020)").is_visible()
    assessor.get_by_label("Source searched").fill("PsycINFO")
    assessor.get_by_label("Date searched").fill("2024-05-02")
    assessor.get_by_label("Records found").fill("14")
    assessor.get_by_role("button", name="Log the search").click()
    assessor.get_by_label("Citation").fill("Rahman et al (2020)")
    assessor.get_by_label("Included", exact=True).check()
    assessor.get_by_label("Reason for the decision").fill(
        "Randomised trial of the manualised programme"
    )
    assessor.get_by_label("Design (for an included study)").select_option("rct")
    assessor.get_by_role("button", name="Record the decision").click()
    assert_accessible(axe, assessor)
    assessor.get_by_role("link", name="Study 1").click()
    assessor.get_by_label("Outcome (required)", exact=True).fill("Better language skills")
    assessor.get_by_label("Category").select_option("school-achievement")
    assessor.get_by_label("Who reported it").select_option("assessor")
    # The trial reports a p value: entered value by value, it gives direction and
    # significance, so the finding counts.
    assessor.get_by_label("Statistics reported").select_option("p")
    assessor.locator("summary", has_text="A two-sided p value").click()
    assessor.get_by_label("p (p)").fill("0.01")
    assessor.locator("#id_p__n_treatment").fill("60")
    assessor.locator("#id_p__n_comparison").fill("58")
    assessor.locator("#id_p__favours_treatment").select_option("yes")
    assessor.get_by_role("button", name="Add the finding").click()
    assert assessor.get_by_role("cell", name="Better language skills", exact=True).is_visible()
    assessor.get_by_role("link", name=f"Back to round 1 of {NAME}").click()
    _move(assessor, "Finish the search and start appraisal")

    # Two reviewers appraise on their own; they disagree on one criterion.
    reviewer1 = sign_in("reviewer1")
    _appraise(reviewer1, LEVEL_3_ANSWERS)
    reviewer2 = sign_in("reviewer2")
    _appraise(reviewer2, {**LEVEL_3_ANSWERS, "analysis.intention-to-treat": False}, axe)
    assert_accessible(axe, reviewer2)

    # The consensus settles the disagreement; the standard levels the study from it.
    reviewer1.reload()
    reviewer1.get_by_role("link", name="Study 1").click()
    reviewer1.get_by_role("link", name="Compare the appraisals and settle the consensus").click()
    assert reviewer1.get_by_test_id("disagreement-count").inner_text().startswith("1 of 17")
    assert_accessible(axe, reviewer1)
    reviewer1.locator("#id_analysis__intention-to-treat_0").check()
    reviewer1.get_by_label("How the disagreements were settled").fill(
        "The trial analysed every family as randomised."
    )
    reviewer1.get_by_role("button", name="Settle the consensus").click()
    assert reviewer1.get_by_test_id("study-level").inner_text() == "Level 3"

    assessor.reload()
    _move(assessor, "Send for expert review")
    reviewer1.get_by_role("link", name=f"Back to round 1 of {NAME}").click()
    _move(reviewer1, "Finish the review and ask the provider to check the facts")

    # The provider checks the facts and approves them.
    provider.goto(live_server.url + "/staff/provider/")
    provider.get_by_role("link", name=f"Check the facts of {NAME}").click()
    assert provider.get_by_test_id("draft-rating").inner_text() == "3"
    checker.goto(provider.url)
    assert_accessible(axe, checker)
    provider.get_by_label("Yes, approve them").check()
    provider.get_by_role("button", name="Send your answer").click()
    assert provider.get_by_text("The facts are approved").is_visible()

    # Nothing is public until the panel signs it off.
    assert page.goto(live_server.url + "/programmes/little-steps-together/").status == 404
    panel = sign_in("panel")
    _open_round(panel)
    assert panel.get_by_test_id("assessment-state").inner_text() == "Panel sign-off"
    _move(panel, "Sign off and publish")
    assert panel.get_by_test_id("assessment-state").inner_text() == "Published"

    # The public catalogue lists it with the computed rating.
    page.goto(live_server.url + "/programmes/")
    page.get_by_role("link", name=NAME).click()
    assert page.get_by_test_id("evidence-rating").inner_text() == "3"
    assert page.get_by_role("heading", level=1).inner_text() == NAME
