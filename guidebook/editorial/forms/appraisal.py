"""Appraisal forms: one question per criterion of the standard, grouped as the standard groups them.

The questions come from ``guidebook.evidence.standards.CRITERIA``; the forms only
collect answers. The level a study reaches is computed by the core from the
consensus answers, never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from guidebook.evidence.standards import CRITERIA, GROUPS, Criterion

Answer = bool | float | None
_YES_NO = [("yes", "Yes"), ("no", "No")]


def field_name(criterion: Criterion) -> str:
    # Dots would need escaping in every CSS selector and element id.
    return criterion.id.replace(".", "__")


def _field(criterion: Criterion) -> forms.Field:
    label = criterion.question
    messages = {"required": "Expected an answer, found none."}
    if criterion.kind == "yes-no":
        return forms.ChoiceField(
            label=label, choices=_YES_NO, widget=forms.RadioSelect, error_messages=messages
        )
    return forms.FloatField(
        label=label,
        min_value=criterion.lowest,
        max_value=criterion.highest,
        error_messages=messages,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


def as_initial(answers: Mapping[str, Answer]) -> dict[str, str | float]:
    """Stored answers as form values (True becomes 'yes', 240.0 becomes 240)."""
    initial: dict[str, str | float] = {}
    for criterion in CRITERIA:
        answer = answers.get(criterion.id)
        if answer is None:
            continue
        if criterion.kind == "yes-no":
            initial[field_name(criterion)] = "yes" if answer else "no"
        else:
            initial[field_name(criterion)] = whole_if_whole(float(answer))
    return initial


def whole_if_whole(number: float) -> float | int:
    """240.0 as 240 (a count of participants), 0.9 as 0.9."""
    return int(number) if number.is_integer() else number


def answer_text(answer: Answer) -> str:
    """An answer as staff read it: yes, no, a number without a stray ".0", or not answered."""
    if answer is None:
        return "not answered"
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return f"{whole_if_whole(float(answer)):,}"


class CriteriaForm(forms.Form):
    """Answers to every criterion; ``complete=False`` lets a draft leave some unanswered."""

    def __init__(self, *args: Any, complete: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            field = _field(criterion)
            field.required = complete
            self.fields[field_name(criterion)] = field

    def answers(self) -> dict[str, Answer]:
        """The cleaned answers keyed by criterion id; unanswered criteria are left out."""
        answers: dict[str, Answer] = {}
        for criterion in CRITERIA:
            value = self.cleaned_data.get(field_name(criterion))
            if value in (None, ""):
                continue
            answers[criterion.id] = value == "yes" if criterion.kind == "yes-no" else value
        return answers

    def groups(self) -> list[dict[str, Any]]:
        """The fields grouped as the standard groups its criteria, for the template."""
        return [
            {
                "name": group,
                "fields": [self[field_name(c)] for c in CRITERIA if c.group == group],
            }
            for group in GROUPS
        ]


class ReviewerAppraisalForm(CriteriaForm):
    comment = forms.CharField(
        label="Comment for the consensus (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsensusForm(CriteriaForm):
    note = forms.CharField(
        label="How the disagreements were settled",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, disagreements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, complete=True, **kwargs)
        self.disagreements = disagreements

    def clean_note(self) -> str:
        note: str = self.cleaned_data["note"].strip()
        if self.disagreements and not note:
            raise forms.ValidationError(
                f"Expected a note on how the {len(self.disagreements)} disagreement(s) were "
                "settled, found none."
            )
        return note
