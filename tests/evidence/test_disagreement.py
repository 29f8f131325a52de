"""Why a computed rating differs from a published one: one row per rule that can decide it."""

from __future__ import annotations

import pytest

from guidebook.evidence.disagreement import (
    RULE_TITLES,
    Decider,
    explain_disagreement,
    rating_parts,
)
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import Appraisal, Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards import MIXED_FINDINGS, get_standard
from tests.evidence.ipp import consensus, level_3_answers, verdict, with_answers

L2, L2Q, L3, BELOW = (
    StudyLevel.LEVEL_2,
    StudyLevel.LEVEL_2_QUALITY,
    StudyLevel.LEVEL_3,
    StudyLevel.BELOW_2,
)


def found(
    key: str,
    *,
    who: str = "child",
    by: str = "observer",
    months: float | None = 0,
    direction: str = "positive",
    significant: bool | None = True,
) -> Finding:
    return Finding(
        key=key,
        outcome=f"Outcome {key}",
        category="mental-health",
        reporter=by,
        beneficiary=who,
        months_after=months,
        direction=direction,
        significant=significant,
    )


def null(key: str) -> Finding:
    return found(key, direction="null", significant=False)


def study(
    key: str,
    level: StudyLevel | Appraisal | None,
    *findings: Finding,
    independent: bool = False,
) -> Study:
    """A study levelled by a verdict (a level), by answers (an appraisal) or not at all."""
    appraisal = verdict(level, f"Verdict on {key}.") if isinstance(level, StudyLevel) else level
    return Study(
        key=key,
        label=f"Study {key}",
        citation=f"Author {key}",
        design="rct",
        independent=independent,
        findings=findings,
        appraisal=appraisal,
    )


def explain(published: str, *studies: Study, standard: str = "eif-2018"):
    programme = Programme(slug="p", name="P", studies=studies)
    result = get_standard(standard).rate(programme)
    return explain_disagreement(programme, result, published)


def deciders(disagreement) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    return [(d.part, d.rule, d.met, d.studies) for d in disagreement.deciders]


LONG = {"months": 12}
SELF = {"by": "participant"}

