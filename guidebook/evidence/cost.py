"""Guidebook's cost model: a unit cost per child and a cost rating from a cost profile.

The published guidebook rates cost in five bands but does not publish its formula
(see ``docs/methodology/cost-model.md`` and STANDARDS section 2). This model is
Guidebook's own and shows every step. For one delivery team (the practitioners who
run a session together):

    families a year   = groups_per_year x families per group            (groups)
                      = contact_hours_per_year / (sessions x hours)     (one-to-one)
    children served   = families a year x horizon_years                 (one child a family)

    set-up, per child = [practitioners x (training hours x rate + training fee)
                         + practitioners / practitioners_per_supervisor
                           x supervisor training hours x supervisor rate
                         + licence fee + start-up materials] / children served

    recurring, per child = sessions x hours x practitioners / families per group x rate
                         + supervision hours x (supervisor rate + practitioner rate)
                         + practitioners x booster_share x training hours x rate
                           / families a year                     (when booster applies)
                         + materials per family

    unit cost = set-up + recurring, rounded to the penny

Rates are the hourly costs in ``cost_parameters`` for each qualification level,
raised by ``overhead_rate``; the rating is the band of ``COST_BANDS`` (also kept in
``cost_parameters``, with the treatment of £499.50 and £2,000) the unit cost falls in.
Inputs that a profile leaves unknown either make the
rating NA (the required ones, listed in ``missing``) or take a documented default
(listed in ``assumed``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from guidebook.evidence.cost_parameters import (
    COST_BANDS,
    CostBand,
    ResolvedParameters,
    cost_band,
    finite_number,
    hourly_cost_parameter,
    override_problems,
    parameter,
    resolve,
)
from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.records import CostProfile
from guidebook.evidence.vocabulary import QUALIFICATION_LEVELS

__all__ = [
    "COST_BANDS",
    "Assumption",
    "CostBand",
    "CostEstimate",
    "LineItem",
    "MissingInput",
    "UsedParameter",
    "cost_band",
    "estimate_cost",
    "total_cost",
]

NOT_AVAILABLE = "NA"
_T = TypeVar("_T")


# --- What an estimate reports ---------------------------------------------------------


@dataclass(frozen=True)
class LineItem:
    """One part of the unit cost: its amount per child and the sum that produced it."""

    key: str
    label: str
    kind: str
    amount: float
    formula: str


@dataclass(frozen=True)
class MissingInput:
    """A required input the profile does not know."""

    field: str
    label: str


@dataclass(frozen=True)
class Assumption:
    """An input the profile does not know, filled with a documented default."""

    field: str
    label: str
    value: float | str | bool
    reason: str


@dataclass(frozen=True)
class UsedParameter:
    name: str
    value: float
    unit: str
    overridden: bool


@dataclass(frozen=True)
class CostEstimate:
    """The result of ``estimate_cost``: rating, unit cost and how they were reached."""

    record: str
    rating: str
    label: str
    unit_cost: float | None
    breakdown: tuple[LineItem, ...]
    parameters: tuple[UsedParameter, ...]
    missing: tuple[MissingInput, ...]
    assumed: tuple[Assumption, ...]

    @property
    def explanation(self) -> str:
        """One paragraph, in plain words, saying what the rating means here."""
        if self.unit_cost is None:
            missing = "; ".join(item.label for item in self.missing)
            return (
                "There is no cost rating (NA) because a unit cost cannot be estimated "
                f"without these inputs, which are not known: {missing}."
            )
        band = cost_band(self.unit_cost)
        return (
            f"A rating of {band.rating} ({band.label}) means that setting up and "
            f"delivering the programme is estimated at £{self.unit_cost:,.2f} for each "
            f"child, in the band {band.wording}. The figure compares how much "
            "programmes ask of a service; it is not a price."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: strings, numbers, booleans, lists and dicts."""
        return {
            "record": self.record,
            "rating": self.rating,
            "label": self.label,
            "unit_cost": self.unit_cost,
            "explanation": self.explanation,
            "breakdown": [vars(item).copy() for item in self.breakdown],
            "parameters": {
                used.name: {"value": used.value, "unit": used.unit, "overridden": used.overridden}
                for used in self.parameters
            },
            "missing": [vars(item).copy() for item in self.missing],
            "assumed": [vars(item).copy() for item in self.assumed],
        }


