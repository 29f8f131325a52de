"""The finder's index: one per process and catalogue version, filtered in memory.

Most tests here commit, as production does (``transaction=True``): the shared index
is only used outside a transaction.
"""

import threading
import time
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict

from guidebook.catalogue import finder_index
from guidebook.catalogue.convert import save_record
from guidebook.catalogue.finder import Scope, find_programmes
from guidebook.catalogue.finder_index import CatalogueIndex, current_index, retire_index
from guidebook.catalogue.models import ImportedRating, Programme
from guidebook.catalogue.publishing import CATALOGUE_VERSION_KEY, publish
from tests.api.fixture_catalogue import CATALOGUE, publish_catalogue, record_of

ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT, GOLF, HOTEL = (row.slug for row in CATALOGUE)


@pytest.fixture(autouse=True)
def _no_shared_index():
    """Each test starts and ends with no index shared in the process."""
    retire_index()
    yield
    retire_index()


def find(query_string, scope=Scope.LISTED):
    return find_programmes(QueryDict(query_string), scope)


def slugs(results):
    return [found.snapshot.slug for found in results.items]


def publish_row(row, **changes):
    programme = save_record(replace(record_of(row), **changes))
    publish(programme, note="finder index test")
    return programme


@pytest.fixture
def builds(monkeypatch):
    """The version of every index built during the test (``None``: not shared)."""
    built = []
    real, real_update = finder_index.build_index, finder_index.updated_index

    def counted(version):
        built.append(version)
        return real(version)

    def counted_update(previous, version):
        built.append(version)
        return real_update(previous, version)

    monkeypatch.setattr(finder_index, "build_index", counted)
    monkeypatch.setattr(finder_index, "updated_index", counted_update)
    return built


# --- Rebuilt when the catalogue changes ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_publication_retires_the_index(builds):
    publish_catalogue()
    assert slugs(find("age_group=infants")) == [ALPHA, FOXTROT]
    kilo = replace(CATALOGUE[5], slug="kilo-visits", name="Kilo Visits")
    publish_row(kilo)
    assert slugs(find("age_group=infants")) == [ALPHA, FOXTROT, "kilo-visits"]
    assert len(builds) == 2
    assert builds[1] > builds[0]


@pytest.mark.django_db(transaction=True)
def test_a_publication_retires_the_searches_kept_with_the_index():
    publish_catalogue()
    assert slugs(find("q=nurses&sort=name")) == [ALPHA, FOXTROT]
    kilo = replace(CATALOGUE[5], slug="kilo-nurses", name="Kilo Nurses")
    publish_row(kilo)
    assert slugs(find("q=nurses&sort=name")) == [ALPHA, FOXTROT, "kilo-nurses"]


def test_an_index_built_in_a_transaction_keeps_no_searches(db):
    publish_catalogue()
    index = current_index()
    assert index.version is None
    assert index.searched("nurses", lambda text: [1, 2]) == [1, 2]
    assert index.searched("nurses", lambda text: [3]) == [3]


@pytest.mark.django_db(transaction=True)
def test_a_shared_index_keeps_a_bounded_number_of_searches(monkeypatch):
    monkeypatch.setattr(finder_index, "_SEARCHES_KEPT", 2)
    publish_catalogue()
    index = current_index()
    looked_up = []

    def look_up(text):
        looked_up.append(text)
        return [len(text)]

    for text in ["one", "two", "one", "three", "one"]:
        assert index.searched(text, look_up) == (len(text),)
    # "three" found two kept, so they were let go; "one" was looked up again after.
    assert looked_up == ["one", "two", "three", "one"]


@pytest.mark.django_db(transaction=True)
def test_a_programme_republished_below_2_leaves_the_list():
    stored = publish_catalogue()
    assert BRAVO in slugs(find(""))
    ImportedRating.objects.filter(programme=stored[BRAVO]).update(evidence_rating="NL2")
    publish(stored[BRAVO], note="downgraded")
    assert BRAVO not in slugs(find(""))
    assert BRAVO in slugs(find("", Scope.NOT_LISTED))


@pytest.mark.django_db(transaction=True)
def test_a_deleted_programme_on_the_page_makes_the_index_rebuild(builds):
    # Deleting publishes nothing, so the version stays; the missing row gives it away.
    publish_catalogue()
    assert find("age_group=infants").total == 2
    Programme.objects.filter(slug=ALPHA).delete()
    results = find("age_group=infants")
    assert slugs(results) == [FOXTROT]
    assert results.total == 1
    assert len(builds) == 2


@pytest.mark.django_db(transaction=True)
def test_an_index_older_than_the_page_cache_is_rebuilt(builds, settings):
    publish_catalogue()
    find("")
    find("")
    assert len(builds) == 1
    settings.PAGE_CACHE_SECONDS = 0
    find("")
    assert len(builds) == 2


# --- Inside a transaction -----------------------------------------------------------