# (name, published, studies, standard, computed, [(part, rule, met, studies), ...])
TABLE = [
    ("agree", "3", [study("a", L3, found("x"))], "eif-2018", "3", []),
    # NE against NL2: did a level-3 study find no benefit?
    (
        "NE where NL2 is published",
        "NL2",
        [study("a", L3, null("x"))],
        "eif-2018",
        "NE",
        [("level", "rating-ne.no-benefit", True, ("a",))],
    ),
    (
        "NL2 where NE is published: rigorous study without findings",
        "NE",
        [study("a", L3)],
        "eif-2018",
        "NL2",
        [("level", "rating-ne.no-benefit", False, ("a",))],
    ),
    (
        "NL2 where NE is published: no rigorous study",
        "NE",
        [study("a", L2, null("x"))],
        "eif-2018",
        "NL2",
        [("level", "rating-ne.no-benefit", False, ())],
    ),
    # Computed below the published level: the next level up's rule, not met.
    (
        "NL2 where 2 is published",
        "2",
        [
            study("below", BELOW, found("x")),
            study("unappraised", None, found("y")),
            study("answered", consensus(with_answers({"sample.size": 10})), found("z")),
            study("flat", L2, null("w")),
            study("empty", L2),
        ],
        "eif-2018",
        "NL2",
        [
            (
                "level",
                "rating-2.supporting-study",
                False,
                ("below", "unappraised", "answered", "flat", "empty"),
            )
        ],
    ),
    (
        "NL2 where 3 is published: nothing recorded",
        "3",
        [],
        "eif-2018",
        "NL2",
        [("level", "rating-2.supporting-study", False, ())],
    ),
    (
        "2+ where 3 is published: a rigorous study found nothing",
        "3",
        [study("r", L3, null("x")), study("q", L2Q, found("y"))],
        "eif-2018",
        "2+*",
        [
            ("level", "rating-3.rigorous-positive-study", False, ("r",)),
            ("asterisk", MIXED_FINDINGS, True, ("r",)),
        ],
    ),
    (
        "2+ where 3+ is published: no rigorous study",
        "3+",
        [study("q", L2Q, found("y")), study("l", L2, found("z")), study("m", L2Q, found("w"))],
        "eif-2018",
        "2+",
        [("level", "rating-3.rigorous-positive-study", False, ("q", "m"))],
    ),
    (
        "3+ where 4 is published",
        "4",
        [
            study("a", L3, found("x", months=None, **SELF), found("x2", months=3, **SELF)),
            study("b", L2, found("y")),
            study("c", L3, found("z", who="parent")),
        ],
        "eif-2018",
        "3+",
        [
            ("level", "rating-4.replicated", False, ("a", "b", "c")),
            ("level", "rating-4.long-term", False, ("a",)),
            ("level", "rating-4.independent-measure", False, ("a",)),
        ],
    ),
    # Computed above the published level: the computed level's rules, met.
    (
        "4 where 3+ is published",
        "3+",
        [study("a", L3, found("x", **LONG)), study("b", L3, found("y"))],
        "eif-2018",
        "4",
        [
            ("level", "rating-4.replicated", True, ("a", "b")),
            ("level", "rating-4.long-term", True, ("a",)),
            ("level", "rating-4.independent-measure", True, ("a", "b")),
        ],
    ),
    (
        "3 where 2 is published",
        "2",
        [study("a", consensus(level_3_answers()), found("x"))],
        "eif-2018",
        "3",
        [("level", "rating-3.rigorous-positive-study", True, ("a",))],
    ),
    (
        "2 where NL2 is published",
        "NL2",
        [study("a", L2, found("x"))],
        "eif-2018",
        "2",
        [("level", "rating-2.supporting-study", True, ("a",))],
    ),
    # The plus.
    (
        "2 where 2+ is published, beside a rigorous study that found nothing",
        "2+",
        [study("a", L2, found("x")), study("r", L3, null("y"))],
        "eif-2018",
        "2*",
        [
            ("plus", "rating-2.plus.higher-quality-design", False, ("a", "r")),
            ("asterisk", MIXED_FINDINGS, True, ("r",)),
        ],
    ),
    (
        "2+ where 2 is published",
        "2",
        [study("q", L2Q, found("x"))],
        "eif-2018",
        "2+",
        [("plus", "rating-2.plus.higher-quality-design", True, ("q",))],
    ),
    (
        "3 where 3+ is published, beside studies that do not support",
        "3+",
        [study("a", L3, found("x")), study("b", BELOW), study("c", L2, null("y"))],
        "eif-2018",
        "3",
        [("plus", "rating-3.plus.other-supporting-study", False, ("a", "b", "c"))],
    ),
    (
        "3 where 3+ is published, alone",
        "3+",
        [study("a", L3, found("x"))],
        "eif-2018",
        "3",
        [("plus", "rating-3.plus.other-supporting-study", False, ("a",))],
    ),
    (
        "3+ where 3 is published",
        "3",
        [study("a", L3, found("x")), study("b", L2, found("y"))],
        "eif-2018",
        "3+",
        [("plus", "rating-3.plus.other-supporting-study", True, ("a", "b"))],
    ),
    (
        "4 where 4+ is published: one study meets level 4, run by the developer",
        "4+",
        [
            study("a", L3, found("x", **LONG)),
            study("b", L3, found("y", **SELF)),
            study("c", L3, found("z", **LONG, **SELF)),
        ],
        "eif-2018",
        "4",
        [
            ("plus", "rating-4.plus.studies-meeting-level-4", False, ("a", "b", "c")),
            ("plus", "rating-4.plus.independent-evaluation", False, ("a",)),
        ],
    ),
    (
        "4 where 4+ is published: two meet level 4, neither independent",
        "4+",
        [study("a", L3, found("x", **LONG)), study("b", L3, found("y", **LONG))],
        "eif-2018",
        "4",
        [("plus", "rating-4.plus.independent-evaluation", False, ("a", "b"))],
    ),
    (
        "4 where 4+ is published: one meets level 4, independently",
        "4+",
        [study("a", L3, found("x", **LONG), independent=True), study("b", L3, found("y"))],
        "eif-2018",
        "4",
        [("plus", "rating-4.plus.studies-meeting-level-4", False, ("a", "b"))],
    ),
    (
        "4 where 4+ is published: no study meets level 4 on its own",
        "4+",
        [study("a", L3, found("x", **LONG, **SELF)), study("b", L3, found("y"))],
        "eif-2018",
        "4",
        [
            ("plus", "rating-4.plus.studies-meeting-level-4", False, ("a", "b")),
            ("plus", "rating-4.plus.independent-evaluation", False, ()),
        ],
    ),
    (
        "4+ where 4 is published",
        "4",
        [study("a", L3, found("x", **LONG), independent=True), study("b", L3, found("y", **LONG))],
        "eif-2018",
        "4+",
        [
            ("plus", "rating-4.plus.studies-meeting-level-4", True, ("a", "b")),
            ("plus", "rating-4.plus.independent-evaluation", True, ("a",)),
        ],
    ),
    # The asterisk.
    (
        "published asterisk, no rigorous study found mixed",
        "3*",
        [study("a", L3, found("x"))],
        "eif-2018",
        "3",
        [("asterisk", MIXED_FINDINGS, False, ("a",))],
    ),
    (
        "published asterisk, no rigorous study",
        "2*",
        [study("a", L2, found("x"))],
        "eif-2018",
        "2",
        [("asterisk", MIXED_FINDINGS, False, ())],
    ),
    (
        "published asterisk under a standard without one",
        "3*",
        [study("a", L3, found("x"))],
        "eif-2017",
        "3",
        [("asterisk", MIXED_FINDINGS, False, ())],
    ),
]


