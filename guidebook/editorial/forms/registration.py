"""The form a programme provider fills in to ask for an account.

Every message says which answer it is about, so it reads on its own in the list of
problems at the top of the page as well as beside its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from guidebook.editorial.registration import AccountRequest, email_is_taken

# The email address becomes the username, which Django caps at 150 characters.
EMAIL_MAX_LENGTH = 150
EMAIL_TAKEN = (
    "An account with this email address exists already. Sign in with it, or use another address."
)


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class ProviderAccountForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages=_required("Enter your full name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="You will sign in with this address once your account is approved.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the form name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages=_required("Enter the name of your organisation."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    programmes = forms.CharField(
        label="Programmes you represent",
        help_text="The name of each programme, one per line.",
        error_messages=_required("Name at least one programme you represent."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        error_messages=_required("Choose a password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        error_messages=_required("Type the password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rules come from AUTH_PASSWORD_VALIDATORS, so the hint cannot drift from them.
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if email_is_taken(email):
            raise ValidationError(EMAIL_TAKEN)
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password1"), cleaned.get("password2")
        if password and again and password != again:
            self.add_error("password2", "The two passwords are different. Type the same one twice.")
        elif password:
            # Compared with the name and email given. The username is left out: it will
            # be the email address, and "too similar to the username" would puzzle.
            someone = User(email=cleaned.get("email", ""), first_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, someone)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def account_request(self) -> AccountRequest:
        data = self.cleaned_data
        return AccountRequest(
            full_name=data["full_name"].strip(),
            email=data["email"],
            organisation=data["organisation"].strip(),
            programmes=data["programmes"].strip(),
            password=data["password1"],
        )
