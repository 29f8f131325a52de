"""Emails to the people the workflow waits for: sent once the change commits, never
when it is refused or rolled back, and a failure to send never undoes the change."""

import logging
from smtplib import SMTPException

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from guidebook.editorial import notifications, registration, workflow
from guidebook.editorial.models import ProviderApplication, State
from tests.editorial.conftest import NEW_PROVIDER, pending_application

S = State
SITE = "https://guidebook.example.org"
SENDER = "Guidebook <guidebook@guidebook.example.org>"
APPLICANT = "amara.okafor@example.org"
LOGGER = "guidebook.editorial.notifications"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.GUIDEBOOK_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = SENDER


@pytest.fixture
def addressed(personas):
    """The personas, each with an email address at the example domain."""
    for user in personas.values():
        user.email = f"{user.username}@guidebook.example"
        user.save(update_fields=["email"])
    return personas


def _to(*names):
    return {f"{name}@guidebook.example" for name in names}


def _sent():
    """Recipient → message; every message goes to exactly one person."""
    assert all(len(message.to) == 1 for message in mail.outbox)
    return {message.to[0]: message for message in mail.outbox}


# --- One row per event ------------------------------------------------------------------
# Each row sets the scene (nothing is sent while it does), then makes the change and
# returns what the message's link is built from.


def _move(state, action, persona, comment=""):
    def prepare(personas, make_round):
        return make_round(state)

    def act(personas, assessment):
        workflow.move(assessment, action, personas[persona], comment)
        return assessment

    return prepare, act


def _fact_check_link(assessment):
    return SITE + reverse("editorial:fact_check", args=[assessment.pk])


def _round_link(assessment):
    return SITE + assessment.get_absolute_url()


def _public_link(assessment):
    return SITE + reverse("public:programme_detail", args=[assessment.programme.slug])


_ASK_FOR_ACCOUNT = (
    lambda personas, make_round: None,
    lambda personas, _: pending_application(email=APPLICANT),
)
_APPROVE = (
    lambda personas, make_round: pending_application(email=APPLICANT),
    lambda personas, application: registration.approve(application.pk, by=personas["editor"]),
)
_DECLINE = (
    lambda personas, make_round: pending_application(email=APPLICANT),
    lambda personas, application: registration.decline(
        application.pk, by=personas["editor"], reason="Runs no programme"
    ),
)


EVENTS = [
    pytest.param(
        _move(S.EXPERT_REVIEW, "ask-provider", "reviewer"),
        _to("provider"),
        "Please check the facts about Sure Start Steps",
        _fact_check_link,
        id="fact check waiting",
    ),
    pytest.param(
        _move(S.PANEL_SIGN_OFF, workflow.SEND_BACK, "panel", "The cost is out of date"),
        _to("provider"),
        "Please check the facts about Sure Start Steps",
        _fact_check_link,
        id="fact check waiting again, sent back by the panel",
    ),
    pytest.param(
        _move(S.PROVIDER_CHECK, "approve-facts", "provider", "All correct"),
        _to("panel", "editor"),
        "Sure Start Steps: the facts are approved",
        _round_link,
        id="facts approved",
    ),
    pytest.param(
        _move(S.PROVIDER_CHECK, workflow.SEND_BACK, "provider", "We run 12 sessions, not 10"),
        _to("reviewer", "reviewer2", "editor"),
        "Sure Start Steps: corrections to the facts",
        _round_link,
        id="corrections sent",
    ),
    pytest.param(
        _move(S.PANEL_SIGN_OFF, "sign-off", "panel"),
        _to("provider"),
        "Sure Start Steps is published in the Guidebook",
        _public_link,
        id="programme published",
    ),
    pytest.param(
        _ASK_FOR_ACCOUNT,
        _to("editor", "admin"),
        "Request for a provider account: Amara Okafor",
        lambda _: SITE + reverse("editorial:applications"),
        id="account requested",
    ),
    pytest.param(
        _APPROVE,
        {APPLICANT},
        "Your Guidebook provider account is ready",
        lambda _: SITE + reverse("editorial:login"),
        id="account approved",
    ),
    pytest.param(
        _DECLINE,
        {APPLICANT},
        "Your request for a Guidebook provider account",
        lambda _: "Runs no programme",
        id="account declined, with the reason",
    ),
]


@pytest.mark.parametrize(("event", "recipients", "subject", "in_body"), EVENTS)
def test_each_event_tells_the_right_people_with_a_link(
    addressed, make_round, django_capture_on_commit_callbacks, event, recipients, subject, in_body
):
    prepare, act = event
    scene = prepare(addressed, make_round)
    with django_capture_on_commit_callbacks(execute=True):
        changed = act(addressed, scene)
    sent = _sent()
    assert set(sent) == recipients
    for message in sent.values():
        assert message.subject == subject
        assert in_body(changed) in message.body
        assert message.from_email == SENDER


def test_the_comment_on_the_facts_reaches_the_next_people(
    addressed, make_round, django_capture_on_commit_callbacks
):
    assessment = make_round(S.PROVIDER_CHECK)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(assessment, workflow.SEND_BACK, addressed["provider"], "12 sessions, not 10")
    body = _sent()["editor@guidebook.example"].body
    assert "were sent by provider" in body
    assert "12 sessions, not 10" in body


@pytest.mark.parametrize(
    ("state", "action", "persona"),
    [
        (S.SUBMITTED, "start-search", "assessor"),
        (S.APPRAISAL, workflow.SEND_BACK, "editor"),
        (S.EXPERT_REVIEW, workflow.SEND_BACK, "reviewer"),
    ],
)
def test_other_moves_send_nothing(
    addressed, make_round, django_capture_on_commit_callbacks, state, action, persona
):
    assessment = make_round(state)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.move(assessment, action, addressed[persona], "a reason")
    assert callbacks == []
    assert mail.outbox == []


