"""A finding's reported statistics, entered one value to a field.

Each kind of statistics the record format knows (``record_json._STATISTICS``: means,
t, F, p, counts and a published effect) has its own group of fields, named for the
record's own keys so a message can say exactly which value is wrong. Staff choose the
kind, fill its fields, and the form builds the record's tagged JSON; the core then
checks what a schema cannot (an SD of 0, more events than people) and each problem is
put back on the field it names. The same table renders stored statistics as rows of
label and value on the staff screens, never as raw data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from guidebook.catalogue.convert import check_statistics
from guidebook.evidence import vocabulary
from guidebook.evidence.errors import InvalidRecord

__all__ = ["KINDS", "StatisticsFields", "statistics_rows"]


@dataclass(frozen=True)
class Value:
    """One value of a kind of statistics: its record key, label and what it accepts."""

    key: str
    label: str
    kind: str  # "number", "positive", "count", "size", "share", "level", "yes-no", "metric"
    required: bool = True
    default: Any = None

    @property
    def expected(self) -> str:
        return _EXPECTED[self.kind]


_EXPECTED = {
    "number": "a number",
    "positive": "a number above 0",
    "count": "a whole number of 0 or more",
    "size": "a whole number of at least 1",
    "share": "a number from 0 to 1",
    "level": "a number between 0 and 1, such as 0.95",
    "yes-no": "yes or no",
    "metric": "one of " + ", ".join(vocabulary.PUBLISHED_METRICS),
}

_N_TREATMENT = Value("n_treatment", "Treatment group size", "size")
_N_COMPARISON = Value("n_comparison", "Comparison group size", "size")
_HIGHER_IS_BETTER = Value(
    "higher_is_better", "A higher score is better", "yes-no", required=False, default=True
)
_FAVOURS_TREATMENT = Value(
    "favours_treatment", "The difference favours the treatment group", "yes-no"
)


@dataclass(frozen=True)
class Kind:
    """A kind of reported statistics: its tag in the record format and its values."""

    tag: str
    label: str
    values: tuple[Value, ...]


KINDS: tuple[Kind, ...] = (
    Kind(
        "means",
        "Means and standard deviations",
        (
            Value("mean_treatment", "Mean, treatment group", "number"),
            Value("sd_treatment", "Standard deviation, treatment group", "positive"),
            _N_TREATMENT,
            Value("mean_comparison", "Mean, comparison group", "number"),
            Value("sd_comparison", "Standard deviation, comparison group", "positive"),
            _N_COMPARISON,
            _HIGHER_IS_BETTER,
        ),
    ),
    Kind(
        "t",
        "A t statistic (treatment minus comparison)",
        (Value("t", "t", "number"), _N_TREATMENT, _N_COMPARISON, _HIGHER_IS_BETTER),
    ),
    Kind(
        "f",
        "An F statistic with one numerator degree of freedom",
        (Value("f", "F", "positive"), _N_TREATMENT, _N_COMPARISON, _FAVOURS_TREATMENT),
    ),
    Kind(
        "p",
        "A two-sided p value",
        (Value("p", "p", "share"), _N_TREATMENT, _N_COMPARISON, _FAVOURS_TREATMENT),
    ),
    Kind(
        "counts",
        "Events in each group (an outcome that happens or not)",
        (
            Value("events_treatment", "Events, treatment group", "count"),
            _N_TREATMENT,
            Value("events_comparison", "Events, comparison group", "count"),
            _N_COMPARISON,
            Value(
                "event_is_good",
                "The event is a good outcome",
                "yes-no",
                required=False,
                default=False,
            ),
        ),
    ),
    Kind(
        "effect",
        "An effect size the paper published",
        (
            Value("effect_size", "Effect size (treatment minus comparison)", "number"),
            Value("metric", "Scale of the effect size", "metric", required=False, default="smd"),
            Value("ci_lower", "Confidence interval, lower end", "number", required=False),
            Value("ci_upper", "Confidence interval, upper end", "number", required=False),
            Value("ci_level", "Confidence level", "level", required=False, default=0.95),
            Value("se", "Standard error", "positive", required=False),
            Value("n_treatment", "Treatment group size", "size", required=False),
            Value("n_comparison", "Comparison group size", "size", required=False),
            _HIGHER_IS_BETTER,
        ),
    ),
)
_BY_TAG: Mapping[str, Kind] = {kind.tag: kind for kind in KINDS}
# Optional for every kind: randomisation by group rather than by person.
CLUSTER = (
    Value("intraclass_correlation", "Intraclass correlation", "share", required=False),
    Value("mean_cluster_size", "Mean cluster size", "positive", required=False),
)
NONE = ""
KIND_CHOICES = [(NONE, "None reported"), *((kind.tag, kind.label) for kind in KINDS)]
_YES_NO = [("", "Not given"), ("yes", "Yes"), ("no", "No")]


def field_name(tag: str, key: str) -> str:
    """The form field of one value of one kind: ``means__sd_treatment``."""
    return f"{tag}__{key}"


def _label(value: Value) -> str:
    # The record key in brackets names the field in the record format as well.
    return f"{value.label} ({value.key})"


def _form_field(value: Value) -> forms.Field:
    if value.kind == "yes-no":
        return forms.ChoiceField(label=_label(value), choices=_YES_NO, required=False)
    if value.kind == "metric":
        choices = [("", "Not given"), *vocabulary.PUBLISHED_METRICS.items()]
        return forms.ChoiceField(label=_label(value), choices=choices, required=False)
    # Text, read by hand below, so that every message says what was expected and found.
    return forms.CharField(
        label=_label(value),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "number-input"}),
    )


class StatisticsFields:
    """Adds the statistics fields to a form and reads them back as record JSON."""

    def __init__(self, form: forms.BaseForm) -> None:
        self.form = form

    def add(self, initial: Mapping[str, Any] | None) -> None:
        form = self.form
        form.fields["statistics_kind"] = forms.ChoiceField(
            label="Statistics reported",
            choices=KIND_CHOICES,
            required=False,
            help_text=(
                "Choose what the paper reports, then fill in that group's values below. "
                "Leave as none reported if there are none."
            ),
        )
        for kind in KINDS:
            for value in kind.values:
                form.fields[field_name(kind.tag, value.key)] = _form_field(value)
        for value in CLUSTER:
            form.fields[field_name("cluster", value.key)] = _form_field(value)
        if initial:
            form.initial.update(initial_of(initial))

    def groups(self) -> list[dict[str, Any]]:
        """Each kind's bound fields, for the template, with whether it is the one chosen."""
        chosen = self.form["statistics_kind"].value() or ""
        groups = []
        for kind in (*KINDS, Kind("cluster", "Randomised by group (optional, any kind)", CLUSTER)):
            fields = [self.form[field_name(kind.tag, value.key)] for value in kind.values]
            groups.append(
                {
                    "tag": kind.tag,
                    "label": kind.label,
                    "fields": fields,
                    "open": kind.tag == chosen or any(field.errors for field in fields),
                }
            )
        return groups

    def clean(self, record: str) -> dict[str, Any] | None:
        """The statistics as record JSON, or None; errors go on the fields they name."""
        data = self.form.cleaned_data
        tag = data.get("statistics_kind") or NONE
        self._refuse_other_kinds(tag)
        if tag == NONE:
            return None
        kind = _BY_TAG[tag]
        statistics: dict[str, Any] = {"type": tag}
        for value in kind.values:
            read = self._read(kind.tag, value)
            if read is not None:
                statistics[value.key] = read
        cluster = {value.key: self._read("cluster", value) for value in CLUSTER}
        if any(item is not None for item in cluster.values()):
            statistics["cluster"] = cluster
        if self.form.errors:
            return None
        try:
            check_statistics(statistics, record)
        except InvalidRecord as error:
            for problem in error.problems:
                self._add_problem(
                    tag, problem.field, f"expected {problem.expected}, found {problem.found}."
                )
            return None
        return statistics

    def _refuse_other_kinds(self, tag: str) -> None:
        for kind in KINDS:
            if kind.tag == tag:
                continue
            for value in kind.values:
                name = field_name(kind.tag, value.key)
                if self.form.cleaned_data.get(name) not in (None, ""):
                    chosen = dict(KIND_CHOICES)[tag].lower()
                    self.form.add_error(
                        name,
                        f"filled in, but the statistics reported are {chosen}; clear it or "
                        f"choose '{kind.label}'.",
                    )

    def _read(self, tag: str, value: Value) -> Any:
        name = field_name(tag, value.key)
        text = str(self.form.cleaned_data.get(name) or "").strip()
        if not text:
            if value.required and tag != "cluster":
                self.form.add_error(name, f"expected {value.expected}, found nothing.")
            return value.default if tag != "cluster" else None
        if value.kind == "yes-no":
            return text == "yes"
        if value.kind == "metric":
            return text
        parsed = _number(text, value)
        if parsed is None:
            self.form.add_error(name, f"expected {value.expected}, found '{text}'.")
        return parsed

    def _add_problem(self, tag: str, problem_field: str, message: str) -> None:
        key = problem_field.rsplit(".", 1)[-1]
        for candidate in (field_name(tag, key), field_name("cluster", key)):
            if candidate in self.form.fields:
                self.form.add_error(candidate, message)
                return
        self.form.add_error("statistics_kind", f"{problem_field}: {message}")


