"""A fact the EIF appraisal already asks (attrition, baseline difference and adjustment)
is answered once: a study's conduct facts take the consensus appraisal's answer where
they do not record it themselves, and each standard reads it from there."""

from dataclasses import replace

import pytest

from guidebook.evidence.crosswalk.facts import conduct
from guidebook.evidence.crosswalk.psc import contrast_rating
from guidebook.evidence.records import Appraisal

from .builders import study

UNRECORDED = {
    "overall_attrition": None,
    "differential_attrition": None,
    "baseline_difference": None,
    "baseline_adjusted": None,
}
ANSWERS = {
    "sample.overall-attrition": 0.1,
    "sample.differential-attrition": 0.02,
    "sample.baseline-difference": 0.03,
    "analysis.baseline-adjusted": True,
}


def appraised(answers, consensus=True, **recorded):
    """A study whose four shared facts are unrecorded unless ``recorded`` gives them."""
    bare = study(**{**UNRECORDED, **recorded})
    return replace(bare, appraisal=Appraisal("consensus", answers, consensus=consensus))


@pytest.mark.parametrize(
    ("case", "subject", "expected"),
    [
        (
            "the consensus answers fill what conduct leaves unrecorded",
            appraised(ANSWERS),
            (0.1, 0.02, 0.03, True),
        ),
        (
            "a fact recorded in conduct wins over the answer",
            appraised(ANSWERS, overall_attrition=0.4, baseline_adjusted=False),
            (0.4, 0.02, 0.03, False),
        ),
        (
            "a question the consensus left unanswered stays unknown",
            appraised({"sample.overall-attrition": 0.1}),
            (0.1, None, None, None),
        ),
        (
            "one reviewer's answers are not the consensus and are not read",
            appraised(ANSWERS, consensus=False),
            (None, None, None, None),
        ),
        ("a study without an appraisal keeps its own facts", study(), (0.10, 0.02, 0.03, True)),
    ],
)
def test_shared_facts_are_read_from_the_consensus_appraisal(case, subject, expected):
    read = conduct(subject)
    found = (
        read.overall_attrition,
        read.differential_attrition,
        read.baseline_difference,
        read.baseline_adjusted,
    )
    assert found == expected, case


def test_the_psc_contrast_rating_uses_the_appraisal_answers():
    assert contrast_rating(appraised({}))[0] is None
    assert contrast_rating(appraised(ANSWERS)) == ("high", ())


@pytest.mark.parametrize(
    ("independent", "recorded", "expected"),
    [
        (True, None, True),
        (False, None, None),
        (True, False, False),
        (False, True, True),
    ],
    ids=[
        "the study's independence flag answers it",
        "an unset flag may mean unknown: still unknown",
        "a recorded answer wins over the flag",
        "a recorded answer stands without the flag",
    ],
)
def test_evaluator_independence_is_read_from_the_study_flag_only_when_set(
    independent, recorded, expected
):
    subject = replace(study(developer_independent=recorded), independent=independent)
    assert conduct(subject).developer_independent is expected
