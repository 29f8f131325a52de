"""Staff enter the facts other clearinghouses' rules read (how a study was run, a
finding's domains and harm, the programme's readiness) through the web: saving stores
them and moves the crosswalk result; bad answers are refused on their field, naming
what was expected and what was found, by the same gate an imported file goes through."""

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Appraisal
from guidebook.editorial.models import State
from guidebook.editorial.views.preview import crosswalk_preview

from .conftest import LEVEL_3_ANSWERS, small_record

CONDUCT = {
    "conduct-usual_care": "yes",
    "conduct-sample": "okafor-trial",
    "conduct-comparison": "usual-care",
    "conduct-randomisation_compromised": "no",
    "conduct-overall_attrition": "0.1",
    "conduct-differential_attrition": "0.02",
    "conduct-baseline_difference": "0.03",
    "conduct-baseline_adjusted": "yes",
    "conduct-confounded": "no",
    "conduct-developer_independent": "no",
}
FINDING_FACTS = {
    "psc_domain": "child-well-being",
    "blueprints_outcome": "Conduct problems",
    "harmful": "no",
    "months_after_treatment_end": "12",
}
READINESS = {"manual": "yes", "dissemination_ready": "yes", "psc_area": "mental-health"}


@pytest.fixture
def entering(client, personas, make_round):
    """An open round on a one-RCT programme with a logic model, the assessor signed in."""
    record = small_record(theory_of_change=("Parents practise", "Children behave better"))
    assessment = make_round(State.APPRAISAL, record=record)
    client.force_login(personas["assessor"])
    return assessment


def urls(assessment):
    study = assessment.programme.studies.get()
    finding = study.findings.get()
    return {
        "study": reverse("editorial:study_detail", args=[assessment.pk, study.pk]),
        "conduct": reverse("editorial:study_conduct", args=[assessment.pk, study.pk]),
        "finding": reverse("editorial:finding_facts", args=[assessment.pk, study.pk, finding.pk]),
        "readiness": reverse("editorial:programme_readiness", args=[assessment.pk]),
    }


def shown(assessment):
    return {row["key"]: row["shown"] for row in crosswalk_preview(assessment.programme)}


def test_saving_the_three_forms_stores_the_facts_and_rates_the_programme(client, entering):
    to = urls(entering)
    before = shown(entering)
    assert before["psc-1.0"].startswith("Cannot be rated: needs ")
    assert before["blueprints"].startswith("Cannot be rated: needs ")

    for name, data in (("conduct", CONDUCT), ("finding", FINDING_FACTS), ("readiness", READINESS)):
        response = client.post(to[name], data)
        assert response.status_code == 302, response.content.decode()[:2000]

    study = entering.programme.studies.get()
    assert study.conduct == {
        "usual_care": True,
        "sample": "okafor-trial",
        "comparison": "usual-care",
        "randomisation_compromised": False,
        "overall_attrition": 0.1,
        "differential_attrition": 0.02,
        "baseline_difference": 0.03,
        "baseline_adjusted": True,
        "confounded": False,
        "developer_independent": False,
    }
    finding = study.findings.get()
    assert (finding.domains, finding.harmful, finding.months_after_treatment_end) == (
        {"psc": "child-well-being", "blueprints": "Conduct problems"},
        False,
        12,
    )
    programme = entering.programme
    programme.refresh_from_db()
    assert (programme.manual, programme.dissemination_ready, programme.psc_area) == (
        True,
        True,
        "mental-health",
    )
    # One usual-care RCT with an effect 12 months after treatment: Supported, not
    # Well-supported (that needs a second sample); one RCT: Blueprints Promising.
    assert shown(entering) == {"psc-1.0": "Supported", "blueprints": "Promising"}
    page = client.get(to["readiness"]).content.decode()
    assert "Supported" in page and "Promising" in page


