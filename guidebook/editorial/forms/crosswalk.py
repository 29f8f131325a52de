"""Staff forms for the facts other clearinghouses' rules read (docs/methodology/crosswalk.md).

Three forms, one per place a fact belongs: how a study was run (its ``conduct``), a
finding's outcome domains and harm, and a programme's readiness. "Not known" is always
an answer and is stored as not recorded, never as a no. Each form checks its answers
twice, as the questionnaire does: the field's own type first, then the core's record
checks (the same gate an imported record file goes through), each problem shown on
the field it names, with what was expected and what was found.

The four conduct facts the EIF appraisal also asks (attrition, baseline difference and
adjustment) may be left empty here: the standards then read the consensus appraisal's
answer, so a reviewer answers each question once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django import forms

from guidebook.catalogue.models import Finding, Programme, Study
from guidebook.catalogue.models.gate import probe_problems
from guidebook.editorial.forms.appraisal import answer_text
from guidebook.evidence import crosswalk_vocabulary
from guidebook.evidence.crosswalk.facts import ANSWERED_IN_APPRAISAL
from guidebook.evidence.errors import Problem

NOT_KNOWN = "Not known"
_YES_NO = [("", NOT_KNOWN), ("yes", "Yes"), ("no", "No")]


def one_of(choices: list[tuple[str, str]]) -> dict[str, str]:
    """The error a choice outside ``choices`` gets: what was expected, what was found."""
    keys = ", ".join(f"'{key}'" for key, _ in choices if key)
    return {"invalid_choice": f"Expected one of {keys} or empty, found '%(value)s'."}


def yes_no_unknown(label: str, help_text: str = "") -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        error_messages=one_of(_YES_NO),
    )


def choice_or_unknown(
    label: str, vocab: Mapping[str, str], unknown: str = NOT_KNOWN
) -> forms.Field:
    choices = [("", unknown), *vocab.items()]
    return forms.ChoiceField(
        label=label, choices=choices, required=False, error_messages=one_of(choices)
    )


def as_choice(value: bool | None) -> str:
    """A stored yes/no/unknown as the form's choice."""
    return "" if value is None else "yes" if value else "no"


