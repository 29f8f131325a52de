"""Assessment rounds, the steps they move through, and the evidence search behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guidebook.catalogue.models import Programme, Snapshot, Study


class State(models.TextChoices):
    """The steps of an assessment, in order."""

    SUBMITTED = "submitted", "Submitted"
    EVIDENCE_SEARCH = "evidence-search", "Evidence search"
    APPRAISAL = "appraisal", "Appraisal"
    EXPERT_REVIEW = "expert-review", "Expert review"
    PROVIDER_CHECK = "provider-check", "Provider check"
    PANEL_SIGN_OFF = "panel-sign-off", "Panel sign-off"
    PUBLISHED = "published", "Published"


class Assessment(models.Model):
    """One round of assessing a programme, from submission to publication.

    A programme has at most one round under way; re-assessing a published programme
    opens the next round, and its public page keeps showing the last publication until
    that round is published.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assessments")
    round = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider_assessments",
        help_text="The provider account asked to check the facts before publication.",
    )
    submission = models.ForeignKey(
        "editorial.Submission", null=True, blank=True, on_delete=models.SET_NULL
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.ForeignKey(
        Snapshot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publication this round ended with.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "round"], name="assessment_round_once"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=~models.Q(state="published"),
                name="one_open_assessment_per_programme",
            ),
        ]
        permissions = [
            ("submit_programme", "Can submit a programme for assessment"),
            ("check_facts", "Can check the facts of their own programme before publication"),
            ("search_evidence", "Can log the evidence search and move a round to appraisal"),
            ("enter_findings", "Can enter the findings of a study"),
            ("appraise_study", "Can appraise a study as one of its two reviewers"),
            ("settle_consensus", "Can settle the consensus appraisal of a study"),
            ("review_assessment", "Can complete the expert review"),
            ("sign_off", "Can sign off and publish as the evidence panel"),
            ("manage_assessment", "Can open rounds and send any step back"),
            ("rerate", "Can re-rate the published catalogue under a standard"),
            ("view_history", "Can see every change to the records"),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: round {self.round} ({self.get_state_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("editorial:assessment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state != State.PUBLISHED


class StateChange(models.Model):
    """One move of an assessment from step to step: who, when, and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.action} by {self.by}"


class EvidenceSearch(models.Model):
    """One search of one source for evaluations of the programme."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="searches")
    source = models.CharField(max_length=200, help_text="e.g. a database, a registry, the provider")
    terms = models.TextField(blank=True, help_text="What was searched for.")
    searched_on = models.DateField()
    results = models.PositiveIntegerField(help_text="How many records the search returned.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["searched_on", "pk"]
        verbose_name_plural = "evidence searches"

    def __str__(self) -> str:
        return f"{self.source} on {self.searched_on}"


class Screening(models.Model):
    """A study the search found, and whether it was included, with the reason."""

    class Decision(models.TextChoices):
        INCLUDE = "include", "Included"
        EXCLUDE = "exclude", "Excluded"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="screenings")
    search = models.ForeignKey(
        EvidenceSearch, null=True, blank=True, on_delete=models.SET_NULL, related_name="found"
    )
    citation = models.CharField(max_length=300)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    study = models.ForeignKey(
        Study, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.citation}: {self.get_decision_display().lower()}"
