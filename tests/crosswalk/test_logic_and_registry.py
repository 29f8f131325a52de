"""Three-valued checks and the crosswalk registry."""

import pytest

from guidebook.evidence.crosswalk import (
    NOT_YET_IMPLEMENTED,
    crosswalk_standards,
    get_crosswalk_standard,
)
from guidebook.evidence.crosswalk.logic import (
    MET,
    NOT_MET,
    all_of,
    any_of,
    at_least_distinct,
    needs,
    negate,
)
from guidebook.evidence.crosswalk.parameters import CROSSWALK_PARAMETERS, parameter
from guidebook.evidence.errors import UnknownStandard

A = needs("a")
B = needs("b")


@pytest.mark.parametrize(
    ("checks", "all_expected", "any_expected"),
    [
        ((MET, MET), MET, MET),
        ((MET, NOT_MET), NOT_MET, MET),
        ((NOT_MET, A), NOT_MET, A),
        ((MET, A, B), needs("a", "b"), MET),
        ((A, A), A, A),
        ((), MET, NOT_MET),
    ],
)
def test_kleene_and_or_never_meet_on_unknowns(checks, all_expected, any_expected):
    assert all_of(*checks) == all_expected
    assert any_of(checks) == any_expected


def test_negation_keeps_unknown():
    assert (negate(MET), negate(NOT_MET), negate(A)) == (NOT_MET, MET, A)
    assert (MET.status, NOT_MET.status, A.status) == ("met", "not met", "unknown")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([(MET, "x", "?"), (MET, "y", "?")], MET),
        ([(MET, "x", "?"), (MET, "x", "?")], NOT_MET),
        ([(MET, None, "sample 1"), (MET, None, "sample 2")], needs("sample 1", "sample 2")),
        ([(MET, "x", "?"), (A, "y", "?")], A),
        ([(NOT_MET, "x", "?"), (MET, "y", "?")], NOT_MET),
    ],
)
def test_distinct_samples_count_once(items, expected):
    assert at_least_distinct(2, items) == expected


def test_registry_lists_psc_and_blueprints_and_names_unknown_keys():
    assert [s.key for s in crosswalk_standards()] == ["psc-1.0", "blueprints"]
    assert {key for key, _, _ in NOT_YET_IMPLEMENTED} == {"cebc", "homvee"}
    with pytest.raises(UnknownStandard, match=r"blueprints, psc-1\.0"):
        get_crosswalk_standard("cebc")


def test_every_unseen_threshold_is_a_parameter_naming_its_source_to_confirm():
    unseen = [p for p in CROSSWALK_PARAMETERS if not p.seen]
    assert unseen and all("to confirm" in p.source for p in unseen)
    assert parameter("psc.well_supported_months") == 12
    assert CROSSWALK_PARAMETERS[0].to_dict()["key"] == "psc.alpha"


def test_needed_facts_are_grouped_by_kind_and_counted_beyond_three_places():
    from guidebook.evidence.crosswalk.result import summarise_needs

    places = (f"baseline difference (s{n})" for n in range(1, 5))
    needs = ("manual", "usual care setting (s1)", "usual care setting (s2)", *places)
    assert summarise_needs(needs) == (
        "manual; usual care setting (s1, s2); baseline difference (4 places)"
    )
