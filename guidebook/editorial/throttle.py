"""Failed-login throttling: a username is locked out from an address after repeated failures.

After ``LOGIN_FAILURE_LIMIT`` failed sign-ins for one username from one address within
``LOGIN_LOCKOUT_SECONDS``, every further attempt for that pair is refused, right
password or not, until the window has passed. Counting per username and address
stops guessing at one account without letting a stranger lock its owner out from
everywhere.

Each attempt is counted in the database before the password is checked
(``guidebook.editorial.attempts``), so every app-server process counts the same
attempts, with or without Redis, and guesses sent in parallel cannot slip past the
limit; a right password clears the count. Built here rather than taken from
django-axes because that library needs the request passed to every ``authenticate``
call and its own tables, while this needs a few lines.

Every sign-in path goes through ``ThrottledModelBackend``: the staff sign-in page,
which answers 429 with a plain message, and the admin's, which refuses as for a
wrong password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guidebook.editorial import attempts


def client_address(request: HttpRequest | None) -> str:
    """The address a request came from, seen through the proxies we trust.

    Behind a front cache or a TLS proxy every request reaches Django from the proxy's
    address, so counting by ``REMOTE_ADDR`` alone would lock a username out for
    everyone. When ``REMOTE_ADDR`` is one of ``TRUSTED_PROXIES``, the address is the
    last one in ``X-Forwarded-For`` that is not itself a trusted proxy: each proxy
    appends the address it was reached from, so entries to the left of it could have
    been written by the client and are never believed.
    """
    if request is None:
        return "unknown"
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    trusted = set(settings.TRUSTED_PROXIES)
    if address not in trusted:
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return address


def _key(username: str, address: str) -> str:
    return attempts.key_for("sign-in", username.strip().lower(), address)


def failures(username: str, address: str) -> int:
    return attempts.attempts(_key(username, address))


def is_locked_out(username: str, address: str) -> bool:
    return failures(username, address) >= settings.LOGIN_FAILURE_LIMIT


def lockout_minutes() -> int:
    return max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))


class ThrottledModelBackend(ModelBackend):
    """Django's username-and-password check, refused while the pair is locked out."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        key = _key(username, client_address(request))
        if not attempts.take(key, settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCKOUT_SECONDS):
            # PermissionDenied stops Django trying other backends and counts as a failure.
            raise PermissionDenied("too many failed sign-in attempts")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            attempts.forget(key)
        return user
