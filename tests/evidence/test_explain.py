"""The explanation a programme page shows, rendered from a rating's reasons."""

from __future__ import annotations

import json

import pytest

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.explain import (
    Explanation,
    OutcomeGroup,
    SupportedOutcome,
    describe_level,
    explain,
)
from guidebook.evidence.records import Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards import RATING_VALUES, get_standard
from tests.evidence.ipp import attachment_security, empathic_behaviour, ipp_programme, verdict
from tests.seed_page import runs_of, seed_runs

L2, L2Q, L3, BELOW = (
    StudyLevel.LEVEL_2,
    StudyLevel.LEVEL_2_QUALITY,
    StudyLevel.LEVEL_3,
    StudyLevel.BELOW_2,
)

REPLICATION = (
    "No second rigorously conducted study has yet repeated its results; level 4 needs at "
    "least 2 such studies."
)
LONG_TERM = (
    "No rigorous study has yet shown a child outcome still improved 12 months or more "
    "after the programme ended."
)


def study(key: str, level: StudyLevel, *findings: Finding, independent: bool = False) -> Study:
    return Study(
        key=key,
        label=f"Study {key}",
        citation="c",
        design="rct",
        independent=independent,
        findings=findings,
        appraisal=verdict(level),
    )


def child(key: str = "child", **changes: object) -> Finding:
    return attachment_security(key, **changes)


def explained(*studies: Study, standard: str = "eif-2018") -> Explanation:
    programme = Programme(slug="p", name="Parenting Plus", studies=studies)
    return explain(programme, get_standard(standard).rate(programme))


# --- The reference case --------------------------------------------------------------


@pytest.mark.parametrize("standard", ["eif-2017", "eif-2018"])
def test_infant_parent_psychotherapy_is_3_plus(standard: str) -> None:
    programme = ipp_programme()
    result = get_standard(standard).rate(programme)
    assert result.value == "3+"
    assert result.studies["ipp-1"].level is L2
    assert result.studies["ipp-2"].level is L3
    assert result.studies["ipp-2"].reason("level-3.criteria").met

    explanation = explain(programme, result)
    assert explanation.value == "3+"
    assert explanation.summary == (
        "At least one rigorous evaluation found that Infant-Parent Psychotherapy improved a "
        "child outcome in the short term."
    )
    assert explanation.meaning.startswith("Level 3 means evidence of efficacy")
    # The Strange Situation is observer-rated, so only two level-4 conditions fail.
    assert explanation.not_higher == (REPLICATION, LONG_TERM)
    assert explanation.plus is not None
    assert explanation.plus.startswith("The plus means that, besides the rigorous study")
    assert (explanation.asterisk, explanation.mixed_studies) == (None, ())
    assert explanation.outcomes == (
        OutcomeGroup(
            "mental-health",
            "Supporting children's mental health and wellbeing",
            (SupportedOutcome("Improved attachment security", ("Study 1", "Study 2")),),
        ),
    )
    assert explanation.other_outcomes is not None
    assert "benefits for parents (Increased empathic behaviour)" in explanation.other_outcomes


def test_ipp_explanation_as_json() -> None:
    programme = ipp_programme()
    data = explain(programme, get_standard("eif-2017").rate(programme)).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["outcomes"] == [
        {
            "category": "mental-health",
            "label": "Supporting children's mental health and wellbeing",
            "outcomes": [
                {"outcome": "Improved attachment security", "studies": ["Study 1", "Study 2"]}
            ],
        }
    ]
    assert data["programme"] == "Infant-Parent Psychotherapy"
    assert data["asterisk"] is None


# --- Each rating ---------------------------------------------------------------------


def test_nl2_without_studies() -> None:
    explanation = explained()
    assert explanation.value == "NL2"
    assert explanation.summary.startswith("The evidence for Parenting Plus does not yet reach")
    assert explanation.not_higher == ("No evaluation of the programme has been assessed yet.",)
    assert (explanation.plus, explanation.asterisk, explanation.other_outcomes) == (
        None,
        None,
        None,
    )
    assert explanation.outcomes == ()


def test_nl2_with_studies_below_level_2() -> None:
    explanation = explained(study("a", BELOW, child(), empathic_behaviour()))
    assert explanation.value == "NL2"
    assert explanation.not_higher == (
        "None of its evaluations reached level 2 with a statistically significant "
        "improvement in a child outcome.",
    )
    assert (explanation.outcomes, explanation.other_outcomes) == ((), None)


def test_ne() -> None:
    explanation = explained(study("a", L3, child(direction="null")))
    assert explanation.value == "NE"
    assert explanation.summary == (
        "A rigorous evaluation found that Parenting Plus did not benefit children or the "
        "others taking part."
    )
    assert explanation.meaning.startswith("NE means found not to be effective")
    assert len(explanation.not_higher) == 1
    assert explanation.asterisk is None


def test_2_without_a_rigorous_study() -> None:
    explanation = explained(study("a", L2, child()))
    assert explanation.value == "2"
    assert explanation.not_higher == (
        "Its best evidence does not come from a rigorously conducted RCT or QED (a level 3 study).",
    )
    assert explanation.plus is None


def test_2_star_names_the_mixed_rigorous_study() -> None:
    explanation = explained(study("m", L3, child(direction="null")), study("a", L2, child()))
    assert explanation.value == "2*"
    assert explanation.not_higher == (
        "Its rigorous (level 3) studies did not find a statistically significant improvement "
        "in a child outcome.",
    )
    assert explanation.asterisk is not None
    assert explanation.asterisk.startswith("The asterisk marks mixed evidence")
    assert explanation.mixed_studies == ("Study m",)


