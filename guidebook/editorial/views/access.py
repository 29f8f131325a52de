"""Signing in and out, and one permission-aware getter per object type.

Staff screens need ``editorial.view_assessment`` (every staff role has it); provider
screens need a provider permission and only ever find the provider's own rows, so
another provider's submission is "not found", never "forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from guidebook.catalogue.models import Study
from guidebook.editorial import throttle
from guidebook.editorial.models import Assessment, Submission
from guidebook.editorial.workflow import TransitionRefused

View = Callable[..., HttpResponse]


def staff_view(permission: str = "editorial.view_assessment") -> Callable[[View], View]:
    """Signed in (else to the sign-in page) and holding ``permission`` (else 403)."""

    def decorate(view: View) -> View:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def signed_in(request: HttpRequest) -> User:
    """The account of a request that passed ``login_required``."""
    assert isinstance(request.user, User), "the view must require sign-in"
    return request.user


def get_assessment(pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("programme", "provider"), pk=pk)


def get_study(assessment: Assessment, study_pk: int) -> Study:
    """A study of the assessed programme (404 for a study of another programme)."""
    return get_object_or_404(Study, pk=study_pk, programme_id=assessment.programme_id)


def get_own_submission(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(Submission, pk=pk, provider=signed_in(request))


def refused(request: HttpRequest, error: TransitionRefused | str, back: str = "") -> HttpResponse:
    """Explain why an action was refused: 403 for the role, 409 for the round's state."""
    forbidden = isinstance(error, TransitionRefused) and error.forbidden
    return render(
        request,
        "editorial/refused.html",
        {"message": str(error), "back": back},
        status=403 if forbidden else 409,
    )


class SignInForm(AuthenticationForm):
    def clean_username(self) -> str:
        """An email address is matched in any case, as registration stores it lower-cased.

        Only when no account has the address exactly as typed, so an account made in
        the admin with capitals in its username still signs in as before.
        """
        username = str(self.cleaned_data["username"])
        if "@" in username and not User.objects.filter(username=username).exists():
            return username.lower()
        return username


class SignInView(auth_views.LoginView):
    """Django's sign-in page, answering 429 while a username is locked out."""

    template_name = "editorial/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if username and throttle.is_locked_out(username, throttle.client_address(request)):
            context = self.get_context_data(form=self.get_form(), locked_out=True)
            context["lockout_minutes"] = throttle.lockout_minutes()
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view(next_page="editorial:login")
