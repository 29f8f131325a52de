"""Why a computed cost rating differs from a published one: the part of the model that decides."""

from __future__ import annotations

import pytest

from guidebook.evidence.cost import estimate_cost
from guidebook.evidence.cost_disagreement import COST_RULE_TITLES, explain_cost_disagreement
from guidebook.evidence.records import CostProfile

KNOWN = CostProfile(
    sessions=14,
    session_hours=2.0,
    practitioners_per_session=2,
    practitioner_level="qcf-7-8",
    families_per_group=8,
    practitioner_training_hours=21.0,
    practitioner_training_fee=500.0,
    licence_fee=0.0,
)


def estimate(**changes: object) -> dict:
    from dataclasses import replace

    return estimate_cost(replace(KNOWN, **changes), "programme 'p'").to_dict()


def spanning(**extra: object) -> dict:
    """An NA estimate whose required inputs are known but whose unknown ones span bands."""
    return {
        "rating": "NA",
        "unit_cost": None,
        "missing": [],
        "breakdown": [],
        "assumed": [],
        **extra,
    }


RANGE = {"range": {"low": 450.0, "high": 620.5}, "ratings": ["2", "3"]}
DECIDING = [{"field": "sessions", "label": "number of sessions", "low": 8, "high": 20}]


@pytest.mark.parametrize(
    ("name", "cost", "published", "rule", "inputs"),
    [
        ("agree", estimate(), estimate()["rating"], "", ()),
        ("both NA", estimate(sessions=None), "NA", "", ()),
        (
            "required inputs missing",
            estimate(sessions=None),
            "2",
            "cost.required-inputs",
            ("sessions",),
        ),
        ("another band", estimate(), "1", "cost.band", ("delivery", "practitioner_training")),
        ("no published band", estimate(), "NA", "cost.band", ("delivery", "practitioner_training")),
        (
            "range spans bands",
            spanning(**RANGE, deciding=DECIDING),
            "2",
            "cost.plausible-range",
            ("sessions",),
        ),
        (
            "range, no single input decides",
            spanning(**RANGE, deciding=[]),
            "2",
            "cost.plausible-range",
            (),
        ),
        ("no range given", spanning(), "3", "cost.plausible-range", ()),
    ],
)
def test_each_cost_difference_names_the_part_of_the_model_that_decides(
    name, cost, published, rule, inputs
):
    disagreement = explain_cost_disagreement(cost, published)
    assert disagreement.rule == rule
    assert disagreement.inputs == inputs
    assert disagreement.agrees == (rule == "")
    assert (disagreement.text == "") == disagreement.agrees


def test_missing_inputs_are_named_by_their_labels():
    shown = explain_cost_disagreement(estimate(sessions=None), "2")
    assert shown.facts == ("not recorded: number of sessions",)
    assert shown.text == (
        f"Rule '{COST_RULE_TITLES['cost.required-inputs']}' (cost.required-inputs): "
        "not recorded: number of sessions."
    )


def test_a_band_difference_gives_the_estimate_both_bands_and_the_largest_items():
    cost = estimate(materials_per_family=None)
    shown = explain_cost_disagreement(cost, "1")
    unit = cost["unit_cost"]
    assert shown.computed == cost["rating"]
    assert shown.facts[0].startswith(f"Guidebook estimates £{unit:,.2f} a child, band ")
    assert shown.facts[1] == "the published band 1 is under £100"
    assert shown.facts[2].startswith("Delivery")
    assert any(fact.startswith("assumed materials per family: ") for fact in shown.facts)
    no_band = explain_cost_disagreement(estimate(), "NA")
    assert no_band.facts[1] == "the source gives no cost rating"


def test_a_spanning_range_names_its_bounds_and_deciding_inputs():
    shown = explain_cost_disagreement(spanning(**RANGE, deciding=DECIDING), "2")
    assert shown.facts == (
        "the unit cost could be £450.00 to £620.50 a child, band 2 or 3",
        "number of sessions ranges from 8 to 20",
    )
    assert explain_cost_disagreement(spanning(), "3").facts == (
        "no single unknown input decides on its own",
    )


def test_a_cost_disagreement_is_plain_data():
    shown = explain_cost_disagreement(estimate(sessions=None), "2")
    assert shown.to_dict() == {
        "computed": "NA",
        "published": "2",
        "agrees": False,
        "rule": "cost.required-inputs",
        "inputs": ["sessions"],
        "facts": ["not recorded: number of sessions"],
    }
    assert explain_cost_disagreement(estimate(), estimate()["rating"]).to_dict()["rule"] is None
