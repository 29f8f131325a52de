"""The programme and what describes it: characteristics, delivery, implementation, cost inputs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords  # every edit kept, with who made it

from guidebook.catalogue.models.gate import check_row
from guidebook.evidence import crosswalk_vocabulary, vocabulary

CHARACTERISTIC_VOCABULARIES = {
    "age_group": vocabulary.AGE_GROUPS,
    "delivery_model": vocabulary.DELIVERY_MODELS,
    "setting": vocabulary.SETTINGS,
    "targeting": vocabulary.TARGETING,
}


# Each column of a programme and the field of the record format it holds.
PROGRAMME_FIELDS = {
    **{name: name for name in ("slug", "name", "summary", "description", "theory_of_change")},
    "countries": "characteristics.countries",
    "uk_provision": "characteristics.uk_provision",
    "uk_evaluation": "characteristics.uk_evaluation",
    **{
        name: f"delivery.{name}"
        for name in ("sessions", "session_hours_min", "session_hours_max", "frequency", "duration")
    },
    "delivery_summary": "delivery.summary",
    "activities": "delivery.activities",
    **{
        name: f"implementation.{name}"
        for name in ("practitioners", "training", "supervision", "fidelity", "licence")
    },
    **{
        f"contact_{name}": f"contact.{name}"
        for name in ("name", "organisation", "email", "website")
    },
    **{
        name: name
        for name in ("first_published", "last_updated", "evidence_summary", "other_outcomes_note")
    },
    **{name: f"readiness.{name}" for name in ("manual", "dissemination_ready", "psc_area")},
}


class Review(models.Model):
    """A named assessment round, e.g. 'Foundations for Life, July 2016'."""

    name = models.CharField(max_length=200)
    date = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "date"], name="review_name_date")]

    def __str__(self) -> str:
        return f"{self.name}, {self.date:%B %Y}"

    def clean(self) -> None:
        check_row(self, {"name": "name", "date": "date"}, "reviews[0]")


class Programme(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)

    countries = models.JSONField(default=list, blank=True, help_text="Countries where implemented.")
    uk_provision = models.BooleanField(
        null=True, blank=True, help_text="Has been delivered in the UK (empty: not known)."
    )
    uk_evaluation = models.BooleanField(
        null=True, blank=True, help_text="Best evidence includes a UK study (empty: not known)."
    )

    sessions = models.PositiveIntegerField(null=True, blank=True)
    session_hours_min = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    session_hours_max = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(max_length=200, blank=True)
    duration = models.CharField(max_length=200, blank=True)
    delivery_summary = models.JSONField(default=list, blank=True)
    activities = models.JSONField(default=list, blank=True)

    practitioners = models.TextField(
        blank=True, help_text="Who delivers it and their qualification."
    )
    training = models.TextField(blank=True)
    supervision = models.TextField(blank=True)
    fidelity = models.TextField(blank=True, help_text="Systems for keeping delivery faithful.")
    licence = models.TextField(blank=True)

    theory_of_change = models.JSONField(default=list, blank=True)

    contact_name = models.CharField(max_length=200, blank=True)
    contact_organisation = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_website = models.URLField(blank=True)

    reviews = models.ManyToManyField(Review, blank=True, related_name="programmes")
    first_published = models.DateField(null=True, blank=True)
    last_updated = models.DateField(null=True, blank=True)

    evidence_summary = models.TextField(blank=True)
    other_outcomes_note = models.TextField(blank=True)

    # Facts the other clearinghouses' rules check (docs/methodology/crosswalk.md).
    manual = models.BooleanField(null=True, blank=True, help_text="A delivery manual exists.")
    dissemination_ready = models.BooleanField(
        null=True, blank=True, help_text="Ready for dissemination (training, support)."
    )
    psc_area = models.CharField(  # noqa: DJ001 -- NULL means not recorded
        max_length=30,
        choices=[(k, v) for k, v in crosswalk_vocabulary.PSC_AREAS.items()],
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_row(self, PROGRAMME_FIELDS, "")

    def keys_of(self, kind: str) -> list[str]:
        """Characteristic keys of one kind, in vocabulary order (uses prefetched rows)."""
        order = list(CHARACTERISTIC_VOCABULARIES[kind])
        keys = [c.key for c in self.characteristics.all() if c.kind == kind]
        return sorted(keys, key=order.index)


class Characteristic(models.Model):
    """One controlled-vocabulary value describing who a programme is for and how it is run."""

    KIND_CHOICES = [
        ("age_group", "Age group"),
        ("delivery_model", "Delivery model"),
        ("setting", "Setting"),
        ("targeting", "Level of need"),
    ]
    KEY_CHOICES = [
        (key, f"{kind_label}: {label}")
        for kind, kind_label in KIND_CHOICES
        for key, label in CHARACTERISTIC_VOCABULARIES[kind].items()
    ]

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="characteristics"
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    key = models.CharField(max_length=40, choices=KEY_CHOICES)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "key"], name="characteristic_once")
        ]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        return vocabulary.label_of(CHARACTERISTIC_VOCABULARIES[self.kind], self.key)

    def clean(self) -> None:
        allowed = CHARACTERISTIC_VOCABULARIES.get(self.kind, {})
        if self.key not in allowed:
            raise ValidationError(
                {"key": f"Expected one of {', '.join(allowed)}, found {self.key!r}."}
            )


def _qualification_choices() -> list[tuple[str, str]]:
    return list(vocabulary.QUALIFICATION_LEVELS.items())


class CostProfile(models.Model):
    """Inputs to the cost model. Empty means not known; zero means known to be nothing.

    The level fields allow NULL on purpose: the core's records use None for "not
    known", and a NULL keeps that meaning in storage without a sentinel string.
    """

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="cost_profile"
    )
    sessions = models.PositiveIntegerField(null=True, blank=True)
    session_hours = models.FloatField(null=True, blank=True)
    practitioners_per_session = models.PositiveIntegerField(null=True, blank=True)
    practitioner_level = models.CharField(  # noqa: DJ001
        max_length=10, choices=_qualification_choices, null=True, blank=True
    )
    families_per_group = models.PositiveIntegerField(null=True, blank=True)
    practitioner_training_hours = models.FloatField(null=True, blank=True)
    practitioner_training_fee = models.FloatField(null=True, blank=True)
    booster_training = models.BooleanField(null=True, blank=True)
    supervisor_level = models.CharField(  # noqa: DJ001
        max_length=10, choices=_qualification_choices, null=True, blank=True
    )
    supervisor_training_hours = models.FloatField(null=True, blank=True)
    supervision_hours_per_family = models.FloatField(null=True, blank=True)
    licence_fee = models.FloatField(null=True, blank=True)
    setup_materials = models.FloatField(null=True, blank=True)
    materials_per_family = models.FloatField(null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Cost inputs for {self.programme}"

    def clean(self) -> None:
        fields = [f.name for f in self._meta.concrete_fields if f.name not in {"id", "programme"}]
        check_row(self, {name: name for name in fields}, "cost")


class ImportedRating(models.Model):
    """Ratings published elsewhere, kept with their source, for programmes whose
    study-level evidence is not recorded here. Shown as imported, never as computed."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="imported_rating"
    )
    evidence_rating = models.CharField(max_length=5)
    cost_rating = models.CharField(max_length=2)
    source = models.URLField(max_length=500)
    retrieved = models.DateField()
    note = models.TextField(blank=True)
    outcomes = models.JSONField(
        default=list, blank=True, help_text='Published child outcomes: [{"category", "outcome"}].'
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Imported rating {self.evidence_rating} for {self.programme}"

    def clean(self) -> None:
        fields = ("evidence_rating", "cost_rating", "source", "retrieved", "note", "outcomes")
        check_row(self, {name: name for name in fields}, "imported")
