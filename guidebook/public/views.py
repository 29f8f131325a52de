"""Public pages: small views over one permission-aware getter per object type.

The public sees published snapshots only (``Snapshot.is_current``); the records the
evidence team is still working on never reach these views.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from guidebook.catalogue.models import Snapshot
from guidebook.public.caching import cache_public_page
from guidebook.public.presenters import ProgrammePage, build_programme_page


def _get_published_snapshot(slug: str) -> Snapshot:
    """The current published snapshot of the programme with this slug, or 404."""
    snapshot = Snapshot.objects.filter(slug=slug, is_current=True).first()
    if snapshot is None:
        raise Http404(f"No published programme '{slug}'")
    return snapshot


def _programme_page(slug: str) -> ProgrammePage:
    snapshot = _get_published_snapshot(slug)
    history = list(
        Snapshot.objects.filter(programme_id=snapshot.programme_id).defer(
            "record", "assessment", "cost", "search_text"
        )
    )
    return build_programme_page(snapshot, history)


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
    page = _programme_page(slug)
    return render(request, "public/programme_detail.html", page.context())


@cache_public_page
def programme_json(request: HttpRequest, slug: str) -> JsonResponse:
    page = _programme_page(slug)
    return JsonResponse(page.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
