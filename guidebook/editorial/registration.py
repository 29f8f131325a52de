"""Provider accounts asked for by the providers themselves, and decided by an editor.

A request makes an inactive account (its username is the email address, lower-cased)
and a pending ``ProviderApplication``. Approving it activates the account and adds
it to the provider group; declining it records the reason and leaves the account
inactive, so it can never sign in. Every change to an application is kept by
django-simple-history, with the editor who made it. The editors hear of each request
by email, and the person who asked hears of the decision
(``guidebook.editorial.notifications``).

Requests are counted per address in the database, like failed sign-ins, so every
worker counts the same (``guidebook.editorial.attempts``; the address is
``throttle.client_address``, which sees through trusted proxies). Every form sent
counts, valid or not, so the page can neither make accounts in bulk nor test many
email addresses for an account; ten an hour leaves room for a person's own mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from guidebook.editorial import attempts, notifications, roles
from guidebook.editorial.models import ProviderApplication

REQUESTS_PER_ADDRESS = 10
REQUEST_WINDOW_SECONDS = 60 * 60


class AlreadyDecided(Exception):
    """The application was approved or declined before; a decision is never remade here."""

    def __init__(self, application: ProviderApplication) -> None:
        status = application.get_status_display().lower()
        super().__init__(f"The request from {application.full_name} is already {status}.")


@dataclass(frozen=True)
class AccountRequest:
    """What the registration form collected, already checked."""

    full_name: str
    email: str
    organisation: str
    programmes: str
    password: str


def email_is_taken(email: str) -> bool:
    """Whether any account already uses this address, as username or email, in any case."""
    return (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def ask_for_account(request: AccountRequest) -> ProviderApplication:
    """Make the inactive account and its pending application."""
    email = request.email.strip().lower()
    user = User.objects.create_user(
        username=email, email=email, password=request.password, is_active=False
    )
    application = ProviderApplication.objects.create(
        user=user,
        full_name=request.full_name,
        organisation=request.organisation,
        programmes=request.programmes,
    )
    notifications.account_requested(application)
    return application


def _pending(pk: int) -> ProviderApplication:
    """The application, locked for the decision; refused if it was decided already."""
    application = ProviderApplication.objects.select_for_update().select_related("user").get(pk=pk)
    if not application.is_pending:
        raise AlreadyDecided(application)
    return application


def _record_decision(
    application: ProviderApplication, status: str, by: User, reason: str = ""
) -> None:
    application.status = status
    application.decided_by = by
    application.decided_at = timezone.now()
    application.reason = reason
    application.save()


@transaction.atomic
def approve(pk: int, by: User) -> ProviderApplication:
    """Activate the account and give it the provider role."""
    application = _pending(pk)
    application.user.is_active = True
    application.user.save(update_fields=["is_active"])
    application.user.groups.add(Group.objects.get(name=roles.PROVIDER))
    _record_decision(application, ProviderApplication.Status.APPROVED, by)
    notifications.account_decided(application)
    return application


@transaction.atomic
def decline(pk: int, by: User, reason: str) -> ProviderApplication:
    """Record the reason; the account stays inactive and keeps no role."""
    application = _pending(pk)
    if not reason.strip():
        raise ValueError("a reason is required to decline a request")
    _record_decision(application, ProviderApplication.Status.DECLINED, by, reason.strip())
    notifications.account_decided(application)
    return application


def take_request(address: str) -> bool:
    """Count a request from ``address``; ``False`` once it has sent its hour's share."""
    key = attempts.key_for("account-request", address)
    return attempts.take(key, REQUESTS_PER_ADDRESS, REQUEST_WINDOW_SECONDS)