def test_whoever_made_the_change_is_not_told_of_it(
    addressed, make_round, django_capture_on_commit_callbacks
):
    assessment = make_round(S.PROVIDER_CHECK)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(assessment, workflow.SEND_BACK, addressed["editor"], "Wrong cost year")
    assert set(_sent()) == _to("reviewer", "reviewer2")


# --- Nothing is sent for a change that does not happen ---------------------------------


def test_a_refused_move_sends_nothing(addressed, make_round, django_capture_on_commit_callbacks):
    assessment = make_round(S.EXPERT_REVIEW)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(workflow.TransitionRefused):
            workflow.move(assessment, "ask-provider", addressed["assessor"])
        with pytest.raises(workflow.TransitionRefused):
            workflow.move(assessment, "approve-facts", addressed["provider"])
    assert callbacks == []
    assert mail.outbox == []


def test_a_refused_answer_to_the_fact_check_sends_nothing(
    client, addressed, make_round, django_capture_on_commit_callbacks
):
    assessment = make_round(S.PANEL_SIGN_OFF)
    client.force_login(addressed["provider"])
    url = reverse("editorial:answer_fact_check", args=[assessment.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert callbacks == []
    assert mail.outbox == []


def test_a_move_rolled_back_sends_nothing(
    addressed, make_round, django_capture_on_commit_callbacks
):
    assessment = make_round(S.EXPERT_REVIEW)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.move(assessment, "ask-provider", addressed["reviewer"])
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert mail.outbox == []
    assessment.refresh_from_db()
    assert assessment.state == S.EXPERT_REVIEW


def test_a_decision_made_twice_is_told_once(addressed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = pending_application(email=APPLICANT)
        registration.approve(application.pk, by=addressed["editor"])
        with pytest.raises(registration.AlreadyDecided):
            registration.decline(application.pk, by=addressed["editor"], reason="Changed my mind")
    assert [m.subject for m in mail.outbox if m.to == [APPLICANT]] == [
        "Your Guidebook provider account is ready"
    ]


@pytest.mark.django_db(transaction=True)
def test_mail_goes_only_when_the_transaction_really_commits(addressed):
    application = pending_application(email=APPLICANT)
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        registration.approve(application.pk, by=addressed["editor"])
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.is_pending
    registration.approve(application.pk, by=addressed["editor"])
    assert [m.to for m in mail.outbox] == [[APPLICANT]]


# --- Failures and missing addresses -----------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    """A mail server that turns every message away."""

    def send_messages(self, email_messages):
        raise SMTPException("550 mailbox unavailable")


def test_a_failure_to_send_is_logged_and_the_decision_stands(
    client, addressed, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    application = pending_application(email=APPLICANT)
    client.force_login(addressed["editor"])
    url = reverse("editorial:approve_application", args=[application.pk])
    with (
        caplog.at_level(logging.ERROR, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1
    application.refresh_from_db()
    assert application.status == ProviderApplication.Status.APPROVED
    assert User.objects.get(username=APPLICANT).is_active
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.ERROR
    assert APPLICANT in record.getMessage()
    assert "550 mailbox unavailable" in record.getMessage()


def test_one_failure_does_not_stop_the_other_messages(addressed, monkeypatch, caplog):
    def send_mail(subject, body, from_email, to):
        if to == ["panel@guidebook.example"]:
            raise SMTPException("421 try again later")
        mail.outbox.append(to)
        return 1

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    addresses = sorted(_to("panel", "editor"))
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        sent = notifications.deliver(addresses, notifications.Message("Hi", "Body"))
    assert sent == 1
    assert mail.outbox == [["editor@guidebook.example"]]
    assert "panel@guidebook.example: 421 try again later" in caplog.text


def test_people_without_an_address_are_skipped_and_logged(
    addressed, caplog, django_capture_on_commit_callbacks
):
    addressed["admin"].email = ""
    addressed["admin"].save(update_fields=["email"])
    with (
        caplog.at_level(logging.INFO, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        pending_application(email=APPLICANT)
    assert set(_sent()) == _to("editor")
    assert "No email address for admin" in caplog.text


def test_nobody_with_an_address_means_nothing_is_queued(
    personas, make_round, django_capture_on_commit_callbacks
):
    assessment = make_round(S.EXPERT_REVIEW)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.move(assessment, "ask-provider", personas["reviewer"])
    assert callbacks == []
    assert mail.outbox == []


def test_a_round_without_a_provider_asks_nobody(
    addressed, make_round, caplog, django_capture_on_commit_callbacks
):
    assessment = make_round(S.EXPERT_REVIEW, provider=None)
    with (
        caplog.at_level(logging.INFO, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.move(assessment, "ask-provider", addressed["reviewer"])
    assert mail.outbox == []
    assert "names no provider" in caplog.text


def test_inactive_editors_are_not_told_of_requests(addressed, django_capture_on_commit_callbacks):
    addressed["editor"].is_active = False
    addressed["editor"].save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        pending_application(email=APPLICANT)
    assert set(_sent()) == _to("admin")


def test_a_subject_never_carries_a_line_break(addressed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pending_application(email=APPLICANT, full_name="Amara\nBcc: everyone@example.org")
    assert {m.subject for m in mail.outbox} == {
        "Request for a provider account: Amara Bcc: everyone@example.org"
    }


def test_the_registration_page_tells_the_editors(
    client, addressed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editorial:register"), NEW_PROVIDER)
    assert response.status_code == 302
    assert set(_sent()) == _to("editor", "admin")
