"""A provider's questionnaire about their programme, kept as typed until submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from guidebook.catalogue.models import Programme


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    name = models.CharField(max_length=200, blank=True)
    # The questionnaire as the provider typed it, so a draft resumes exactly as it was
    # left, mistakes included; it is validated only when submitted.
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    programme = models.OneToOneField(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated"]

    def __str__(self) -> str:
        return f"{self.name or 'Untitled programme'} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
