"""The record-format additions survive storage unchanged (run on SQLite and PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from guidebook.catalogue import models
from guidebook.catalogue.convert import programmes_with_records, save_record, to_record
from guidebook.evidence.record_json import programme_from_dict, programme_to_dict

PROVENANCE = {
    "sources": ["https://example.org/papers/ipp-1991"],
    "retrieved": "2025-03-14",
    "appraised_by": "Guidebook evidence team",
    "note": "",
}


@pytest.fixture
def full_record(ipp_data):
    study = ipp_data["studies"][0]
    study["provenance"] = PROVENANCE
    study["publications"][0].update(
        authors=["Lieberman AF", "Weston DR", "Pawl JH"],
        year=1991,
        title="Preventive intervention and outcome with anxiously attached dyads",
        journal="Child Development",
        volume="62",
        issue="1",
        pages="199-209",
        doi="10.1111/j.1467-8624.1991.tb01525.x",
        pmid="2022135",
    )
    study["findings"][0]["provenance"] = {**PROVENANCE, "note": "Table 2."}
    study["findings"][0]["statistics"] = {
        "type": "effect",
        "effect_size": 0.55,
        "metric": "log-odds-ratio",
        "ci_lower": 0.05,
        "ci_upper": 1.05,
    }
    study["findings"][1]["direction"] = None
    study["findings"][1]["significant"] = None
    return programme_from_dict(ipp_data)


def test_references_provenance_effects_and_unrecorded_verdicts_read_back_unchanged(db, full_record):
    save_record(full_record)
    again = to_record(programmes_with_records().get(slug=full_record.slug))
    assert again == full_record
    assert programme_to_dict(again) == programme_to_dict(full_record)
    finding = models.Finding.objects.get(
        study__key="study-1", key=full_record.studies[0].findings[1].key
    )
    assert (finding.direction, finding.significant) == (None, None)


def test_model_validation_names_a_bad_provenance_field(db, full_record):
    save_record(full_record)
    study = models.Study.objects.get(key="study-1")
    study.provenance = {**PROVENANCE, "sources": ["not a url"]}
    with pytest.raises(ValidationError) as caught:
        study.clean()
    assert (
        "provenance.sources[0]' expected an http:// or https:// web address"
        in caught.value.message_dict["provenance"][0]
    )
    finding = study.findings.first()
    finding.provenance = {**PROVENANCE, "retrieved": "yesterday"}
    finding.statistics = {"type": "effect", "effect_size": 0.2}
    with pytest.raises(ValidationError) as caught:
        finding.clean()
    assert set(caught.value.message_dict) == {"provenance", "statistics"}
    study.provenance = None
    study.clean()