@pytest.mark.parametrize(
    ("published", "studies", "standard", "computed", "expected"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_each_difference_names_the_rule_and_the_studies_that_decide_it(
    published, studies, standard, computed, expected
):
    disagreement = explain(published, *studies, standard=standard)
    assert disagreement.computed == computed
    assert disagreement.published == published
    assert disagreement.standard == standard
    assert deciders(disagreement) == expected
    assert disagreement.agrees == (not expected)
    assert disagreement.rules == tuple(rule for _, rule, _, _ in expected)


def facts_of(disagreement, rule: str) -> tuple[str, ...]:
    return next(d.facts for d in disagreement.deciders if d.rule == rule)


def test_a_study_levelled_by_verdict_is_explained_by_its_justification():
    shown = explain("3+", study("q", L2Q, found("y")))
    assert facts_of(shown, "rating-3.rigorous-positive-study") == (
        "no study reaches level 3",
        "the best: Author q is level 2 with a higher-quality design by the consensus "
        'verdict ("Verdict on q.")',
    )


def test_a_study_levelled_by_answers_is_explained_by_the_criteria_it_failed():
    answers = with_answers(
        {
            "sample.smallest-group": 18,
            "analysis.intention-to-treat": False,
            "measurement.child-outcome-suited": None,
            "sample.overall-attrition": 0.7,
        }
    )
    shown = explain("3", study("q", consensus(answers), found("y")))
    assert shown.computed == "2+"
    assert facts_of(shown, "rating-3.rigorous-positive-study")[1] == (
        "the best: Author q is level 2 with a higher-quality design because its answers fail "
        "sample.smallest-group (18, at least 20 needed), "
        "measurement.child-outcome-suited (not answered), "
        "analysis.intention-to-treat (answered no), "
        "level-3.group-equivalence (groups neither randomised with low attrition nor shown "
        "equivalent at baseline)"
    )


def test_studies_below_level_2_say_why_and_others_what_they_found():
    shown = explain(
        "2",
        study("below", BELOW, found("x")),
        study("unappraised", None, found("y")),
        study("answered", consensus(with_answers({"sample.size": 10})), found("z")),
        study(
            "flat", L2, null("w"), found("v", significant=None), found("u", direction="negative")
        ),
        study("empty", L2),
    )
    assert facts_of(shown, "rating-2.supporting-study") == (
        'Author below is below level 2 by the consensus verdict ("Verdict on below.")',
        "Author unappraised is below level 2 because it has no consensus appraisal",
        "Author answered is below level 2 because its answers fail "
        "sample.size (10, at least 20 needed)",
        "Author flat is level 2 but found no child outcome improved ('Outcome w': no "
        "significant improvement, 'Outcome v': significance not recorded, 'Outcome u': worse)",
        "Author empty is level 2 but found no child outcome improved (no child finding recorded)",
    )
    assert explain("3").deciders[0].facts == ("no study is recorded",)


def test_ne_and_nl2_name_what_each_rigorous_study_found():
    ne = explain("NL2", study("a", L3, null("x"), found("p", who="parent", significant=False)))
    assert facts_of(ne, "rating-ne.no-benefit") == (
        "Author a is level 3 and no finding improved ('Outcome x': no significant improvement, "
        "'Outcome p': no significant improvement)",
    )
    nl2 = explain(
        "NE",
        study("empty", L3),
        study("parents", L3, found("p", who="parent")),
        study("unknown", L3, found("x", significant=None)),
    )
    assert facts_of(nl2, "rating-ne.no-benefit") == (
        "Author empty is level 3 but records no finding",
        "Author parents is level 3 and 1 of its findings improved",
        "Author unknown is level 3 but 1 of its findings lack a recorded direction or significance",
    )
    assert facts_of(explain("NE", study("a", L2)), "rating-ne.no-benefit") == (
        "no study reaches level 3",
    )


def test_level_4_shortfalls_name_timing_reporters_and_the_other_studies():
    shown = explain(
        "4",
        study("a", L3, found("x", months=None, **SELF), found("x2", months=3, **SELF)),
        study("b", L2, found("y")),
        study("c", L3, found("z", who="parent")),
    )
    assert facts_of(shown, "rating-4.replicated") == (
        "rigorous positive studies: Author a (2 needed)",
        'Author b is level 2 by the consensus verdict ("Verdict on b.")',
        "Author c is level 3 but found no child outcome improved (no child finding recorded)",
    )
    assert facts_of(shown, "rating-4.long-term") == (
        "no rigorous positive study shows a child outcome improved 12 months or more after "
        "the programme ended",
        "Author a: 'Outcome x' with no time after the programme recorded, 'Outcome x2' at 3 months",
    )
    assert facts_of(shown, "rating-4.independent-measure") == (
        "every improvement in a rigorous positive study rests on the participants' own report "
        "or an unrecorded reporter",
        "Author a: 'Outcome x' (participant's own report), 'Outcome x2' (participant's own report)",
    )


def test_a_level_above_the_published_one_names_the_studies_meeting_its_rules():
    four = explain("3+", study("a", L3, found("x", **LONG)), study("b", L3, found("y")))
    assert facts_of(four, "rating-4.long-term") == ("Author a: 'Outcome x' at 12 months",)
    assert facts_of(four, "rating-4.independent-measure") == (
        "Author a: 'Outcome x' (independent observer)",
        "Author b: 'Outcome y' (independent observer)",
    )
    three = explain("2", study("a", consensus(level_3_answers()), found("x")))
    assert facts_of(three, "rating-3.rigorous-positive-study") == (
        "Author a is level 3 because its answers meet every level-3 criterion; it found "
        "'Outcome x' improved",
    )
    two = explain("NL2", study("a", L2, found("x")))
    assert facts_of(two, "rating-2.supporting-study") == (
        "Author a is level 2 and found 'Outcome x' improved",
    )


def test_the_plus_on_4_names_what_each_study_lacks_and_who_ran_it():
    shown = explain(
        "4+",
        study("a", L3, found("x", **LONG)),
        study("b", L3, found("y", **SELF)),
        study("c", L3, found("z", **LONG, **SELF)),
    )
    assert facts_of(shown, "rating-4.plus.studies-meeting-level-4") == (
        "studies meeting level 4 on their own: Author a (2 needed)",
        "Author b shows no lasting improvement and no independently measured improvement",
        "Author c shows no independently measured improvement",
    )
    assert facts_of(shown, "rating-4.plus.independent-evaluation") == (
        "Author a was not evaluated independently of the developer (recorded: independent no)",
    )
    none = explain("4+", study("a", L3, found("x", **LONG, **SELF)), study("b", L3, found("y")))
    assert facts_of(none, "rating-4.plus.studies-meeting-level-4")[0] == (
        "studies meeting level 4 on their own: none (2 needed)"
    )
    assert facts_of(none, "rating-4.plus.independent-evaluation") == (
        "no study meets level 4 on its own",
    )
    plus = explain(
        "4",
        study("a", L3, found("x", **LONG), independent=True),
        study("b", L3, found("y", **LONG)),
    )
    assert facts_of(plus, "rating-4.plus.independent-evaluation") == (
        "Author a was evaluated independently of the developer",
    )


def test_the_plus_on_3_without_a_second_study_says_so():
    shown = explain("3+", study("a", L3, found("x")))
    assert facts_of(shown, "rating-3.plus.other-supporting-study") == (
        "Author a is the only supporting study",
        "no other study is recorded",
    )


def test_the_asterisk_names_the_findings_on_each_side():
    mixed = explain(
        "2", study("a", L2, found("x")), study("r", L3, found("y"), null("z"), null("w"))
    )
    assert facts_of(mixed, MIXED_FINDINGS) == (
        "Author r (level 3): 1 child findings improved against 2 that did not ('Outcome z': "
        "no significant improvement, 'Outcome w': no significant improvement)",
    )
    balanced = explain("3*", study("a", L3, found("x"), found("v", significant=None)))
    assert facts_of(balanced, MIXED_FINDINGS) == (
        "Author a (level 3): 1 child findings improved against 0 that did not",
    )
    assert facts_of(
        explain("3*", study("a", L3, found("x")), standard="eif-2017"), MIXED_FINDINGS
    ) == ("eif-2017 has no mixed-findings rule",)


def test_a_decider_reads_as_a_sentence_and_as_data():
    shown = explain("3+", study("a", L3, found("x")))
    decider = shown.deciders[0]
    assert decider.text == (
        "Rule 'the plus on 3 needs a second supporting study' "
        "(rating-3.plus.other-supporting-study) not met: Author a is the only supporting "
        "study; no other study is recorded."
    )
    assert shown.text == decider.text
    assert shown.to_dict() == {
        "computed": "3",
        "published": "3+",
        "standard": "eif-2018",
        "agrees": False,
        "deciders": [
            {
                "part": "plus",
                "rule": "rating-3.plus.other-supporting-study",
                "title": RULE_TITLES["rating-3.plus.other-supporting-study"],
                "met": False,
                "studies": ["a"],
                "facts": list(decider.facts),
            }
        ],
    }
    met = Decider("level", "rating-2.supporting-study", True, (), ("x",))
    assert met.text.endswith("(rating-2.supporting-study) met: x.")


@pytest.mark.parametrize(
    ("value", "base", "plus", "asterisk", "rank"),
    [
        ("NL2", "NL2", False, False, 0),
        ("NE", "NE", False, False, 0),
        ("2", "2", False, False, 2),
        ("3+", "3", True, False, 3),
        ("4*", "4", False, True, 4),
        ("4+*", "4", True, True, 4),
    ],
)
def test_a_rating_splits_into_level_plus_and_asterisk(value, base, plus, asterisk, rank):
    parts = rating_parts(value)
    assert (parts.base, parts.plus, parts.asterisk, parts.level_rank) == (
        base,
        plus,
        asterisk,
        rank,
    )


def test_a_published_value_that_is_not_a_rating_is_refused():
    with pytest.raises(InvalidRecord) as error:
        explain("5", study("a", L3, found("x")))
    assert error.value.problems[0].found == "'5'"


def test_every_rule_a_difference_can_turn_on_has_a_title():
    rules = {rule for row in TABLE for _, rule, _, _ in row[5]}
    assert rules == set(RULE_TITLES)
