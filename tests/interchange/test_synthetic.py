"""The synthetic catalogue: deterministic, realistic, computed, and stored faithfully."""

import statistics
from collections import Counter
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from guidebook.catalogue.convert import programmes_with_records, to_record
from guidebook.catalogue.models import Programme, Snapshot, SnapshotFacet
from guidebook.catalogue.publishing import CATALOGUE_VERSION_KEY, catalogue_version
from guidebook.evidence.assessment import assess
from guidebook.evidence.cost import estimate_programme_cost
from guidebook.evidence.record_json import programme_from_dict, programme_to_dict
from guidebook.evidence.standards import RATING_VALUES, judge_finding
from guidebook.evidence.standards.criteria import CRITERIA_BY_ID
from guidebook.interchange.synthetic import (
    RATING_MIX,
    store_synthetic_catalogue,
    synthetic_programme,
    synthetic_programmes,
)

SAMPLE = 300


@pytest.fixture(scope="module")
def sample():
    return list(synthetic_programmes(SAMPLE, seed=11))


def test_the_same_seed_gives_the_same_catalogue():
    assert list(synthetic_programmes(15, seed=4)) == list(synthetic_programmes(15, seed=4))
    assert list(synthetic_programmes(15, seed=4)) != list(synthetic_programmes(15, seed=5))


def test_a_programme_is_the_same_whatever_the_catalogue_size():
    assert synthetic_programme(7, seed=2) == list(synthetic_programmes(10, seed=2))[6]
    assert next(synthetic_programmes(3, seed=2, first=7)) == synthetic_programme(7, seed=2)


def test_names_say_the_programmes_are_synthetic(sample):
    first = sample[0].record
    assert (first.slug, first.name) == ("synthetic-programme-0001", "Synthetic programme 0001")
    assert all(item.record.name.startswith("Synthetic programme ") for item in sample)


def test_every_rating_is_computed_and_comes_out_as_intended(sample):
    for item in sample:
        assessment = assess(item.record)
        assert assessment.computed
        assert assessment.result.value.rstrip("*") == item.intended_rating, item.record.slug


def test_appraisals_are_consensus_answers_to_the_standards_criteria(sample):
    for item in sample:
        for study in item.record.studies:
            appraisal = study.appraisal
            assert appraisal.consensus and appraisal.verdict is None
            assert set(appraisal.answers) <= set(CRITERIA_BY_ID)


def test_ratings_spread_like_a_real_catalogue(sample):
    counts = Counter(item.intended_rating for item in sample)
    assert set(counts) == set(RATING_VALUES)
    share = {value: counts[value] / SAMPLE for value in counts}
    assert share["3"] + share["3+"] + share["2"] + share["2+"] > 0.6
    assert share["4"] + share["4+"] < 0.15
    assert 0.1 < share["NL2"] + share["NE"] < 0.35
    assert sum(weight for _, weight in RATING_MIX) == pytest.approx(1)


def test_some_positive_ratings_carry_the_asterisk_but_few(sample):
    starred = sum(assess(item.record).result.asterisk for item in sample)
    assert 0 < starred < SAMPLE * 0.25


def test_programmes_have_1_to_30_studies_about_10_on_average(sample):
    counts = [len(item.record.studies) for item in sample]
    assert min(counts) >= 1 and max(counts) <= 30
    assert 8 <= statistics.mean(counts) <= 12


def test_cost_profiles_are_complete_for_most_and_incomplete_for_some(sample):
    ratings = Counter(estimate_programme_cost(item.record).rating for item in sample)
    assert 0.1 < ratings["NA"] / SAMPLE < 0.4
    assert len([r for r in ratings if r != "NA"]) >= 3


def test_reported_statistics_agree_with_the_recorded_direction(sample):
    with_statistics = 0
    for item in sample:
        for study in item.record.studies:
            for finding in study.findings:
                if finding.statistics is None:
                    continue
                with_statistics += 1
                judged = judge_finding(finding, 0.05)
                assert judged.source == "statistics"
                assert (judged.direction, judged.significant) == (
                    finding.direction,
                    finding.significant,
                )
    assert with_statistics > 100


def test_records_are_valid_record_files(sample):
    for item in sample[:40]:
        assert programme_from_dict(programme_to_dict(item.record)) == item.record


# --- Storing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stored_rows_give_back_the_generated_records():
    stored = store_synthetic_catalogue(12, seed=3)
    assert (stored.added, stored.kept) == (12, 0)
    generated = {item.record.slug: item.record for item in synthetic_programmes(12, seed=3)}
    rows = list(programmes_with_records())
    assert len(rows) == 12
    for row in rows:
        assert to_record(row) == generated[row.slug]
    assert stored.studies == sum(len(r.studies) for r in generated.values())


@pytest.mark.django_db
def test_each_stored_programme_is_published_as_publish_would():
    store_synthetic_catalogue(8, seed=3)
    for item in synthetic_programmes(8, seed=3):
        snapshot = Snapshot.objects.get(slug=item.record.slug, is_current=True)
        assessment = assess(item.record).to_dict()
        assert snapshot.rating == assessment["shown"]["value"]
        assert snapshot.inputs_hash == assessment["inputs_hash"]
        rating_facet = SnapshotFacet.objects.get(snapshot=snapshot, kind="rating")
        assert rating_facet.key == snapshot.rating.rstrip("*")


@pytest.mark.django_db
def test_storing_again_keeps_what_is_there():
    store_synthetic_catalogue(5, seed=1)
    again = store_synthetic_catalogue(7, seed=1)
    assert (again.added, again.kept) == (2, 5)
    assert Snapshot.objects.filter(is_current=True).count() == 7


@pytest.mark.django_db
def test_storing_moves_the_catalogue_version_on(django_capture_on_commit_callbacks):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        store_synthetic_catalogue(4, seed=1)
    newest = Snapshot.objects.order_by("-id").first().id
    assert catalogue_version() == newest > before
    cache.delete(CATALOGUE_VERSION_KEY)
    assert catalogue_version() == newest


@pytest.mark.django_db
def test_progress_is_reported_after_each_chunk():
    seen = []
    store_synthetic_catalogue(5, seed=1, chunk=2, progress=lambda done, total: seen.append(done))
    assert seen == [2, 4, 5]


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="count: expected a whole number of at least 0, found -1"):
        store_synthetic_catalogue(-1)


# --- The command ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_command_adds_a_synthetic_catalogue():
    out = StringIO()
    call_command("demo", synthetic=6, seed=2, stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Synthetic catalogue (seed 2): 6 programme(s) added with ")
    assert Programme.objects.count() == 6
    assert not Programme.objects.filter(slug="infant-parent-psychotherapy").exists()


@pytest.mark.django_db
def test_the_demo_command_refuses_fewer_than_one_programme():
    with pytest.raises(
        CommandError, match="--synthetic: expected a number of programmes of at least 1, found 0"
    ):
        call_command("demo", synthetic=0)
