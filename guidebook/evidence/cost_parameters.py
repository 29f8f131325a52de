"""The cost model's parameters and rating bands, kept as data.

Each parameter has a name, default, unit, help and source.

Every number the cost model uses that does not come from a programme's own record
lives in ``PARAMETERS``. Each entry says where its default comes from; where no
public source settles a number, the source says plainly that it is Guidebook's own
decision. A caller may override any parameter by name for one estimate (a
commissioner's local pay rates, say); ``resolve`` checks the overrides and reports
every bad one at once.

Hourly costs follow one recipe, so the arithmetic is written out once here:

    hourly cost = (midpoint salary + employer national insurance + employer pension)
                  / 1,955 paid hours a year

* Salaries: NHS Agenda for Change pay scales 2021/22 (NHS Employers, "Annual pay
  scales 2021/22"), midpoint of the entry and top step points of the band.
* Employer national insurance 2021/22: 13.8% of pay above the secondary threshold of
  £8,840 a year (HMRC rates and thresholds for employers 2021 to 2022).
* Employer pension: 20.68% of pay, the NHS Pension Scheme employer rate from April
  2019 (14.38% paid by the employer, 6.3% paid centrally).
* Paid hours: the Agenda for Change full-time week of 37.5 hours over 52.14 weeks.

Unit Costs of Health and Social Care 2021 (Jones and Burns, PSSRU, University of
Kent) builds its staff costs from the same salaries and on-costs, then adds
overheads, capital and qualification costs and divides by hours worked. Guidebook
stops at pay and on-costs because the rating compares how much programmes ask of a
service, not what a service costs to run; a commissioner who wants full costs for a
budget can pass PSSRU's per-hour figures as overrides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from guidebook.evidence.cost_ranges import INPUT_RANGES, InputRange
from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.vocabulary import QUALIFICATION_LEVELS

__all__ = [
    "COST_BANDS",
    "PARAMETERS",
    "CostBand",
    "Parameter",
    "ResolvedParameters",
    "cost_band",
    "defaults",
    "finite_number",
    "hourly_cost_parameter",
    "override_problems",
    "parameter",
    "resolve",
]


@dataclass(frozen=True)
class Parameter:
    """One tunable number of the cost model.

    A value must be at least ``minimum``; when ``exclusive`` it must be greater.
    """

    name: str
    default: float
    unit: str
    help: str
    source: str
    minimum: float = 0.0
    exclusive: bool = False

    @property
    def expected(self) -> str:
        """The allowed values, in words, for error messages."""
        bound = "greater than" if self.exclusive else "at least"
        return f"a number {bound} {self.minimum:g} ({self.unit})"

    def accepts(self, value: float) -> bool:
        if self.exclusive:
            return value > self.minimum
        return value >= self.minimum


_PAY_RECIPE = (
    "Midpoint salary plus employer national insurance (13.8% above £8,840) and "
    "employer pension (20.68%), divided by 1,955 paid hours (see the module notes)."
)


def _hourly(level: str, default: float, band: str, arithmetic: str, who: str) -> Parameter:
    return Parameter(
        name=hourly_cost_parameter(level),
        default=default,
        unit="£ per hour",
        help=f"Cost of one hour of a practitioner qualified at {QUALIFICATION_LEVELS[level]}.",
        source=(
            f"NHS Agenda for Change pay scales 2021/22, {band}; {arithmetic}. {_PAY_RECIPE} "
            f"Matching QCF level to this band is Guidebook's decision: {who}."
        ),
        exclusive=True,
    )


def hourly_cost_parameter(level: str) -> str:
    """The parameter name holding the hourly cost of a qualification level key."""
    return "hourly_cost_" + level.replace("-", "_")


_MODEL_PARAMETERS: tuple[Parameter, ...] = (
    _hourly(
        "qcf-3",
        13.86,
        "band 3 (£20,330 to £21,777)",
        "£21,053.50 + £1,685.46 + £4,353.86 = £27,092.82 a year",
        "band 3 is where support workers with a level 3 qualification are placed",
    ),
    _hourly(
        "qcf-4-5",
        15.69,
        "band 4 (£22,549 to £24,882)",
        "£23,715.50 + £2,052.82 + £4,904.37 = £30,672.69 a year",
        "band 4 covers assistant and associate practitioners with a foundation degree",
    ),
    _hourly(
        "qcf-6",
        23.91,
        "band 6 (£32,306 to £39,027)",
        "£35,666.50 + £3,702.06 + £7,375.83 = £46,744.39 a year",
        "band 6 is the usual grade of an experienced graduate nurse, health visitor or "
        "specialist practitioner",
    ),
    _hourly(
        "qcf-7-8",
        28.92,
        "band 7 (£40,057 to £45,839)",
        "£42,948.00 + £4,706.90 + £8,881.65 = £56,536.55 a year",
        "band 7 is where Master's-level therapists and newly qualified clinical "
        "psychologists start",
    ),
    Parameter(
        name="overhead_rate",
        default=0.0,
        unit="share of staff cost",
        help=(
            "Extra cost added to every hour of staff time for management, premises and "
            "administration (0.25 adds a quarter)."
        ),
        source=(
            "Guidebook's decision: none by default, because overheads are much the same "
            "whichever programme a service picks and so do not separate programmes. A "
            "local budget may set its own rate."
        ),
    ),
    Parameter(
        name="horizon_years",
        default=3.0,
        unit="years",
        help="Years over which one-off set-up costs are shared among the children served.",
        source=(
            "Guidebook's decision: three years, the length of a typical local commissioning cycle."
        ),
        exclusive=True,
    ),
    Parameter(
        name="groups_per_year",
        default=3.0,
        unit="groups a year",
        help="Groups one delivery team runs in a year, for programmes delivered to groups.",
        source="Guidebook's decision: one group in each of the three school terms.",
        exclusive=True,
    ),
    Parameter(
        name="contact_hours_per_year",
        default=800.0,
        unit="hours a year",
        help=(
            "Hours of direct delivery one full-time practitioner gives a programme in a "
            "year; with the hours one family needs, this sets how many families a "
            "practitioner serves a year in one-to-one delivery."
        ),
        source=(
            "Guidebook's decision: about half of the roughly 1,690 hours a full-time "
            "Agenda for Change employee works after leave and bank holidays, leaving the "
            "rest for travel, notes, preparation and supervision. As a check, Family "
            "Nurse Partnership nurses carry at most 25 clients across a programme of "
            "about two and a half years, about 10 new families a year, and 800 hours "
            "over 64 visits of 75 minutes also gives 10."
        ),
        exclusive=True,
    ),
    Parameter(
        name="practitioners_per_supervisor",
        default=6.0,
        unit="practitioners",
        help=(
            "Practitioners one supervisor oversees; the supervisor's training is shared among them."
        ),
        source=(
            "Guidebook's decision; for comparison, the Nurse-Family Partnership model "
            "lets one full-time supervisor oversee at most eight nurses."
        ),
        minimum=1.0,
    ),
    Parameter(
        name="booster_share",
        default=0.1,
        unit="share of initial training a year",
        help=(
            "When booster training applies, the hours of it each practitioner takes in a "
            "year, as a share of the initial training hours."
        ),
        source="Guidebook's decision: a tenth of the initial training each year.",
    ),
)


def _range_parameters(plausible: InputRange) -> tuple[Parameter, ...]:
    """The low, typical and high parameters of one plausible range, sharing its source."""
    what = plausible.what
    helps = (
        (
            plausible.low_name,
            plausible.low,
            f"Lowest plausible {what}, for a record that does not state it.",
        ),
        (
            plausible.typical_name,
            plausible.typical,
            f"The {what} the itemised estimate uses when a record does not state it.",
        ),
        (
            plausible.high_name,
            plausible.high,
            f"Highest plausible {what}, for a record that does not state it.",
        ),
    )
    return tuple(
        Parameter(
            name,
            default,
            plausible.unit,
            help_text,
            plausible.source,
            minimum=plausible.minimum,
            exclusive=plausible.exclusive,
        )
        for name, default, help_text in helps
    )


PARAMETERS: tuple[Parameter, ...] = _MODEL_PARAMETERS + tuple(
    parameter for plausible in INPUT_RANGES for parameter in _range_parameters(plausible)
)


@dataclass(frozen=True)
class CostBand:
    """One cost rating: the unit costs it covers and how the guidebook words it.

    A cost belongs to the first band whose ``upper`` it is below (or equal to, when
    ``includes_upper``); ``upper`` is ``None`` for the open top band.
    """

    rating: str
    label: str
    upper: float | None
    includes_upper: bool
    wording: str

    def holds(self, pence: float) -> bool:
        if self.upper is None or pence < self.upper:
            return True
        return self.includes_upper and pence == self.upper


# The bands of STANDARDS.md section 2. The published wording ("£100 to £499", "£500
# to £999") leaves pennies between bands; Guidebook closes the gaps by letting each
# band run up to, but not including, the next one's start, so £499.50 is a 2. The
# fourth band is published as "£1,000 to £2,000" and the fifth as "over £2,000", so
# exactly £2,000.00 is a 4.
COST_BANDS: tuple[CostBand, ...] = (
    CostBand("1", "low", 100.0, False, "under £100"),
    CostBand("2", "medium-low", 500.0, False, "£100 to £499"),
    CostBand("3", "medium", 1000.0, False, "£500 to £999"),
    CostBand("4", "medium-high", 2000.0, True, "£1,000 to £2,000"),
    CostBand("5", "high", None, False, "over £2,000"),
)


def cost_band(unit_cost: float) -> CostBand:
    """The band of a unit cost in pounds, judged on the cost rounded to the penny."""
    pence = round(unit_cost, 2)
    return next(band for band in COST_BANDS if band.holds(pence))


_BY_NAME: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in PARAMETERS})


def parameter(name: str) -> Parameter:
    """The parameter called ``name``; ``KeyError`` if there is none."""
    return _BY_NAME[name]


def defaults() -> dict[str, float]:
    """Every parameter's default value, by name."""
    return {p.name: p.default for p in PARAMETERS}


