"""The cost model: bands, NA for missing inputs, the breakdown, overrides, checks.

Unknown inputs, their plausible ranges and the calibration against published ratings
are in ``test_cost_unknowns.py``; the calibration facts in ``cost_calibration.py``.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidebook.evidence.cost import (
    COST_BANDS,
    CostEstimate,
    cost_band,
    estimate_cost,
    total_cost,
)
from guidebook.evidence.cost_parameters import (
    PARAMETERS,
    defaults,
    finite_number,
    hourly_cost_parameter,
    parameter,
    resolve,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import CostProfile
from guidebook.evidence.vocabulary import QUALIFICATION_LEVELS
from tests.evidence.cost_calibration import (
    FAMILY_NURSE_PARTNERSHIP,
    INCREDIBLE_YEARS_TODDLER,
    MELLOW_TODDLERS,
    Part,
    with_stand_ins,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "cost-model.md"
LEVELS = list(QUALIFICATION_LEVELS)
T = TypeVar("T")


def estimate_part(
    part: Part, record: str, overrides: dict[str, float] | None = None
) -> CostEstimate:
    """A calibration programme's estimate with the calibration's training stand-ins."""
    filled = with_stand_ins(part)
    return estimate_cost(filled.profile, record, overrides, filled.delivery_models)


def one_hour_profile() -> CostProfile:
    """One one-hour session for one family by one QCF 6 practitioner, and nothing else.

    Its unit cost is exactly the QCF 6 hourly cost, so overriding that parameter puts
    the unit cost wherever a test needs it.
    """
    return CostProfile(
        sessions=1,
        session_hours=1.0,
        practitioners_per_session=1,
        practitioner_level="qcf-6",
        families_per_group=1,
        practitioner_training_hours=0.0,
        practitioner_training_fee=0.0,
        booster_training=False,
        supervisor_level="qcf-6",
        supervisor_training_hours=0.0,
        supervision_hours_per_family=0.0,
        licence_fee=0.0,
        setup_materials=0.0,
        materials_per_family=0.0,
    )


# --- Bands ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_cost", "rating", "label"),
    [
        (0.0, "1", "low"),
        (99.99, "1", "low"),
        (99.994, "1", "low"),  # rounds down to £99.99
        (99.996, "2", "medium-low"),  # rounds up to £100.00
        (100.0, "2", "medium-low"),
        (499.5, "2", "medium-low"),  # between the published £499 and £500: still 2
        (499.99, "2", "medium-low"),
        (500.0, "3", "medium"),
        (999.99, "3", "medium"),
        (1000.0, "4", "medium-high"),
        (1999.99, "4", "medium-high"),
        (2000.0, "4", "medium-high"),  # "£1,000 to £2,000" includes £2,000
        (2000.004, "4", "medium-high"),  # rounds down to £2,000.00
        (2000.01, "5", "high"),
        (1_000_000.0, "5", "high"),
    ],
)
def test_each_band_boundary_falls_on_the_documented_side(unit_cost, rating, label):
    band = cost_band(unit_cost)
    assert (band.rating, band.label) == (rating, label)


@pytest.mark.parametrize(
    ("hourly_cost", "rating"),
    [
        (99.99, "1"),
        (100.0, "2"),
        (499.5, "2"),
        (499.99, "2"),
        (500.0, "3"),
        (999.99, "3"),
        (1000.0, "4"),
        (2000.0, "4"),
        (2000.01, "5"),
    ],
)
def test_an_estimate_at_a_band_boundary_gets_the_documented_rating(hourly_cost, rating):
    estimate = estimate_cost(one_hour_profile(), "boundary", {"hourly_cost_qcf_6": hourly_cost})
    assert estimate.unit_cost == hourly_cost
    assert estimate.rating == rating


def test_bands_cover_the_published_table_in_order():
    assert [(b.rating, b.label) for b in COST_BANDS] == [
        ("1", "low"),
        ("2", "medium-low"),
        ("3", "medium"),
        ("4", "medium-high"),
        ("5", "high"),
    ]


# --- Infant-Parent Psychotherapy: rated whatever its unknown training fee -----------------

# As published: 32 sessions of 1 to 1.5 hours (midpoint) by one QCF 7/8 practitioner
# with 92 hours of training and recommended boosters; a QCF 7/8 supervisor with 92
# hours of training; no licence. The training fee is not published.
INFANT_PARENT_PSYCHOTHERAPY = CostProfile(
    sessions=32,
    session_hours=1.25,
    practitioners_per_session=1,
    practitioner_level="qcf-7-8",
    families_per_group=1,
    practitioner_training_hours=92.0,
    practitioner_training_fee=None,
    booster_training=True,
    supervisor_level="qcf-7-8",
    supervisor_training_hours=92.0,
    licence_fee=0.0,
)


def test_infant_parent_psychotherapy_is_rated_4_whatever_its_training_fee():
    estimate = estimate_cost(INFANT_PARENT_PSYCHOTHERAPY, "programme 'ipp'", None, ("individual",))
    assert (estimate.rating, estimate.unit_cost) == ("4", 1360.02)
    assert (estimate.low, estimate.high) == (1279.68, 1435.36)
    assert estimate.ratings == ("4",)
    assert estimate.missing == ()
    fee = next(a for a in estimate.assumed if a.field == "practitioner_training_fee")
    assert (fee.value, fee.low, fee.high) == (500.0, 0.0, 1000.0)
    assert "holds whatever the inputs the record does not give" in estimate.explanation
    text = DOC.read_text(encoding="utf-8")
    assert "£1,360.02" in text and "£1,279.68" in text and "£1,435.36" in text


def test_na_names_every_missing_input_not_just_the_first():
    estimate = estimate_cost(CostProfile(), "empty", None, ("telephone",))
    assert estimate.rating == "NA"
    assert estimate.unit_cost is None and estimate.low is None
    assert [(m.field, m.label) for m in estimate.missing] == [
        ("sessions", "number of sessions"),
        ("session_hours", "length of a session in hours"),
    ]
    assert estimate.breakdown == ()
    assert "number of sessions; length of a session in hours" in estimate.explanation


def test_a_known_fee_lists_only_the_assumptions_left():
    estimate = estimate_cost(
        replace(INFANT_PARENT_PSYCHOTHERAPY, practitioner_training_fee=500.0), "ipp"
    )
    assert (estimate.rating, estimate.unit_cost) == ("4", 1360.02)
    assert [a.field for a in estimate.assumed] == [
        "supervision_hours_per_family",
        "setup_materials",
        "materials_per_family",
    ]
    assert estimate.assumed[0].value == pytest.approx(0.05 * 40)
    assert (estimate.assumed[0].low, estimate.assumed[0].high) == (1.0, 3.0)


def test_a_fully_stated_profile_assumes_nothing():
    estimate = estimate_cost(one_hour_profile(), "full")
    assert estimate.assumed == ()
    assert (estimate.low, estimate.high) == (23.91, 23.91)
    assert "whatever" not in estimate.explanation
    assert estimate.explanation.endswith("it is not a price.")


def test_unknown_optional_inputs_take_their_documented_typical_values_and_ranges():
    profile = CostProfile(
        sessions=10,
        session_hours=2.0,
        practitioners_per_session=1,
        practitioner_level="qcf-6",
        practitioner_training_hours=14.0,
        practitioner_training_fee=0.0,
        licence_fee=0.0,
    )
    assumed = {
        a.field: (a.value, a.low, a.high)
        for a in estimate_cost(profile, "p", None, ("group",)).assumed
    }
    assert assumed == {
        "families_per_group": (10.0, 10.0, 12.0),
        "booster_training": (False, False, True),
        "supervisor_level": ("qcf-6", "qcf-6", "qcf-6"),
        "supervisor_training_hours": (14.0, 14.0, 14.0),
        "supervision_hours_per_family": pytest.approx(
            (0.05 * 2.0, 0.025 * 20 / 12, 0.075 * 2.0), abs=1e-4
        ),
        "setup_materials": (250.0, 0.0, 500.0),
        "materials_per_family": (10.0, 0.0, 15.0),
    }


# --- The breakdown ----------------------------------------------------------------------


def test_breakdown_adds_up_to_the_unit_cost_and_shows_its_numbers():
    estimate = estimate_part(MELLOW_TODDLERS[0], "mellow")
    assert estimate.unit_cost == round(sum(item.amount for item in estimate.breakdown), 2)
    lines = {item.key: item for item in estimate.breakdown}
    assert list(lines) == [
        "practitioner_training",
        "supervisor_training",
        "licence",
        "setup_materials",
        "delivery",
        "supervision",
        "booster_training",
        "materials",
    ]
    delivery = lines["delivery"]
    assert delivery.amount == pytest.approx(14 * 5 * 2 / 6 * 15.69)
    assert delivery.formula == (
        "14 sessions × 5 h × 2 practitioners ÷ 6 families per group × £15.69 an hour"
    )
    assert "54.0 children (3 groups a year × 6 families × 3 years)" in (
        lines["practitioner_training"].formula
    )
    assert lines["booster_training"].formula == "no booster training"
    assert {item.kind for item in estimate.breakdown} == {"set-up", "recurring"}


def test_booster_training_costs_a_share_of_the_initial_training_each_year():
    with_fee = replace(INFANT_PARENT_PSYCHOTHERAPY, practitioner_training_fee=0.0)
    lines = {item.key: item for item in estimate_cost(with_fee, "ipp").breakdown}
    # 800 contact hours a year / 40 hours per family = 20 families a year.
    assert lines["booster_training"].amount == pytest.approx(0.1 * 92 * 28.92 / 20)
    assert "20.0 families a year" in lines["booster_training"].formula


def test_one_to_one_delivery_spreads_set_up_over_the_practitioner_caseload():
    estimate = estimate_part(FAMILY_NURSE_PARTNERSHIP[0], "fnp")
    training = next(i for i in estimate.breakdown if i.key == "practitioner_training")
    # 800 h / 80 h per family = 10 families a year, 30 over three years.
    assert training.amount == pytest.approx((21 * 23.91 + 500) / 30)
    assert "800 contact hours a year ÷ 80 h per family" in training.formula


def test_supervision_counts_the_supervisor_and_the_practitioner():
    profile = replace(one_hour_profile(), supervision_hours_per_family=2.0)
    profile = replace(profile, supervisor_level="qcf-7-8")
    lines = {item.key: item for item in estimate_cost(profile, "p").breakdown}
    assert lines["supervision"].amount == pytest.approx(2 * (28.92 + 23.91))


# --- Overrides ---------------------------------------------------------------------------


def test_overriding_an_hourly_cost_changes_the_estimate_and_is_flagged():
    profile = replace(INFANT_PARENT_PSYCHOTHERAPY, practitioner_training_fee=500.0)
    plain = estimate_cost(profile, "ipp")
    local = estimate_cost(profile, "ipp", {"hourly_cost_qcf_7_8": 60.0})
    assert local.unit_cost is not None and plain.unit_cost is not None
    assert local.unit_cost > plain.unit_cost
    assert local.rating == "5"
    used = {p.name: p for p in local.parameters}
    assert used["hourly_cost_qcf_7_8"].value == 60.0
    assert used["hourly_cost_qcf_7_8"].overridden
    assert not used["horizon_years"].overridden
    assert set(used) == {p.name for p in PARAMETERS}


def test_overheads_raise_every_staff_hour():
    plain = estimate_cost(one_hour_profile(), "p")
    loaded = estimate_cost(one_hour_profile(), "p", {"overhead_rate": 0.25})
    assert loaded.unit_cost == pytest.approx(round(23.91 * 1.25, 2))
    assert plain.unit_cost == 23.91


def test_default_group_size_applies_only_when_the_size_is_unknown():
    unknown = INCREDIBLE_YEARS_TODDLER[0]
    bigger = estimate_part(unknown, "iy", {"default_group_size": 12})
    stated_part = replace(unknown, profile=replace(unknown.profile, families_per_group=10))
    stated = estimate_part(stated_part, "iy", {"default_group_size": 12})
    assert bigger.unit_cost is not None and stated.unit_cost is not None
    assert bigger.unit_cost < stated.unit_cost == 217.78


def test_a_longer_horizon_spreads_set_up_thinner():
    short = estimate_part(FAMILY_NURSE_PARTNERSHIP[0], "fnp")
    long = estimate_part(FAMILY_NURSE_PARTNERSHIP[0], "fnp", {"horizon_years": 6})
    assert long.unit_cost is not None and short.unit_cost is not None
    assert long.unit_cost < short.unit_cost


# --- Checks -------------------------------------------------------------------------------


def test_unknown_parameter_is_rejected_naming_it():
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(one_hour_profile(), "programme 'x'", {"hourly_rate": 50})
    (problem,) = raised.value.problems
    assert (problem.record, problem.field, problem.found) == (
        "programme 'x'",
        "hourly_rate",
        "'hourly_rate'",
    )
    assert "hourly_cost_qcf_6" in problem.expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("hourly_cost_qcf_6", 0, "a number greater than 0 (£ per hour)"),
        ("hourly_cost_qcf_6", -3.5, "a number greater than 0 (£ per hour)"),
        ("hourly_cost_qcf_6", "40", "a number greater than 0 (£ per hour)"),
        ("hourly_cost_qcf_6", True, "a number greater than 0 (£ per hour)"),
        ("horizon_years", math.nan, "a number greater than 0 (years)"),
        ("horizon_years", math.inf, "a number greater than 0 (years)"),
        ("overhead_rate", -0.1, "a number at least 0 (share of staff cost)"),
        ("default_group_size", 0.5, "a number at least 2 (families)"),
    ],
)
def test_bad_parameter_values_are_rejected_saying_what_was_expected(name, value, expected):
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(one_hour_profile(), "r", {name: value})
    (problem,) = raised.value.problems
    assert (problem.field, problem.expected) == (name, expected)


def test_accepted_edge_values_for_parameters():
    estimate = estimate_cost(
        one_hour_profile(),
        "r",
        {"overhead_rate": 0, "group_size_low": 2, "default_group_size": 2, "horizon_years": 1},
    )
    assert estimate.rating == "1"


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"sessions": 0}, "cost.sessions", "a whole number of at least 1"),
        ({"sessions": 2.5}, "cost.sessions", "a whole number of at least 1"),
        ({"families_per_group": True}, "cost.families_per_group", "a whole number of at least 1"),
        ({"session_hours": 0.0}, "cost.session_hours", "a number above 0"),
        ({"licence_fee": -5.0}, "cost.licence_fee", "a number of 0 or more"),
        ({"materials_per_family": "ten"}, "cost.materials_per_family", "a number of 0 or more"),
        ({"practitioner_level": "qcf-9"}, "cost.practitioner_level", "one of qcf-3"),
        ({"supervisor_level": ["qcf-6"]}, "cost.supervisor_level", "one of qcf-3"),
        ({"booster_training": "yes"}, "cost.booster_training", "true or false"),
    ],
)
def test_impossible_profile_values_are_rejected_naming_the_field(changes, field, expected):
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(replace(one_hour_profile(), **changes), "programme 'p'")
    (problem,) = raised.value.problems
    assert problem.record == "programme 'p'"
    assert problem.field == field
    assert problem.expected.startswith(expected)


def test_every_problem_is_reported_at_once():
    profile = replace(one_hour_profile(), sessions=0, licence_fee=-1.0)
    with pytest.raises(InvalidRecord) as raised:
        estimate_cost(profile, "p", {"nonsense": 1, "horizon_years": 0})
    fields = [problem.field for problem in raised.value.problems]
    assert fields == ["cost.sessions", "cost.licence_fee", "nonsense", "horizon_years"]


# --- Totals for a local calculator --------------------------------------------------------


def test_total_cost_multiplies_the_unit_cost_by_the_children():
    estimate = estimate_cost(one_hour_profile(), "p")
    assert total_cost(estimate, 0) == 0.0
    assert total_cost(estimate, 30) == pytest.approx(23.91 * 30)


def test_total_cost_of_an_na_estimate_is_refused():
    estimate = estimate_cost(CostProfile(), "programme 'ipp'")
    with pytest.raises(InvalidRecord) as raised:
        total_cost(estimate, 10)
    (problem,) = raised.value.problems
    assert (problem.record, problem.field) == ("programme 'ipp'", "unit_cost")


@pytest.mark.parametrize("children", [-1, 2.5, True])
def test_total_cost_needs_a_whole_number_of_children(children):
    with pytest.raises(InvalidRecord) as raised:
        total_cost(estimate_cost(one_hour_profile(), "p"), children)
    assert raised.value.problems[0].field == "children"


# --- Plain data ---------------------------------------------------------------------------


def test_to_dict_is_plain_json():
    estimate = estimate_part(MELLOW_TODDLERS[0], "programme 'mellow'", {"horizon_years": 5})
    data = estimate.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rating"] == estimate.rating
    assert data["unit_cost"] == estimate.unit_cost
    assert data["breakdown"][4]["key"] == "delivery"
    assert set(data["breakdown"][0]) == {"key", "label", "kind", "amount", "formula"}
    assert data["parameters"]["horizon_years"] == {
        "value": 5.0,
        "unit": "years",
        "overridden": True,
    }
    assert "£100 to £499" in data["explanation"]
    assert data["range"] == {"low": estimate.low, "high": estimate.high}
    assert data["ratings"] == ["2"]
    assert data["deciding"] == []
    assert set(data["assumed"][0]) == {"field", "label", "value", "low", "high", "reason", "source"}


def test_na_to_dict_lists_the_missing_inputs():
    data = estimate_cost(replace(INFANT_PARENT_PSYCHOTHERAPY, sessions=None), "ipp").to_dict()
    assert data["rating"] == "NA"
    assert data["unit_cost"] is None
    assert data["range"] is None
    assert data["missing"] == [{"field": "sessions", "label": "number of sessions"}]
    assert json.loads(json.dumps(data)) == data


# --- Parameters as data -----------------------------------------------------------------


def test_every_qualification_level_has_an_hourly_cost():
    for level in LEVELS:
        assert parameter(hourly_cost_parameter(level)).unit == "£ per hour"


def test_every_parameter_is_sourced_valid_and_documented():
    text = DOC.read_text(encoding="utf-8")
    for known in PARAMETERS:
        assert known.help and known.source and known.unit
        assert known.accepts(known.default)
        assert f"`{known.name}`" in text


def test_resolve_applies_overrides_and_remembers_them():
    resolved = resolve({"groups_per_year": 4}, "r")
    assert resolved["groups_per_year"] == 4.0
    assert resolved.overridden == frozenset({"groups_per_year"})
    assert resolve(None, "r").values == defaults()


def test_resolve_refuses_bad_overrides():
    with pytest.raises(InvalidRecord):
        resolve({"groups_per_year": -1}, "r")


@pytest.mark.parametrize(
    ("value", "number"), [(3, 3.0), (2.5, 2.5), (False, None), ("1", None), (math.inf, None)]
)
def test_finite_number(value, number):
    assert finite_number(value) == number


# --- Properties ---------------------------------------------------------------------------

# Unit costs are rounded to the penny; the margin allows for floating-point noise too.
HALF_A_PENNY = 0.0051

money = st.floats(min_value=0, max_value=5000, allow_nan=False)
hours = st.floats(min_value=0.25, max_value=6, allow_nan=False)
delivery = st.lists(st.sampled_from(["individual", "group", "home-visiting", "classroom"]))


@st.composite
def profiles(draw: st.DrawFn) -> CostProfile:
    """Profiles with sessions and session length known, anything else perhaps not."""

    def maybe(strategy: st.SearchStrategy[T]) -> T | None:
        return draw(st.none() | strategy)

    return CostProfile(
        sessions=draw(st.integers(1, 80)),
        session_hours=draw(hours),
        practitioners_per_session=maybe(st.integers(1, 3)),
        practitioner_level=maybe(st.sampled_from(LEVELS)),
        families_per_group=maybe(st.integers(1, 15)),
        practitioner_training_hours=maybe(st.floats(0, 150)),
        practitioner_training_fee=maybe(money),
        booster_training=maybe(st.booleans()),
        supervisor_level=maybe(st.sampled_from(LEVELS)),
        supervisor_training_hours=maybe(st.floats(0, 150)),
        supervision_hours_per_family=maybe(st.floats(0, 20)),
        licence_fee=maybe(money),
        setup_materials=maybe(money),
        materials_per_family=maybe(st.floats(0, 100)),
    )


def complete(profile: CostProfile) -> CostProfile:
    """The profile with every unknown input known (a neutral value for each)."""
    return replace(
        profile,
        practitioners_per_session=profile.practitioners_per_session or 1,
        practitioner_level=profile.practitioner_level or "qcf-6",
        families_per_group=profile.families_per_group or 1,
        practitioner_training_hours=profile.practitioner_training_hours or 0.0,
        practitioner_training_fee=profile.practitioner_training_fee or 0.0,
        booster_training=bool(profile.booster_training),
        supervision_hours_per_family=profile.supervision_hours_per_family or 0.0,
        licence_fee=profile.licence_fee or 0.0,
        setup_materials=profile.setup_materials or 0.0,
        materials_per_family=profile.materials_per_family or 0.0,
    )


def unit_cost(profile: CostProfile, overrides: dict[str, float] | None = None) -> float:
    estimate: CostEstimate = estimate_cost(profile, "property", overrides)
    assert estimate.unit_cost is not None
    return estimate.unit_cost


# Each example works out several estimates; on a busy machine that can outrun
# Hypothesis's 200 ms deadline without anything being wrong.
unhurried = settings(deadline=None)


@unhurried
@given(profiles(), delivery, st.integers(1, 40))
def test_more_sessions_never_lower_either_end_of_the_range(profile, models, extra):
    more = replace(profile, sessions=(profile.sessions or 0) + extra)
    fewer_estimate = estimate_cost(profile, "property", None, models)
    more_estimate = estimate_cost(more, "property", None, models)
    assert fewer_estimate.low is not None and more_estimate.low is not None
    assert fewer_estimate.high is not None and more_estimate.high is not None
    assert more_estimate.low >= fewer_estimate.low
    assert more_estimate.high >= fewer_estimate.high


@unhurried
@given(profiles(), delivery)
def test_the_itemised_estimate_lies_within_the_range(profile, models):
    estimate = estimate_cost(profile, "property", None, models)
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low <= estimate.high
    if estimate.unit_cost is not None:
        assert estimate.low <= estimate.unit_cost <= estimate.high
        assert estimate.ratings == (estimate.rating,)
    else:
        assert len(estimate.ratings) > 1


@unhurried
@given(
    sessions=st.integers(1, 80),
    session_hours=hours,
    practitioners=st.integers(1, 3),
    level=st.sampled_from(LEVELS),
    group=st.integers(1, 15),
    factor=st.floats(0.1, 10),
)
def test_delivery_only_cost_scales_with_the_hourly_cost(
    sessions, session_hours, practitioners, level, group, factor
):
    profile = replace(
        one_hour_profile(),
        sessions=sessions,
        session_hours=session_hours,
        practitioners_per_session=practitioners,
        practitioner_level=level,
        families_per_group=group,
    )
    scaled = {
        hourly_cost_parameter(lvl): defaults()[hourly_cost_parameter(lvl)] * factor
        for lvl in LEVELS
    }
    base = unit_cost(profile)
    assert base == pytest.approx(
        sessions * session_hours * practitioners / group * defaults()[hourly_cost_parameter(level)],
        abs=HALF_A_PENNY,
    )
    assert unit_cost(profile, scaled) == pytest.approx(
        base * factor, abs=HALF_A_PENNY * (1 + factor)
    )


@unhurried
@given(profiles(), st.integers(1, 14), st.integers(1, 20))
def test_bigger_groups_never_raise_the_delivery_cost_per_child(profile, size, extra):
    def delivery_cost(families: int) -> float:
        known = replace(complete(profile), families_per_group=families)
        estimate = estimate_cost(known, "property")
        return next(item.amount for item in estimate.breakdown if item.key == "delivery")

    assert delivery_cost(size + extra) <= delivery_cost(size)