def test_inside_a_transaction_each_call_builds_its_own_index(db, builds):
    publish_catalogue()
    assert slugs(find("q=nurses&sort=name")) == [ALPHA, FOXTROT]
    # The test's transaction never commits, so the catalogue version never moves on.
    lima = replace(CATALOGUE[0], slug="lima-nurses", name="Lima Nurses")
    publish_row(lima)
    assert slugs(find("q=nurses&sort=name")) == [ALPHA, FOXTROT, "lima-nurses"]
    assert builds == [None, None]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_neither_reads_nor_replaces_the_shared_index():
    publish_catalogue()
    shared = current_index()
    mike = replace(CATALOGUE[1], slug="mike-groups", name="Mike Groups")
    with transaction.atomic():
        publish_row(mike)
        assert "mike-groups" in slugs(find(""))
        transaction.set_rollback(True)
    assert current_index() is shared
    assert "mike-groups" not in slugs(find(""))


def test_a_stale_cached_version_cannot_mislead_a_transaction(db):
    # Whatever the cache says, a transaction reads the rows it can see.
    cache.set(CATALOGUE_VERSION_KEY, 10**9, timeout=None)
    publish_catalogue()
    assert slugs(find("q=club", Scope.NOT_LISTED)) == [HOTEL]


# --- Queries ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_request_costs_one_query_once_the_index_is_built(django_assert_num_queries):
    publish_catalogue()
    # Built: the facet rows and the snapshots, then the page (the version is cached).
    with django_assert_num_queries(3):
        find("age_group=infants")
    with django_assert_num_queries(1):
        results = find("age_group=infants&page_size=1")
        [found.snapshot.summary for found in results.items]
    # Search words: one more query, for the full-text index...
    with django_assert_num_queries(2):
        results = find("age_group=infants&q=nurses&page_size=1")
        [found.snapshot.summary for found in results.items]
    # ...once per catalogue version: other filters, sorts and pages reuse the answer.
    with django_assert_num_queries(1):
        results = find("q=nurses&sort=-rating&page_size=1&page=2")
        [found.snapshot.summary for found in results.items]
    cache.clear()
    # The version read again from the database; the same version, the same index.
    with django_assert_num_queries(2):
        find("rating=evidence-based")
    # Nothing found: the words a misspelling may stand for are looked up, no page read.
    with django_assert_num_queries(2):
        find("q=nothing-matches-this")


# --- Built once, whatever the threads -----------------------------------------------


def _empty_index(version):
    time.sleep(0.05)  # long enough for every thread to arrive while it builds
    return CatalogueIndex(entries=(), version=version, built_at=time.monotonic(), published={})


def test_threads_asking_at_once_wait_for_one_build(monkeypatch):
    built = []
    monkeypatch.setattr(
        finder_index, "build_index", lambda version: built.append(version) or _empty_index(version)
    )
    monkeypatch.setattr(
        finder_index,
        "updated_index",
        lambda previous, version: built.append(version) or _empty_index(version),
    )
    cache.set(CATALOGUE_VERSION_KEY, 41, timeout=None)
    start = threading.Barrier(8)
    indexes = []

    def ask():
        start.wait()
        indexes.append(current_index())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == [41]
    assert len(indexes) == 8
    assert all(index is indexes[0] for index in indexes)
    cache.set(CATALOGUE_VERSION_KEY, 42, timeout=None)
    assert current_index().version == 42
    assert built == [41, 42]


# --- Updated, not rebuilt, after a publication ----------------------------------------


def _rename(slug, name):
    Programme.objects.filter(slug=slug).update(name=name)
    publish(Programme.objects.get(slug=slug), note="renamed")


def _described(index):
    return [
        (e.id, e.programme_id, e.name, e.rating_rank, e.cost_rating, e.listed, e.values)
        for e in index.entries
    ]


@pytest.mark.django_db(transaction=True)
def test_after_a_publication_the_index_reuses_every_entry_still_current():
    publish_catalogue()
    before = current_index()
    kilo = replace(CATALOGUE[5], slug="kilo-visits", name="Kilo Visits")
    publish_row(kilo)
    _rename(ALPHA, "Alpha, renamed")
    after = current_index()
    assert after is not before
    reused = {id(entry) for entry in before.entries} & {id(entry) for entry in after.entries}
    assert len(reused) == len(CATALOGUE) - 1
    assert _described(after) == _described(finder_index.build_index(None))
    assert after.published == finder_index.build_index(None).published


@pytest.mark.django_db(transaction=True)
def test_when_most_snapshots_are_new_the_index_is_built_afresh(builds, monkeypatch):
    publish_catalogue()
    current_index()
    monkeypatch.setattr(finder_index, "_REBUILD_SHARE", 0.0)
    _rename(ALPHA, "Alpha, renamed")
    assert "Alpha, renamed" in [entry.name for entry in current_index().entries]
    assert len(builds) == 3  # the first build, the update, and the build it handed over to
