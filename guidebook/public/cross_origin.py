"""Forms that change only a visitor's own session, guarded by the browser's own headers.

The shortlist's add and remove buttons sit on pages every visitor sees alike (the
programme page, the compare page), which a shared front cache keeps and serves to
everyone (docs/caching.md). A CSRF token in those forms would tie the page to one
visitor's cookie, and Django's middleware would set that cookie on the first visit,
so no shared cache could keep the page. These two views therefore do without the
token and refuse cross-origin requests from what browsers say about them instead:

- ``Sec-Fetch-Site`` (Fetch Metadata, sent by every current browser): only
  ``same-origin``, or ``none`` for a request the visitor made themselves, is let in;
- without it, ``Origin`` (sent by browsers with every POST) must be this site's own
  origin or one of ``CSRF_TRUSTED_ORIGINS``;
- a request with neither header does not come from a browser, so no visitor's
  session can be abused through it: it is let in.

This is the rule of Go's ``net/http.CrossOriginProtection`` (Go 1.25) and of the
Fetch Metadata advice in OWASP's CSRF cheat sheet. The worst a forged request could
do here is change a shortlist; on top of the check, Django's session cookie is
``SameSite=Lax``, so a form posted from another site does not carry it at all.
Everything that changes stored data (the editorial views) keeps Django's tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

__all__ = ["is_cross_origin", "same_origin_only"]

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def is_cross_origin(request: HttpRequest) -> bool:
    """True when a browser says this unsafe request came from another origin."""
    if request.method in _SAFE_METHODS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.lower() not in _ALLOWED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


def same_origin_only(view: View) -> View:
    """Exempt ``view`` from CSRF tokens and refuse cross-origin requests instead."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if is_cross_origin(request):
            raise PermissionDenied("This form can only be sent from this site's own pages.")
        return view(request, *args, **kwargs)

    return cast(View, csrf_exempt(checked))