# --- Profile fields: labels, checks and whether the rating needs them ------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


_LEVELS = "one of " + ", ".join(QUALIFICATION_LEVELS)

# Each kind of field: the test a known value must pass, and what it expects in words.
_CHECKS: Mapping[str, tuple[Callable[[object], bool], str]] = {
    "count": (_is_count, "a whole number of at least 1"),
    "positive": (lambda v: (n := finite_number(v)) is not None and n > 0, "a number above 0"),
    "amount": (lambda v: (n := finite_number(v)) is not None and n >= 0, "a number of 0 or more"),
    "level": (lambda v: isinstance(v, str) and v in QUALIFICATION_LEVELS, _LEVELS),
    "flag": (lambda v: isinstance(v, bool), "true or false"),
}


@dataclass(frozen=True)
class _Field:
    label: str
    kind: str
    required: bool


# A field is required when no neutral default exists and it can move a programme by a
# whole band on its own: delivery hours, who delivers, training and licence fees.
_FIELDS: Mapping[str, _Field] = {
    "sessions": _Field("number of sessions", "count", True),
    "session_hours": _Field("length of a session in hours", "positive", True),
    "practitioners_per_session": _Field("practitioners at each session", "count", True),
    "practitioner_level": _Field("practitioners' qualification level", "level", True),
    "families_per_group": _Field("families in a group", "count", False),
    "practitioner_training_hours": _Field("hours of practitioner training", "amount", True),
    "practitioner_training_fee": _Field("practitioner training fee", "amount", True),
    "booster_training": _Field("whether booster training is needed", "flag", False),
    "supervisor_level": _Field("supervisor's qualification level", "level", False),
    "supervisor_training_hours": _Field("hours of supervisor training", "amount", False),
    "supervision_hours_per_family": _Field("supervision hours per family", "amount", False),
    "licence_fee": _Field("licence fee", "amount", True),
    "setup_materials": _Field("start-up materials", "amount", False),
    "materials_per_family": _Field("materials per family", "amount", False),
}


def _profile_problems(profile: CostProfile, record: str) -> list[Problem]:
    problems = []
    for name, spec in _FIELDS.items():
        value = getattr(profile, name)
        accepts, expected = _CHECKS[spec.kind]
        if value is not None and not accepts(value):
            problems.append(Problem(record, f"cost.{name}", expected, describe(value)))
    return problems


def _missing(profile: CostProfile) -> tuple[MissingInput, ...]:
    return tuple(
        MissingInput(name, spec.label)
        for name, spec in _FIELDS.items()
        if spec.required and getattr(profile, name) is None
    )


# --- The estimate -------------------------------------------------------------------------


def estimate_cost(
    profile: CostProfile, record: str, overrides: Mapping[str, float] | None = None
) -> CostEstimate:
    """Estimate the unit cost per child of a programme and rate it in STANDARDS' bands.

    The model is Guidebook's own (the module docstring gives it in full); parameter
    defaults and their sources are in ``cost_parameters``. ``record`` names the record
    in error messages. Raises ``InvalidRecord`` listing every impossible profile value
    and every bad override at once.
    """
    problems = _profile_problems(profile, record) + override_problems(overrides, record)
    if problems:
        raise InvalidRecord(problems)
    params = resolve(overrides, record)
    used = _used_parameters(params)
    missing = _missing(profile)
    if missing:
        return CostEstimate(record, NOT_AVAILABLE, "not available", None, (), used, missing, ())
    inputs, assumed = _fill_unknowns(profile, params)
    breakdown = _set_up_items(inputs, params) + _recurring_items(inputs, params)
    unit_cost = round(sum(item.amount for item in breakdown), 2)
    band = cost_band(unit_cost)
    return CostEstimate(record, band.rating, band.label, unit_cost, breakdown, used, (), assumed)


