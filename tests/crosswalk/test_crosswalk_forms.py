"""The provider questionnaire asks the programme's crosswalk facts once; "Not known"
stays unknown in the record, never a no."""

import pytest

from guidebook.editorial.forms.questionnaire import QuestionnaireForm, build_record

BASE = {"name": "Crosswalk Demo", "summary": "A programme for the crosswalk tests."}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, (None, None, None)),
        (
            {"manual": "yes", "dissemination_ready": "no", "psc_area": "kinship-navigator"},
            (True, False, "kinship-navigator"),
        ),
    ],
)
def test_questionnaire_readiness_answers_reach_the_record(db, answers, expected):
    form = QuestionnaireForm(data={**BASE, **answers})
    assert form.is_valid(), form.errors
    readiness = build_record(form.cleaned_data).readiness
    assert (readiness.manual, readiness.dissemination_ready, readiness.psc_area) == expected


def test_an_unknown_psc_area_is_refused_on_its_field(db):
    form = QuestionnaireForm(data={**BASE, "psc_area": "education"})
    assert not form.is_valid()
    assert "psc_area" in form.errors
