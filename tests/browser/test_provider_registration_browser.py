"""Asking for a provider account, in Debian's Chromium: a visitor asks from the public
site, cannot sign in while the request waits, an editor approves it (and declines
another, with a reason), and the new provider signs in and starts a submission."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "registration-journey-password"
EMAIL = "amara.okafor@example.org"
PASSWORD = "quiet-harbour-lantern-42"


@pytest.fixture
def editor(transactional_db, settings):
    from django.contrib.auth.models import Group, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("editor", password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))


@pytest.fixture
def other_request(editor):
    """A second request, to be declined."""
    from tests.editorial.conftest import pending_application

    return pending_application(email="ben.ahmed@example.org", full_name="Ben Ahmed")


@pytest.fixture
def new_page(browser):
    """A page in a browser context of its own (its own cookies), closed after the test."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def _sign_in(page, base, username, password):
    page.goto(base + "/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _fill_request(page, again):
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("Email address").fill("Amara.Okafor@Example.org")
    page.get_by_label("Organisation").fill("Little Steps Trust")
    page.get_by_label("Programmes you represent").fill("Little Steps Together")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(again)
    page.get_by_role("button", name="Ask for an account").click()


def test_a_visitor_asks_an_editor_approves_and_the_provider_starts_a_submission(
    editor, other_request, new_page, axe, live_server
):
    base = live_server.url
    visitor, staff = new_page(), new_page()

    # The visitor finds the form from the public site and makes one mistake first.
    visitor.goto(base + "/programmes/")
    visitor.get_by_role("link", name="Ask for a provider account").click()
    assert visitor.get_by_role("heading", name="Ask for a provider account").is_visible()
    assert_accessible(axe, visitor)
    _fill_request(visitor, again="quiet-harbour-lantern-43")
    assert visitor.get_by_role("heading", name="There is a problem").is_visible()
    assert visitor.get_by_role(
        "link", name="Password again: The two passwords are different. Type the same one twice."
    ).is_visible()
    assert_accessible(axe, visitor)
    _fill_request(visitor, again=PASSWORD)
    assert visitor.get_by_text("An editor will review your request").is_visible()

    # While the request waits, the account cannot sign in.
    _sign_in(visitor, base, EMAIL, PASSWORD)
    assert visitor.get_by_text("Please enter a correct username and password").is_visible()

    # The editor sees two requests waiting, declines one (a reason is required) and
    # approves the other.
    _sign_in(staff, base, "editor", STAFF_PASSWORD)
    staff.get_by_role("link", name="Requests for provider accounts (2 waiting)").click()
    assert_accessible(axe, staff)
    staff.get_by_role("button", name="Decline the request from Ben Ahmed").click()
    assert staff.get_by_role(
        "link", name="Reason for declining: Write the reason for declining this request."
    ).is_visible()
    assert_accessible(axe, staff)
    staff.get_by_label("Reason for declining the request from Ben Ahmed").fill(
        "We could not find a programme run by this organisation."
    )
    staff.get_by_role("button", name="Decline the request from Ben Ahmed").click()
    assert staff.get_by_text("The request from Ben Ahmed is declined.").is_visible()
    staff.get_by_role("button", name="Approve the request from Amara Okafor").click()
    assert staff.get_by_text("can now sign in as a provider").is_visible()
    assert staff.get_by_text("No request is waiting.").is_visible()
    decisions = staff.get_by_role("table", name="Decided requests, newest first")
    assert decisions.get_by_role("cell", name="Approved").is_visible()
    assert decisions.get_by_role(
        "cell", name="We could not find a programme run by this organisation."
    ).is_visible()
    assert_accessible(axe, staff)

    # The new provider signs in, has no programmes yet, and opens the questionnaire.
    _sign_in(visitor, base, EMAIL, PASSWORD)
    assert visitor.get_by_role("heading", name="Your programmes").is_visible()
    assert visitor.get_by_text("You have not started a questionnaire yet.").is_visible()
    visitor.get_by_role("link", name="Submit a new programme").click()
    assert visitor.get_by_label("Programme name").is_visible()
