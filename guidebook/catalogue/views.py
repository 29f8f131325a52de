"""Staff pages over the catalogue: reports for the evidence team."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guidebook.catalogue.reports import imported_ratings_report


@staff_member_required
def imported_ratings(request: HttpRequest) -> HttpResponse:
    """Computed against imported ratings for every published programme that has both."""
    report = imported_ratings_report()
    return render(request, "catalogue/imported_ratings_report.html", {"report": report})
