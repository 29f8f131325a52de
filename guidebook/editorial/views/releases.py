"""Making a release from the staff pages: the same as ``guidebook release``, for editors."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from guidebook.catalogue.models import Snapshot
from guidebook.editorial.views.access import signed_in, staff_view
from guidebook.interchange.models import Release
from guidebook.interchange.releases import ReleaseRefused, latest_release, make_release

MAX_NOTES = 2000


@staff_view("interchange.make_release")
def releases(request: HttpRequest) -> HttpResponse:
    """Every release so far, and the form that makes the next one."""
    latest = latest_release()
    context = {
        "releases": Release.objects.order_by("-day", "-sequence")[:50],
        "latest": latest,
        "published": Snapshot.objects.filter(is_current=True).count(),
        "max_notes": MAX_NOTES,
    }
    return render(request, "editorial/releases.html", context)


@staff_view("interchange.make_release")
@require_POST
def make_release_view(request: HttpRequest) -> HttpResponse:
    notes = request.POST.get("notes", "").strip()
    if len(notes) > MAX_NOTES:
        messages.error(
            request,
            f"Notes: expected at most {MAX_NOTES} characters, found {len(notes)}. "
            "Nothing was released.",
        )
        return redirect("editorial:releases")
    try:
        release = make_release(notes, by=signed_in(request))
    except ReleaseRefused as error:
        messages.error(request, f"{error} Nothing was released.")
        return redirect("editorial:releases")
    messages.success(
        request,
        f"Release {release.name} made: {release.entries.count()} programme(s), "
        f"{len(release.checksums)} files.",
    )
    return redirect("editorial:releases")
