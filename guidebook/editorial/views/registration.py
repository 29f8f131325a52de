"""The public page where a programme provider asks for an account.

Only visitors use it: anyone signed in is sent to their own home instead. What it
makes cannot sign in until an editor approves it (``views.applications``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guidebook.editorial import registration, throttle
from guidebook.editorial.forms.registration import EMAIL_TAKEN, ProviderAccountForm

View = Callable[..., HttpResponse]


def visitors_only(view: View) -> View:
    """Signed-in users have an account already: send them to their home page."""

    @wraps(view)
    def for_visitors(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return view(request, *args, **kwargs)

    return for_visitors


def _form_page(request: HttpRequest, form: ProviderAccountForm, status: int = 200) -> HttpResponse:
    return render(request, "editorial/register.html", {"form": form}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    hours = max(1, round(registration.REQUEST_WINDOW_SECONDS / 3600))
    message = (
        "Too many requests for an account have been sent from your address. "
        f"Try again in {hours} hour{'s' if hours > 1 else ''}."
    )
    return render(request, "editorial/refused.html", {"message": message}, status=429)


@visitors_only
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, ProviderAccountForm())
    address = throttle.client_address(request)
    if not registration.take_request(address):
        return _too_many(request)
    form = ProviderAccountForm(request.POST)
    if not form.is_valid():
        # Nothing is written; every problem is listed at the top and beside its field.
        return _form_page(request, form, status=400)
    try:
        registration.ask_for_account(form.account_request())
    except IntegrityError:
        # The same address was registered by another request a moment ago.
        form.add_error("email", EMAIL_TAKEN)
        return _form_page(request, form, status=400)
    return redirect("editorial:register_sent")


@visitors_only
@require_GET
def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "editorial/register_sent.html")
