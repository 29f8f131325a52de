"""The provider questionnaire: every section of the programme record, and the evaluations.

A draft keeps what was typed, as typed. Submitting validates twice: Django's fields
check each answer's type, then the evidence core checks the record it makes (the same
checks as an imported record file), and each problem is shown on the field it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.text import slugify

from guidebook.catalogue.models import Programme
from guidebook.evidence import crosswalk_vocabulary, records, vocabulary
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import programme_from_dict, programme_to_dict


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    fields: tuple[str, ...]


# The cost model's inputs a provider is asked for, in the order asked.
_COST = (
    "practitioners_per_session",
    "practitioner_level",
    "families_per_group",
    "practitioner_training_hours",
    "practitioner_training_fee",
    "booster_training",
    "supervisor_level",
    "supervisor_training_hours",
    "supervision_hours_per_family",
    "licence_fee",
    "setup_materials",
    "materials_per_family",
)


SECTIONS = (
    Section("About the programme", "", ("name", "summary", "description")),
    Section(
        "Who it is for",
        "Tick every group the programme's best evidence concerns.",
        ("age_groups", "targeting", "countries", "uk_provision"),
    ),
    Section(
        "Delivery",
        "How, where and how much of the programme a family receives.",
        (
            "delivery_models",
            "settings",
            "sessions",
            "session_hours_min",
            "session_hours_max",
            "frequency",
            "duration",
            "delivery_summary",
            "activities",
        ),
    ),
    Section(
        "Implementation",
        "What a local service needs to deliver the programme faithfully.",
        ("practitioners", "training", "supervision", "fidelity", "licence"),
    ),
    Section(
        "Cost inputs",
        "Figures the cost model uses. Leave a question empty if you do not know the "
        "answer; enter 0 only when the cost is known to be nothing.",
        _COST,
    ),
    Section("Theory of change", "", ("theory_of_change",)),
    Section(
        "Readiness",
        "Facts other clearinghouses check before reading any study. Leave 'Not known' "
        "if you are unsure: an unknown answer is never counted as yes.",
        ("manual", "dissemination_ready", "psc_area"),
    ),
    Section(
        "Contact", "", ("contact_name", "contact_organisation", "contact_email", "contact_website")
    ),
    Section(
        "Evaluations",
        "List every evaluation of the programme you know of, published or not.",
        ("evaluations",),
    ),
)

_REQUIRED = "Expected an answer, found none."
_LINES_HELP = "One item per line."


def _choices(vocab: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(vocab.items())


def _keys(vocab: Mapping[str, str], label: str, help_text: str = "") -> forms.Field:
    return forms.MultipleChoiceField(
        label=label,
        choices=_choices(vocab),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


def _text(label: str, help_text: str = "", *, long: bool = False) -> forms.Field:
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput
    return forms.CharField(label=label, help_text=help_text, required=False, widget=widget)


def _lines(label: str, help_text: str = _LINES_HELP) -> forms.Field:
    return _text(label, help_text, long=True)


def _amount(label: str, help_text: str = "", *, whole: bool = False) -> forms.Field:
    field_class = forms.IntegerField if whole else forms.FloatField
    return field_class(label=label, help_text=help_text, required=False, min_value=0)


def _level(label: str) -> forms.Field:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Not known"), *_choices(vocabulary.QUALIFICATION_LEVELS)],
        required=False,
    )


def _yes_no_unknown(label: str) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not known"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )


class QuestionnaireForm(forms.Form):
    name = forms.CharField(
        label="Programme name", max_length=200, error_messages={"required": _REQUIRED}
    )
    summary = forms.CharField(
        label="Summary",
        help_text="Two or three sentences: what the programme is and who it serves.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _REQUIRED},
    )
    description = _text("Full description", long=True)

    age_groups = _keys(vocabulary.AGE_GROUPS, "Age groups")
    targeting = _keys(vocabulary.TARGETING, "Level of need")
    countries = _text("Countries where it is delivered", "Separate countries with commas.")
    uk_provision = forms.BooleanField(label="It has been delivered in the UK", required=False)

    delivery_models = _keys(vocabulary.DELIVERY_MODELS, "Delivery models")
    settings = _keys(vocabulary.SETTINGS, "Settings")
    sessions = _amount("Number of sessions", whole=True)
    session_hours_min = _amount("Shortest session, in hours")
    session_hours_max = _amount("Longest session, in hours")
    frequency = _text("How often sessions happen", "For example: weekly.")
    duration = _text("How long the programme lasts", "For example: 20 weeks.")
    delivery_summary = _lines("Delivery in brief")
    activities = _lines("Main activities")

    practitioners = _text("Who delivers it, with their qualifications", long=True)
    training = _text("Training practitioners need", long=True)
    supervision = _text("Supervision", long=True)
    fidelity = _text("How faithful delivery is kept", long=True)
    licence = _text("Licence or accreditation", long=True)

    practitioners_per_session = _amount("Practitioners at each session", whole=True)
    practitioner_level = _level("Practitioners' qualification level")
    families_per_group = _amount(
        "Families in each group", "Enter 1 if families are seen one at a time.", whole=True
    )
    practitioner_training_hours = _amount("Hours of initial training per practitioner")
    practitioner_training_fee = _amount("Training fee per practitioner, in pounds")
    booster_training = forms.TypedChoiceField(
        label="Booster training is required",
        choices=[("", "Not known"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    supervisor_level = _level("Supervisors' qualification level")
    manual = _yes_no_unknown("A manual or other writings say how to deliver it")
    dissemination_ready = _yes_no_unknown(
        "Ready for dissemination: training, technical support and materials are available"
    )
    psc_area = forms.ChoiceField(
        label="Title IV-E Prevention Services Clearinghouse programme area",
        choices=[("", "Not known or none"), *_choices(crosswalk_vocabulary.PSC_AREAS)],
        required=False,
    )
    supervisor_training_hours = _amount("Hours of training per supervisor")
    supervision_hours_per_family = _amount("Hours of supervision for each family served")
    licence_fee = _amount("Licence fee, in pounds")
    setup_materials = _amount("Materials to set up, in pounds")
    materials_per_family = _amount("Materials for each family, in pounds")

    theory_of_change = _lines(
        "How the programme is meant to work", "One step per line, from activity to outcome."
    )

    contact_name = _text("Contact name")
    contact_organisation = _text("Organisation")
    contact_email = forms.EmailField(label="Email address", required=False)
    contact_website = forms.URLField(label="Website", required=False, assume_scheme="https")

    evaluations = _lines(
        "Evaluations you know of",
        "One per line: the citation, then, if there is one, a vertical bar and a web "
        "address. For example: Smith et al (2015) | https://doi.org/10.1000/xyz",
    )

    def sections(self) -> list[dict[str, Any]]:
        """The form's fields grouped as the questionnaire's sections, for the template."""
        return [
            {"title": s.title, "intro": s.intro, "fields": [self[name] for name in s.fields]}
            for s in SECTIONS
        ]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        slug = slug_for(name)
        if not slug:
            raise ValidationError(f"Expected a name with letters or digits, found {name!r}.")
        if Programme.objects.filter(slug=slug).exists():
            raise ValidationError(
                f"Expected a name not yet in the guidebook, found {name!r} "
                f"(a programme with the address '{slug}' already exists)."
            )
        return name

    def clean_evaluations(self) -> list[dict[str, str]]:
        return parse_evaluations(self.cleaned_data["evaluations"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.record = build_record(cleaned)
        except InvalidRecord as error:
            for problem in error.problems:
                field = field_of(problem.field)
                message = f"Expected {problem.expected}, found {problem.found}."
                self.add_error(field if field in self.fields else None, message)
        return cleaned


def parse_evaluations(text: str) -> list[dict[str, str]]:
    """Evaluations typed one per line as 'citation | address'; names the faulty line."""
    evaluations = []
    problems = []
    check_url = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(text.splitlines(), start=1):
        citation, _, url = (part.strip() for part in line.partition("|"))
        if not citation and not url:
            continue
        if not citation:
            problems.append(f"Line {number}: expected a citation before the '|', found none.")
        if url:
            try:
                check_url(url)
            except ValidationError:
                problems.append(
                    f"Line {number}: expected a web address starting http:// or https://, "
                    f"found {url!r}."
                )
        evaluations.append({"citation": citation, "url": url})
    if problems:
        raise ValidationError(problems)
    return evaluations


def slug_for(name: str) -> str:
    """The address a new programme gets from its name: lower-case words and hyphens."""
    return slugify(name.replace("_", " "))[:120].strip("-")


def field_of(path: str) -> str:
    """The questionnaire field a record path such as 'delivery.session_hours_max' names."""
    section, _, leaf = re.sub(r"\[\d+\]", "", path).partition(".")
    if section == "contact":
        return f"contact_{leaf}"
    # The cost model's sessions and their length are the ones asked under delivery.
    asked_as = {
        ("delivery", "summary"): "delivery_summary",
        ("cost", "session_hours"): "session_hours_min",
    }
    return asked_as.get((section, leaf), leaf or section)


def _lines_of(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _mean_hours(low: float | None, high: float | None) -> float | None:
    known = [value for value in (low, high) if value is not None]
    return sum(known) / len(known) if known else None


def build_record(answers: Mapping[str, Any]) -> records.Programme:
    """The programme record the cleaned answers describe, checked by the core."""
    low, high = answers["session_hours_min"], answers["session_hours_max"]
    record = records.Programme(
        slug=slug_for(answers["name"]),
        name=answers["name"],
        summary=answers["summary"].strip(),
        description=answers["description"].strip(),
        characteristics=records.Characteristics(
            age_groups=tuple(answers["age_groups"]),
            delivery_models=tuple(answers["delivery_models"]),
            settings=tuple(answers["settings"]),
            targeting=tuple(answers["targeting"]),
            countries=tuple(c.strip() for c in answers["countries"].split(",") if c.strip()),
            uk_provision=answers["uk_provision"],
        ),
        delivery=records.Delivery(
            sessions=answers["sessions"],
            session_hours_min=low,
            session_hours_max=high,
            frequency=answers["frequency"].strip(),
            duration=answers["duration"].strip(),
            summary=_lines_of(answers["delivery_summary"]),
            activities=_lines_of(answers["activities"]),
        ),
        implementation=records.Implementation(**{k: answers[k].strip() for k in _IMPLEMENTATION}),
        # The cost model counts the sessions and their length given under delivery.
        cost=records.CostProfile(
            sessions=answers["sessions"],
            session_hours=_mean_hours(low, high),
            **{k: answers[k] if answers[k] != "" else None for k in _COST},
        ),
        theory_of_change=_lines_of(answers["theory_of_change"]),
        readiness=records.Readiness(
            manual=answers.get("manual"),
            dissemination_ready=answers.get("dissemination_ready"),
            psc_area=answers.get("psc_area") or None,
        ),
        contact=records.Contact(
            name=answers["contact_name"].strip(),
            organisation=answers["contact_organisation"].strip(),
            email=answers["contact_email"],
            website=answers["contact_website"],
        ),
    )
    # The same checks an imported record file gets: schema and consistency.
    return programme_from_dict(programme_to_dict(record), source=f"programme '{record.slug}'")


_IMPLEMENTATION = ("practitioners", "training", "supervision", "fidelity", "licence")
_MULTIPLE = ("age_groups", "targeting", "delivery_models", "settings")


def answers_from_post(data: QueryDict) -> dict[str, Any]:
    """The questionnaire's answers as typed, to keep in a draft."""
    return {
        name: data.getlist(name) if name in _MULTIPLE else data.get(name, "")
        for name in QuestionnaireForm.base_fields
    }


def initial_from_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A saved draft as the form's initial values, so it shows as it was left."""
    initial = {
        name: value for name, value in answers.items() if name in QuestionnaireForm.base_fields
    }
    initial["uk_provision"] = bool(answers.get("uk_provision"))
    return initial


def evaluations_of(answers: Mapping[str, Any]) -> Iterable[dict[str, str]]:
    """The evaluations a submission listed (already checked at submission)."""
    try:
        return parse_evaluations(str(answers.get("evaluations", "")))
    except ValidationError:
        return []
