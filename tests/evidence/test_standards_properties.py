"""Properties of the rating rules, over generated programmes.

Ratings are compared with ``rating_rank``: NL2 < NE < 2 < 2+ < 3 < 3+ < 4 < 4+, the
asterisk not counting. NE ranks above NL2 because it rests on a rigorous study: more
evidence can turn NL2 into NE but never NE into NL2 (see the methodology page).
"""

from __future__ import annotations

import json
import random
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from guidebook.evidence.records import Appraisal, Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards import EIF_2017, EIF_2018, rating_rank
from guidebook.evidence.vocabulary import DIRECTIONS, REPORTERS
from tests.evidence.ipp import consensus, verdict, with_answers

findings = st.builds(
    Finding,
    key=st.sampled_from(["a", "b", "c"]),
    outcome=st.sampled_from(["Attachment security", "Behaviour", "Reading"]),
    category=st.sampled_from(["mental-health", "school-achievement"]),
    reporter=st.sampled_from(list(REPORTERS)),
    beneficiary=st.sampled_from(["child", "child", "parent", "family"]),
    months_after=st.none() | st.integers(min_value=0, max_value=36),
    direction=st.sampled_from(list(DIRECTIONS)),
    significant=st.booleans(),
)

answers = st.fixed_dictionaries(
    {
        "design.random-assignment": st.booleans(),
        "design.credible-comparison": st.booleans(),
        "sample.size": st.integers(min_value=0, max_value=60),
        "sample.analysed-fraction": st.floats(min_value=0.5, max_value=1.0),
        "sample.differential-attrition": st.floats(min_value=0.0, max_value=0.1),
        "sample.baseline-difference": st.none() | st.floats(min_value=0.0, max_value=0.4),
        "analysis.intention-to-treat": st.booleans(),
    }
).map(with_answers)

appraisals = st.one_of(
    st.none(),
    st.sampled_from(list(StudyLevel)).map(verdict),
    answers.map(consensus),
    answers.map(lambda a: Appraisal(reviewer="alice", answers=a)),
)


@st.composite
def studies(draw: st.DrawFn, key: str) -> Study:
    return Study(
        key=key,
        label=f"Study {key}",
        citation="c",
        design="rct",
        independent=draw(st.booleans()),
        findings=tuple(draw(st.lists(findings, max_size=4))),
        appraisal=draw(appraisals),
    )


@st.composite
def programmes(draw: st.DrawFn, max_studies: int = 5) -> Programme:
    count = draw(st.integers(min_value=0, max_value=max_studies))
    return Programme(
        slug="p", name="P", studies=tuple(draw(studies(f"s{i}")) for i in range(count))
    )


def with_studies(programme: Programme, studies: tuple[Study, ...]) -> Programme:
    return replace(programme, studies=studies)


@given(programmes(), studies("added"), st.integers(min_value=0, max_value=5))
def test_adding_a_study_never_lowers_a_rating(
    programme: Programme, added: Study, position: int
) -> None:
    before = EIF_2017.rate(programme).value
    grown = list(programme.studies)
    grown.insert(position, added)
    after = EIF_2017.rate(with_studies(programme, tuple(grown))).value
    assert rating_rank(after) >= rating_rank(before), (before, after)


def _rigorous_positive(study: Study) -> bool:
    programme = Programme(slug="p", name="P", studies=(study,))
    return EIF_2017.rate(programme).reason("rating-3.rigorous-positive-study").met


@given(
    st.lists(studies("other").filter(lambda s: not _rigorous_positive(s)), max_size=4),
    st.lists(findings, max_size=3),
    st.integers(min_value=0, max_value=4),
)
def test_removing_the_only_rigorous_study_drops_a_3_below_3(
    others: list[Study], extra_findings: list[Finding], position: int
) -> None:
    rigorous = Study(
        key="rigorous",
        label="Study R",
        citation="c",
        design="rct",
        findings=(
            Finding(
                key="win",
                outcome="Behaviour",
                category="mental-health",
                direction="positive",
                significant=True,
            ),
            *extra_findings,
        ),
        appraisal=verdict(StudyLevel.LEVEL_3),
    )
    kept = tuple(replace(study, key=f"o{i}") for i, study in enumerate(others))
    grown = list(kept)
    grown.insert(position, rigorous)
    programme = Programme(slug="p", name="P", studies=tuple(grown))
    assert EIF_2017.rate(programme).value in {"3", "3+"}
    assert rating_rank(EIF_2017.rate(with_studies(programme, kept)).value) < rating_rank("3")


@given(programmes(), st.randoms(use_true_random=False))
def test_the_order_of_studies_does_not_change_the_rating(
    programme: Programme, rng: random.Random
) -> None:
    shuffled = list(programme.studies)
    rng.shuffle(shuffled)
    assert EIF_2017.rate(with_studies(programme, tuple(shuffled))).value == (
        EIF_2017.rate(programme).value
    )


@given(programmes())
def test_eif_2018_only_adds_the_asterisk(programme: Programme) -> None:
    older, newer = EIF_2017.rate(programme), EIF_2018.rate(programme)
    assert newer.value.removesuffix("*") == older.value
    assert newer.asterisk == bool(newer.mixed_studies)
    assert not newer.asterisk or newer.level is not None
    assert json.loads(json.dumps(newer.to_dict())) == newer.to_dict()


@given(programmes())
def test_a_rating_evaluates_each_rule_once_per_study(programme: Programme) -> None:
    # StudyResult.reason searches from the last reason back, which is only the same
    # as the first match because no rule is recorded twice for one study.
    for result in (EIF_2017.rate(programme), EIF_2018.rate(programme)):
        for study in result.studies.values():
            rules = [reason.rule for reason in study.reasons]
            assert len(rules) == len(set(rules))
            assert all(
                study.reason(rule) is reason
                for rule, reason in zip(rules, study.reasons, strict=True)
            )
        programme_rules = [reason.rule for reason in result.reasons]
        assert len(programme_rules) == len(set(programme_rules))
