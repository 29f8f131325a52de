"""The evidence search log, screening of the studies found, and findings per study."""

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Finding, Study
from guidebook.editorial.models import EvidenceSearch, Screening, State, Submission


@pytest.fixture
def searching(client, personas, make_round):
    assessment = make_round(State.EVIDENCE_SEARCH)
    client.force_login(personas["assessor"])
    return assessment


def test_it_logs_a_search_with_its_source_dates_and_count(client, personas, searching):
    url = reverse("editorial:add_search", args=[searching.pk])
    data = {
        "source": "PsycINFO",
        "terms": "parenting AND toddler",
        "searched_on": "2024-03-01",
        "results": "37",
    }
    assert client.post(url, data).status_code == 302
    search = EvidenceSearch.objects.get()
    assert (search.source, str(search.searched_on), search.results, search.by) == (
        "PsycINFO",
        "2024-03-01",
        37,
        personas["assessor"],
    )
    page = client.get(reverse("editorial:evidence_search", args=[searching.pk])).content.decode()
    assert "PsycINFO" in page and "parenting AND toddler" in page


def test_a_search_without_a_date_is_refused_on_that_field(client, searching):
    url = reverse("editorial:add_search", args=[searching.pk])
    response = client.post(url, {"source": "ERIC", "results": "3"})
    assert response.status_code == 400
    assert "searched_on" in response.context["search_form"].errors
    assert not EvidenceSearch.objects.exists()


def test_an_included_study_becomes_a_study_of_the_programme(client, searching):
    search = EvidenceSearch.objects.create(
        assessment=searching, source="ERIC", searched_on="2024-03-01", results=3
    )
    url = reverse("editorial:add_screening", args=[searching.pk])
    data = {
        "search": search.pk,
        "citation": "Nguyen et al (2022)",
        "decision": "include",
        "reason": "RCT of the programme as manualised",
        "design": "rct",
        "country": "England",
        "sample_size": "180",
        "independent": "on",
    }
    assert client.post(url, data).status_code == 302
    screening = Screening.objects.get()
    study = screening.study
    assert (study.key, study.label, study.position) == ("study-2", "Study 2", 2)
    assert (study.design, study.country, study.sample_size, study.independent) == (
        "rct",
        "England",
        180,
        True,
    )
    assert screening.search == search


def test_an_excluded_study_keeps_its_reason_and_adds_no_study(client, searching):
    url = reverse("editorial:add_screening", args=[searching.pk])
    data = {"citation": "Blog post (2020)", "decision": "exclude", "reason": "Not an evaluation"}
    assert client.post(url, data).status_code == 302
    assert Screening.objects.get().reason == "Not an evaluation"
    assert Study.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"decision": ""}, "decision"),
        ({"design": ""}, "design"),  # an included study needs its design
    ],
)
def test_a_screening_decision_missing_something_names_it(client, searching, changes, field):
    url = reverse("editorial:add_screening", args=[searching.pk])
    data = {"citation": "Nguyen (2022)", "decision": "include", "reason": "RCT", "design": "rct"}
    response = client.post(url, {**data, **changes})
    assert response.status_code == 400
    assert field in response.context["screening_form"].errors
    assert not Screening.objects.exists()


def test_the_search_log_is_closed_once_appraisal_has_started(client, searching):
    searching.state = State.APPRAISAL
    searching.save()
    url = reverse("editorial:add_search", args=[searching.pk])
    data = {"source": "ERIC", "searched_on": "2024-03-01", "results": "3"}
    assert client.post(url, data).status_code == 409
    assert not EvidenceSearch.objects.exists()


def test_the_evaluations_the_provider_listed_are_shown_to_the_assessor(client, personas, searching):
    submission = Submission.objects.create(
        provider=personas["provider"],
        answers={"evaluations": "Patel et al (2021) | https://doi.org/10.1000/bb1"},
    )
    searching.submission = submission
    searching.save()
    page = client.get(reverse("editorial:evidence_search", args=[searching.pk])).content.decode()
    assert "Patel et al (2021)" in page and "https://doi.org/10.1000/bb1" in page


def test_a_finding_is_entered_with_its_statistics(client, searching):
    study = searching.programme.studies.get()
    url = reverse("editorial:add_finding", args=[searching.pk, study.pk])
    data = {
        "outcome": "Fewer behaviour problems",
        "category": "mental-health",
        "beneficiary": "child",
        "measure": "CBCL",
        "reporter": "observer",
        "months_after": "12",
        "direction": "positive",
        "significant": "true",
        "statistics_kind": "p",
        "p__p": "0.01",
        "p__n_treatment": "90",
        "p__n_comparison": "88",
        "p__favours_treatment": "yes",
    }
    assert client.post(url, data).status_code == 302
    finding = study.findings.get(measure="CBCL")
    assert (finding.key, finding.position, finding.months_after) == (
        "fewer-behaviour-problems",
        2,
        12,
    )
    assert finding.statistics == {
        "type": "p",
        "p": 0.01,
        "n_treatment": 90,
        "n_comparison": 88,
        "favours_treatment": True,
    }
    assert Finding.objects.count() == 2


def test_findings_statistics_that_break_the_format_name_the_field(client, searching):
    study = searching.programme.studies.get()
    url = reverse("editorial:add_finding", args=[searching.pk, study.pk])
    data = {
        "outcome": "Better sleep",
        "category": "mental-health",
        "beneficiary": "child",
        "reporter": "participant",
        "direction": "positive",
        "statistics_kind": "p",
        "p__p": "3",
        "p__n_treatment": "90",
        "p__n_comparison": "88",
        "p__favours_treatment": "yes",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["p__p"] == ["expected a number from 0 to 1, found '3'."]
    assert Finding.objects.count() == 1
