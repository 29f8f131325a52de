"""Each programme's evidence as FHIR R5: valid to fhir.resources, complete, reproducible."""

import json

import pytest
from fhir.resources import get_fhir_model_class
from fhir.resources.bundle import Bundle

from guidebook.catalogue.models import Snapshot
from guidebook.interchange.fhir import FHIR_VERSION, evidence_bundle, evidence_bundle_json
from guidebook.interchange.fhir.evidence_bundle import ProgrammeEvidence
from tests.catalogue.map_catalogue import (
    AWAITING_SLUG,
    demo_data,
    publish_map_catalogue,
    store_and_publish,
)

pytestmark = pytest.mark.django_db

SITE = "https://guidebook.example"
STATUSES = {"draft", "active", "retired", "unknown"}


def bundle_of(slug):
    snapshot = Snapshot.objects.get(slug=slug, is_current=True)
    programme = ProgrammeEvidence(slug, snapshot.record, snapshot.assessment, "2026-03-02", SITE)
    return evidence_bundle(programme), programme


def resources(bundle, kind=None):
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def references_in(node):
    if isinstance(node, dict):
        if "reference" in node:
            yield node["reference"]
        for value in node.values():
            yield from references_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from references_in(value)


@pytest.fixture
def catalogue():
    slugs = publish_map_catalogue()
    store_and_publish(demo_data("paths-elementary-curriculum"))
    return [*slugs, "paths-elementary-curriculum"]


def test_every_bundle_and_resource_validates_as_fhir_r5(catalogue):
    assert FHIR_VERSION == "5.0.0"
    for slug in catalogue:
        bundle, _ = bundle_of(slug)
        Bundle.model_validate(bundle)
        for resource in resources(bundle):
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            if "status" in resource:
                assert resource["status"] in STATUSES, (slug, resource["resourceType"])


def test_every_reference_points_at_a_resource_in_the_bundle(catalogue):
    for slug in catalogue:
        bundle, _ = bundle_of(slug)
        full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
        references = list(references_in(bundle))
        assert references and set(references) <= full_urls, slug
        assert len(full_urls) == len(bundle["entry"])


def test_studies_become_citations_with_their_bibliographic_data(catalogue):
    bundle, _ = bundle_of("paths-elementary-curriculum")
    citations = resources(bundle, "Citation")
    crean = next(
        c
        for c in citations
        if c["citedArtifact"].get("identifier", [{}])[0].get("value") == "10.1007/s10464-013-9576-4"
    )
    cited = crean["citedArtifact"]
    assert cited["identifier"] == [
        {"system": "https://doi.org", "value": "10.1007/s10464-013-9576-4"}
    ]
    assert cited["publicationForm"][0]["publishedIn"] == {
        "title": "American Journal of Community Psychology"
    }
    assert (
        cited["publicationForm"][0]["firstPage"] == "56"
        and cited["publicationForm"][0]["lastPage"] == "72"
    )
    assert [e["contributor"]["display"] for e in cited["contributorship"]["entry"]] == [
        "Crean HF",
        "Johnson DB",
    ]


def test_findings_become_evidence_with_the_effect_and_its_interval(catalogue):
    bundle, programme = bundle_of("paths-elementary-curriculum")
    effects = {(e["study"], e["finding"]): e for e in programme.assessment["effects"]["findings"]}
    with_statistics = [
        e
        for e in resources(bundle, "Evidence")
        if "statistic" in e and e["statistic"][0].get("quantity")
    ]
    assert with_statistics
    evidence = with_statistics[0]
    statistic = evidence["statistic"][0]
    assert statistic["statisticType"]["coding"][0]["code"] == "0000100"
    effect = next(e for e in effects.values() if round(e["g"], 6) == statistic["quantity"]["value"])
    interval = statistic["attributeEstimate"][0]
    assert interval["level"] == effect["level"]
    assert interval["range"]["low"]["value"] == round(effect["ci_low"], 6)
    roles = [d["variableRole"]["coding"][0]["code"] for d in evidence["variableDefinition"]]
    assert roles == ["exposure", "measuredVariable"]
    assert (
        evidence["certainty"][0]["rating"]["coding"][0]["system"] == f"{SITE}/standards/eif-2018/"
    )


def test_the_rating_is_an_artifact_assessment_with_every_reason(catalogue):
    bundle, programme = bundle_of("infant-parent-psychotherapy")
    rating = next(
        a
        for a in resources(bundle, "ArtifactAssessment")
        if a["title"].startswith("Evidence rating")
    )
    content = rating["content"][0]
    assert content["informationType"] == "rating"
    assert content["classifier"][0]["coding"][0]["code"] == "3+"
    assert content["type"]["coding"][0] == {
        "system": f"{SITE}/standards/",
        "code": "eif-2018",
        "display": programme.assessment["standard"]["title"],
        "version": "1.0",
    }
    assert len(content["component"]) == len(programme.assessment["reasons"])
    assert {c["type"]["coding"][0]["code"] for c in content["component"]} == {
        r["rule"] for r in programme.assessment["reasons"]
    }
    # IPP carries the published rating too, recorded for comparison.
    assert rating["content"][1]["classifier"][0]["text"] == "Evidence rating 3+ (imported)"
    body = next(e for e in resources(bundle, "Evidence") if e["title"].startswith("Evidence for"))
    assert rating["artifactReference"]["reference"] == f"urn:uuid:{body['id']}"
    studies = [
        a for a in resources(bundle, "ArtifactAssessment") if a["title"].startswith("Level of")
    ]
    assert len(studies) == len(programme.assessment["study_levels"])


def test_an_imported_rating_shown_says_so(catalogue):
    bundle, _ = bundle_of(AWAITING_SLUG)
    rating = next(
        a
        for a in resources(bundle, "ArtifactAssessment")
        if a["title"].startswith("Evidence rating")
    )
    assert "shown because the studies are not yet appraised here" in rating["content"][1]["summary"]


def test_the_same_evidence_gives_the_same_bytes(catalogue):
    snapshot = Snapshot.objects.get(slug="paths-elementary-curriculum", is_current=True)
    programme = ProgrammeEvidence(
        snapshot.slug, snapshot.record, snapshot.assessment, "2026-03-02", SITE
    )
    text = evidence_bundle_json(programme)
    assert text == evidence_bundle_json(programme)
    assert json.loads(text)["type"] == "collection"
    assert text.endswith("}\n")


@pytest.mark.parametrize(
    ("metric", "code", "text"),
    [
        ("hedges-g", "0000100", "Standardized Mean Difference"),
        ("smd", "0000100", "Standardized Mean Difference"),
        ("cox-index", "0000100", "Standardized Mean Difference"),
        ("log-odds-ratio", None, "log odds ratio"),
        ("log-risk-ratio", None, "log risk ratio"),
    ],
)
def test_only_effects_on_the_smd_scale_take_hl7s_code(metric, code, text):
    from guidebook.interchange.fhir.evidence_bundle import _statistic_type

    concept = _statistic_type(metric)
    assert concept["text"] == text
    assert (concept["coding"][0]["code"] if "coding" in concept else None) == code
