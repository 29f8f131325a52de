"""The small facts a programme page states, each true to the record it reads.

One row per slip once seen on a page: "Sample: Not reported" with the size entered,
"Other outcomes: None recorded" beside a parent finding, "UK evaluation: Not known"
beside a UK trial, and a review named with its month twice.
"""

from dataclasses import replace
from datetime import date

import pytest

from guidebook.evidence.records import Characteristics, Finding, Programme, Review, Study
from guidebook.public.presenters import (
    linked_outcomes,
    other_outcomes,
    review_line,
    study_sample,
    uk_evaluation,
)

STUDY = Study(key="study-1", label="Study 1", citation="Okafor (2019)", design="rct")
PARENT = Finding(key="p", outcome="Less parenting stress", category="x", beneficiary="parent")
CHILD = Finding(key="c", outcome="Fewer tantrums", category="x", beneficiary="child")


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        (
            {"sample": "Mothers of infants (100 in all)", "sample_size": 100},
            "Mothers of infants (100 in all)",
        ),
        ({"sample_size": 180}, "180 participants"),
        ({"sample_size": 1200}, "1,200 participants"),
        ({}, ""),
    ],
)
def test_the_sample_is_the_description_or_else_the_number_enrolled(changes, shown):
    assert study_sample(replace(STUDY, **changes)) == shown


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"findings": (CHILD,)}, []),
        ({"findings": (CHILD, PARENT)}, ["Less parenting stress"]),
        (
            {"other_outcomes": ("Less parenting stress",), "findings": (PARENT,)},
            ["Less parenting stress"],
        ),
        (
            {"other_outcomes": ("Better sleep",), "findings": (PARENT,)},
            ["Better sleep", "Less parenting stress"],
        ),
    ],
)
def test_other_outcomes_include_the_findings_about_parents(changes, shown):
    assert other_outcomes(replace(STUDY, **changes)) == shown


@pytest.mark.parametrize(
    ("recorded", "countries", "uk_studies"),
    [
        (None, ("United Kingdom",), ["Study 1"]),
        (None, ("England",), ["Study 1"]),
        (None, ("United States",), []),
        (False, ("United States",), []),
        (True, ("UK",), ["Study 1"]),
    ],
)
def test_a_uk_trial_is_named_when_uk_evaluation_is_not_recorded(recorded, countries, uk_studies):
    programme = Programme(
        slug="p",
        name="P",
        characteristics=Characteristics(uk_evaluation=recorded),
        studies=tuple(replace(STUDY, country=country) for country in countries),
    )
    assert uk_evaluation(programme) == {"recorded": recorded, "uk_studies": uk_studies}


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("Foundations for Life", "Foundations for Life, July 2016"),
        ("Guidebook assessment, July 2016", "Guidebook assessment, July 2016"),
    ],
)
def test_a_review_names_its_month_once(name, line):
    assert review_line(Review(name=name, date=date(2016, 7, 4))) == line


def test_outcomes_link_each_supporting_study_to_its_section():
    programme = Programme(
        slug="p", name="P", studies=(STUDY, replace(STUDY, key="ipp-2", label="Study 2"))
    )
    groups = [
        {
            "label": "Behaviour",
            "outcomes": [{"outcome": "Fewer tantrums", "studies": ["Study 1", "Study 2"]}],
        }
    ]
    [group] = linked_outcomes(groups, programme)
    assert group["outcomes"][0]["studies"] == [
        {"label": "Study 1", "anchor": "study-1"},
        {"label": "Study 2", "anchor": "study-ipp-2"},
    ]
