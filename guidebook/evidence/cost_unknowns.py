"""Unknown cost inputs: what is missing, their plausible ranges, and the bounds they give.

A record's cost profile may leave inputs unknown. Only the number of sessions has no
plausible range at all (a programme may have one session or a hundred), and the
length of a session has one only for delivery models with a documented typical
length (``cost_ranges.DELIVERY_DEFAULTS``); without them no unit cost is estimated
and the inputs are reported as missing. Every other unknown input takes its
plausible range, and a typical value for the itemised estimate.

How the bounds are found. For each delivery model the programme uses, the unknown
inputs form a box of ranges. ``cost_lines`` shows that the unit cost is monotone in
every input inside such a box (rising with each input except the size of a group,
which lowers it), so its least and greatest values are at two corners: every input
at its cheap end, and every input at its dear end. A qualification level is ranked by
its hourly cost, so the cheap end is the cheapest level and the dear end the dearest.
Delivery models are evaluated separately (a one-to-one session is not a group of one
on the same formula) and their bounds combined.

An input *decides* the rating when its range alone, with every other unknown input at
its typical value, spans a band boundary: knowing it would settle the rating (or at
least narrow it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from guidebook.evidence.cost_fields import FIELDS
from guidebook.evidence.cost_lines import Scenario, hourly_rate, unit_cost
from guidebook.evidence.cost_parameters import ResolvedParameters, cost_band
from guidebook.evidence.cost_ranges import (
    DELIVERY_DEFAULTS,
    TYPICAL_LEVEL,
    TYPICAL_LEVEL_SOURCE,
    UNRECORDED_DELIVERY,
    DeliveryDefaults,
    input_range,
)
from guidebook.evidence.records import CostProfile
from guidebook.evidence.vocabulary import DELIVERY_MODELS, QUALIFICATION_LEVELS

__all__ = [
    "Assumption",
    "Bounds",
    "DecidingInput",
    "MissingInput",
    "bounds",
    "missing_inputs",
]

Value = float | str | bool


# --- What the estimate reports about unknown inputs ---------------------------------------


@dataclass(frozen=True)
class MissingInput:
    """An input without which no unit cost can be estimated."""

    field: str
    label: str


@dataclass(frozen=True)
class Assumption:
    """An unknown input: the value the itemised estimate uses and its plausible range.

    ``low`` and ``high`` are the input's own smallest and largest plausible values
    (not the cost's); ``reason`` says which rule or parameters gave them and
    ``source`` where those come from.
    """

    field: str
    label: str
    value: Value
    low: Value
    high: Value
    reason: str
    source: str


@dataclass(frozen=True)
class DecidingInput:
    """An unknown input whose range alone spans a band boundary."""

    field: str
    label: str
    low: Value
    high: Value
    ratings: tuple[str, ...]


@dataclass(frozen=True)
class Bounds:
    """The unit cost over every plausible value of the unknown inputs."""

    typical: Scenario
    low: float
    high: float
    ratings: tuple[str, ...]
    assumed: tuple[Assumption, ...]
    deciding: tuple[DecidingInput, ...]


# --- Which delivery models are in play ---------------------------------------------------


def _models_in_play(delivery_models: Sequence[str]) -> tuple[str, ...]:
    """The recorded delivery models without repeats, or both kinds when none is recorded.

    A class is the group of a classroom programme: a record listing both (a "group
    (classroom)" programme) is priced as a class, not also as a small group.
    """
    models = tuple(dict.fromkeys(delivery_models)) or UNRECORDED_DELIVERY
    if "classroom" in models:
        models = tuple(model for model in models if model != "group")
    return models


def missing_inputs(
    profile: CostProfile, delivery_models: Sequence[str]
) -> tuple[MissingInput, ...]:
    """The inputs without which no unit cost can be estimated for this programme."""
    missing = []
    if profile.sessions is None:
        missing.append("sessions")
    unbounded = [m for m in _models_in_play(delivery_models) if _defaults(m).session_hours is None]
    if profile.session_hours is None and unbounded:
        missing.append("session_hours")
    return tuple(MissingInput(name, FIELDS[name].label) for name in missing)


def _defaults(model: str) -> DeliveryDefaults:
    return DELIVERY_DEFAULTS[model]


# --- A box of plausible values -----------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """One unknown input's plausible values under one delivery model."""

    cheap: Value
    typical: Value
    dear: Value
    reason: str
    source: str


_RANGED_FIELDS = {
    "practitioner_training_hours": "training_hours",
    "practitioner_training_fee": "training_fee",
    "licence_fee": "licence_fee",
    "setup_materials": "setup_materials",
    "materials_per_family": "materials_per_family",
    "supervision_hours_per_family": "supervision_ratio",
}


def _from_range(key: str, params: ResolvedParameters, *, falling: bool = False) -> _Span:
    """A span read from a plausible range's three parameters."""
    plausible = input_range(key)
    low, typical, high = (
        params[plausible.low_name],
        params[plausible.typical_name],
        params[plausible.high_name],
    )
    reason = (
        f"not stated; {low:g} to {high:g} {plausible.unit} ({plausible.low_name} to "
        f"{plausible.high_name}), {typical:g} in the itemised estimate ({plausible.typical_name})"
    )
    if falling:  # more families in a group share the same costs
        return _Span(high, typical, low, reason, plausible.source)
    return _Span(low, typical, high, reason, plausible.source)


def _fixed(value: float, reason: str) -> _Span:
    source = "The delivery model: one-to-one delivery is one family and one practitioner."
    return _Span(value, value, value, reason, source)


def _delivery_span(
    model: str, chosen: float | str, one: str, params: ResolvedParameters, *, falling: bool = False
) -> _Span:
    """A span the delivery model sets: a fixed number, or a plausible range."""
    delivery = f"{DELIVERY_MODELS[model].lower()} delivery"
    if isinstance(chosen, str):
        span = _from_range(chosen, params, falling=falling)
        return replace(span, reason=f"{delivery}: {span.reason}")
    return _fixed(chosen, f"{delivery}: {one} at each session")


def _level_span(params: ResolvedParameters) -> _Span:
    by_cost = sorted(QUALIFICATION_LEVELS, key=lambda level: hourly_rate(level, params))
    reason = (
        f"not stated; any qualification level, from the cheapest ({by_cost[0]}) to the "
        f"dearest ({by_cost[-1]}), {TYPICAL_LEVEL} in the itemised estimate"
    )
    return _Span(by_cost[0], TYPICAL_LEVEL, by_cost[-1], reason, TYPICAL_LEVEL_SOURCE)


_BOOSTER = _Span(
    False,
    False,
    True,
    "not stated; with or without booster training, without in the itemised estimate",
    "Guidebook's decision: most programmes do not require booster training.",
)


def _box(profile: CostProfile, model: str, params: ResolvedParameters) -> dict[str, _Span]:
    """The plausible values of every unknown input when delivered by ``model``."""
    defaults = _defaults(model)
    box: dict[str, _Span] = {}
    if profile.session_hours is None and defaults.session_hours is not None:
        box["session_hours"] = _delivery_span(model, defaults.session_hours, "", params)
    if profile.practitioners_per_session is None:
        box["practitioners_per_session"] = _delivery_span(
            model, defaults.practitioners, "one practitioner", params
        )
    if profile.practitioner_level is None:
        box["practitioner_level"] = _level_span(params)
    if profile.families_per_group is None:
        box["families_per_group"] = _delivery_span(
            model, defaults.families, "one family", params, falling=True
        )
    if profile.booster_training is None:
        box["booster_training"] = _BOOSTER
    for name, key in _RANGED_FIELDS.items():
        if getattr(profile, name) is None:
            box[name] = _from_range(key, params)
    return box


def _choice(box: Mapping[str, _Span], end: str) -> dict[str, Value]:
    return {name: getattr(span, end) for name, span in box.items()}


# --- From a choice of values to a scenario --------------------------------------------------


def _scenario(
    profile: CostProfile, choice: Mapping[str, Value], params: ResolvedParameters
) -> Scenario:
    """The profile's known facts with the chosen values for its unknown inputs.

    The supervisor's level and training follow the practitioners' when unknown, and
    unknown supervision is the chosen supervision ratio times the delivery hours.
    """

    def value(name: str) -> Any:
        known = getattr(profile, name)
        return choice[name] if known is None else known

    level = value("practitioner_level")
    training_hours = value("practitioner_training_hours")
    supervisor_level = profile.supervisor_level or level
    scenario = Scenario(
        sessions=value("sessions"),
        session_hours=value("session_hours"),
        practitioners=value("practitioners_per_session"),
        rate=hourly_rate(level, params),
        families_per_group=value("families_per_group"),
        training_hours=training_hours,
        training_fee=value("practitioner_training_fee"),
        booster=value("booster_training"),
        supervisor_rate=hourly_rate(supervisor_level, params),
        supervisor_training_hours=(
            training_hours
            if profile.supervisor_training_hours is None
            else profile.supervisor_training_hours
        ),
        supervision_hours=0.0,
        licence_fee=value("licence_fee"),
        setup_materials=value("setup_materials"),
        materials_per_family=value("materials_per_family"),
    )
    supervision = profile.supervision_hours_per_family
    if supervision is None:
        ratio = choice["supervision_hours_per_family"]
        assert isinstance(ratio, float)
        supervision = ratio * scenario.contact_hours_per_family
    return replace(scenario, supervision_hours=supervision)


# --- The bounds ---------------------------------------------------------------------------


def bounds(
    profile: CostProfile, delivery_models: Sequence[str], params: ResolvedParameters
) -> Bounds:
    """The unit cost's typical scenario and its least and greatest plausible values.

    Call only when ``missing_inputs`` is empty. The least and greatest come from the
    cheap and dear corners of each delivery model's box (see the module notes for
    why the corners suffice).
    """
    models = _models_in_play(delivery_models)
    boxes = [_box(profile, model, params) for model in models]
    cost = _costing(profile, params)
    corners = [(cost(_choice(box, "cheap")), cost(_choice(box, "dear"))) for box in boxes]
    typical_choice = _choice(boxes[0], "typical")
    assumed = _assumptions(profile, boxes, params)
    extent = {item.field: item for item in assumed}
    deciding = tuple(
        DecidingInput(name, FIELDS[name].label, extent[name].low, extent[name].high, ratings)
        for name, ratings in _deciding(boxes, typical_choice, cost)
    )
    return Bounds(
        typical=_scenario(profile, typical_choice, params),
        low=min(cheap for cheap, _ in corners),
        high=max(dear for _, dear in corners),
        ratings=_ratings_between(corners),
        assumed=assumed,
        deciding=deciding,
    )


def _costing(
    profile: CostProfile, params: ResolvedParameters
) -> Callable[[Mapping[str, Value]], float]:
    return lambda choice: unit_cost(_scenario(profile, choice, params), params)


def _ratings_between(spans: Iterable[tuple[float, float]]) -> tuple[str, ...]:
    """Every band from the band of each span's low end to that of its high end."""
    ratings: set[int] = set()
    for low, high in spans:
        first, last = int(cost_band(low).rating), int(cost_band(high).rating)
        ratings.update(range(first, last + 1))
    return tuple(str(rating) for rating in sorted(ratings))


def _deciding(
    boxes: Sequence[Mapping[str, _Span]],
    typical: Mapping[str, Value],
    cost: Callable[[Mapping[str, Value]], float],
) -> list[tuple[str, tuple[str, ...]]]:
    """The unknown inputs whose range alone, others typical, spans a band boundary,
    with the bands each spans; ordered by how far each moves the unit cost, widest first.
    """
    found: list[tuple[float, str, tuple[str, ...]]] = []
    for name in typical:
        spans = [
            (cost({**typical, name: box[name].cheap}), cost({**typical, name: box[name].dear}))
            for box in boxes
        ]
        ratings = _ratings_between(spans)
        if len(ratings) > 1:
            swing = max(dear for _, dear in spans) - min(cheap for cheap, _ in spans)
            found.append((swing, name, ratings))
    found.sort(key=lambda item: -item[0])
    return [(name, ratings) for _, name, ratings in found]


def _input_extent(values: Iterable[Value]) -> tuple[Value, Value]:
    """An input's smallest and largest value; levels are ordered by the QCF scale."""
    order = list(QUALIFICATION_LEVELS)
    ranked = sorted(values, key=lambda v: order.index(v) if isinstance(v, str) else v)
    return ranked[0], ranked[-1]


def _assumptions(
    profile: CostProfile, boxes: Sequence[Mapping[str, _Span]], params: ResolvedParameters
) -> tuple[Assumption, ...]:
    """One assumption for each unknown input, in the order of the profile's fields."""
    found: dict[str, Assumption] = {}
    for name, typical in boxes[0].items():
        values = [end for box in boxes for end in (box[name].cheap, box[name].dear)]
        low, high = _input_extent(values)
        reason = "; ".join(dict.fromkeys(box[name].reason for box in boxes))
        found[name] = Assumption(
            name, FIELDS[name].label, typical.typical, low, high, reason, typical.source
        )
    found.update(_derived(profile, boxes, params, found))
    return tuple(found[name] for name in FIELDS if name in found)


def _derived(
    profile: CostProfile,
    boxes: Sequence[Mapping[str, _Span]],
    params: ResolvedParameters,
    found: Mapping[str, Assumption],
) -> dict[str, Assumption]:
    """Unknown inputs that follow others: supervisor level, training and supervision."""
    derived: dict[str, Assumption] = {}
    level = found.get("practitioner_level")
    if profile.supervisor_level is None:
        known = profile.practitioner_level or TYPICAL_LEVEL
        low, high = (level.low, level.high) if level else (known, known)
        derived["supervisor_level"] = Assumption(
            "supervisor_level",
            FIELDS["supervisor_level"].label,
            level.value if level else known,
            low,
            high,
            "not stated; taken to be the practitioners' level",
            "Guidebook's decision: a supervisor at the level of those supervised.",
        )
    training = found.get("practitioner_training_hours")
    if profile.supervisor_training_hours is None:
        hours = profile.practitioner_training_hours
        derived["supervisor_training_hours"] = Assumption(
            "supervisor_training_hours",
            FIELDS["supervisor_training_hours"].label,
            training.value if training else hours or 0.0,
            training.low if training else hours or 0.0,
            training.high if training else hours or 0.0,
            "not stated; taken to equal the practitioners' training hours",
            "Guidebook's decision: supervisors take the practitioners' course.",
        )
    if "supervision_hours_per_family" in found:
        derived["supervision_hours_per_family"] = _supervision(profile, boxes, params, found)
    return derived


def _supervision(
    profile: CostProfile,
    boxes: Sequence[Mapping[str, _Span]],
    params: ResolvedParameters,
    found: Mapping[str, Assumption],
) -> Assumption:
    """Supervision hours, shown as hours: the ratio times each corner's delivery hours."""

    def hours(box: Mapping[str, _Span], end: str) -> float:
        return _scenario(profile, _choice(box, end), params).supervision_hours

    ratio = found["supervision_hours_per_family"]
    lows = [hours(box, "cheap") for box in boxes]
    highs = [hours(box, "dear") for box in boxes]
    return replace(
        ratio,
        value=round(hours(boxes[0], "typical"), 4),
        low=round(min(lows), 4),
        high=round(max(highs), 4),
    )
