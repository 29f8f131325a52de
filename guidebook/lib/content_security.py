"""A Content-Security-Policy header on every HTML response.

The site runs no inline script and sets no inline style: scripts (the admin's, the
API docs' Swagger UI) and stylesheets are files served from the site itself. The
policy says so, so that text that ever got into a page as markup (a stored link, a
provider's description) cannot run script or pull in anything from elsewhere: the
browser refuses it and reports it in its console.

The policy is ``settings.SECURE_CSP``, a dict of directive to sources, the shape
Django 6.0's own ``SECURE_CSP`` setting takes, so that moving to Django's middleware
later changes no setting. Responses that are not HTML (CSV, JSON, PDF) are left alone:
a browser does not run script in them, and a policy on a PDF can stop the browser's
own viewer from showing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

__all__ = ["HEADER", "ContentSecurityPolicyMiddleware", "policy_header"]

HEADER = "Content-Security-Policy"


def policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """The header value for ``policy``: directives in order, ``; `` between them."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``SECURE_CSP`` to HTML responses that do not set a policy of their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = policy_header(settings.SECURE_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and HEADER not in response:
            response[HEADER] = self.header
        return response