def _number(text: str, value: Value) -> float | int | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    if value.kind in ("count", "size"):
        if not number.is_integer() or number < (1 if value.kind == "size" else 0):
            return None
        return int(number)
    if value.kind == "positive" and number <= 0:
        return None
    if value.kind == "share" and not 0 <= number <= 1:
        return None
    if value.kind == "level" and not 0 < number < 1:
        return None
    return number


def initial_of(statistics: Mapping[str, Any]) -> dict[str, Any]:
    """Form initial values from stored statistics JSON (to edit them)."""
    tag = str(statistics.get("type", ""))
    initial: dict[str, Any] = {"statistics_kind": tag}
    kind = _BY_TAG.get(tag)
    for value in kind.values if kind else ():
        stored = statistics.get(value.key)
        if stored is not None:
            initial[field_name(tag, value.key)] = _shown(stored, value)
    for value in CLUSTER:
        stored = (statistics.get("cluster") or {}).get(value.key)
        if stored is not None:
            initial[field_name("cluster", value.key)] = _shown(stored, value)
    return initial


def _shown(stored: Any, value: Value) -> str:
    if value.kind == "yes-no":
        return "yes" if stored else "no"
    if isinstance(stored, float):
        return f"{stored:g}"
    return str(stored)


def statistics_rows(statistics: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Stored statistics as a reader sees them: the kind's label and (label, value) rows."""
    if not statistics:
        return None
    kind = _BY_TAG.get(str(statistics.get("type")))
    if kind is None:
        return {"label": "Statistics of a kind this version cannot show", "rows": []}
    rows = []
    for value in (*kind.values, *CLUSTER):
        source = (statistics.get("cluster") or {}) if value in CLUSTER else statistics
        stored = source.get(value.key)
        if stored is None:
            continue
        rows.append((value.label, _readable(stored, value)))
    return {"label": kind.label, "rows": rows}


def _readable(stored: Any, value: Value) -> str:
    if value.kind == "yes-no":
        return "Yes" if stored else "No"
    if value.kind == "metric":
        return vocabulary.label_of(vocabulary.PUBLISHED_METRICS, str(stored))
    if isinstance(stored, float):
        return f"{stored:g}"
    return f"{stored:,}" if isinstance(stored, int) else str(stored)
