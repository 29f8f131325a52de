"""A crosswalk result written to JSON and read back is the same result, so a snapshot
can keep its results and a page show them without rating the record again."""

import pytest

from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.crosswalk.agreement import ProgrammeRatings, compare_programme
from guidebook.evidence.crosswalk.result import result_from_dict
from guidebook.interchange.demo import demo_records

DEMO = demo_records()


@pytest.mark.parametrize("record", DEMO, ids=lambda record: record.slug)
def test_every_demo_result_reads_back_as_written(record):
    for standard in crosswalk_standards():
        result = standard.rate(record)
        read = result_from_dict(result.to_dict())
        assert read.to_dict() == result.to_dict()
        assert (read.value, read.floor, read.needs, read.next_rule) == (
            result.value,
            result.floor,
            result.needs,
            result.next_rule,
        )
        assert read.shown() == result.shown()


@pytest.mark.parametrize("record", DEMO, ids=lambda record: record.slug)
def test_comparisons_from_read_back_results_match_fresh_ones(record):
    def ratings(computed):
        return ProgrammeRatings(record.slug, record.name, "3", computed, [])

    fresh = {s.key: s.rate(record) for s in crosswalk_standards()}
    read = {key: result_from_dict(result.to_dict()) for key, result in fresh.items()}
    assert compare_programme(ratings(read)) == compare_programme(ratings(fresh))
