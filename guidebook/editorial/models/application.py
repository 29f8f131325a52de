"""A programme provider's request for an account, and an editor's decision on it.

The account is made at once, inactive, so the email address is taken and the
password is stored hashed from the start; Django refuses to sign in an inactive
account, so nothing else guards it until an editor approves the request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ProviderApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_application"
    )
    full_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    programmes = models.TextField(help_text="The programme(s) the person says they represent.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the request was declined.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["applied_at", "pk"]
        permissions = [
            ("decide_provider_application", "Can approve or decline requests for provider accounts")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation}): {self.get_status_display().lower()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