@dataclass(frozen=True)
class ResolvedParameters:
    """The values one estimate uses, and which of them the caller overrode."""

    values: Mapping[str, float]
    overridden: frozenset[str]

    def __getitem__(self, name: str) -> float:
        return self.values[name]


def resolve(overrides: Mapping[str, float] | None, record: str) -> ResolvedParameters:
    """Defaults with ``overrides`` applied.

    Raises ``InvalidRecord`` listing every problem ``override_problems`` finds.
    """
    problems = override_problems(overrides, record)
    if problems:
        raise InvalidRecord(problems)
    values = defaults()
    values.update({name: float(value) for name, value in (overrides or {}).items()})
    return ResolvedParameters(MappingProxyType(values), frozenset(overrides or {}))


def override_problems(overrides: Mapping[str, float] | None, record: str) -> list[Problem]:
    """One problem for each unknown name, each value out of its parameter's range, and
    each plausible range whose low, typical and high values are out of order."""
    problems = []
    accepted: dict[str, float] = {}
    for name, value in (overrides or {}).items():
        known = _BY_NAME.get(name)
        if known is None:
            expected = "the name of a cost parameter: " + ", ".join(_BY_NAME)
            problems.append(Problem(record, name, expected, repr(name)))
            continue
        number = finite_number(value)
        if number is None or not known.accepts(number):
            problems.append(Problem(record, name, known.expected, describe(value)))
            continue
        accepted[name] = number
    return problems + _range_order_problems(accepted, record)


def _range_order_problems(accepted: Mapping[str, float], record: str) -> list[Problem]:
    """A plausible range must run low <= typical <= high after the overrides."""
    values = defaults() | dict(accepted)
    problems = []
    for plausible in INPUT_RANGES:
        names = (plausible.low_name, plausible.typical_name, plausible.high_name)
        low, typical, high = (values[name] for name in names)
        if low <= typical <= high:
            continue
        # The defaults are in order, so at least one of the three was overridden.
        named = next(name for name in (names[1], names[0], names[2]) if name in accepted)
        expected = f"{names[0]} <= {names[1]} <= {names[2]}"
        problems.append(Problem(record, named, expected, f"{low:g}, {typical:g}, {high:g}"))
    return problems


def finite_number(value: object) -> float | None:
    """``value`` as a float if it is a finite int or float, else ``None``."""
    # bool is an int subclass, but True is never meant as a number of hours or pounds.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
