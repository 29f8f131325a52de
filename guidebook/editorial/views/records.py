"""Staff screens over the records as a whole: change history and re-rating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guidebook.catalogue.models import Programme
from guidebook.editorial.history import programme_history
from guidebook.editorial.rerating import apply_report, rerate_report
from guidebook.editorial.views.access import signed_in, staff_view
from guidebook.evidence.errors import UnknownStandard
from guidebook.evidence.standards import all_standards, newest_standard_key


@staff_view("editorial.view_history")
def history(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    context = {"programme": programme, "changes": programme_history(programme)}
    return render(request, "editorial/history.html", context)


def _standard_key(request: HttpRequest) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("standard") or newest_standard_key()


@staff_view("editorial.rerate")
def rerate(request: HttpRequest) -> HttpResponse:
    """The re-rating report for a standard (the same as ``guidebook rerate --dry-run``)."""
    key = _standard_key(request)
    context: dict[str, Any] = {"standards": all_standards(), "chosen": key}
    try:
        context["report"] = rerate_report(key)
    except UnknownStandard as error:
        context["error"] = str(error.problems[0])
        return render(request, "editorial/rerate.html", context, status=400)
    return render(request, "editorial/rerate.html", context)


@staff_view("editorial.rerate")
@require_POST
def apply_rerate(request: HttpRequest) -> HttpResponse:
    key = _standard_key(request)
    try:
        report = rerate_report(key)
    except UnknownStandard as error:
        messages.error(request, str(error.problems[0]))
        return redirect("editorial:rerate")
    published = apply_report(report, signed_in(request), request.POST.get("note", ""))
    messages.success(request, f"{len(published)} new snapshot(s) published under {key}.")
    return redirect(f"{request.path.removesuffix('apply/')}?standard={key}")
