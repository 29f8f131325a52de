"""Staff pages over the catalogue: reports for the evidence team."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from guidebook.catalogue.reports import imported_ratings_report
from guidebook.evidence.standards import all_standards


@staff_member_required
def imported_ratings(request: HttpRequest) -> HttpResponse:
    """Computed against imported ratings for every published programme that has both.

    ``?standard=KEY`` shows the comparison under another registered standard; by
    default each programme is compared under the standard it was published under.
    """
    keys = [standard.key for standard in all_standards()]
    chosen = request.GET.get("standard") or None
    if chosen is not None and chosen not in keys:
        return HttpResponseBadRequest(
            f"Unknown standard {chosen!r}: expected one of {', '.join(keys)}.",
            content_type="text/plain; charset=utf-8",
        )
    report = imported_ratings_report(standard=chosen)
    context = {"report": report, "standards": keys, "chosen": chosen}
    return render(request, "catalogue/imported_ratings_report.html", context)
