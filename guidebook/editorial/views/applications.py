"""Editors' screen of requests for provider accounts: approve, or decline with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guidebook.editorial import registration
from guidebook.editorial.models import ProviderApplication
from guidebook.editorial.views.access import refused, signed_in, staff_view

DECIDE = "editorial.decide_provider_application"
RECENT_DECISIONS = 20
REASON_REQUIRED = "Write the reason for declining this request."


def pending_count() -> int:
    return ProviderApplication.objects.filter(status=ProviderApplication.Status.PENDING).count()


def _list_page(
    request: HttpRequest, declining: int | None = None, reason_error: str = "", status: int = 200
) -> HttpResponse:
    applications = ProviderApplication.objects.select_related("user", "decided_by")
    context = {
        "pending": applications.filter(status=ProviderApplication.Status.PENDING),
        "decided": applications.exclude(status=ProviderApplication.Status.PENDING).order_by(
            "-decided_at", "-pk"
        )[:RECENT_DECISIONS],
        "declining": declining,
        "reason_error": reason_error,
    }
    return render(request, "editorial/applications.html", context, status=status)


def _get_application(pk: int) -> ProviderApplication:
    return get_object_or_404(ProviderApplication, pk=pk)


@staff_view(DECIDE)
def applications(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@staff_view(DECIDE)
@require_POST
def approve_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Activate the account and make it a provider's."""
    application = _get_application(pk)
    try:
        registration.approve(application.pk, by=signed_in(request))
    except registration.AlreadyDecided as error:
        return refused(request, str(error), back=reverse("editorial:applications"))
    messages.success(
        request,
        f"{application.full_name} ({application.user.email}) can now sign in as a provider.",
    )
    return redirect("editorial:applications")


@staff_view(DECIDE)
@require_POST
def decline_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline with the reason given; without one, the list is shown again saying so."""
    application = _get_application(pk)
    reason = request.POST.get("reason", "").strip()
    if application.is_pending and not reason:
        return _list_page(
            request, declining=application.pk, reason_error=REASON_REQUIRED, status=400
        )
    try:
        registration.decline(application.pk, by=signed_in(request), reason=reason)
    except registration.AlreadyDecided as error:
        return refused(request, str(error), back=reverse("editorial:applications"))
    messages.success(request, f"The request from {application.full_name} is declined.")
    return redirect("editorial:applications")
