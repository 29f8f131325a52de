"""Every programme rule of every standard reads as a sentence, with its studies by label."""

import pytest

from guidebook.evidence.standards.registry import all_standards
from guidebook.public.rule_sentences import rule_asks, rules_in_words
from guidebook.public.standards_views import rules_checked

LABELS = {"study-1": "Study 1", "study-2": "Study 2"}


@pytest.mark.parametrize("standard", all_standards(), ids=lambda s: s.key)
def test_every_rule_of_every_standard_has_its_own_sentence(standard):
    for rule in rules_checked(standard):
        asks = rule_asks(rule)
        assert asks.endswith(".") and rule not in asks
        assert "cannot describe" not in asks, rule


@pytest.mark.parametrize(
    ("rule", "met", "values", "finding"),
    [
        (
            "rating-2.supporting-study",
            True,
            {"studies": ["study-1", "study-2"], "studies_assessed": 2},
            "Shown by Study 1 and Study 2.",
        ),
        (
            "rating-2.supporting-study",
            False,
            {"studies": [], "studies_assessed": 0},
            "No study of the programme has been assessed yet.",
        ),
        (
            "rating-2.supporting-study",
            False,
            {"studies": [], "studies_assessed": 1},
            "Not met by the one study assessed.",
        ),
        (
            "rating-2.supporting-study",
            False,
            {"studies": [], "studies_assessed": 3},
            "Not met by any of the 3 studies assessed.",
        ),
        (
            "rating-3.rigorous-positive-study",
            False,
            {"studies": [], "rigorous_studies": []},
            "No study reached level 3.",
        ),
        (
            "rating-3.rigorous-positive-study",
            False,
            {"studies": [], "rigorous_studies": ["study-2"]},
            "Its level 3 study (Study 2) did not.",
        ),
        (
            "rating-4.replicated",
            False,
            {"studies": ["study-2"], "required": 2},
            "Only Study 2; 2 are needed.",
        ),
        (
            "rating-4.plus.studies-meeting-level-4",
            False,
            {"studies": [], "required": 2},
            "No study does; 2 are needed.",
        ),
        (
            "rating-4.replicated",
            True,
            {"studies": ["study-1", "study-2"], "required": 2},
            "Shown by Study 1 and Study 2.",
        ),
        (
            "rating-4.long-term",
            False,
            {"studies": []},
            "No rigorous study measured a lasting improvement.",
        ),
        (
            "asterisk.mixed-findings",
            False,
            {
                "studies": [],
                "rigorous_studies": [{"study": "study-2", "improved": 1, "not_improved": 0}],
            },
            "Study 2: child findings 1 improved, 0 not improved.",
        ),
        (
            "asterisk.mixed-findings",
            True,
            {
                "studies": ["study-1"],
                "rigorous_studies": [{"study": "study-1", "improved": 1, "not_improved": 2}],
            },
            "On balance no effect or harm in Study 1. Study 1: child findings 1 improved, "
            "2 not improved.",
        ),
        ("asterisk.mixed-findings", False, {"studies": []}, "There is no rigorous study to weigh."),
        ("some.future-rule", True, {"x": [1]}, "Met."),
    ],
)
def test_a_rule_says_which_studies_decided_it(rule, met, values, finding):
    [described] = rules_in_words([{"rule": rule, "met": met, "values": values}], LABELS)
    assert described.finding == finding
    assert described.met_label == ("Met" if met else "Not met")
    assert described.to_dict()["rule"] == rule
