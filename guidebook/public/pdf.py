"""PDFs of public pages, rendered by WeasyPrint from the same templates as the pages.

A programme's PDF is its page's own template rendered with ``for_print`` set (the
forms drop out) and laid out by the print rules in ``features.css``, so the PDF and
the page cannot drift apart. Rendering never touches the network: the URL fetcher
serves this site's static files from disk and refuses everything else.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import catalogue_version
from guidebook.public.presenters import build_programme_page
from guidebook.public.summaries import get_published_snapshot

PDF_CACHE_SECONDS = 24 * 60 * 60


def render_pdf(request: HttpRequest, template: str, context: dict[str, Any]) -> bytes:
    """Render a template for print and lay it out as a PDF."""
    # Imported here: WeasyPrint and its fonts add tens of megabytes to a process, and
    # a worker that never prints need not carry them (benchmarks/README.md, memory).
    from guidebook.public.pdf_layout import print_layout

    return print_layout(request, template, context).write_pdf()


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme page as a PDF, cached for each publication of it."""
    snapshot = get_published_snapshot(slug)
    # A new publication is a new snapshot, so the key never outlives what it shows,
    # even where each worker keeps its own cache. The host is part of the key
    # because the PDF's links are absolute.
    key = f"guidebook:programme-pdf:{catalogue_version()}:{snapshot.pk}:{request.get_host()}"
    pdf = cache.get(key)
    if pdf is None:
        history = list(
            Snapshot.objects.filter(programme_id=snapshot.programme_id).defer(
                "record", "assessment", "cost", "search_text"
            )
        )
        context = build_programme_page(snapshot, history).context()
        pdf = render_pdf(request, "public/programme_detail.html", context)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return _pdf_response(pdf, f"{slug}.pdf")
