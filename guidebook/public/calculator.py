"""The local cost calculator: a programme's cost worked out with a commissioner's own figures.

A commissioner gives local hourly costs by qualification level, the number of
children or families to serve and, for any cost input (a training fee the published
profile leaves unknown, say, or a group size of their own), their own figure; on the
calculator's page every other model parameter too. The core cost model
(``estimate_cost`` with overrides, then ``total_cost``) recomputes the estimate from
the published snapshot's cost profile; nothing here does cost arithmetic of its own
beyond scaling each line by the number of children.

The form is a GET form, so a worked-out estimate is a shareable address, and every
bad value is reported naming the field, what was expected and what was found.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.published_records import published_record
from guidebook.catalogue.rating_basis import cost_basis
from guidebook.evidence.cost import CostEstimate, describe_input, estimate_cost, total_cost
from guidebook.evidence.cost_fields import FIELDS
from guidebook.evidence.cost_parameters import PARAMETERS, hourly_cost_parameter, parameter
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import CostProfile
from guidebook.evidence.vocabulary import QUALIFICATION_LEVELS
from guidebook.public.summaries import get_published_snapshot

# Upper bounds that no real figure reaches; they keep the arithmetic finite and catch
# a slipped digit. Guidebook's decision.
MOST_CHILDREN = 100_000_000
MOST_PER_HOUR = 1_000.0
MOST_POUNDS = 10_000_000.0
MOST_HOURS = 10_000.0
MOST_COUNT = 1_000


class NumberField(forms.Field):
    """A number typed by a person: '£1,200' is read as 1200; blank means not given.

    Errors say what was expected and quote what was found, in one sentence.
    """

    def __init__(
        self,
        *,
        expected: str,
        accepts: Callable[[float], bool],
        whole: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric" if whole else "decimal"})
        )
        super().__init__(**kwargs)
        self.expected = expected
        self.accepts = accepts
        self.whole = whole
        self.error_messages["required"] = f"{self.label}: expected {expected}, found nothing."

    def to_python(self, value: Any) -> int | float | None:
        text = str(value if value is not None else "").strip()
        if text == "":
            return None
        cleaned = text.replace(",", "").replace(" ", "").removeprefix("£")
        try:
            number: int | float = int(cleaned) if self.whole else float(cleaned)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not self.accepts(number):
            found = text if len(text) <= 40 else text[:37] + "..."
            raise ValidationError(
                f"{self.label}: expected {self.expected}, found '{found}'.", code="invalid"
            )
        return number


def _between(low: float, high: float, *, above: bool = False) -> Callable[[float], bool]:
    return lambda n: (n > low if above else n >= low) and n <= high


def _hourly_field(level: str) -> NumberField:
    name = hourly_cost_parameter(level)
    default = parameter(name).default
    short = QUALIFICATION_LEVELS[level].split(" (")[0]
    return NumberField(
        label=f"Hourly cost at {short}",
        expected=f"an amount in pounds above 0 and at most £{MOST_PER_HOUR:,.0f}",
        accepts=_between(0, MOST_PER_HOUR, above=True),
        help_text=f"£ an hour. Leave blank to use the national figure, £{default:,.2f}.",
    )


def _children_field() -> NumberField:
    return NumberField(
        label="Children or families to serve",
        expected=f"a whole number from 1 to {MOST_CHILDREN:,}",
        accepts=_between(1, MOST_CHILDREN),
        whole=True,
        help_text="For the total cost. The model counts one child in each family.",
    )


_HOURS_FIELDS = {
    "session_hours",
    "practitioner_training_hours",
    "supervisor_training_hours",
    "supervision_hours_per_family",
}
_CHOICE_INVALID = "{title}: expected {expected}, found '%(value)s'."


def _fact_help(name: str, published: Any, assumed: Mapping[str, Any] | None) -> str:
    """What the published profile says of a fact, for the field's help text."""
    if published is not None:
        return f"Published: {describe_input(name, published)}. Enter a figure to use your own."
    if assumed is None:
        return "Not published, and no cost can be estimated without it. Enter it if you know it."
    low, high = (describe_input(name, assumed[end]) for end in ("low", "high"))
    typical = describe_input(name, assumed["value"])
    return (
        f"Not published: taken to be {low} to {high} ({typical} in the itemised estimate). "
        "Enter it if you know it."
    )


