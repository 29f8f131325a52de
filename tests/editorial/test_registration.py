"""Asking for a provider account: the form's checks, what it writes, who may sign in,
and the limit on requests from one address."""

import html

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from guidebook.editorial import registration
from guidebook.editorial.models import ProviderApplication
from tests.editorial.conftest import NEW_PROVIDER, PASSWORD, pending_application

REGISTER = reverse("editorial:register")
LOGIN = reverse("editorial:login")
EMAIL = "amara.okafor@example.org"


def _ask(client, address="10.0.0.1", **changes):
    return client.post(REGISTER, {**NEW_PROVIDER, **changes}, REMOTE_ADDR=address)


def _page(response):
    return html.unescape(response.content.decode())


def test_it_shows_the_form_to_a_visitor(client, db):
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = _page(response)
    for label in ("Full name", "Email address", "Organisation", "Programmes you represent"):
        assert f">{label} <span" in page
    assert 'autocomplete="new-password"' in page
    assert "at least 8 characters" in page  # the validators' own hint


def test_it_makes_an_inactive_account_and_a_pending_application(client, db):
    response = _ask(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:register_sent")
    user = User.objects.get()
    assert user.username == user.email == EMAIL  # lower-cased
    assert not user.is_active
    assert not user.is_staff
    assert not user.groups.exists()
    assert user.check_password(NEW_PROVIDER["password1"])
    application = ProviderApplication.objects.get()
    assert (application.user, application.status) == (user, ProviderApplication.Status.PENDING)
    assert application.full_name == "Amara Okafor"
    assert application.organisation == "Little Steps Trust"
    assert application.programmes == "Little Steps Together"
    assert application.decided_by is None


def test_the_page_after_says_an_editor_will_review_it(client, db):
    response = client.get(_ask(client)["Location"])
    page = _page(response)
    assert "An editor will review your request" in page
    assert "You can sign in once it is approved" in page


# What is changed in a good request, and the message shown, beginning with the field.
PROBLEMS = [
    (
        {"email": "not-an-email"},
        "Email address: Enter an email address in the form name@example.org.",
    ),
    ({"email": ""}, "Email address: Enter your email address."),
    (
        {"email": "AMARA.okafor@EXAMPLE.org"},
        "Email address: An account with this email address exists already.",
    ),
    (
        {"email": "Staff.Member@example.org"},
        "Email address: An account with this email address exists already.",
    ),
    (
        {"password2": "quiet-harbour-lantern-43"},
        "Password again: The two passwords are different. Type the same one twice.",
    ),
    (
        {"password1": "short1", "password2": "short1"},
        "Password: This password is too short. It must contain at least 8 characters.",
    ),
    (
        {"password1": "password123", "password2": "password123"},
        "Password: This password is too common.",
    ),
    (
        {"password1": "4081975362", "password2": "4081975362"},
        "Password: This password is entirely numeric.",
    ),
    (
        {
            "email": "new@example.org",
            "password1": "new@example.org",
            "password2": "new@example.org",
        },
        "Password: The password is too similar to the email address.",
    ),
    ({"password2": ""}, "Password again: Type the password again."),
    ({"organisation": ""}, "Organisation: Enter the name of your organisation."),
    ({"organisation": "   "}, "Organisation: Enter the name of your organisation."),
    ({"full_name": ""}, "Full name: Enter your full name."),
    ({"programmes": ""}, "Programmes you represent: Name at least one programme you represent."),
]


@pytest.mark.parametrize(("changes", "message"), PROBLEMS)
def test_each_problem_is_named_by_its_field_and_nothing_is_written(client, db, changes, message):
    pending_application(email=EMAIL)
    User.objects.create_user("staff", email="staff.member@example.org")
    users_before = User.objects.count()
    response = _ask(client, **changes)
    assert response.status_code == 400
    page = _page(response)
    assert "There is a problem" in page
    assert message in page
    assert User.objects.count() == users_before
    assert ProviderApplication.objects.count() == 1


def test_a_signed_in_user_is_sent_home_and_nothing_is_written(client, personas):
    client.force_login(personas["provider"])
    response = client.post(REGISTER, {**NEW_PROVIDER, "email": "other@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:home")
    assert not ProviderApplication.objects.exists()


def _sign_in(client, username, password=NEW_PROVIDER["password1"]):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize("decision", ["pending", "declined"])
def test_an_undecided_or_declined_account_cannot_sign_in_and_is_not_told_why(
    client, personas, decision
):
    application = pending_application(email=EMAIL)
    if decision == "declined":
        registration.decline(application.pk, by=personas["editor"], reason="Not a provider")
    refused = _sign_in(client, EMAIL)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    # Exactly what an address with no account at all is told.
    unknown = _sign_in(client, "nobody-here@example.org")
    assert _errors(refused) == _errors(unknown)
    assert _errors(refused)[0].startswith("Please enter a correct username and password")


def _errors(response):
    return list(response.context["form"].non_field_errors())


def test_an_approved_provider_signs_in_with_the_address_in_any_case(client, personas):
    application = pending_application(email=EMAIL)
    registration.approve(application.pk, by=personas["editor"])
    response = _sign_in(client, "Amara.OKAFOR@example.org")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == application.user.pk


def test_an_account_made_with_capitals_in_its_username_still_signs_in(client, db):
    User.objects.create_user("Chief.Editor@example.org", password=PASSWORD)
    assert _sign_in(client, "Chief.Editor@example.org", PASSWORD).status_code == 302


def test_requests_from_one_address_are_limited_and_refused_with_429(client, db):
    for attempt in range(registration.REQUESTS_PER_ADDRESS):
        # Mistakes count too: the limit is on forms sent, not on accounts made.
        assert _ask(client, email=f"person{attempt}@", address="10.0.0.1").status_code == 400
    refused = _ask(client, address="10.0.0.1")
    assert refused.status_code == 429
    assert "Too many requests for an account have been sent from your address" in _page(refused)
    assert not User.objects.exists()
    # Another address is not held back; nor is a visitor merely reading the form.
    assert _ask(client, address="10.0.0.2").status_code == 302
    assert client.get(REGISTER, REMOTE_ADDR="10.0.0.1").status_code == 200


def test_behind_a_trusted_proxy_requests_are_counted_per_visitor(client, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for attempt in range(registration.REQUESTS_PER_ADDRESS):
        client.post(
            REGISTER,
            {**NEW_PROVIDER, "email": f"person{attempt}@"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        REGISTER, NEW_PROVIDER, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7"
    )
    assert other.status_code == 302


def test_the_sign_in_page_and_the_public_footer_link_to_the_form(client, ipp):
    assert f'href="{REGISTER}"' in client.get(LOGIN).content.decode()
    assert f'href="{REGISTER}"' in client.get(reverse("public:programme_list")).content.decode()
