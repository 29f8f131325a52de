"""Staff enter findings with a published effect and their provenance, and see both,
with every unrecorded direction or significance said to be unrecorded."""

import re
from html import unescape

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Publication
from guidebook.editorial.models import State


@pytest.fixture
def searching(client, personas, make_round):
    assessment = make_round(State.EVIDENCE_SEARCH)
    client.force_login(personas["assessor"])
    return assessment


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


FINDING = {
    "outcome": "Fewer behaviour problems",
    "category": "mental-health",
    "beneficiary": "child",
    "reporter": "observer",
    "direction": "",
    "significant": "",
    "statistics_kind": "effect",
    "effect__effect_size": "0.42",
    "effect__ci_lower": "0.1",
    "effect__ci_upper": "0.74",
    "sources": "https://example.org/paper\nhttps://example.org/table",
    "retrieved": "2025-03-14",
}


def test_a_finding_keeps_its_published_effect_and_who_read_it_where(client, searching):
    study = searching.programme.studies.get()
    response = client.post(reverse("editorial:add_finding", args=[searching.pk, study.pk]), FINDING)
    assert response.status_code == 302
    finding = study.findings.get(key="fewer-behaviour-problems")
    assert (finding.direction, finding.significant) == (None, None)
    assert finding.statistics["type"] == "effect"
    assert finding.provenance == {
        "sources": ["https://example.org/paper", "https://example.org/table"],
        "retrieved": "2025-03-14",
        "appraised_by": "assessor",
        "note": "",
    }
    page = text_of(
        client.get(
            reverse("editorial:study_detail", args=[searching.pk, study.pk])
        ).content.decode()
    )
    assert (
        "Read from https://example.org/paper , https://example.org/table on 2025-03-14; "
        "appraised by assessor." in page
    )
    assert "Not recorded Not recorded" in page


def test_a_finding_without_sources_has_no_provenance_and_a_bad_address_is_refused(
    client, searching
):
    study = searching.programme.studies.get()
    url = reverse("editorial:add_finding", args=[searching.pk, study.pk])
    response = client.post(url, {**FINDING, "sources": "example.org/paper"})
    assert response.status_code == 400
    assert response.context["form"].errors["sources"] == [
        "provenance.sources[0]: expected an http:// or https:// web address with a domain name or IPv4 address, "
        "found 'example.org/paper'."
    ]
    response = client.post(
        url, {**FINDING, "sources": "", "direction": "positive", "significant": "false"}
    )
    assert response.status_code == 302
    finding = study.findings.get(key="fewer-behaviour-problems")
    assert (finding.provenance, finding.direction, finding.significant) == (None, "positive", False)


def test_the_staff_study_page_shows_the_full_reference_and_the_study_provenance(
    client, personas, searching
):
    study = searching.programme.studies.get()
    study.provenance = {
        "sources": ["https://example.org/okafor-2019"],
        "retrieved": "2025-02-01",
        "appraised_by": "Guidebook evidence team",
        "note": "",
    }
    study.save()
    Publication.objects.create(
        study=study,
        citation="Okafor et al (2019)",
        authors=["Okafor N", "Lee J"],
        year=2019,
        title="A trial of a parenting course",
        journal="Journal of Trials",
        volume="4",
        pages="1-9",
        doi="10.1000/jt.2019.1",
    )
    html = client.get(
        reverse("editorial:study_detail", args=[searching.pk, study.pk])
    ).content.decode()
    assert 'href="https://doi.org/10.1000/jt.2019.1"' in html
    assert (
        "Okafor N and Lee J (2019). A trial of a parenting course . Journal of Trials, 4, 1-9."
        in text_of(html)
    )
    assert "appraised by Guidebook evidence team" in text_of(html)
    client.force_login(personas["reviewer"])
    appraise = client.get(reverse("editorial:appraise_study", args=[searching.pk, study.pk]))
    assert "https://example.org/okafor-2019" in appraise.content.decode()
