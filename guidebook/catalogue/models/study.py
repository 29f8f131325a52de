"""Studies of a programme, their publications, findings and appraisals."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords  # every edit kept, with who made it

from guidebook.catalogue.models.gate import check_row
from guidebook.catalogue.models.programme import Programme
from guidebook.evidence import vocabulary
from guidebook.evidence.records import StudyLevel


def _vocab(vocab: object) -> list[tuple[str, str]]:
    return list(vocab.items())  # type: ignore[attr-defined]


class Study(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="studies")
    key = models.SlugField(max_length=60, help_text="Stable identifier within the programme.")
    position = models.PositiveIntegerField(default=1, help_text="Order on the page.")
    label = models.CharField(max_length=60, help_text="Shown on pages, e.g. 'Study 1'.")
    citation = models.CharField(max_length=300, help_text="Short citation.")
    design = models.CharField(max_length=20, choices=_vocab(vocabulary.DESIGNS))
    country = models.CharField(max_length=100, blank=True)
    sample = models.TextField(blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    timing = models.CharField(max_length=200, blank=True)
    independent = models.BooleanField(
        default=False, help_text="Conducted independently of the developer or provider."
    )
    other_outcomes = models.JSONField(default=list, blank=True)
    provenance = models.JSONField(
        null=True,
        blank=True,
        help_text="Where the study was read from, when, and who appraised it (documented form).",
    )
    conduct = models.JSONField(
        default=dict,
        blank=True,
        help_text="How the study was run, for other clearinghouses' rules (record 'conduct').",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "key"]
        verbose_name_plural = "studies"
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="study_key_once")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.label} ({self.citation})"

    def clean(self) -> None:
        fields = ("key", "label", "citation", "design", "country", "sample", "sample_size")
        more = ("timing", "independent", "other_outcomes", "provenance", "conduct")
        check_row(self, {name: name for name in (*fields, *more)}, "studies[0]")


class Publication(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="publications")
    position = models.PositiveIntegerField(default=1)
    citation = models.TextField(help_text="Short form shown on pages.")
    url = models.URLField(max_length=500, blank=True)
    authors = models.JSONField(default=list, blank=True, help_text="'Surname AB', in order.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.TextField(blank=True)
    journal = models.CharField(max_length=300, blank=True)
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(max_length=30, blank=True)
    doi = models.CharField(max_length=200, blank=True, help_text="Bare DOI, e.g. 10.1000/xyz.")
    pmid = models.CharField(max_length=20, blank=True, help_text="PubMed id.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "id"]

    def __str__(self) -> str:
        return self.citation

    def clean(self) -> None:
        fields = ("citation", "url", "authors", "year", "title", "journal", "volume", "issue")
        more = ("pages", "doi", "pmid")
        check_row(self, {name: name for name in (*fields, *more)}, "studies[0].publications[0]")


class Finding(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="findings")
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=200, help_text="e.g. 'Improved attachment security'.")
    category = models.CharField(max_length=40, choices=_vocab(vocabulary.OUTCOME_CATEGORIES))
    measure = models.CharField(max_length=200, blank=True)
    reporter = models.CharField(
        max_length=20, choices=_vocab(vocabulary.REPORTERS), default="participant"
    )
    beneficiary = models.CharField(
        max_length=20, choices=_vocab(vocabulary.BENEFICIARIES), default="child"
    )
    months_after = models.FloatField(
        null=True, blank=True, help_text="Months after the programme ended."
    )
    # NULL, not "", means not recorded: the core reads None the same way, and a finding
    # whose direction or significance is unknown never counts as an improvement.
    direction = models.CharField(  # noqa: DJ001
        max_length=10, choices=_vocab(vocabulary.DIRECTIONS), null=True, blank=True
    )
    significant = models.BooleanField(null=True, blank=True)
    statistics = models.JSONField(
        null=True, blank=True, help_text="Reported statistics in the documented tagged form."
    )
    provenance = models.JSONField(
        null=True,
        blank=True,
        help_text="Where the finding was read from, when, and who appraised it.",
    )
    domains = models.JSONField(
        default=dict, blank=True, help_text="Outcome domain under each clearinghouse."
    )
    harmful = models.BooleanField(null=True, blank=True, help_text="A harmful effect.")
    months_after_treatment_end = models.FloatField(
        null=True, blank=True, help_text="Months after the end of treatment."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["study", "key"], name="finding_key_once")]

    def __str__(self) -> str:
        return f"{self.study.label}: {self.outcome}"

    def clean(self) -> None:
        fields = ("key", "outcome", "category", "measure", "reporter", "beneficiary")
        more = ("months_after", "direction", "significant", "statistics", "provenance")
        crosswalk = ("domains", "harmful", "months_after_treatment_end")
        check_row(
            self, {name: name for name in (*fields, *more, *crosswalk)}, "studies[0].findings[0]"
        )


class Appraisal(models.Model):
    """A reviewer's answers for one study; the consensus appraisal decides its level."""

    VERDICT_CHOICES = [(level.value, level.label) for level in StudyLevel]

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="appraisals")
    reviewer = models.CharField(max_length=150)
    answers = models.JSONField(default=dict, blank=True)
    consensus = models.BooleanField(default=False)
    # NULL, not "", means no verdict recorded: the core reads None the same way.
    verdict = models.CharField(  # noqa: DJ001
        max_length=12, choices=VERDICT_CHOICES, null=True, blank=True
    )
    justification = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "-consensus", "created"]
        constraints = [
            models.UniqueConstraint(
                fields=["study"],
                condition=models.Q(consensus=True),
                name="one_consensus_per_study",
            )
        ]

    def __str__(self) -> str:
        kind = "consensus" if self.consensus else self.reviewer
        return f"Appraisal of {self.study.label} ({kind})"

    def clean(self) -> None:
        fields = ("reviewer", "answers", "verdict", "justification")
        # Each appraisal is checked as a consensus would be: the same answers are accepted.
        check_row(
            self, {name: name for name in fields}, "studies[0].appraisal", {"consensus": True}
        )
