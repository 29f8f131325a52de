"""Independent appraisals by two reviewers, and the consensus that settles them.

The consensus itself is stored as the study's catalogue ``Appraisal`` with
``consensus=True``, because that is the row the evidence core levels the study from;
``Consensus`` keeps the editorial side: the note, who settled it and what differed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from guidebook.catalogue.models import Appraisal, Study
from guidebook.editorial.models.assessment import Assessment


class ReviewerAppraisal(models.Model):
    """One reviewer's own answers for one study in one round, hidden until both submit."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="reviewer_appraisals"
    )
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="reviewer_appraisals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals"
    )
    answers = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "study", "reviewer"], name="one_appraisal_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.study.label} appraised by {self.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Consensus(models.Model):
    """How the two appraisals of a study were settled in one round."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus")
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consensus_records")
    appraisal = models.ForeignKey(Appraisal, null=True, on_delete=models.SET_NULL, related_name="+")
    disagreements = models.JSONField(
        default=list, help_text="Criterion ids the two reviewers answered differently."
    )
    note = models.TextField(blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    settled_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "consensus records"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "study"], name="one_consensus_per_round")
        ]

    def __str__(self) -> str:
        return f"Consensus on {self.study.label}"
