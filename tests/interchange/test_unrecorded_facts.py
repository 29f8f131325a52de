"""Facts a source does not give are recorded as not recorded, never guessed."""

import pytest

from guidebook.evidence import vocabulary
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.standards import INDEPENDENT_REPORTERS, get_standard
from guidebook.evidence.standards.checks import check_programme


@pytest.mark.parametrize(
    ("vocab", "key"),
    [
        (vocabulary.DESIGNS, "not-recorded"),
        (vocabulary.REPORTERS, "not-recorded"),
        (vocabulary.SETTINGS, "school"),
        (vocabulary.TARGETING, "targeted"),
    ],
)
def test_the_added_keys_have_labels(vocab, key):
    assert vocabulary.label_of(vocab, key) != key


def test_a_record_with_unrecorded_design_and_reporter_is_valid(ipp_data):
    study = ipp_data["studies"][0]
    study["design"] = "not-recorded"
    study["findings"][0]["reporter"] = "not-recorded"
    ipp_data["characteristics"]["settings"] = ["school"]
    ipp_data["characteristics"]["targeting"] = ["targeted"]
    programme = programme_from_dict(ipp_data)
    check_programme(programme)
    for key in ("eif-2017", "eif-2018"):
        assert get_standard(key).rate(programme).value == "3+"


def test_an_unrecorded_reporter_is_not_independent_of_the_participants():
    assert "not-recorded" not in INDEPENDENT_REPORTERS
    assert "participant" not in INDEPENDENT_REPORTERS
    assert "observer" in INDEPENDENT_REPORTERS