class NumberOrUnknown(forms.CharField):
    """A number, or empty for not known; anything else is named in the error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, required=False, **kwargs)

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(f"Expected a number, found {text!r}.") from None
        if not math.isfinite(number):
            raise forms.ValidationError(f"Expected a finite number, found {text!r}.")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def add_problems(form: forms.Form, problems: tuple[Problem, ...], prefix: str) -> None:
    """Put each core problem on the form field its path names (after ``prefix``)."""
    for problem in problems:
        named = problem.field.removeprefix(prefix).strip(".")
        field = named if named in form.fields else None
        form.add_error(
            field, f"Field '{named}': expected {problem.expected}, found {problem.found}."
        )


# --- How a study was run ----------------------------------------------------------------

CONDUCT_FIELDS = (
    "usual_care",
    "sample",
    "comparison",
    "randomisation_compromised",
    "overall_attrition",
    "differential_attrition",
    "baseline_difference",
    "baseline_adjusted",
    "confounded",
    "developer_independent",
)
_YES_NO_FIELDS = (
    "usual_care",
    "randomisation_compromised",
    "baseline_adjusted",
    "confounded",
    "developer_independent",
)
_FROM_APPRAISAL = dict(ANSWERED_IN_APPRAISAL)


class StudyConductForm(forms.Form):
    usual_care = yes_no_unknown(
        "Run in a usual care or practice setting",
        "Delivered where and by whom it would normally be, not in a research clinic.",
    )
    sample = forms.CharField(
        label="Sample identifier",
        required=False,
        help_text="The same name on every report of one trial, so that it counts once.",
    )
    comparison = choice_or_unknown(
        "What the comparison group received", crosswalk_vocabulary.COMPARISONS
    )
    randomisation_compromised = yes_no_unknown(
        "Random assignment was compromised",
        "For example: people moved between groups after assignment, or excluded afterwards.",
    )
    overall_attrition = NumberOrUnknown(
        label="Overall attrition (a fraction from 0 to 1)",
        help_text="Share of those assigned missing from the analysis.",
    )
    differential_attrition = NumberOrUnknown(
        label="Differential attrition (a fraction from 0 to 1)",
        help_text="How far the two groups' attrition rates differ.",
    )
    baseline_difference = NumberOrUnknown(
        label="Largest baseline difference, in standard deviations",
        help_text="The largest absolute standardised difference between the groups before.",
    )
    baseline_adjusted = yes_no_unknown("The analysis adjusts for the baseline differences")
    confounded = yes_no_unknown(
        "A factor is completely aligned with one group",
        "For example: one therapist delivered every session, or one site had every "
        "participant of a group.",
    )
    developer_independent = yes_no_unknown(
        "The evaluation team was independent of the developer",
        "Not authored, collected or analysed by the developer's team or anyone with a "
        "financial interest in the programme.",
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        kwargs.setdefault("initial", conduct_initial(study.conduct))
        super().__init__(*args, **kwargs)
        self.study = study
        self._say_what_the_appraisal_answered(study)

    def _say_what_the_appraisal_answered(self, study: Study) -> None:
        """Beside each question the appraisal also asks, the consensus answer (if any)
        that the standards read when the field is left empty."""
        consensus = study.appraisals.filter(consensus=True).first()
        answers: Mapping[str, Any] = consensus.answers if consensus else {}
        for name, criterion in _FROM_APPRAISAL.items():
            answer = answers.get(criterion)
            said = "not answered" if answer is None else answer_text(answer)
            field = self.fields[name]
            field.help_text = f"{field.help_text} Consensus appraisal: {said}.".strip()

    def conduct(self) -> dict[str, Any]:
        """The answers as the record's ``conduct`` object; not known is null."""
        data = self.cleaned_data
        return {
            name: (data.get(name) or None) if name in ("sample", "comparison") else data.get(name)
            for name in CONDUCT_FIELDS
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            if isinstance(cleaned.get("sample"), str):
                cleaned["sample"] = cleaned["sample"].strip()
            problems = probe_problems({"conduct": self.conduct()}, "studies[0]")
            add_problems(self, problems, "studies[0].conduct")
        return cleaned

    def save(self) -> Study:
        self.study.conduct = self.conduct()
        self.study.save(update_fields=["conduct"])
        return self.study


def conduct_initial(conduct: Mapping[str, Any]) -> dict[str, Any]:
    """A stored ``conduct`` object as the form's initial values."""
    return {
        name: as_choice(conduct.get(name)) if name in _YES_NO_FIELDS else conduct.get(name) or ""
        for name in CONDUCT_FIELDS
    }


# --- A finding's domains and harm ------------------------------------------------------


class FindingFactsForm(forms.Form):
    psc_domain = choice_or_unknown("PSC target outcome domain", crosswalk_vocabulary.PSC_DOMAINS)
    blueprints_outcome = forms.CharField(
        required=False, label="Blueprints outcome (as Blueprints names it)"
    )
    cebc_topic = forms.CharField(required=False, label="CEBC topic area")
    homvee_domain = forms.CharField(required=False, label="HomVEE domain")
    harmful = yes_no_unknown(
        "A harmful effect", "For other clearinghouses' rules; not known is never read as no."
    )
    months_after_treatment_end = NumberOrUnknown(
        label="Months after the end of treatment",
        help_text="Counted from the end of treatment, where 'months after' counts from "
        "the end of the programme.",
    )

    DOMAIN_FIELDS = (
        ("psc", "psc_domain"),
        ("blueprints", "blueprints_outcome"),
        ("cebc", "cebc_topic"),
        ("homvee", "homvee_domain"),
    )

    def __init__(self, *args: Any, finding: Finding, **kwargs: Any) -> None:
        domains = finding.domains or {}
        initial = {field: domains.get(key, "") for key, field in self.DOMAIN_FIELDS}
        initial["harmful"] = as_choice(finding.harmful)
        initial["months_after_treatment_end"] = finding.months_after_treatment_end
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.finding = finding

    def domains(self) -> dict[str, str]:
        """The outcome's domain under each clearinghouse that was answered."""
        answered = {key: self.cleaned_data.get(field, "") for key, field in self.DOMAIN_FIELDS}
        return {key: value.strip() for key, value in answered.items() if value.strip()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        values = {
            "key": "probe",
            "outcome": self.finding.outcome,
            "category": self.finding.category,
            "domains": self.domains(),
            "harmful": cleaned.get("harmful"),
            "months_after_treatment_end": cleaned.get("months_after_treatment_end"),
        }
        problems = probe_problems(values, "studies[0].findings[0]")
        by_path = {f"domains.{key}": field for key, field in self.DOMAIN_FIELDS}
        for problem in problems:
            named = problem.field.removeprefix("studies[0].findings[0]").strip(".")
            field = by_path.get(named, named)
            self.add_error(
                field if field in self.fields else None,
                f"Field '{named}': expected {problem.expected}, found {problem.found}.",
            )
        return cleaned

    def save(self) -> Finding:
        self.finding.domains = self.domains()
        self.finding.harmful = self.cleaned_data["harmful"]
        self.finding.months_after_treatment_end = self.cleaned_data["months_after_treatment_end"]
        self.finding.save(update_fields=["domains", "harmful", "months_after_treatment_end"])
        return self.finding


# --- A programme's readiness -----------------------------------------------------------


class ReadinessForm(forms.Form):
    manual = yes_no_unknown("A manual or other writings say how to deliver it")
    dissemination_ready = yes_no_unknown(
        "Ready for dissemination: training, technical support and materials are available"
    )
    psc_area = choice_or_unknown(
        "Title IV-E Prevention Services Clearinghouse programme area",
        crosswalk_vocabulary.PSC_AREAS,
        "Not known or none",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "manual": as_choice(programme.manual),
                "dissemination_ready": as_choice(programme.dissemination_ready),
                "psc_area": programme.psc_area or "",
            },
        )
        super().__init__(*args, **kwargs)
        self.programme = programme

    def readiness(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "manual": data.get("manual"),
            "dissemination_ready": data.get("dissemination_ready"),
            "psc_area": data.get("psc_area") or None,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            add_problems(self, probe_problems({"readiness": self.readiness()}, ""), "readiness")
        return cleaned

    def save(self) -> Programme:
        for name, value in self.readiness().items():
            setattr(self.programme, name, value)
        self.programme.save(update_fields=list(self.readiness()))
        return self.programme