def test_not_known_is_stored_as_not_recorded_and_the_standard_says_what_it_needs(client, entering):
    to = urls(entering)
    client.post(to["conduct"], {**CONDUCT, "conduct-usual_care": "", "conduct-sample": "  "})
    client.post(to["finding"], FINDING_FACTS)
    client.post(to["readiness"], READINESS)
    study = entering.programme.studies.get()
    assert (study.conduct["usual_care"], study.conduct["sample"]) == (None, None)
    # Promising needs no setting; Supported waits on the unrecorded usual-care setting.
    assert shown(entering)["psc-1.0"] == "Cannot be rated: needs usual care setting (study-1)"


def test_the_consensus_appraisal_answers_the_shared_questions_once(client, entering):
    to = urls(entering)
    study = entering.programme.studies.get()
    Appraisal.objects.create(
        study=study, reviewer="consensus", consensus=True, answers=LEVEL_3_ANSWERS
    )
    unanswered = {
        "conduct-overall_attrition": "",
        "conduct-differential_attrition": "",
        "conduct-baseline_difference": "",
        "conduct-baseline_adjusted": "",
    }
    page = client.get(to["study"]).content.decode()
    assert "Consensus appraisal: 0.1." in page
    assert client.post(to["conduct"], {**CONDUCT, **unanswered}).status_code == 302
    client.post(to["finding"], FINDING_FACTS)
    client.post(to["readiness"], READINESS)
    study.refresh_from_db()
    assert study.conduct["overall_attrition"] is None
    assert shown(entering)["psc-1.0"] == "Supported"


@pytest.mark.parametrize(
    ("form", "data", "field", "message"),
    [
        (
            "conduct",
            {"conduct-overall_attrition": "1.5"},
            "overall_attrition",
            "Field 'overall_attrition': expected a number <= 1, found 1.5.",
        ),
        (
            "conduct",
            {"conduct-baseline_difference": "a lot"},
            "baseline_difference",
            "Expected a number, found 'a lot'.",
        ),
        (
            "conduct",
            {"conduct-differential_attrition": "nan"},
            "differential_attrition",
            "Expected a finite number, found 'nan'.",
        ),
        (
            "conduct",
            {"conduct-comparison": "sham"},
            "comparison",
            "Expected one of 'none', 'wait-list', 'usual-care', 'placebo', 'active' or "
            "empty, found 'sham'.",
        ),
        (
            "conduct",
            {"conduct-sample": "x" * 201},
            "sample",
            "Field 'sample': expected a text of at most 200 characters, found 201 characters.",
        ),
        (
            "finding",
            {"blueprints_outcome": "x" * 201},
            "blueprints_outcome",
            "Field 'domains.blueprints': expected a text of at most 200 characters, "
            "found 201 characters.",
        ),
        (
            "finding",
            {"months_after_treatment_end": "-3"},
            "months_after_treatment_end",
            "Field 'months_after_treatment_end': expected a number >= 0, found -3.0.",
        ),
        (
            "readiness",
            {"psc_area": "education"},
            "psc_area",
            "Expected one of 'mental-health', 'substance-use', 'in-home-parent-skill', "
            "'kinship-navigator' or empty, found 'education'.",
        ),
    ],
)
def test_a_bad_answer_is_refused_on_its_field_naming_expected_and_found(
    client, entering, form, data, field, message
):
    to = urls(entering)
    before = entering.programme.studies.get().conduct
    defaults = {"conduct": CONDUCT, "finding": FINDING_FACTS, "readiness": READINESS}[form]
    response = client.post(to[form], {**defaults, **data})
    assert response.status_code == 400
    posted = response.context["conduct_form" if form == "conduct" else "form"]
    assert posted.errors[field] == [message]
    assert entering.programme.studies.get().conduct == before


def test_a_published_round_refuses_changes(client, personas, make_round):
    assessment = make_round(State.PUBLISHED)
    client.force_login(personas["assessor"])
    before = assessment.programme.studies.get().conduct
    response = client.post(urls(assessment)["conduct"], CONDUCT)
    assert response.status_code == 409
    assert assessment.programme.studies.get().conduct == before
