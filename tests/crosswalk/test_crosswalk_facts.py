"""The crosswalk facts (study conduct, finding domains and harm, programme readiness)
are optional in the record format, read and written without loss, refused with a clear
message when malformed, and survive storage (run on SQLite and PostgreSQL)."""

import pytest

from guidebook.catalogue.convert import programmes_with_records, save_record, to_record
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.record_json import programme_from_dict, programme_to_dict
from guidebook.evidence.records import Readiness, StudyConduct

CONDUCT = {
    "usual_care": True,
    "sample": "ipp-trial-1",
    "comparison": "usual-care",
    "randomisation_compromised": False,
    "overall_attrition": 0.18,
    "differential_attrition": 0.04,
    "baseline_difference": 0.12,
    "baseline_adjusted": True,
    "confounded": False,
    "developer_independent": None,
}
READINESS = {"manual": True, "dissemination_ready": None, "psc_area": "in-home-parent-skill"}


@pytest.fixture
def crosswalk_data(ipp_data):
    ipp_data["readiness"] = READINESS
    study = ipp_data["studies"][0]
    study["conduct"] = CONDUCT
    study["findings"][0].update(
        domains={"psc": "adult-well-being", "blueprints": "Positive parenting"},
        harmful=False,
        months_after_treatment_end=6,
    )
    return ipp_data


def test_a_record_without_crosswalk_facts_reads_every_fact_as_not_recorded(ipp_data):
    ipp_data.pop("readiness", None)
    for study in ipp_data["studies"]:
        study.pop("conduct", None)
    record = programme_from_dict(ipp_data)
    assert record.readiness == Readiness()
    assert record.studies[0].conduct == StudyConduct()
    finding = record.studies[0].findings[0]
    assert (finding.domains, finding.harmful, finding.months_after_treatment_end) == (
        {},
        None,
        None,
    )


def test_crosswalk_facts_read_back_unchanged(crosswalk_data):
    record = programme_from_dict(crosswalk_data)
    assert record.studies[0].conduct == StudyConduct(**CONDUCT)
    assert record.readiness == Readiness(**READINESS)
    assert programme_from_dict(programme_to_dict(record)) == record


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("readiness", "psc_area"), "education", "psc_area"),
        (("studies", 0, "conduct", "overall_attrition"), 1.5, "overall_attrition"),
        (("studies", 0, "conduct", "comparison"), "nothing", "comparison"),
        (("studies", 0, "findings", 0, "domains", "psc"), "school", "psc"),
        (("studies", 0, "conduct", "guess"), True, "guess"),
    ],
)
def test_a_malformed_crosswalk_fact_is_refused_naming_the_field(crosswalk_data, path, value, named):
    target = crosswalk_data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(InvalidRecord, match=named):
        programme_from_dict(crosswalk_data)


def test_crosswalk_facts_survive_storage(db, crosswalk_data):
    record = programme_from_dict(crosswalk_data)
    save_record(record)
    assert to_record(programmes_with_records().get(slug=record.slug)) == record
