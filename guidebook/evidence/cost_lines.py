"""The cost model's arithmetic for one fully known delivery: the itemised unit cost.

For one delivery team (the practitioners who run a session together):

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

Every term is a sum of products and quotients of non-negative inputs, so the unit cost
never falls when sessions, hours, practitioners, a rate, training, a fee, supervision,
booster training or materials rise, and never rises when a group of two or more grows
(``cost_unknowns`` relies on this to bound the cost over a range of unknown inputs).
The model is Guidebook's own; ``docs/methodology/cost-model.md`` gives its sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.evidence.cost_parameters import ResolvedParameters, hourly_cost_parameter

__all__ = ["LineItem", "Scenario", "hourly_rate", "line_items", "unit_cost"]


@dataclass(frozen=True)
class LineItem:
    """One part of the unit cost: its amount per child and the sum that produced it."""

    key: str
    label: str
    kind: str
    amount: float
    formula: str


@dataclass(frozen=True)
class Scenario:
    """One delivery with every input known: the record's facts, unknowns filled in."""

    sessions: int
    session_hours: float
    practitioners: float
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


def hourly_rate(level: str, params: ResolvedParameters) -> float:
    """Hourly cost of a qualification level, with overheads."""
    return params[hourly_cost_parameter(level)] * (1 + params["overhead_rate"])


def unit_cost(scenario: Scenario, params: ResolvedParameters) -> float:
    """The unit cost per child of one scenario, rounded to the penny."""
    return round(sum(item.amount for item in line_items(scenario, params)), 2)


def line_items(scenario: Scenario, params: ResolvedParameters) -> tuple[LineItem, ...]:
    """Every line of the unit cost, set-up first, each with the sum written out."""
    return _set_up_items(scenario, params) + _recurring_items(scenario, params)


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


def _reach(scenario: Scenario, params: ResolvedParameters) -> _Reach:
    horizon = params["horizon_years"]
    if scenario.families_per_group > 1:
        groups = params["groups_per_year"]
        families = groups * scenario.families_per_group
        how = f"{groups:g} groups a year × {scenario.families_per_group:g} families"
    else:
        contact = params["contact_hours_per_year"]
        per_family = scenario.sessions * scenario.session_hours
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


def _set_up_items(scenario: Scenario, params: ResolvedParameters) -> tuple[LineItem, ...]:
    reach = _reach(scenario, params)
    team = _count(scenario.practitioners, "practitioner", "practitioners")
    per_supervisor = params["practitioners_per_supervisor"]
    training = scenario.practitioners * (
        scenario.training_hours * scenario.rate + scenario.training_fee
    )
    supervisor = (
        (scenario.practitioners / per_supervisor)
        * scenario.supervisor_training_hours
        * scenario.supervisor_rate
    )
    return (
        _set_up(
            "practitioner_training",
            training,
            f"{team} × ({scenario.training_hours:g} h × {_money(scenario.rate)} + "
            f"{_money(scenario.training_fee)} fee)",
            reach,
        ),
        _set_up(
            "supervisor_training",
            supervisor,
            f"{team} ÷ {per_supervisor:g} per supervisor × "
            f"{scenario.supervisor_training_hours:g} h × {_money(scenario.supervisor_rate)}",
            reach,
        ),
        _set_up("licence", scenario.licence_fee, _money(scenario.licence_fee), reach),
        _set_up(
            "setup_materials", scenario.setup_materials, _money(scenario.setup_materials), reach
        ),
    )


def _recurring_items(scenario: Scenario, params: ResolvedParameters) -> tuple[LineItem, ...]:
    team = _count(scenario.practitioners, "practitioner", "practitioners")
    group = _count(scenario.families_per_group, "family", "families")
    rates = f"{_money(scenario.supervisor_rate)} + {_money(scenario.rate)}"
    return (
        _recurring(
            "delivery",
            scenario.contact_hours_per_family * scenario.rate,
            f"{scenario.sessions} sessions × {scenario.session_hours:g} h × {team} ÷ "
            f"{group} per group × {_money(scenario.rate)} an hour",
        ),
        _recurring(
            "supervision",
            scenario.supervision_hours * (scenario.supervisor_rate + scenario.rate),
            f"{scenario.supervision_hours:g} h × ({rates}: supervisor and practitioner)",
        ),
        _booster_item(scenario, params, team),
        _recurring(
            "materials",
            scenario.materials_per_family,
            f"{_money(scenario.materials_per_family)} per family",
        ),
    )


def _booster_item(scenario: Scenario, params: ResolvedParameters, team: str) -> LineItem:
    if not scenario.booster:
        return _recurring("booster_training", 0.0, "no booster training")
    share = params["booster_share"]
    families = _reach(scenario, params).families_a_year
    a_year = scenario.practitioners * share * scenario.training_hours * scenario.rate
    return _recurring(
        "booster_training",
        a_year / families,
        f"{team} × {share:g} × {scenario.training_hours:g} h × {_money(scenario.rate)} "
        f"a year ÷ {families:,.1f} families a year",
    )
