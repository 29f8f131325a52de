"""Assessing a programme: the computed rating, when an imported one is shown, the inputs hash."""

from dataclasses import replace
from datetime import date

from guidebook.evidence.assessment import (
    assess,
    evidence_is_appraised,
    inputs_hash,
    record_inputs_hash,
    study_is_appraised,
)
from guidebook.evidence.record_json import programme_to_dict
from guidebook.evidence.records import ImportedRating
from guidebook.evidence.standards import get_standard
from tests.evidence.ipp import ipp_programme

IMPORTED = ImportedRating("4+", "5", "https://example.org/programme", date(2021, 1, 1))


def without_appraisals(programme):
    return replace(programme, studies=tuple(replace(s, appraisal=None) for s in programme.studies))


def test_it_rates_under_the_newest_standard_unless_told():
    assessment = assess(ipp_programme())
    data = assessment.to_dict()
    assert data["standard"]["key"] == "eif-2018"
    assert data["rating"] == {"value": "3+", "level": 3, "plus": True, "asterisk": False}
    assert data["shown"] == {"value": "3+", "source": "computed"}
    assert data["imported"] is None
    assert [item["study"] for item in data["study_levels"]] == ["ipp-1", "ipp-2"]
    assert data["explanation"]["plus"]
    assert assess(ipp_programme(), "eif-2017").to_dict()["standard"]["key"] == "eif-2017"


def one_reviewers_answers_only(programme):
    """The studies as one reviewer left them: answers given, no consensus reached."""
    return replace(
        programme,
        studies=tuple(
            replace(s, appraisal=replace(s.appraisal, consensus=False)) for s in programme.studies
        ),
    )


def test_it_reports_which_studies_and_whether_the_evidence_are_appraised():
    data = assess(ipp_programme()).to_dict()
    assert data["appraised"] is True
    assert [item["appraised"] for item in data["study_levels"]] == [True, True]
    unappraised = assess(without_appraisals(ipp_programme())).to_dict()
    assert unappraised["appraised"] is False
    assert [item["appraised"] for item in unappraised["study_levels"]] == [False, False]


def test_a_reviewers_appraisal_without_consensus_does_not_count_as_appraised():
    programme = replace(one_reviewers_answers_only(ipp_programme()), imported=IMPORTED)
    assert not any(study_is_appraised(study) for study in programme.studies)
    assert not evidence_is_appraised(programme)
    assert assess(programme).to_dict()["shown"] == {"value": "4+", "source": "imported"}


def test_one_consensus_appraisal_is_enough_for_the_evidence_to_count_as_appraised():
    programme = ipp_programme()
    first, second = programme.studies
    mixed = replace(programme, studies=(first, replace(second, appraisal=None)), imported=IMPORTED)
    assert evidence_is_appraised(mixed)
    assert assess(mixed).to_dict()["shown"]["source"] == "computed"


def test_appraised_evidence_wins_over_an_imported_rating():
    programme = replace(ipp_programme(), imported=IMPORTED)
    assessment = assess(programme)
    assert evidence_is_appraised(programme)
    assert assessment.shown_value == "3+"
    assert assessment.to_dict()["imported"]["evidence_rating"] == "4+"


def test_an_imported_rating_is_shown_while_no_study_is_appraised():
    programme = replace(without_appraisals(ipp_programme()), imported=IMPORTED)
    assessment = assess(programme)
    assert not evidence_is_appraised(programme)
    assert assessment.to_dict()["shown"] == {"value": "4+", "source": "imported"}
    assert assessment.result.value == "NL2"
    assert assessment.to_dict()["imported"]["retrieved"] == "2021-01-01"


def test_without_evidence_or_an_imported_rating_the_computed_rating_is_shown():
    assessment = assess(without_appraisals(ipp_programme()))
    assert assessment.to_dict()["shown"] == {"value": "NL2", "source": "computed"}


def test_the_inputs_hash_changes_with_the_record_or_the_standard_and_nothing_else():
    programme = ipp_programme()
    newest = get_standard("eif-2018")
    assert inputs_hash(programme, newest) == inputs_hash(ipp_programme(), newest)
    assert inputs_hash(programme, newest) != inputs_hash(programme, get_standard("eif-2017"))
    assert inputs_hash(programme, newest) != inputs_hash(replace(programme, name="Other"), newest)


def test_the_inputs_hash_of_a_stored_record_is_that_of_the_record_it_was_written_from():
    programme = ipp_programme()
    stored = programme_to_dict(programme)
    for standard in (get_standard("eif-2017"), get_standard("eif-2018")):
        expected = inputs_hash(programme, standard)
        assert record_inputs_hash(stored, standard.key, standard.version) == expected
