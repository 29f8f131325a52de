"""Guidebook's cost model: a unit cost per child and a cost rating from a cost profile.

The published guidebook rates cost in five bands but does not publish its formula
(see ``docs/methodology/cost-model.md`` and STANDARDS section 2). This model is
Guidebook's own and shows every step: ``cost_lines`` holds the arithmetic for one
fully known delivery, ``cost_parameters`` the parameters with their sources and the
bands, ``cost_ranges`` the plausible ranges of inputs a record may leave unknown,
and ``cost_unknowns`` how those ranges bound the unit cost.

A rating is given when the unit cost stays in one band whatever the unknown inputs
within their plausible ranges; it then holds whatever they turn out to be. When the
range of unit costs crosses a band boundary the rating is NA, with the bands it could
take and the unknown inputs that decide. When the number of sessions (or, for a
delivery model without a documented session length, the length of a session) is
unknown, no unit cost can be estimated at all: NA, naming the missing inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guidebook.evidence.cost_fields import delivery_problems, profile_problems
from guidebook.evidence.cost_lines import LineItem, line_items
from guidebook.evidence.cost_parameters import (
    COST_BANDS,
    CostBand,
    ResolvedParameters,
    cost_band,
    override_problems,
    parameter,
    resolve,
)
from guidebook.evidence.cost_unknowns import (
    Assumption,
    DecidingInput,
    MissingInput,
    bounds,
    missing_inputs,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import CostProfile, Programme

__all__ = [
    "COST_BANDS",
    "NOT_AVAILABLE",
    "Assumption",
    "CostBand",
    "CostEstimate",
    "DecidingInput",
    "LineItem",
    "MissingInput",
    "UsedParameter",
    "cost_band",
    "estimate_cost",
    "estimate_programme_cost",
    "total_cost",
]

NOT_AVAILABLE = "NA"


@dataclass(frozen=True)
class UsedParameter:
    name: str
    value: float
    unit: str
    overridden: bool


@dataclass(frozen=True)
class CostEstimate:
    """The result of ``estimate_cost``: rating, unit cost and how they were reached.

    ``unit_cost`` and ``breakdown`` are the itemised estimate with every unknown input
    at its typical value (``None`` and empty when NA). ``low`` and ``high`` bound the
    unit cost over every plausible value of the unknown inputs, ``ratings`` are the
    bands between them, and ``deciding`` the unknown inputs whose range alone spans a
    band boundary (only when NA).
    """

    record: str
    rating: str
    label: str
    unit_cost: float | None
    breakdown: tuple[LineItem, ...]
    parameters: tuple[UsedParameter, ...]
    missing: tuple[MissingInput, ...]
    assumed: tuple[Assumption, ...]
    low: float | None = None
    high: float | None = None
    ratings: tuple[str, ...] = ()
    deciding: tuple[DecidingInput, ...] = ()

    @property
    def explanation(self) -> str:
        """One paragraph, in plain words, saying what the rating means here."""
        if self.missing:
            missing = "; ".join(item.label for item in self.missing)
            return (
                "There is no cost rating (NA) because a unit cost cannot be estimated "
                f"without these inputs, which are not known: {missing}."
            )
        if self.unit_cost is None:
            return self._spanning()
        band = cost_band(self.unit_cost)
        text = (
            f"A rating of {band.rating} ({band.label}) means that setting up and "
            f"delivering the programme is estimated at £{self.unit_cost:,.2f} for each "
            f"child, in the band {band.wording}. The figure compares how much "
            "programmes ask of a service; it is not a price."
        )
        ranged = [item.label for item in self.assumed if item.low != item.high]
        if not ranged:
            return text
        # A rated estimate always carries its range (``estimate_cost`` sets both ends).
        assert self.low is not None and self.high is not None
        return text + (
            f" The rating holds whatever the inputs the record does not give "
            f"({_and(ranged)}): across their plausible ranges the unit cost stays between "
            f"£{self.low:,.2f} and £{self.high:,.2f}, inside this band."
        )

    def _spanning(self) -> str:
        assert self.low is not None and self.high is not None
        text = (
            "There is no cost rating (NA): the inputs the record does not give could put "
            f"the unit cost anywhere from £{self.low:,.2f} to £{self.high:,.2f}, so it "
            f"could be rated {_and(self.ratings, 'or')}."
        )
        if not self.deciding:
            return text + (
                " No one of them decides on its own: only taken together do their "
                "plausible ranges cross a band boundary."
            )
        ranges = _and(
            f"{item.label} ({describe_input(item.field, item.low)} to "
            f"{describe_input(item.field, item.high)})"
            for item in self.deciding
        )
        verb = "input that decides is" if len(self.deciding) == 1 else "inputs that decide are"
        return text + (
            f" The {verb} the {ranges}: its plausible range alone crosses a band "
            "boundary, so knowing it would settle or narrow the rating."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: strings, numbers, booleans, lists and dicts."""
        return {
            "record": self.record,
            "rating": self.rating,
            "label": self.label,
            "unit_cost": self.unit_cost,
            "explanation": self.explanation,
            "range": None if self.low is None else {"low": self.low, "high": self.high},
            "ratings": list(self.ratings),
            "breakdown": [vars(item).copy() for item in self.breakdown],
            "parameters": {
                used.name: {"value": used.value, "unit": used.unit, "overridden": used.overridden}
                for used in self.parameters
            },
            "missing": [vars(item).copy() for item in self.missing],
            "assumed": [vars(item).copy() for item in self.assumed],
            "deciding": [{**vars(item), "ratings": list(item.ratings)} for item in self.deciding],
        }


