"""Forms of the evidence search log and of the findings entered per study."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from guidebook.catalogue.models import Finding, Study
from guidebook.editorial.forms.statistics import StatisticsFields
from guidebook.editorial.models import EvidenceSearch, Screening
from guidebook.evidence import crosswalk_vocabulary, vocabulary
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import read_provenance


class EvidenceSearchForm(forms.ModelForm):
    class Meta:
        model = EvidenceSearch
        fields = ["source", "terms", "searched_on", "results"]
        labels = {
            "source": "Source searched",
            "terms": "Search terms",
            "searched_on": "Date searched",
            "results": "Records found",
        }
        widgets = {
            "searched_on": forms.DateInput(attrs={"type": "date"}),
            "terms": forms.Textarea(attrs={"rows": 2}),
        }


class ScreeningForm(forms.ModelForm):
    """A study found: included (it becomes a study of the programme) or excluded."""

    design = forms.ChoiceField(
        label="Design (for an included study)",
        choices=[("", "Choose a design"), *vocabulary.DESIGNS.items()],
        required=False,
    )
    country = forms.CharField(label="Country (for an included study)", required=False)
    sample_size = forms.IntegerField(
        label="Participants enrolled (for an included study)", required=False, min_value=1
    )
    independent = forms.BooleanField(
        label="Conducted independently of the developer or provider", required=False
    )
    # Declared so the radio buttons offer the two decisions and no empty one.
    decision = forms.ChoiceField(
        label="Decision", choices=Screening.Decision.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Screening
        fields = ["search", "citation", "decision", "reason"]
        labels = {"search": "Found by", "reason": "Reason for the decision"}
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, assessment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        search_field = self.fields["search"]
        assert isinstance(search_field, forms.ModelChoiceField)
        search_field.queryset = assessment.searches.all()
        search_field.empty_label = "Not found by a logged search (e.g. listed by the provider)"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == Screening.Decision.INCLUDE and not cleaned.get("design"):
            self.add_error("design", "Expected the design of the included study, found none.")
        return cleaned


def new_study(programme: Any, data: dict[str, Any]) -> Study:
    """The next study of a programme, from an inclusion decision."""
    position = Study.objects.filter(programme=programme).count() + 1
    taken = set(Study.objects.filter(programme=programme).values_list("key", flat=True))
    number = position
    while f"study-{number}" in taken:
        number += 1
    return Study.objects.create(
        programme=programme,
        key=f"study-{number}",
        position=position,
        label=f"Study {number}",
        citation=data["citation"][:300],
        design=data["design"],
        country=data.get("country") or "",
        sample_size=data.get("sample_size"),
        independent=bool(data.get("independent")),
    )


NOT_RECORDED = "Not recorded"
_SIGNIFICANCE = {"": None, "true": True, "false": False}


class FindingForm(forms.ModelForm):
    direction = forms.ChoiceField(
        required=False,
        label="Direction",
        choices=[("", NOT_RECORDED), *vocabulary.DIRECTIONS.items()],
        help_text=(
            "As the paper reports it. Left as not recorded, and without statistics, the "
            "finding counts for nothing in the rating."
        ),
    )
    significant = forms.ChoiceField(
        required=False,
        label="Statistically significant",
        choices=[("", NOT_RECORDED), ("true", "Yes"), ("false", "No")],
    )
    harmful = forms.ChoiceField(
        required=False,
        label="A harmful effect",
        choices=[("", NOT_RECORDED), ("true", "Yes"), ("false", "No")],
        help_text="For other clearinghouses' rules; not recorded is never read as no.",
    )
    psc_domain = forms.ChoiceField(
        required=False,
        label="PSC target outcome domain",
        choices=[("", NOT_RECORDED), *crosswalk_vocabulary.PSC_DOMAINS.items()],
    )
    blueprints_outcome = forms.CharField(
        required=False, max_length=200, label="Blueprints outcome (as Blueprints names it)"
    )
    sources = forms.CharField(
        required=False,
        label="Where it was read (optional)",
        help_text=(
            "Web addresses of the paper or report, one a line. You are recorded as the appraiser."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    retrieved = forms.DateField(
        required=False,
        label="Date read (optional)",
        help_text="YYYY-MM-DD; today if left empty.",
    )

    class Meta:
        model = Finding
        fields = [
            "outcome",
            "category",
            "beneficiary",
            "measure",
            "reporter",
            "months_after",
            "months_after_treatment_end",
            "direction",
            "significant",
            "harmful",
        ]
        labels = {
            "outcome": "Outcome",
            "beneficiary": "Whose outcome",
            "reporter": "Who reported it",
            "months_after": "Months after the programme ended",
            "months_after_treatment_end": "Months after the end of treatment",
        }

    def __init__(self, *args: Any, study: Study, appraiser: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.appraiser = appraiser
        # Set before the model's own checks run, which check the finding whole.
        self.instance.study = study
        self.instance.key = "finding"
        self.statistics_fields = StatisticsFields(self)
        self.statistics_fields.add(self.instance.statistics if self.instance.pk else None)
        self.statistics: dict[str, Any] | None = None

    def plain_fields(self) -> list[forms.BoundField]:
        """The finding's own fields, without the statistics (shown in their groups)."""
        return [
            field for field in self if field.name != "statistics_kind" and "__" not in field.name
        ]

    def statistics_groups(self) -> list[dict[str, Any]]:
        return self.statistics_fields.groups()

    def clean_direction(self) -> str | None:
        return self.cleaned_data["direction"] or None

    def clean_significant(self) -> bool | None:
        return _SIGNIFICANCE[self.cleaned_data["significant"]]

    def clean_harmful(self) -> bool | None:
        return _SIGNIFICANCE[self.cleaned_data["harmful"]]

    def domains(self) -> dict[str, str]:
        """The outcome's domain under each clearinghouse that was answered."""
        answered = {
            "psc": self.cleaned_data.get("psc_domain", ""),
            "blueprints": self.cleaned_data.get("blueprints_outcome", "").strip(),
        }
        return {key: value for key, value in answered.items() if value}

    def provenance(self) -> dict[str, Any] | None:
        """The provenance the form records (documented form), or None without sources."""
        sources = self.cleaned_data["sources"].split()
        if not sources:
            return None
        retrieved = self.cleaned_data["retrieved"] or timezone.localdate()
        return {
            "sources": sources,
            "retrieved": retrieved.isoformat(),
            "appraised_by": self.appraiser,
            "note": "",
        }

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        self.statistics = self.statistics_fields.clean(f"{self.study.label}, new finding")
        if "sources" in cleaned and "retrieved" in cleaned:
            try:
                read_provenance(self.provenance(), f"{self.study.label}, new finding")
            except InvalidRecord as error:
                self.add_error(
                    "sources",
                    [f"{p.field}: expected {p.expected}, found {p.found}." for p in error.problems],
                )
        return cleaned

    def save(self, commit: bool = True) -> Finding:
        finding: Finding = super().save(commit=False)
        finding.study = self.study
        base = slugify(finding.outcome)[:50].strip("-_") or "finding"
        taken = set(self.study.findings.values_list("key", flat=True))
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        finding.key = key
        finding.position = len(taken) + 1
        finding.provenance = self.provenance()
        finding.domains = self.domains()
        finding.statistics = self.statistics
        if commit:
            finding.save()
        return finding