def fact_field(name: str, help_text: str) -> forms.Field:
    """A form field for one cost profile input, checked as the core checks it."""
    spec = FIELDS[name]
    title = spec.label[0].upper() + spec.label[1:]
    if spec.kind in {"level", "flag"}:
        choices = (
            list(QUALIFICATION_LEVELS.items())
            if spec.kind == "level"
            else [("yes", "Yes"), ("no", "No")]
        )
        expected = "one of " + ", ".join(key for key, _ in choices)
        return forms.ChoiceField(
            label=title,
            choices=[("", "As published"), *choices],
            required=False,
            help_text=help_text,
            error_messages={
                "invalid_choice": _CHOICE_INVALID.format(title=title, expected=expected)
            },
        )
    if spec.kind == "count":
        return NumberField(
            label=title,
            expected=f"a whole number from 1 to {MOST_COUNT:,}",
            accepts=_between(1, MOST_COUNT),
            whole=True,
            help_text=help_text,
        )
    if name in _HOURS_FIELDS:
        above = spec.kind == "positive"
        lowest = "above 0" if above else "from 0"
        return NumberField(
            # The model's own words may already say "hours" ("length of a session in hours").
            label=title if "hours" in title.lower() else f"{title} (hours)",
            expected=f"a number of hours {lowest} up to {MOST_HOURS:,.0f}",
            accepts=_between(0, MOST_HOURS, above=above),
            help_text=help_text,
        )
    return NumberField(
        label=f"{title} (£)",
        expected=f"an amount in pounds from 0 up to £{MOST_POUNDS:,.0f}",
        accepts=_between(0, MOST_POUNDS),
        help_text=help_text,
    )


def _parameter_field(name: str) -> NumberField:
    known = parameter(name)
    return NumberField(
        label=name,
        expected=f"{known.expected}, at most {MOST_POUNDS:,.0f}",
        accepts=lambda n: known.accepts(n) and n <= MOST_POUNDS,
        help_text=f"{known.help} Leave blank for {known.default:g} ({known.unit}).",
    )


class CostCalculatorForm(forms.Form):
    """Local figures for one programme's cost: hourly costs, children, any cost input.

    ``profile`` is the published cost profile and ``cost`` the published estimate (its
    missing and assumed inputs). The programme page asks only for the inputs the
    profile does not give; the calculator's own page (``full``) also offers every
    published fact and every other model parameter.
    """

    def __init__(
        self,
        *args: Any,
        profile: CostProfile,
        cost: Mapping[str, Any],
        full: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "calc-%s")
        super().__init__(*args, **kwargs)
        for level in QUALIFICATION_LEVELS:
            self.fields[hourly_cost_parameter(level)] = _hourly_field(level)
        self.fields["children"] = _children_field()
        assumed = {item["field"]: item for item in cost.get("assumed", [])}
        missing = [item["field"] for item in cost.get("missing", [])]
        deciding = [item["field"] for item in cost.get("deciding", [])]
        unknown = [name for name in FIELDS if getattr(profile, name) is None]
        # What is missing first, then what decides the rating, then the rest.
        self.unknown_names = sorted(
            unknown, key=lambda n: (n not in missing, n not in deciding, list(FIELDS).index(n))
        )
        self.published_names = [n for n in FIELDS if n not in unknown] if full else []
        for name in self.unknown_names + self.published_names:
            help_text = _fact_help(name, getattr(profile, name), assumed.get(name))
            self.fields[name] = fact_field(name, help_text)
        self.parameter_names = (
            [p.name for p in PARAMETERS if p.name not in self.fields] if full else []
        )
        for name in self.parameter_names:
            self.fields[name] = _parameter_field(name)

    @property
    def hourly_fields(self) -> list[forms.BoundField]:
        return [self[hourly_cost_parameter(level)] for level in QUALIFICATION_LEVELS]

    @property
    def missing_fields(self) -> list[forms.BoundField]:
        """The profile's unknown inputs (the name is kept from when only missing ones showed)."""
        return [self[name] for name in self.unknown_names]

    @property
    def published_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.published_names]

    @property
    def parameter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.parameter_names]

    @property
    def published_have_errors(self) -> bool:
        """Whether a published fact was refused (its section is then shown open)."""
        return self.is_bound and any(self.errors.get(n) for n in self.published_names)

    @property
    def parameters_have_errors(self) -> bool:
        return self.is_bound and any(self.errors.get(n) for n in self.parameter_names)

    def overrides(self) -> dict[str, float]:
        """The cost-model parameters the commissioner gave (cleaned data only)."""
        names = [hourly_cost_parameter(level) for level in QUALIFICATION_LEVELS]
        names += self.parameter_names
        return {n: float(self.cleaned_data[n]) for n in names if self.cleaned_data[n] is not None}

    def supplied_inputs(self) -> dict[str, Any]:
        """The cost profile inputs the commissioner filled in, as the core takes them."""
        given = {}
        for name in self.unknown_names + self.published_names:
            value = self.cleaned_data[name]
            if value in (None, ""):
                continue
            given[name] = value == "yes" if FIELDS[name].kind == "flag" else value
        return given


