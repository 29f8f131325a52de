"""The shortlist: programmes a visitor sets aside, kept in their session.

Adding and removing are POST forms that send the visitor back where they came from,
so the shortlist works without JavaScript. They carry no CSRF token, so the pages
they sit on can be kept by a shared cache; cross-origin posts are refused from the
browser's own headers instead (``guidebook.public.cross_origin``). The page and the
CSV and PDF exports read current published snapshots only; a shortlisted programme
that has since been withdrawn simply drops out.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import catalogue_version
from guidebook.lib.csv_files import Cell, csv_text
from guidebook.public.cross_origin import same_origin_only
from guidebook.public.pdf import PDF_CACHE_SECONDS, render_pdf
from guidebook.public.summaries import (
    COMPARE_MAX,
    COMPARE_MIN,
    ProgrammeSummary,
    get_published_snapshot,
    summarise,
)

SESSION_KEY = "shortlist"
SHORTLIST_LIMIT = 50


# --- The shortlist in the session ----------------------------------------------------------


def shortlisted_slugs(session: SessionBase) -> list[str]:
    """The slugs on the shortlist, in the order they were added."""
    stored = session.get(SESSION_KEY, [])
    return [slug for slug in stored if isinstance(slug, str)] if isinstance(stored, list) else []


def add_to_shortlist(session: SessionBase, slug: str) -> bool:
    """Add ``slug`` unless it is there already; False when the shortlist is full."""
    slugs = shortlisted_slugs(session)
    if slug in slugs:
        return True
    if len(slugs) >= SHORTLIST_LIMIT:
        return False
    session[SESSION_KEY] = [*slugs, slug]
    return True


def remove_from_shortlist(session: SessionBase, slug: str) -> None:
    session[SESSION_KEY] = [s for s in shortlisted_slugs(session) if s != slug]


def shortlisted_summaries(session: SessionBase) -> list[ProgrammeSummary]:
    """The shortlisted programmes that are still published, in shortlist order."""
    slugs = shortlisted_slugs(session)
    snapshots = {s.slug: s for s in Snapshot.objects.filter(slug__in=slugs, is_current=True)}
    return [summarise(snapshots[slug]) for slug in slugs if slug in snapshots]


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the page the form was on, if it is on this site; else the shortlist."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe else reverse("public:shortlist"))


# --- Views ---------------------------------------------------------------------------------


@same_origin_only
@require_POST
def shortlist_add(request: HttpRequest, slug: str) -> HttpResponse:
    get_published_snapshot(slug)
    if not add_to_shortlist(request.session, slug):
        problem = (
            f"Your shortlist already holds {SHORTLIST_LIMIT} programmes, the most it can "
            "keep. Remove one before adding another."
        )
        return render(request, "public/shortlist.html", _page_context(request, problem), status=400)
    return _back(request)


@same_origin_only
@require_POST
def shortlist_remove(request: HttpRequest, slug: str) -> HttpResponse:
    remove_from_shortlist(request.session, slug)
    return _back(request)


def _page_context(request: HttpRequest, problem: str = "") -> dict[str, Any]:
    programmes = shortlisted_summaries(request.session)
    return {
        "programmes": programmes,
        "problem": problem,
        "compare_min": COMPARE_MIN,
        "compare_max": COMPARE_MAX,
        "can_compare": len(programmes) >= COMPARE_MIN,
    }


@require_GET
def shortlist_page(request: HttpRequest) -> HttpResponse:
    return render(request, "public/shortlist.html", _page_context(request))


# One row per programme; columns in the order a commissioner reads a page.
SHORTLIST_COLUMNS = (
    "programme",
    "name",
    "evidence_rating",
    "rating_source",
    "rating_statement",
    "published_rating",
    "published_source",
    "published_retrieved",
    "rating_summary",
    "child_outcomes",
    "age_groups",
    "targeting",
    "delivery_models",
    "settings",
    "sessions",
    "session_length",
    "frequency",
    "duration",
    "practitioners",
    "cost_rating",
    "cost_rating_source",
    "cost_rating_statement",
    "published_cost_rating",
    "cost_label",
    "unit_cost",
    "page",
)


def _csv_row(summary: ProgrammeSummary, request: HttpRequest) -> dict[str, Cell]:
    published = summary.evidence_basis.published
    published_cost = summary.cost_basis.published
    return {
        "programme": summary.slug,
        "name": summary.name,
        "evidence_rating": summary.rating,
        "rating_source": summary.rating_source,
        "rating_statement": summary.rating_statement,
        "published_rating": published.value if published else "",
        "published_source": published.source if published else "",
        "published_retrieved": published.retrieved if published else "",
        "rating_summary": summary.rating_summary,
        "child_outcomes": "; ".join(summary.outcome_names),
        "age_groups": "; ".join(summary.age_groups),
        "targeting": "; ".join(summary.targeting),
        "delivery_models": "; ".join(summary.delivery_models),
        "settings": "; ".join(summary.settings),
        "sessions": summary.sessions,
        "session_length": summary.session_length,
        "frequency": summary.frequency,
        "duration": summary.duration,
        "practitioners": summary.practitioners,
        "cost_rating": summary.cost_rating,
        "cost_rating_source": summary.cost_rating_source,
        "cost_rating_statement": summary.cost_statement,
        "published_cost_rating": published_cost.value if published_cost else "",
        "cost_label": summary.cost_label,
        "unit_cost": None if summary.unit_cost is None else f"{summary.unit_cost:.2f}",
        "page": request.build_absolute_uri(reverse("public:programme_detail", args=[summary.slug])),
    }


@require_GET
def shortlist_csv(request: HttpRequest) -> HttpResponse:
    rows = (
        [_csv_row(summary, request)[column] for column in SHORTLIST_COLUMNS]
        for summary in shortlisted_summaries(request.session)
    )
    text = csv_text(SHORTLIST_COLUMNS, rows)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="shortlist.csv"'
    return response


@require_GET
def shortlist_pdf(request: HttpRequest) -> HttpResponse:
    programmes = shortlisted_summaries(request.session)
    # Rendering takes most of a second and many visitors shortlist the same few
    # programmes, so a report is kept for each list of published snapshots (a new
    # publication of any of them is a new snapshot, hence a new key).
    snapshots = ",".join(str(p.snapshot_id) for p in programmes)
    digest = hashlib.sha256(f"{request.get_host()}|{snapshots}".encode()).hexdigest()
    key = f"guidebook:shortlist-pdf:{catalogue_version()}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(request, "public/pdf/shortlist.html", {"programmes": programmes})
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="shortlist.pdf"'
    return response
