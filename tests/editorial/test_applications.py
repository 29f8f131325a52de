"""Editors approve or decline requests for provider accounts; each decision is recorded."""

import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from guidebook.editorial import roles
from guidebook.editorial.models import ProviderApplication
from tests.editorial.conftest import NEW_PROVIDER, pending_application

APPLICATIONS = reverse("editorial:applications")
EMAIL = "amara.okafor@example.org"


def _approve(client, application):
    return client.post(reverse("editorial:approve_application", args=[application.pk]))


def _decline(client, application, reason):
    url = reverse("editorial:decline_application", args=[application.pk])
    return client.post(url, {"reason": reason})


def _page(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def editor_client(client, personas):
    client.force_login(personas["editor"])
    return client


def test_it_lists_the_requests_waiting_and_the_decisions_made(editor_client, personas):
    waiting = pending_application(email=EMAIL)
    declined = pending_application(email="b@example.org", full_name="Ben Ahmed")
    _decline(editor_client, declined, "Runs no programme")
    page = _page(editor_client.get(APPLICATIONS))
    waiting_part, decided_part = page.split("Waiting for a decision")[1].split("Recent decisions")
    assert "Amara Okafor" in waiting_part
    assert "Little Steps Trust" in waiting_part
    approve = reverse("editorial:approve_application", args=[waiting.pk])
    assert f'action="{approve}"' in waiting_part
    assert "Ben Ahmed" not in waiting_part
    for shown in ("Ben Ahmed", "b@example.org", "Declined", "editor", "Runs no programme"):
        assert shown in decided_part


def test_approving_makes_a_provider_who_can_sign_in(editor_client, personas):
    application = pending_application(email=EMAIL)
    response = _approve(editor_client, application)
    assert response.status_code == 302
    assert response["Location"] == APPLICATIONS
    application.refresh_from_db()
    assert application.status == ProviderApplication.Status.APPROVED
    assert application.decided_by == personas["editor"]
    assert application.decided_at is not None
    user = application.user
    assert user.is_active
    assert not user.is_staff
    assert roles.roles_of(user) == [roles.PROVIDER]
    assert user.has_perm("editorial.submit_programme")

    editor_client.logout()
    signed_in = editor_client.post(
        reverse("editorial:login"),
        {"username": EMAIL, "password": NEW_PROVIDER["password1"]},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("editorial:provider_home")
    assert "You have not started a questionnaire yet." in _page(signed_in)
    assert editor_client.get(reverse("editorial:submission_new")).status_code == 200


def test_declining_needs_a_reason(editor_client, personas):
    application = pending_application(email=EMAIL)
    response = _decline(editor_client, application, "   ")
    assert response.status_code == 400
    page = _page(response)
    assert "Reason for declining: Write the reason for declining this request." in page
    assert f'id="reason-{application.pk}" rows="2" aria-describedby=' in page
    application.refresh_from_db()
    assert application.is_pending
    assert application.decided_by is None


def test_declining_records_the_reason_and_the_account_stays_shut(editor_client, personas):
    application = pending_application(email=EMAIL)
    response = _decline(editor_client, application, "  We could not find the programme.  ")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ProviderApplication.Status.DECLINED
    assert application.reason == "We could not find the programme."
    assert application.decided_by == personas["editor"]
    assert application.decided_at is not None
    assert not application.user.is_active
    assert not application.user.groups.exists()


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("approve", "decline"),
        ("decline", "approve"),
        ("decline", "decline"),
        ("approve", "approve"),
    ],
)
def test_a_decision_once_made_is_not_made_again(editor_client, personas, first, then):
    application = pending_application(email=EMAIL)
    act = {"approve": _approve, "decline": lambda c, a: _decline(c, a, "No")}
    act[first](editor_client, application)
    application.refresh_from_db()
    before = (application.status, application.decided_at, application.reason)
    response = act[then](editor_client, application)
    assert response.status_code == 409
    assert "is already" in _page(response)
    application.refresh_from_db()
    assert (application.status, application.decided_at, application.reason) == before


def test_declining_one_already_decided_without_a_reason_says_it_is_decided(editor_client):
    application = pending_application(email=EMAIL)
    _approve(editor_client, application)
    response = _decline(editor_client, application, "")
    assert response.status_code == 409
    assert "is already approved" in _page(response)


def test_an_unknown_request_is_not_found(editor_client):
    assert _approve(editor_client, ProviderApplication(pk=999)).status_code == 404


def test_every_decision_is_kept_in_the_history_with_who_made_it(editor_client, personas):
    application = pending_application(email=EMAIL)
    _approve(editor_client, application)
    kept = application.history.order_by("history_date", "history_id")
    assert [row.status for row in kept] == ["pending", "approved"]
    assert kept.last().history_user == personas["editor"]


@pytest.mark.parametrize(
    ("persona", "shown"), [("editor", True), ("admin", True), ("assessor", False)]
)
def test_the_staff_home_counts_the_requests_waiting_for_editors(client, personas, persona, shown):
    pending_application(email=EMAIL)
    pending_application(email="b@example.org")
    client.force_login(personas[persona])
    page = _page(client.get(reverse("editorial:home")))
    assert ("Requests for provider accounts (2 waiting)" in page) is shown


def test_only_editors_and_administrators_hold_the_permission_to_decide(db):
    holders = Group.objects.filter(permissions__codename="decide_provider_application")
    assert set(holders.values_list("name", flat=True)) == {roles.EDITOR, roles.ADMINISTRATOR}