def _and(items: Any, last: str = "and") -> str:
    words = list(items)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


_POUNDS = {"practitioner_training_fee", "licence_fee", "setup_materials", "materials_per_family"}
_HOURS = {
    "session_hours",
    "practitioner_training_hours",
    "supervisor_training_hours",
    "supervision_hours_per_family",
}


def describe_input(field: str, value: float | str | bool) -> str:
    """A cost input's value in words: '£500', '21 h', 'yes', 'qcf-6', '10'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if field in _POUNDS:
        return f"£{value:,.0f}" if value == int(value) else f"£{value:,.2f}"
    return f"{value:g} h" if field in _HOURS else f"{value:g}"


# --- The estimate -------------------------------------------------------------------------


def estimate_cost(
    profile: CostProfile,
    record: str,
    overrides: Mapping[str, float] | None = None,
    delivery_models: Sequence[str] = (),
) -> CostEstimate:
    """Estimate the unit cost per child of a programme and rate it in STANDARDS' bands.

    The model is Guidebook's own (``cost_lines`` gives it in full); parameter defaults
    and their sources are in ``cost_parameters``, plausible ranges of unknown inputs in
    ``cost_ranges``. ``delivery_models`` (keys of ``vocabulary.DELIVERY_MODELS``) set
    the defaults for an unknown group size, number of practitioners and session
    length: one family and one practitioner a session for one-to-one delivery, a
    plausible group or class otherwise. ``record`` names the record in error messages.
    Raises ``InvalidRecord`` listing every impossible profile value, unknown delivery
    model and bad override at once.
    """
    problems = (
        profile_problems(profile, record)
        + delivery_problems(delivery_models, record)
        + override_problems(overrides, record)
    )
    if problems:
        raise InvalidRecord(problems)
    params = resolve(overrides, record)
    used = _used_parameters(params)
    missing = missing_inputs(profile, delivery_models)
    if missing:
        return CostEstimate(record, NOT_AVAILABLE, "not available", None, (), used, missing, ())
    found = bounds(profile, delivery_models, params)
    if len(found.ratings) > 1:
        return CostEstimate(
            record,
            NOT_AVAILABLE,
            "not available",
            None,
            (),
            used,
            (),
            found.assumed,
            found.low,
            found.high,
            found.ratings,
            found.deciding,
        )
    breakdown = line_items(found.typical, params)
    unit_cost = round(sum(item.amount for item in breakdown), 2)
    band = cost_band(unit_cost)
    return CostEstimate(
        record,
        band.rating,
        band.label,
        unit_cost,
        breakdown,
        used,
        (),
        found.assumed,
        found.low,
        found.high,
        found.ratings,
    )


def estimate_programme_cost(
    programme: Programme, overrides: Mapping[str, float] | None = None
) -> CostEstimate:
    """``estimate_cost`` for a programme record: its profile and its delivery models."""
    return estimate_cost(
        programme.cost,
        f"programme '{programme.slug}'",
        overrides,
        programme.characteristics.delivery_models,
    )


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