def total_cost(estimate: CostEstimate, children: int) -> float:
    """The estimated cost of serving ``children`` children: unit cost times children.

    Raises ``InvalidRecord`` for an estimate without a unit cost (NA) or a number of
    children that is not a whole number of at least 0.
    """
    if estimate.unit_cost is None:
        expected = "an estimate with a unit cost (rated 1 to 5)"
        raise InvalidRecord.single(estimate.record, "unit_cost", expected, NOT_AVAILABLE)
    if not isinstance(children, int) or isinstance(children, bool) or children < 0:
        expected = "a whole number of children, 0 or more"
        raise InvalidRecord.single(estimate.record, "children", expected, children)
    return round(estimate.unit_cost * children, 2)


def _used_parameters(params: ResolvedParameters) -> tuple[UsedParameter, ...]:
    return tuple(
        UsedParameter(name, value, parameter(name).unit, name in params.overridden)
        for name, value in params.values.items()
    )


@dataclass(frozen=True)
class _Inputs:
    """A profile with every unknown optional input filled in."""

    sessions: int
    session_hours: float
    practitioners: int
    rate: float
    families_per_group: float
    training_hours: float
    training_fee: float
    booster: bool
    supervisor_rate: float
    supervisor_training_hours: float
    supervision_hours: float
    licence_fee: float
    setup_materials: float
    materials_per_family: float

    @property
    def contact_hours_per_family(self) -> float:
        """Practitioner hours of delivery each family takes."""
        sessions_hours = self.sessions * self.session_hours * self.practitioners
        return sessions_hours / self.families_per_group


def _fill_unknowns(
    profile: CostProfile, params: ResolvedParameters
) -> tuple[_Inputs, tuple[Assumption, ...]]:
    assumed: list[Assumption] = []

    def known_or(field: str, default: Any, reason: str) -> Any:
        value = getattr(profile, field)
        if value is None:
            assumed.append(Assumption(field, _FIELDS[field].label, default, reason))
            return default
        return value

    sessions = _given(profile.sessions)
    hours = _given(profile.session_hours)
    practitioners = _given(profile.practitioners_per_session)
    level = _given(profile.practitioner_level)
    training_hours = _given(profile.practitioner_training_hours)
    group = known_or(
        "families_per_group",
        params["default_group_size"],
        "group size not stated; default_group_size used",
    )
    supervisor_level = known_or(
        "supervisor_level", level, "not stated; taken to be the practitioners' level"
    )
    ratio = params["supervision_ratio"]
    delivery_hours = sessions * hours * practitioners / group
    return _Inputs(
        sessions=sessions,
        session_hours=hours,
        practitioners=practitioners,
        rate=_rate(level, params),
        families_per_group=group,
        training_hours=training_hours,
        training_fee=_given(profile.practitioner_training_fee),
        booster=known_or("booster_training", False, "not stated; taken as not needed"),
        supervisor_rate=_rate(supervisor_level, params),
        supervisor_training_hours=known_or(
            "supervisor_training_hours",
            training_hours,
            "not stated; taken to equal the practitioners' training hours",
        ),
        supervision_hours=known_or(
            "supervision_hours_per_family",
            ratio * delivery_hours,
            f"not stated; supervision_ratio ({ratio:g}) × {delivery_hours:g} delivery hours",
        ),
        licence_fee=_given(profile.licence_fee),
        setup_materials=known_or(
            "setup_materials",
            params["default_setup_materials"],
            "not stated; default_setup_materials used",
        ),
        materials_per_family=known_or(
            "materials_per_family",
            params["default_materials_per_family"],
            "not stated; default_materials_per_family used",
        ),
    ), tuple(assumed)


def _given(value: _T | None) -> _T:
    # Only used for required inputs, which estimate_cost has checked are known.
    assert value is not None
    return value


def _rate(level: str, params: ResolvedParameters) -> float:
    """Hourly cost of a qualification level, with overheads."""
    return params[hourly_cost_parameter(level)] * (1 + params["overhead_rate"])


def _money(amount: float) -> str:
    return f"£{amount:,.2f}"


def _count(number: float, one: str, many: str) -> str:
    return f"{number:g} {one if number == 1 else many}"


@dataclass(frozen=True)
class _Reach:
    """How many families one delivery team serves, with the sum that gives it."""

    families_a_year: float
    children: float
    formula: str


