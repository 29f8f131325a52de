"""Forms of the evidence search log and of the findings entered per study."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify

from guidebook.catalogue.models import Finding, Study
from guidebook.editorial.models import EvidenceSearch, Screening
from guidebook.evidence import vocabulary
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import read_statistics


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


class FindingForm(forms.ModelForm):
    statistics = forms.JSONField(
        required=False,
        label="Statistics (optional)",
        help_text=(
            'In the record format, for example {"type": "p", "p": 0.03, "n_treatment": 50, '
            '"n_comparison": 48, "favours_treatment": true}. Leave empty if none are reported.'
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
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
            "direction",
            "significant",
            "statistics",
        ]
        labels = {
            "outcome": "Outcome",
            "beneficiary": "Whose outcome",
            "reporter": "Who reported it",
            "months_after": "Months after the programme ended",
            "significant": "Statistically significant",
        }

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        # Set before the model's own checks run, which check the finding whole.
        self.instance.study = study
        self.instance.key = "finding"

    def clean_statistics(self) -> Any:
        data = self.cleaned_data["statistics"]
        try:
            read_statistics(data, f"{self.study.label}, new finding")
        except InvalidRecord as error:
            raise forms.ValidationError(
                [f"{p.field}: expected {p.expected}, found {p.found}." for p in error.problems]
            ) from None
        return data

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
        if commit:
            finding.save()
        return finding
