"""Failed-login throttling: a username is locked out from an address after repeated failures.

After ``LOGIN_FAILURE_LIMIT`` failed sign-ins for one username from one address within
``LOGIN_LOCKOUT_SECONDS``, every further attempt for that pair is refused, right
password or not, until the window has passed. Counting per username and address
stops guessing at one account without letting a stranger lock its owner out from
everywhere.

The counters live in Django's cache. Built here rather than taken from django-axes
because that library needs the request passed to every ``authenticate`` call and
its own tables, while this needs forty lines; the price is that with several
app-server processes the cache must be shared (set ``REDIS_URL``) for the limit to
hold across them, as the operations notes say.

Every sign-in path goes through ``ThrottledModelBackend``: the staff sign-in page,
which answers 429 with a plain message, and the admin's, which refuses as for a
wrong password.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

_PREFIX = "guidebook:login-failures:"


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
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return _PREFIX + digest


def failures(username: str, address: str) -> int:
    return int(cache.get(_key(username, address), 0))


def is_locked_out(username: str, address: str) -> bool:
    return failures(username, address) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    # The window starts at the first failure and is not extended by later ones.
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(username: str, address: str) -> None:
    cache.delete(_key(username, address))


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
        if username is not None and is_locked_out(username, client_address(request)):
            # PermissionDenied stops Django trying other backends and counts as a failure.
            raise PermissionDenied("too many failed sign-in attempts")
        return super().authenticate(request, username=username, password=password, **kwargs)


def _on_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = credentials.get("username")
    if username:
        record_failure(str(username), client_address(request))


def _on_success(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    clear_failures(user.get_username(), client_address(request))


def connect_signals() -> None:
    user_login_failed.connect(_on_failure, dispatch_uid="editorial-login-failed")
    user_logged_in.connect(_on_success, dispatch_uid="editorial-logged-in")
