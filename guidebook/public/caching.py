"""Whole-response caching for public pages that every visitor sees alike.

A cached page is keyed by the catalogue version (``publishing.catalogue_version``),
the scheme, the host and the full path with its query string. Every publication
moves the version on, so it retires every cached page at once and nothing is ever
deleted key by key. The store is Django's default cache: Redis when ``REDIS_URL`` is
set, so all workers share it, else each process's own memory.

Who is served from the cache: GET requests outside any open database transaction,
without the language cookie. A visitor with state of their own (a session, which
signed-in staff and visitors with a shortlist have; messages waiting) is served only
pages that were rendered without reading the session or the messages: the catalogue
pages, the API, the standards pages. A page that did read them (the programme page
shows whether it is on the shortlist) is rendered afresh for them and never stored
from their request. ``Cache-Control: no-cache`` on a request (a hard reload) renders
the page afresh and stores the new copy. What is stored: 200 responses that are not
streamed, set no cookie of their own, and are not marked ``private`` or ``no-store``.

A page with a form carries a CSRF token tied to the visitor's CSRF cookie, so one
visitor's token must never reach another. Such a page is stored with its tokens
(the ``csrfmiddlewaretoken`` fields Django's ``{% csrf_token %}`` writes) replaced by
a placeholder, and each visitor served from the cache gets a token of their own in
its place; a page that used the token anywhere else is not stored at all.

Entries expire after ``PAGE_CACHE_SECONDS``: with per-process memory caches a
publication made in one worker does not reach the others, and the expiry bounds how
long they can lag.

When shared front caches are configured (``FRONT_CACHES``), a page that may be
stored here and carries no visitor's token also says ``Cache-Control: max-age=0,
s-maxage=FRONT_CACHE_SECONDS``: browsers ask again each time, a front cache may keep
it, and every publication clears those caches (``guidebook.catalogue.front_caches``).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers

from guidebook.catalogue.publishing import catalogue_version

__all__ = ["CACHE_HEADER", "cache_public_page", "page_cache_key"]

CACHE_HEADER = "X-Guidebook-Cache"
"""Says whether a response came from the page cache ("hit") or was just stored ("miss")."""

DEFAULT_SECONDS = 300

# Where a stored page had a CSRF token; never a valid token (those are alphanumeric).
_TOKEN_PLACEHOLDER = b"{guidebook-csrf-token}"
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def page_cache_key(request: HttpRequest) -> str:
    """The cache key of a public page: catalogue version, then a digest of the address."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()
    return f"guidebook:page:{catalogue_version()}:{digest}"


def cache_public_page(view: View) -> View:
    """Serve the view's response from the cache when the same page was rendered before."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        own_state = _has_own_state(request)
        key = page_cache_key(request)
        stored = None if _asks_for_a_fresh_page(request) else cache.get(key)
        if stored is not None and (stored.same_for_everyone or not own_state):
            return stored.serve(request)
        response = view(request, *args, **kwargs)
        if not own_state and _shared_caches_may_keep(request, response):
            patch_cache_control(response, max_age=0, s_maxage=settings.FRONT_CACHE_SECONDS)
        page = _StoredPage.of(request, response)
        # A page that read this visitor's session or messages is theirs alone.
        if page is not None and (page.same_for_everyone or not own_state):
            cache.set(key, replace(page, body=zlib.compress(page.body, 1)), _seconds())
            response[CACHE_HEADER] = "miss"
        return response

    return cast(View, cached_view)


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def _has_own_state(request: HttpRequest) -> bool:
    """Whether the visitor brings a session or waiting messages a page could show."""
    own = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return bool(own & set(request.COOKIES))


def _asks_for_a_fresh_page(request: HttpRequest) -> bool:
    """``Cache-Control: no-cache`` (a browser's hard reload): render, then store anew."""
    directives = request.headers.get("Cache-Control", "").lower().replace(" ", "").split(",")
    return "no-cache" in directives


def _may_use_cache(request: HttpRequest) -> bool:
    # Cookies are checked rather than request.user: reading the user loads the
    # session, which costs a query. A chosen language could change any page, so its
    # cookie keeps a visitor out of the cache altogether. Inside an open transaction a
    # page may show (or miss) changes not yet committed, and a publication in it has
    # not yet moved the catalogue version on, so the cache is neither read nor
    # written there.
    return (
        request.method == "GET"
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        and not connection.in_atomic_block
    )


@dataclass(frozen=True)
class _StoredPage:
    """A response as plain values any cache backend can keep."""

    status: int
    body: bytes
    """Compressed (zlib, fastest level) once stored: a programme page keeps in a tenth
    of its size, which is what lets a worker without Redis keep a thousand of them in
    150 MB."""
    headers: tuple[tuple[str, str], ...]
    personal_token: bool
    varies_on_cookie: bool
    same_for_everyone: bool
    """Rendered without reading the session or the messages: a visitor's own state
    could not have changed it, so it serves those who have some too."""

    @classmethod
    def of(cls, request: HttpRequest, response: HttpResponseBase) -> _StoredPage | None:
        """The page to store, or ``None`` when this response must not be stored."""
        if not _storable(response):
            return None
        body = cast(HttpResponse, response).content
        used_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if used_token:
            body, fields = _TOKEN_FIELD.subn(rb"\1" + _TOKEN_PLACEHOLDER + rb"\3", body)
            token = request.META.get("CSRF_COOKIE", "").encode()
            if fields == 0 or (token and token in body):
                return None
        session = getattr(request, "session", None)
        read_session = bool(getattr(session, "accessed", False))
        read_messages = bool(getattr(getattr(request, "_messages", None), "used", False))
        headers = tuple(response.headers.items())
        return cls(
            response.status_code,
            body,
            headers,
            personal_token=used_token,
            varies_on_cookie=used_token or read_session,
            same_for_everyone=not (read_session or read_messages),
        )

    def serve(self, request: HttpRequest) -> HttpResponse:
        body = zlib.decompress(self.body)
        if self.personal_token:
            body = body.replace(_TOKEN_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, status=self.status, headers=dict(self.headers))
        if self.varies_on_cookie:
            # What the session and CSRF middleware would have said of a fresh page.
            patch_vary_headers(response, ("Cookie",))
        response[CACHE_HEADER] = "hit"
        return response


def _shared_caches_may_keep(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether a front cache, which serves one copy to everyone, may keep this page.

    Only when front caches are configured, since only those are cleared on publication;
    never a page that carries this visitor's CSRF token.
    """
    return (
        bool(settings.FRONT_CACHES)
        and _storable(response)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _storable(response: HttpResponseBase) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )
