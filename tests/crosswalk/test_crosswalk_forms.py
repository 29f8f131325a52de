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


FINDING = {
    "outcome": "Better parenting",
    "category": "mental-health",
    "beneficiary": "parent",
    "measure": "PSI",
    "reporter": "participant",
    "direction": "positive",
    "significant": "true",
}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, ({}, None, None)),
        (
            {
                "psc_domain": "adult-well-being",
                "blueprints_outcome": " Positive parenting ",
                "harmful": "false",
                "months_after_treatment_end": "6",
            },
            ({"psc": "adult-well-being", "blueprints": "Positive parenting"}, False, 6),
        ),
    ],
)
def test_a_finding_is_entered_with_its_crosswalk_facts_once(ipp, answers, expected):
    from guidebook.catalogue.convert import programmes_with_records, to_record
    from guidebook.editorial.forms.search import FindingForm

    study = ipp.studies.get(key="study-1")
    form = FindingForm(data={**FINDING, **answers}, study=study)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.domains, saved.harmful, saved.months_after_treatment_end) == expected
    record = to_record(programmes_with_records().get(pk=ipp.pk))
    found = next(f for s in record.studies for f in s.findings if f.key == saved.key)
    assert (found.domains, found.harmful) == expected[:2]
