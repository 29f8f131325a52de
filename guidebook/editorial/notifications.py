"""Emails that tell people when the editorial workflow is waiting for them.

One function per event. Each works out who should hear, writes a short plain-text
message with a link to the page that needs them, and leaves the sending until the
database transaction commits (``transaction.on_commit``): a move that is refused or
rolled back sends nothing. Sending is the last thing that happens and may fail; a
failure is logged with the address and the reason, and the action it follows stands.

Each person gets their own message, so no one sees who else was told. People without
an email address are skipped (logged at info), and so is whoever made the change
that caused the message: they know already.

Links are built from ``GUIDEBOOK_SITE_URL``, as a message is read away from the
request that sent it. The mail backend is chosen in ``guidebook/settings.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from guidebook.editorial import roles
from guidebook.editorial.models import Assessment, ProviderApplication, State, StateChange

logger = logging.getLogger(__name__)

DECIDE_APPLICATIONS = "editorial.decide_provider_application"
SIGN_OFF = "Guidebook editorial team"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


# --- The events ------------------------------------------------------------------------


def fact_check_waiting(assessment: Assessment, change: StateChange) -> None:
    """A round reached the provider check: ask the round's provider to look."""
    programme = assessment.programme.name
    link = site_link(reverse("editorial:fact_check", args=[assessment.pk]))
    message = Message(
        f"Please check the facts about {programme}",
        f"The evidence team has assessed {programme}.\n"
        "Before the evidence panel signs it off, please check the facts.\n\n"
        "Read the record as it would be published, then approve it or send corrections:\n"
        f"{link}\n",
    )
    if assessment.provider is None:
        logger.info("Round %s names no provider: nobody asked to check its facts", assessment)
    send_later(_providers(assessment), message, by=change.by)


def fact_check_answered(assessment: Assessment, change: StateChange, next_permission: str) -> None:
    """The facts were approved or corrections sent: tell who moves the round next.

    ``next_permission`` is the permission of the forward move that now waits (the
    panel's sign-off after approval, the reviewers' hand-back after corrections);
    the roles granting it are told, and the editors, who look after every round.
    """
    programme = assessment.programme.name
    link = site_link(assessment.get_absolute_url())
    who = _name(change.by)
    if change.to_state == State.PANEL_SIGN_OFF:
        subject = f"{programme}: the facts are approved"
        news = f"The facts of {programme} were approved by {who}.\nThe panel can now sign it off."
    else:
        subject = f"{programme}: corrections to the facts"
        news = (
            f"Corrections to the facts of {programme} were sent by {who}.\n"
            "The round is back with the reviewers."
        )
    comment = f"\nThe comment:\n{change.comment}\n" if change.comment else ""
    body = f"{news}\n{comment}\nThe round: {link}\n"
    recipients = _holding_roles([*_roles_granting(next_permission), roles.EDITOR])
    send_later(recipients, Message(subject, body), by=change.by)


def programme_published(assessment: Assessment, change: StateChange) -> None:
    """The panel signed a round off: tell the provider where the public page is."""
    programme = assessment.programme
    link = site_link(reverse("public:programme_detail", args=[programme.slug]))
    message = Message(
        f"{programme.name} is published in the Guidebook",
        f"The assessment of {programme.name} is signed off and published.\n\n"
        f"Its public page, with the rating and the reasons for it:\n{link}\n",
    )
    send_later(_providers(assessment), message, by=change.by)


def account_requested(application: ProviderApplication) -> None:
    """Someone asked for a provider account: tell everyone who may decide on it."""
    link = site_link(reverse("editorial:applications"))
    message = Message(
        f"Request for a provider account: {application.full_name}",
        f"{application.full_name} of {application.organisation} asks for a provider account\n"
        f"for: {application.programmes}\n\n"
        f"Approve or decline the request here:\n{link}\n",
    )
    deciders = User.objects.with_perm(DECIDE_APPLICATIONS).order_by("username")
    send_later(deciders, message)


def account_decided(application: ProviderApplication) -> None:
    """An editor approved or declined a request: tell the person who asked."""
    if application.status == ProviderApplication.Status.APPROVED:
        link = site_link(reverse("editorial:login"))
        message = Message(
            "Your Guidebook provider account is ready",
            f"Dear {application.full_name},\n\n"
            "Your request for a provider account is approved. Sign in with your email\n"
            f"address and the password you chose:\n{link}\n",
        )
    else:
        message = Message(
            "Your request for a Guidebook provider account",
            f"Dear {application.full_name},\n\n"
            "Your request for a provider account was declined, for this reason:\n\n"
            f"{application.reason}\n\n"
            f"The public guidebook is still open to everyone: {site_link('/')}\n",
        )
    send_later([application.user], message, by=application.decided_by)


# --- Who hears, and how it is sent -------------------------------------------------------


def site_link(path: str) -> str:
    """An absolute link to a page of this site."""
    return f"{settings.GUIDEBOOK_SITE_URL}{path}"


def _name(user: User | None) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def _providers(assessment: Assessment) -> list[User]:
    return [assessment.provider] if assessment.provider is not None else []


def _roles_granting(permission: str) -> list[str]:
    """The roles whose own table grants ``permission`` (administrators hold every one,
    and are told only through another role they hold)."""
    return [role for role, granted in roles.ROLE_PERMISSIONS.items() if permission in granted]


def _holding_roles(names: Iterable[str]) -> Iterable[User]:
    return (
        User.objects.filter(is_active=True, groups__name__in=list(names))
        .distinct()
        .order_by("username")
    )


def send_later(recipients: Iterable[User], message: Message, by: User | None = None) -> None:
    """Send ``message`` to each recipient once the current transaction commits."""
    addresses = []
    for user in recipients:
        if by is not None and user.pk == by.pk:
            continue
        if not user.email:
            logger.info("No email address for %s: %r not sent to them", user, message.subject)
            continue
        addresses.append(user.email)
    if addresses:
        transaction.on_commit(lambda: deliver(addresses, message))


def deliver(addresses: Iterable[str], message: Message) -> int:
    """Send one copy per address; a failure is logged, never raised. Returns how many went."""
    # Header lines cannot hold line breaks; names typed into forms might.
    subject = " ".join(message.subject.split())
    body = f"{message.body}\n-- \n{SIGN_OFF}\n"
    sent = 0
    for address in addresses:
        try:
            sent += send_mail(subject, body, None, [address])
        # Whatever went wrong (server down, address refused, a bad header), the action
        # this message follows has happened and must stand.
        except Exception as error:
            logger.error("Could not send %r to %s: %s", subject, address, error)
    return sent