def _reach(inputs: _Inputs, params: ResolvedParameters) -> _Reach:
    horizon = params["horizon_years"]
    if inputs.families_per_group > 1:
        groups = params["groups_per_year"]
        families = groups * inputs.families_per_group
        how = f"{groups:g} groups a year × {inputs.families_per_group:g} families"
    else:
        contact = params["contact_hours_per_year"]
        per_family = inputs.sessions * inputs.session_hours
        families = contact / per_family
        how = f"{contact:g} contact hours a year ÷ {per_family:g} h per family"
    children = families * horizon
    return _Reach(families, children, f"{children:,.1f} children ({how} × {horizon:g} years)")


_LINE_LABELS = {
    "practitioner_training": "Practitioner training",
    "supervisor_training": "Supervisor training",
    "licence": "Licence",
    "setup_materials": "Start-up materials",
    "delivery": "Delivery",
    "supervision": "Supervision",
    "booster_training": "Booster training",
    "materials": "Materials",
}


def _set_up(key: str, total: float, sum_text: str, reach: _Reach) -> LineItem:
    """A one-off cost of a delivery team, shared among the children it serves."""
    formula = f"{sum_text} ÷ {reach.formula}"
    return LineItem(key, _LINE_LABELS[key], "set-up", total / reach.children, formula)


def _recurring(key: str, amount: float, formula: str) -> LineItem:
    return LineItem(key, _LINE_LABELS[key], "recurring", amount, formula)


def _set_up_items(inputs: _Inputs, params: ResolvedParameters) -> tuple[LineItem, ...]:
    reach = _reach(inputs, params)
    team = _count(inputs.practitioners, "practitioner", "practitioners")
    per_supervisor = params["practitioners_per_supervisor"]
    training = inputs.practitioners * (inputs.training_hours * inputs.rate + inputs.training_fee)
    supervisor = (
        (inputs.practitioners / per_supervisor)
        * inputs.supervisor_training_hours
        * inputs.supervisor_rate
    )
    return (
        _set_up(
            "practitioner_training",
            training,
            f"{team} × ({inputs.training_hours:g} h × {_money(inputs.rate)} + "
            f"{_money(inputs.training_fee)} fee)",
            reach,
        ),
        _set_up(
            "supervisor_training",
            supervisor,
            f"{team} ÷ {per_supervisor:g} per supervisor × "
            f"{inputs.supervisor_training_hours:g} h × {_money(inputs.supervisor_rate)}",
            reach,
        ),
        _set_up("licence", inputs.licence_fee, _money(inputs.licence_fee), reach),
        _set_up("setup_materials", inputs.setup_materials, _money(inputs.setup_materials), reach),
    )


def _recurring_items(inputs: _Inputs, params: ResolvedParameters) -> tuple[LineItem, ...]:
    team = _count(inputs.practitioners, "practitioner", "practitioners")
    group = _count(inputs.families_per_group, "family", "families")
    rates = f"{_money(inputs.supervisor_rate)} + {_money(inputs.rate)}"
    return (
        _recurring(
            "delivery",
            inputs.contact_hours_per_family * inputs.rate,
            f"{inputs.sessions} sessions × {inputs.session_hours:g} h × {team} ÷ "
            f"{group} per group × {_money(inputs.rate)} an hour",
        ),
        _recurring(
            "supervision",
            inputs.supervision_hours * (inputs.supervisor_rate + inputs.rate),
            f"{inputs.supervision_hours:g} h × ({rates}: supervisor and practitioner)",
        ),
        _booster_item(inputs, params, team),
        _recurring(
            "materials",
            inputs.materials_per_family,
            f"{_money(inputs.materials_per_family)} per family",
        ),
    )


def _booster_item(inputs: _Inputs, params: ResolvedParameters, team: str) -> LineItem:
    if not inputs.booster:
        return _recurring("booster_training", 0.0, "no booster training")
    share = params["booster_share"]
    families = _reach(inputs, params).families_a_year
    a_year = inputs.practitioners * share * inputs.training_hours * inputs.rate
    return _recurring(
        "booster_training",
        a_year / families,
        f"{team} × {share:g} × {inputs.training_hours:g} h × {_money(inputs.rate)} "
        f"a year ÷ {families:,.1f} families a year",
    )
