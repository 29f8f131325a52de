"""PDFs of public pages, rendered by WeasyPrint from the same templates as the pages.

A programme's PDF is its page's own template rendered with ``for_print`` set (the
forms drop out) and laid out by the print rules in ``features.css``, so the PDF and
the page cannot drift apart. Rendering never touches the network: the URL fetcher
serves this site's static files from disk and refuses everything else.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import catalogue_version
from guidebook.public.presenters import build_programme_page
from guidebook.public.summaries import get_published_snapshot

PDF_CACHE_SECONDS = 24 * 60 * 60


def render_pdf(request: HttpRequest, template: str, context: dict[str, Any]) -> bytes:
    """Render a template for print and lay it out as a PDF, in a process of its own."""
    html = render_to_string(template, {**context, "for_print": True}, request=request)
    return print_in_child(html, request.build_absolute_uri("/"))


def print_in_child(html: str, base_url: str) -> bytes:
    """The PDF of ``html``, laid out by ``pdf_layout`` in a child process.

    WeasyPrint and its fonts would add tens of megabytes to a worker for as long as it
    lives; a child gives them back when the PDF is done, at the price of about a
    second to start (and PDFs are kept once made). Settings reach the child through the
    environment, as they reach the worker.
    """
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, [os.environ.get("PYTHONPATH", "")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
    command = [sys.executable, "-m", "guidebook.public.pdf_layout", base_url]
    done = subprocess.run(
        command, input=html.encode("utf-8"), capture_output=True, env=env, timeout=300
    )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"printing a PDF failed: {' '.join(reason) or done.returncode}")
    return done.stdout


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
                "record", "assessment", "cost", "crosswalk", "search_text"
            )
        )
        context = build_programme_page(snapshot, history).context()
        pdf = render_pdf(request, "public/programme_detail.html", context)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return _pdf_response(pdf, f"{slug}.pdf")
