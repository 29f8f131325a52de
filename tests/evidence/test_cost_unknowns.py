"""Unknown cost inputs: delivery-model defaults, plausible ranges, bands that hold
whatever the unknowns, NA with the input that decides, and the calibration.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from guidebook.evidence.cost import (
    CostEstimate,
    cost_band,
    describe_input,
    estimate_cost,
    estimate_programme_cost,
)
from guidebook.evidence.cost_parameters import (
    PARAMETERS,
    defaults,
    hourly_cost_parameter,
    parameter,
)
from guidebook.evidence.cost_ranges import (
    DELIVERY_DEFAULTS,
    INPUT_RANGES,
    TYPICAL_LEVEL,
    input_range,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import Characteristics, CostProfile, Programme
from guidebook.evidence.vocabulary import DELIVERY_MODELS, QUALIFICATION_LEVELS
from tests.evidence.cost_calibration import (
    CALIBRATION,
    INCREDIBLE_YEARS_TODDLER,
    MELLOW_TODDLERS,
    CalibrationCase,
    with_stand_ins,
)

LEVELS = list(QUALIFICATION_LEVELS)
DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "cost-model.md"


def assumed(estimate: CostEstimate) -> dict[str, tuple[Any, Any, Any]]:
    return {item.field: (item.value, item.low, item.high) for item in estimate.assumed}


# --- Delivery models set the defaults -------------------------------------------------------

# One row per delivery model (and mix): what an unknown group size, number of
# practitioners and session length become, as (typical, lowest, highest).
DELIVERY_TABLE = [
    (("individual",), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1.25, 1.0, 1.5)),
    (("home-visiting",), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1.25, 1.0, 1.5)),
    (("telephone",), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), None),
    (("online",), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), None),
    (("group",), (10.0, 10.0, 12.0), (2.0, 1.0, 2.0), (2.0, 1.5, 2.0)),
    (("classroom",), (25.0, 20.0, 30.0), (1.0, 1.0, 1.0), (0.75, 0.5, 1.0)),
    (("group", "telephone"), (10.0, 1.0, 12.0), (2.0, 1.0, 2.0), None),
    # A group in a classroom is a class.
    (("group", "classroom"), (25.0, 20.0, 30.0), (1.0, 1.0, 1.0), (0.75, 0.5, 1.0)),
    (("individual", "group"), (1.0, 1.0, 12.0), (1.0, 1.0, 2.0), (1.25, 1.0, 2.0)),
    (("home-visiting", "home-visiting"), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1.25, 1.0, 1.5)),
    # Not recorded: a group (the typical) or one-to-one.
    ((), (10.0, 1.0, 12.0), (2.0, 1.0, 2.0), (2.0, 1.0, 2.0)),
]


@pytest.mark.parametrize(("models", "families", "practitioners", "hours"), DELIVERY_TABLE)
def test_the_delivery_model_decides_the_defaults(models, families, practitioners, hours):
    known_hours = estimate_cost(CostProfile(sessions=10, session_hours=1.0), "p", None, models)
    assert assumed(known_hours)["families_per_group"] == families
    assert assumed(known_hours)["practitioners_per_session"] == practitioners
    unknown_hours = estimate_cost(CostProfile(sessions=10), "p", None, models)
    if hours is None:
        assert [m.field for m in unknown_hours.missing] == ["session_hours"]
    else:
        assert assumed(unknown_hours)["session_hours"] == hours


def test_every_delivery_model_has_its_defaults():
    assert set(DELIVERY_DEFAULTS) == set(DELIVERY_MODELS)


@pytest.mark.parametrize("model", ["individual", "home-visiting", "telephone", "online"])
def test_one_to_one_delivery_with_no_group_size_is_priced_as_one_family(model):
    profile = with_stand_ins(INCREDIBLE_YEARS_TODDLER[0]).profile
    unknown = estimate_cost(profile, "p", None, (model,))
    stated = estimate_cost(replace(profile, families_per_group=1), "p", None, (model,))
    assert unknown.unit_cost == stated.unit_cost
    assert (unknown.low, unknown.high) == (stated.low, stated.high)
    families = next(item for item in unknown.assumed if item.field == "families_per_group")
    label = DELIVERY_MODELS[model].lower()
    assert families.reason == f"{label} delivery: one family at each session"


def test_a_home_visiting_programme_without_a_group_size_is_not_priced_as_a_group():
    # Issue 10, defect 7: the empty group size fell back to default_group_size (10
    # families) whatever the delivery model, two to three bands too cheap.
    programme = Programme(
        slug="fnp",
        name="Family Nurse Partnership",
        characteristics=Characteristics(delivery_models=("home-visiting",)),
        cost=with_stand_ins(CALIBRATION[3].parts[0]).profile,
    )
    estimate = estimate_programme_cost(programme)
    assert estimate.record == "programme 'fnp'"
    assert assumed(estimate)["families_per_group"] == (1.0, 1.0, 1.0)
    assert estimate.rating == "5"
    delivery = next(item for item in estimate.breakdown if item.key == "delivery")
    assert "÷ 1 family per group" in delivery.formula


def test_a_stated_group_size_wins_over_the_delivery_model():
    profile = replace(with_stand_ins(MELLOW_TODDLERS[0]).profile, families_per_group=6)
    estimate = estimate_cost(profile, "p", None, ("individual",))
    assert "families_per_group" not in assumed(estimate)


def test_an_unknown_delivery_model_is_refused_naming_the_field():
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(CostProfile(sessions=3), "programme 'p'", None, ("carrier-pigeon",))
    (problem,) = raised.value.problems
    assert (problem.record, problem.field, problem.found) == (
        "programme 'p'",
        "characteristics.delivery_models",
        "'carrier-pigeon'",
    )
    assert problem.expected.startswith("one of individual, group")


# --- Bands that hold, and NA with the input that decides ---------------------------------

IPP = CostProfile(
    sessions=32,
    session_hours=1.25,
    practitioners_per_session=1,
    practitioner_level="qcf-7-8",
    families_per_group=1,
    practitioner_training_hours=92.0,
    booster_training=True,
    supervisor_level="qcf-7-8",
    supervisor_training_hours=92.0,
    licence_fee=0.0,
)
IY = with_stand_ins(INCREDIBLE_YEARS_TODDLER[0]).profile

# (what, profile, delivery models, overrides, rating, possible ratings, deciding inputs)
BANDS = [
    ("fee unknown, band holds", IPP, ("individual",), None, "4", ("4",), ()),
    (
        "a fee range wide enough to cross into band 5",
        IPP,
        ("individual",),
        {"training_fee_high": 50_000},
        "NA",
        ("4", "5"),
        ("practitioner_training_fee",),
    ),
    (
        "visit length unknown",
        CostProfile(sessions=64, practitioner_level="qcf-6"),
        ("home-visiting",),
        None,
        "NA",
        ("4", "5"),
        ("session_hours",),
    ),
    (
        "delivery not recorded: one-to-one or a group",
        IY,
        (),
        None,
        "NA",
        ("2", "4"),
        ("families_per_group",),
    ),
    (
        "only the number of sessions known, in groups",
        CostProfile(sessions=8),
        ("group",),
        None,
        "NA",
        ("1", "2"),
        ("practitioner_level", "practitioners_per_session"),
    ),
    (
        "no single input decides, only their combination",
        MELLOW_TODDLERS[0].profile,
        ("group",),
        None,
        "NA",
        ("2", "3"),
        (),
    ),
    (
        "a classroom programme, level known",
        CostProfile(sessions=30, practitioner_level="qcf-6"),
        ("classroom",),
        None,
        "1",
        ("1",),
        (),
    ),
]


@pytest.mark.parametrize(
    ("what", "profile", "models", "overrides", "rating", "ratings", "deciding"), BANDS
)
def test_a_band_is_given_only_when_it_holds_across_the_ranges(
    what, profile, models, overrides, rating, ratings, deciding
):
    estimate = estimate_cost(profile, what, overrides, models)
    assert estimate.rating == rating
    assert estimate.ratings == ratings
    assert tuple(item.field for item in estimate.deciding) == deciding
    assert estimate.missing == ()
    assert estimate.low is not None and estimate.high is not None
    assert cost_band(estimate.low).rating == ratings[0]
    assert cost_band(estimate.high).rating == ratings[-1]
    if rating == "NA":
        assert (estimate.unit_cost, estimate.breakdown) == (None, ())
    else:
        assert estimate.low <= (estimate.unit_cost or 0.0) <= estimate.high


def test_na_names_the_deciding_input_and_its_plausible_range():
    estimate = estimate_cost(IPP, "ipp", {"training_fee_high": 50_000}, ("individual",))
    (fee,) = estimate.deciding
    assert (fee.low, fee.high, fee.ratings) == (0.0, 50_000.0, ("4", "5"))
    assert estimate.explanation == (
        "There is no cost rating (NA): the inputs the record does not give could put the "
        "unit cost anywhere from £1,279.68 to £2,252.02, so it could be rated 4 or 5. "
        "The input that decides is the practitioner training fee (£0 to £50,000): its "
        "plausible range alone crosses a band boundary, so knowing it would settle or "
        "narrow the rating."
    )


def test_several_deciding_inputs_are_named_together():
    estimate = estimate_cost(CostProfile(sessions=8), "p", None, ("group",))
    assert "The inputs that decide are the practitioners' qualification level " in (
        estimate.explanation
    )
    assert "(qcf-3 to qcf-7-8) and practitioners at each session (1 to 2)" in (estimate.explanation)


def test_na_without_a_deciding_input_says_the_combination_decides():
    estimate = estimate_cost(MELLOW_TODDLERS[0].profile, "mellow", None, ("group",))
    assert estimate.explanation.endswith(
        "No one of them decides on its own: only taken together do their plausible "
        "ranges cross a band boundary."
    )
    assert "could be rated 2 or 3" in estimate.explanation


def test_a_band_that_holds_says_so_naming_the_unknown_inputs():
    estimate = estimate_cost(IPP, "ipp", None, ("individual",))
    assert estimate.explanation.endswith(
        "The rating holds whatever the inputs the record does not give (practitioner "
        "training fee, supervision hours per family, start-up materials and materials per "
        "family): across their plausible ranges the unit cost stays between £1,279.68 and "
        "£1,435.36, inside this band."
    )


def test_the_deciding_inputs_are_plain_data():
    data = estimate_cost(IPP, "ipp", {"training_fee_high": 50_000}, ("individual",)).to_dict()
    assert data["deciding"] == [
        {
            "field": "practitioner_training_fee",
            "label": "practitioner training fee",
            "low": 0.0,
            "high": 50_000.0,
            "ratings": ["4", "5"],
        }
    ]
    assert data["ratings"] == ["4", "5"]
    assert json.loads(json.dumps(data)) == data


def test_an_unknown_level_takes_the_typical_level_and_spans_the_scale():
    profile = replace(IY, practitioner_level=None, supervisor_level=None)
    found = assumed(estimate_cost(profile, "p", None, ("classroom",)))
    assert found["practitioner_level"] == (TYPICAL_LEVEL, "qcf-3", "qcf-7-8")
    assert found["supervisor_level"] == (TYPICAL_LEVEL, "qcf-3", "qcf-7-8")


def test_a_known_level_is_the_supervisors_when_theirs_is_unknown():
    found = assumed(estimate_cost(IY, "p", None, ("group",)))
    assert found["supervisor_level"] == ("qcf-7-8", "qcf-7-8", "qcf-7-8")


def test_the_level_range_follows_overridden_hourly_costs():
    # A local pay scale where QCF 3 costs most: the dear end follows the money.
    overrides = {"hourly_cost_qcf_3": 99.0}
    profile = replace(IY, practitioner_level=None)
    estimate = estimate_cost(profile, "p", overrides, ("group",))
    assert (
        estimate.high
        == estimate_cost(
            replace(profile, practitioner_level="qcf-3"), "p", overrides, ("group",)
        ).high
    )


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("practitioner_training_fee", 500.0, "£500"),
        ("materials_per_family", 12.5, "£12.50"),
        ("session_hours", 1.25, "1.25 h"),
        ("families_per_group", 12.0, "12"),
        ("practitioner_level", "qcf-6", "qcf-6"),
        ("booster_training", True, "yes"),
        ("booster_training", False, "no"),
    ],
)
def test_inputs_are_described_in_their_units(field, value, words):
    assert describe_input(field, value) == words


# --- The plausible ranges are parameters -----------------------------------------------------


def test_every_range_is_three_sourced_parameters_in_order():
    for plausible in INPUT_RANGES:
        names = (plausible.low_name, plausible.typical_name, plausible.high_name)
        found = [parameter(name) for name in names]
        assert [p.default for p in found] == [plausible.low, plausible.typical, plausible.high]
        assert plausible.low <= plausible.typical <= plausible.high
        assert all(p.source == plausible.source and p.unit == plausible.unit for p in found)
        assert input_range(plausible.key) is plausible


def test_overriding_a_range_moves_the_bounds():
    narrow = {"training_fee_low": 400, "training_fee_high": 600}
    wide = estimate_cost(IPP, "ipp", None, ("individual",))
    tight = estimate_cost(IPP, "ipp", narrow, ("individual",))
    assert wide.low is not None and tight.low is not None
    assert wide.high is not None and tight.high is not None
    assert wide.low < tight.low <= tight.high < wide.high
    assert tight.unit_cost == wide.unit_cost


@pytest.mark.parametrize(
    ("overrides", "field", "found"),
    [
        ({"default_group_size": 20}, "default_group_size", "10, 20, 12"),
        ({"group_size_high": 8}, "group_size_high", "10, 10, 8"),
        ({"training_fee_low": 900}, "training_fee_low", "900, 500, 1000"),
    ],
)
def test_a_range_out_of_order_is_refused_naming_the_parameter(overrides, field, found):
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(IPP, "r", overrides, ("individual",))
    (problem,) = raised.value.problems
    assert (problem.record, problem.field, problem.found) == ("r", field, found)
    key = field.removeprefix("default_").removesuffix("_low").removesuffix("_high")
    plausible = input_range(key)
    assert problem.expected == (
        f"{plausible.low_name} <= {plausible.typical_name} <= {plausible.high_name}"
    )


def test_a_range_moved_as_a_whole_is_accepted():
    moved = {"training_fee_low": 900, "default_training_fee": 950}
    assert estimate_cost(IPP, "r", moved, ("individual",)).rating == "4"


# --- Calibration ------------------------------------------------------------------------------


def case_estimates(case: CalibrationCase, stand_ins: bool) -> list[CostEstimate]:
    parts = [with_stand_ins(part) if stand_ins else part for part in case.parts]
    return [estimate_cost(p.profile, case.name, None, p.delivery_models) for p in parts]


def combined(estimates: list[CostEstimate]) -> tuple[float, float]:
    """The bounds of a programme delivered in several parts: each part's bounds added.

    The parts share their unknown inputs' ranges and the cost rises with each in every
    part, so the sum of the cheap ends is the cheapest whole and likewise the dear ends.
    """
    assert all(e.low is not None and e.high is not None for e in estimates)
    return (
        round(sum(e.low or 0.0 for e in estimates), 2),
        round(sum(e.high or 0.0 for e in estimates), 2),
    )


@pytest.mark.parametrize("case", CALIBRATION, ids=lambda case: case.name)
def test_calibration_programme_lands_in_its_published_band_across_every_range(case):
    estimates = case_estimates(case, stand_ins=True)
    low, high = combined(estimates)
    assert cost_band(low).rating == cost_band(high).rating == case.published
    unit_cost = round(sum(e.unit_cost or 0.0 for e in estimates), 2)
    assert unit_cost == pytest.approx(case.unit_cost, abs=0.005)


@pytest.mark.parametrize("case", CALIBRATION, ids=lambda case: case.name)
def test_calibration_without_stand_ins_is_rated_only_where_no_range_can_move_it(case):
    low, high = combined(case_estimates(case, stand_ins=False))
    rating = cost_band(low).rating if cost_band(low) == cost_band(high) else "NA"
    assert rating == case.without_stand_ins
    assert case.without_stand_ins in (case.published, "NA")


@pytest.mark.parametrize("case", CALIBRATION, ids=lambda case: case.name)
def test_the_methodology_reports_each_calibration_result(case):
    low, high = combined(case_estimates(case, stand_ins=True))
    text = DOC.read_text(encoding="utf-8")
    row = f"| {case.published} | £{case.unit_cost:,.2f} | £{low:,.2f} to £{high:,.2f} | "
    assert f"| {case.name} |" in text
    assert row + f"{case.published} |" in text


# --- The band holds across the whole range (property) ---------------------------------------

ONE_OR_MORE_MODELS = st.lists(
    st.sampled_from(["individual", "home-visiting", "group", "classroom"]), max_size=2
)


@st.composite
def partial_profiles(draw: st.DrawFn) -> CostProfile:
    """Profiles with the number of sessions known and anything else perhaps not."""

    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.none() | strategy)

    return CostProfile(
        sessions=draw(st.integers(1, 80)),
        session_hours=maybe(st.floats(0.25, 6)),
        practitioners_per_session=maybe(st.integers(1, 3)),
        practitioner_level=maybe(st.sampled_from(LEVELS)),
        families_per_group=maybe(st.integers(1, 15)),
        practitioner_training_hours=maybe(st.floats(0, 150)),
        practitioner_training_fee=maybe(st.floats(0, 3000)),
        booster_training=maybe(st.booleans()),
        supervisor_level=maybe(st.sampled_from(LEVELS)),
        supervisor_training_hours=maybe(st.floats(0, 150)),
        supervision_hours_per_family=maybe(st.floats(0, 20)),
        licence_fee=maybe(st.floats(0, 3000)),
        setup_materials=maybe(st.floats(0, 3000)),
        materials_per_family=maybe(st.floats(0, 100)),
    )


def _between(draw: st.DrawFn, key: str, *, whole: bool = False) -> Any:
    plausible = input_range(key)
    if whole:
        return draw(st.integers(int(plausible.low), int(plausible.high)))
    return draw(st.floats(plausible.low, plausible.high))


@st.composite
def plausible_completions(draw: st.DrawFn, profile: CostProfile, model: str) -> CostProfile:
    """The profile with every unknown input given a plausible value under ``model``."""
    rules = DELIVERY_DEFAULTS[model]

    def pick(chosen: float | str, *, whole: bool = False) -> Any:
        if isinstance(chosen, str):
            return _between(draw, chosen, whole=whole)
        return int(chosen) if whole else chosen

    assert rules.session_hours is not None
    hours = profile.session_hours or pick(rules.session_hours)
    practitioners = profile.practitioners_per_session or pick(rules.practitioners, whole=True)
    families = profile.families_per_group or pick(rules.families, whole=True)
    level = profile.practitioner_level or draw(st.sampled_from(LEVELS))
    training = profile.practitioner_training_hours
    training = _between(draw, "training_hours") if training is None else training
    supervision = profile.supervision_hours_per_family
    if supervision is None:
        ratio = _between(draw, "supervision_ratio")
        supervision = ratio * (profile.sessions or 0) * hours * practitioners / families

    def known_or(value: Any, key: str) -> Any:
        return _between(draw, key) if value is None else value

    return replace(
        profile,
        session_hours=hours,
        practitioners_per_session=practitioners,
        families_per_group=families,
        practitioner_level=level,
        practitioner_training_hours=training,
        practitioner_training_fee=known_or(profile.practitioner_training_fee, "training_fee"),
        booster_training=(
            draw(st.booleans()) if profile.booster_training is None else profile.booster_training
        ),
        supervisor_level=profile.supervisor_level or level,
        supervisor_training_hours=(
            training
            if profile.supervisor_training_hours is None
            else profile.supervisor_training_hours
        ),
        supervision_hours_per_family=supervision,
        licence_fee=known_or(profile.licence_fee, "licence_fee"),
        setup_materials=known_or(profile.setup_materials, "setup_materials"),
        materials_per_family=known_or(profile.materials_per_family, "materials_per_family"),
    )


# Both ends are rounded to the penny; the margin allows for floating-point noise too.
HALF_A_PENNY = 0.0051


# Each example works out several estimates; on a busy machine that can outrun
# Hypothesis's 200 ms deadline without anything being wrong.
unhurried = settings(deadline=None)


@unhurried
@given(st.data(), partial_profiles(), ONE_OR_MORE_MODELS)
def test_any_plausible_value_of_the_unknowns_costs_within_the_range_and_the_band(
    data, profile, models
):
    estimate = estimate_cost(profile, "property", None, models)
    assume(not estimate.missing)
    # The delivery models the estimate works under: a group in a classroom is a class.
    in_play = [
        m for m in models or ["group", "individual"] if "classroom" not in models or m != "group"
    ]
    model = data.draw(st.sampled_from(in_play))
    known = data.draw(plausible_completions(profile, model))
    point = estimate_cost(known, "property", None, models)
    assert point.assumed == () and point.unit_cost is not None
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low - HALF_A_PENNY <= point.unit_cost <= estimate.high + HALF_A_PENNY
    if estimate.rating != "NA":
        assert cost_band(point.unit_cost).rating == estimate.rating
    assert cost_band(point.unit_cost).rating in estimate.ratings


def test_the_typical_values_are_the_parameter_defaults():
    values = defaults()
    for plausible in INPUT_RANGES:
        assert values[plausible.typical_name] == plausible.typical
    assert set(values) == {p.name for p in PARAMETERS}
    assert hourly_cost_parameter(TYPICAL_LEVEL) in values