def test_2_plus() -> None:
    explanation = explained(study("a", L2Q, child()))
    assert explanation.value == "2+"
    assert explanation.plus is not None
    assert "stronger design than level 2" in explanation.plus


@pytest.mark.parametrize(
    ("second_lasts", "sentence"),
    [
        (
            True,
            "Only 1 of its studies meets every level 4 condition on its own; 4+ needs at least 2.",
        ),
        (
            False,
            "No single study meets every level 4 condition on its own; 4+ needs at least 2 "
            "that do.",
        ),
    ],
)
def test_4_without_two_studies_each_meeting_level_4_says_so(
    second_lasts: bool, sentence: str
) -> None:
    # One study lasts but is self-reported, the other is observed: together they reach
    # level 4, and whether either meets every condition alone decides the sentence.
    lasting_self_report = child(months_after=18, reporter="participant")
    observed = child(months_after=18 if second_lasts else 0)
    explanation = explained(
        study("a", L3, lasting_self_report, independent=True),
        study("b", L3, observed, independent=True),
    )
    assert explanation.value == "4"
    assert explanation.not_higher[0] == sentence


def test_3_fails_every_level_4_condition() -> None:
    explanation = explained(study("a", L3, child(reporter="participant")))
    assert explanation.value == "3"
    assert explanation.plus is None
    assert explanation.not_higher == (
        REPLICATION,
        LONG_TERM,
        "No rigorous study has yet shown the improvement with a measure that does not rest "
        "on the participants' own report, such as an observer, a blinded assessor or records.",
    )


INDEPENDENT_EVALUATION = (
    "None of its studies that meet level 4 was carried out independently of the "
    "programme's developer; 4+ needs at least one that was."
)


@pytest.mark.parametrize(
    ("independent", "value", "not_higher"),
    [(False, "4", (INDEPENDENT_EVALUATION,)), (True, "4+", ())],
)
def test_4_says_why_it_is_not_4_plus_and_4_plus_has_no_higher_level(
    independent: bool, value: str, not_higher: tuple[str, ...]
) -> None:
    lasting = child(months_after=18)
    explanation = explained(
        study("a", L3, lasting), study("b", L3, lasting, independent=independent)
    )
    assert explanation.value == value
    assert explanation.not_higher == not_higher
    assert explanation.summary.startswith("Parenting Plus has shown a lasting improvement")
    assert (explanation.plus is not None) is independent


# --- Outcomes ------------------------------------------------------------------------


def test_outcomes_are_grouped_by_category_in_vocabulary_order() -> None:
    reading = child("reading", outcome="Better reading", category="school-achievement")
    sleep = child("sleep", outcome="Better sleep", category="sleep-health")
    explanation = explained(
        study("a", L2, reading, sleep, child("again")),
        study("b", L3, child(), child("twice")),
        study("c", BELOW, child("ignored", outcome="Ignored outcome")),
        study("d", L2, child("weak", outcome="Not significant", significant=False)),
    )
    assert [(g.category, g.label) for g in explanation.outcomes] == [
        ("mental-health", "Supporting children's mental health and wellbeing"),
        ("school-achievement", "Enhancing school achievement and employment"),
        ("sleep-health", "sleep-health"),
    ]
    assert explanation.outcomes[0].outcomes == (
        SupportedOutcome("Improved attachment security", ("Study a", "Study b")),
    )


@pytest.mark.parametrize(
    ("beneficiaries", "who"),
    [
        (("parent",), "parents"),
        (("family", "parent"), "parents and families"),
        (("couple", "family", "parent"), "parents, couples and families"),
    ],
)
def test_other_outcomes_note_names_who_benefited(beneficiaries: tuple[str, ...], who: str) -> None:
    findings = [
        empathic_behaviour(b, beneficiary=b, outcome=f"Better {b} outcome") for b in beneficiaries
    ]
    explanation = explained(study("a", L2, child(), *findings))
    assert explanation.other_outcomes is not None
    assert f"benefits for {who} (" in explanation.other_outcomes


def test_other_outcomes_need_an_improvement() -> None:
    flat = empathic_behaviour(significant=False)
    assert explained(study("a", L3, child(), flat)).other_outcomes is None


# --- Level descriptions --------------------------------------------------------------


@pytest.mark.parametrize("value", [*RATING_VALUES, "2*", "3+*", "4*"])
def test_describe_level_covers_every_value(value: str) -> None:
    text = describe_level(value)
    assert text
    assert ("The plus means" in text) is ("+" in value)
    assert ("The asterisk marks" in text) is value.endswith("*")


@pytest.mark.parametrize("value", ["5", "NE*", "3-"])
def test_describe_level_refuses_unknown_values(value: str) -> None:
    with pytest.raises(InvalidRecord):
        describe_level(value)


def _explanations() -> list[Explanation]:
    lasting = child(months_after=18)
    return [
        explained(),
        explained(study("a", BELOW, child())),
        explained(study("a", L3, child(direction="null"))),
        explained(study("m", L3, child(direction="null")), study("a", L2Q, child())),
        explained(study("a", L3, child(reporter="participant")), study("b", L2, child())),
        explained(study("a", L3, lasting), study("b", L3, lasting, independent=True)),
        explain(ipp_programme(), get_standard("eif-2018").rate(ipp_programme())),
    ]


def test_no_sentence_repeats_the_reference_page() -> None:
    runs = seed_runs()
    texts = [describe_level(value) for value in ["2+", "3+", "4+*", "NE", "NL2"]]
    for explanation in _explanations():
        texts.append(json.dumps(explanation.to_dict()))
    for text in texts:
        assert not runs.intersection(runs_of(text))
