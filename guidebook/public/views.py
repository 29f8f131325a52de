"""Public pages: small views over one permission-aware getter per object type.

The public sees published snapshots only (``Snapshot.is_current``); the records the
evidence team is still working on never reach these views.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from guidebook.catalogue.models import Snapshot
from guidebook.public import fragments
from guidebook.public.caching import cache_public_page
from guidebook.public.presenters import ProgrammePage, build_programme_page

# Where the visitor's own part of a programme page (the shortlist button) goes in the
# page rendered once for its snapshot.
_ACTIONS_PLACEHOLDER = "<!--guidebook:page-actions-->"


def _get_published_snapshot(slug: str) -> Snapshot:
    """The current published snapshot of the programme with this slug, or 404."""
    snapshot = Snapshot.objects.filter(slug=slug, is_current=True).first()
    if snapshot is None:
        raise Http404(f"No published programme '{slug}'")
    return snapshot


def _current_snapshot_identity(slug: str) -> tuple[str, str]:
    """The identity of the programme's current snapshot for the fragment cache, and its
    name; 404 when nothing is published under this slug.

    One indexed query, written out because it runs on every uncached programme page
    and the ORM would cost more than the query.
    """
    table = Snapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, published_at, name FROM {table} WHERE slug = %s AND is_current",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404(f"No published programme '{slug}'")
    pk, published_at, name = row
    # The time keeps the identity unique should a rebuilt database give ids out again.
    return f"{pk}.{published_at}".replace(" ", "T"), name


def _programme_page(slug: str) -> ProgrammePage:
    snapshot = _get_published_snapshot(slug)
    history = list(
        Snapshot.objects.filter(programme_id=snapshot.programme_id).defer(
            "record", "assessment", "cost", "crosswalk", "search_text"
        )
    )
    return build_programme_page(snapshot, history)


def _programme_page_html(request: HttpRequest, slug: str) -> str:
    context = {**_programme_page(slug).context(), "actions_placeholder": _ACTIONS_PLACEHOLDER}
    return render_to_string("public/programme_detail.html", context, request)


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """What Guidebook is, a search box and the main ways in."""
    current = Snapshot.objects.filter(is_current=True)
    context = {
        "listed": current.filter(listed=True).count(),
        "not_listed": current.filter(listed=False).count(),
    }
    return render(request, "public/home.html", context)


@cache_public_page
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The page is rendered once per published snapshot (``fragments``); only the
    shortlist button, which reads the visitor's session, is rendered per request."""
    identity, name = _current_snapshot_identity(slug)
    page = fragments.once("programme-page", identity, lambda: _programme_page_html(request, slug))
    actions = render_to_string(
        "public/includes/page_actions.html", {"record": {"slug": slug, "name": name}}, request
    )
    return HttpResponse(page.replace(_ACTIONS_PLACEHOLDER, actions, 1))


@cache_public_page
def programme_json(request: HttpRequest, slug: str) -> HttpResponse:
    identity, _ = _current_snapshot_identity(slug)
    body = fragments.once(
        "programme-json",
        identity,
        lambda: json.dumps(
            _programme_page(slug).as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        ),
    )
    return HttpResponse(body, content_type="application/json")