# --- The result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of the breakdown chart, with its place in the SVG."""

    label: str
    kind: str
    amount: float
    y: float
    width: float

    @property
    def text_y(self) -> float:
        return self.y + CHART.bar_height / 2 + 5

    @property
    def label_x(self) -> float:
        return CHART.label_width - 8

    @property
    def value_x(self) -> float:
        return CHART.bar_x + self.width + 6


@dataclass(frozen=True)
class ChartGeometry:
    label_width: float = 190
    bar_area: float = 330
    bar_height: float = 22
    gap: float = 10

    @property
    def width(self) -> float:
        return self.label_width + self.bar_area + 110

    @property
    def bar_x(self) -> float:
        return self.label_width

    def height(self, bars: int) -> float:
        return bars * (self.bar_height + self.gap) + self.gap


CHART = ChartGeometry()


@dataclass(frozen=True)
class CostCalculation:
    """An estimate worked out with local figures, ready for the page."""

    estimate: CostEstimate
    children: int | None
    total: float | None
    lines: list[dict[str, Any]]
    bars: list[Bar]

    @property
    def chart_height(self) -> float:
        return CHART.height(len(self.bars))


def _bars(estimate: CostEstimate) -> list[Bar]:
    top = max((item.amount for item in estimate.breakdown), default=0.0)
    return [
        Bar(
            label=item.label,
            kind=item.kind,
            amount=item.amount,
            y=CHART.gap + index * (CHART.bar_height + CHART.gap),
            width=0.0 if top <= 0 else round(item.amount / top * CHART.bar_area, 1),
        )
        for index, item in enumerate(estimate.breakdown)
    ]


def calculate(
    snapshot: Snapshot,
    overrides: Mapping[str, float],
    inputs: Mapping[str, Any],
    children: int | None,
) -> CostCalculation:
    """The snapshot's cost estimate with local parameters and filled-in inputs.

    Raises ``InvalidRecord`` if the core rejects a value (the form checks first).
    """
    record = published_record(snapshot)
    profile = replace(record.cost, **inputs)
    models = record.characteristics.delivery_models
    estimate = estimate_cost(profile, f"programme '{snapshot.slug}'", overrides, models)
    total = None
    if children is not None and estimate.unit_cost is not None:
        total = total_cost(estimate, children)
    lines = [
        {
            "label": item.label,
            "kind": item.kind,
            "formula": item.formula,
            "amount": item.amount,
            "total": None if children is None else round(item.amount * children, 2),
        }
        for item in estimate.breakdown
    ]
    return CostCalculation(estimate, children, total, lines, _bars(estimate))


def _field_of(problem_field: str) -> str:
    """The form field a core problem is about ('cost.licence_fee' -> 'licence_fee')."""
    return problem_field.removeprefix("cost.")


# --- The view ---------------------------------------------------------------------------


def calculator_form(snapshot: Snapshot, data: Any = None) -> CostCalculatorForm:
    """The calculator's full form for a published programme, bound to ``data`` if given."""
    profile = published_record(snapshot).cost
    return CostCalculatorForm(data, profile=profile, cost=snapshot.cost, full=True)


@require_GET
def programme_cost(request: HttpRequest, slug: str) -> HttpResponse:
    snapshot = get_published_snapshot(slug)
    submitted = bool(request.GET)
    form = calculator_form(snapshot, request.GET if submitted else None)
    calculation = None
    if submitted and form.is_valid():
        try:
            calculation = calculate(
                snapshot, form.overrides(), form.supplied_inputs(), form.cleaned_data["children"]
            )
        except InvalidRecord as rejected:
            for problem in rejected.problems:
                name = _field_of(problem.field)
                message = f"{problem.field}: expected {problem.expected}, found {problem.found}."
                form.add_error(name if name in form.fields else None, message)
    context = {
        "snapshot": snapshot,
        "calculator_form": form,
        "calculation": calculation,
        "chart": CHART,
        "published_cost": snapshot.cost,
        "cost_basis": cost_basis(snapshot.cost, snapshot.assessment),
    }
    status = 400 if submitted and not form.is_valid() else 200
    return render(request, "public/calculator.html", context, status=status)
