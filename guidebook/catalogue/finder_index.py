"""The current catalogue held in memory for the finder, rebuilt once per publication.

Every answer of the finder starts from the same thing: each current snapshot with its
sort columns and its filterable values (search words are looked up in the database's
full-text index, ``guidebook.catalogue.search``). Loading that from the
database costs two large queries (tens of thousands of facet rows at a few thousand
programmes), so each process keeps one ``CatalogueIndex`` and shares it between
requests and threads. Nothing in it is ever changed once built.

When an index is retired:

- the catalogue version (``publishing.catalogue_version``, the newest snapshot's id)
  differs from the one it was built for: every publication moves the version on;
- it is older than ``PAGE_CACHE_SECONDS``: without a shared cache each worker keeps
  its own copy of the version, so a publication made through another worker reaches
  this one only when it next reads the database; the age bounds that lag, as the
  page cache's expiry bounds its pages';
- ``retire_index`` is called, as the finder does when a row the index promised has
  gone (a programme deleted, which publishes nothing).

Inside an open transaction (a publication's, or a test's) the shared index is neither
read nor replaced: the transaction may see rows nobody else sees yet, or not see
rows committed since it began, so it gets an index of its own, built on the spot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from django.conf import settings
from django.db import connection

from guidebook.catalogue.models import Snapshot, SnapshotFacet
from guidebook.catalogue.publishing import catalogue_version
from guidebook.evidence.standards import rating_rank

__all__ = [
    "EVIDENCE_BASED",
    "CatalogueIndex",
    "Entry",
    "build_index",
    "current_index",
    "retire_index",
]

EVIDENCE_BASED = "evidence-based"
"""A value of the rating filter standing for every rating from 3 up."""

# "Evidence-based" starts at 3 (STANDARDS.md section 1); ranks come from the core.
_EVIDENCE_BASED_FROM = rating_rank("3")
_DEFAULT_MAX_AGE_SECONDS = 300
# Searches kept per index: plenty for the words people use between two publications,
# a few hundred kilobytes at most.
_SEARCHES_KEPT = 1000
# Past this share of new snapshots, reading every value at once beats reading by id.
_REBUILD_SHARE = 0.5
_NO_VALUES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    """One current snapshot as the finder sees it: sort columns, values and text."""

    id: int
    programme_id: int
    name: str
    rating_rank: int
    cost_rating: str
    listed: bool
    facets: Mapping[str, frozenset[str]]
    values: tuple[tuple[str, str], ...]
    """Every (kind, key) pair of ``facets``, for counting many at once."""
    name_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Sorting by name happens on most requests; the folded name is worked out once.
        object.__setattr__(self, "name_key", self.name.casefold())

    def keys(self, kind: str) -> frozenset[str]:
        return self.facets.get(kind, _NO_VALUES)


@dataclass(frozen=True)
class CatalogueIndex:
    """Every current snapshot, sorted by name, and the catalogue version it was built for.

    ``version`` is ``None`` for an index built inside a transaction, which is never
    shared.
    """

    entries: tuple[Entry, ...]
    version: int | None
    built_at: float
    published: Mapping[str, tuple[str, ...]]
    """Each kind of value (outcome, country...) with the values published, sorted."""

    def serves(self, version: int, now: float) -> bool:
        return self.version == version and now - self.built_at < _max_age_seconds()

    _searches: dict[str, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def searched(self, text: str, look_up: Callable[[str], Sequence[int]]) -> Sequence[int]:
        """``look_up(text)``, kept for this catalogue version if the index is shared.

        What some words find changes only when something is published, which retires
        the index; so paging, sorting or filtering under the same words costs no new
        search. An index built inside a transaction keeps nothing, since it is never
        used twice.
        """
        if self.version is None:
            return look_up(text)
        found = self._searches.get(text)
        if found is None:
            if len(self._searches) >= _SEARCHES_KEPT:
                self._searches.clear()
            found = self._searches[text] = tuple(look_up(text))
        return found


def _max_age_seconds() -> float:
    return float(getattr(settings, "PAGE_CACHE_SECONDS", _DEFAULT_MAX_AGE_SECONDS))


def build_index(version: int | None, snapshot_ids: Sequence[int] | None = None) -> CatalogueIndex:
    """Read the current catalogue from the database: two queries, whatever its size.

    Given ``snapshot_ids``, the index holds those snapshots instead, current or not:
    the catalogue as a release froze it (the API's ``release`` parameter).
    """
    chosen = (
        Snapshot.objects.filter(is_current=True)
        if snapshot_ids is None
        else Snapshot.objects.filter(id__in=list(snapshot_ids))
    )
    rows = chosen.values_list("id", "programme_id", "name", "rating_rank", "cost_rating", "listed")
    columns = {row[0]: row for row in rows}
    pairs: dict[int, set[tuple[str, str]]] = {snapshot_id: set() for snapshot_id in columns}
    facet_rows = (
        SnapshotFacet.objects.filter(snapshot__is_current=True)
        if snapshot_ids is None
        else SnapshotFacet.objects.filter(snapshot_id__in=list(snapshot_ids))
    )
    facets = facet_rows.values_list("snapshot_id", "kind", "key")
    shared = _Interned()
    for snapshot_id, kind, key in facets:
        # A publication between the two queries leaves its new snapshot out (and the
        # one it replaced without values) until the next index; the version read
        # before building is older than that publication, so that one is built soon.
        if snapshot_id in pairs:
            pairs[snapshot_id].add(shared.pair(kind, key))
    entries = [
        _entry(columns[snapshot_id], values, shared) for snapshot_id, values in pairs.items()
    ]
    entries.sort(key=lambda entry: (entry.name_key, entry.id))
    return CatalogueIndex(
        entries=tuple(entries),
        version=version,
        built_at=time.monotonic(),
        published=_published_values(entries),
    )


def updated_index(previous: CatalogueIndex, version: int | None) -> CatalogueIndex:
    """The current catalogue, reusing ``previous``'s entries where their snapshots are
    still current and reading the values of the new snapshots alone.

    A snapshot never changes once published (a publication writes a new one), so an
    entry built for it stays right for as long as it is current. After publishing one
    programme of 10,000 this reads the page's columns of every current snapshot and the
    values of one, instead of some 300,000 values (benchmarks/README.md, publication).
    When most snapshots are new (``publish --all``) the whole index is built afresh.
    """
    rows = Snapshot.objects.filter(is_current=True).values_list(
        "id", "programme_id", "name", "rating_rank", "cost_rating", "listed"
    )
    columns = {row[0]: row for row in rows}
    kept = {entry.id: entry for entry in previous.entries if entry.id in columns}
    new_ids = [snapshot_id for snapshot_id in columns if snapshot_id not in kept]
    if len(new_ids) > _REBUILD_SHARE * len(columns):
        return build_index(version)
    pairs: dict[int, set[tuple[str, str]]] = {snapshot_id: set() for snapshot_id in new_ids}
    shared = _Interned()
    if new_ids:
        facets = SnapshotFacet.objects.filter(snapshot_id__in=new_ids)
        for snapshot_id, kind, key in facets.values_list("snapshot_id", "kind", "key"):
            pairs[snapshot_id].add(shared.pair(kind, key))
    entries = [*kept.values()]
    entries += [_entry(columns[snapshot_id], pairs[snapshot_id], shared) for snapshot_id in new_ids]
    entries.sort(key=lambda entry: (entry.name_key, entry.id))
    return CatalogueIndex(
        entries=tuple(entries),
        version=version,
        built_at=time.monotonic(),
        published=_published_values(entries),
    )


class _Interned:
    """One copy of each (kind, key) pair and each set of keys, however many entries hold it.

    Thousands of entries share a few hundred distinct values; holding one copy of each
    keeps the index small and spares the garbage collector most of the building.
    """

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}
        self._keys: dict[frozenset[str], frozenset[str]] = {}

    def pair(self, kind: str, key: str) -> tuple[str, str]:
        return self._pairs.setdefault((kind, key), (kind, key))

    def keys(self, keys: set[str]) -> frozenset[str]:
        frozen = frozenset(keys)
        return self._keys.setdefault(frozen, frozen)


def _entry(
    columns: tuple[int, int, str, int, str, bool],
    values: set[tuple[str, str]],
    shared: _Interned,
) -> Entry:
    snapshot_id, programme_id, name, rank, cost_rating, listed = columns
    if rank >= _EVIDENCE_BASED_FROM:
        # "Evidence-based" is a value of the rating filter like any other, so it is
        # counted and combined by the same rules.
        values.add(shared.pair("rating", EVIDENCE_BASED))
    kinds: dict[str, set[str]] = {}
    for kind, key in values:
        kinds.setdefault(kind, set()).add(key)
    return Entry(
        id=snapshot_id,
        programme_id=programme_id,
        name=name,
        rating_rank=rank,
        cost_rating=cost_rating,
        listed=listed,
        facets=MappingProxyType({kind: shared.keys(keys) for kind, keys in kinds.items()}),
        values=tuple(sorted(values)),
    )


def _published_values(entries: Sequence[Entry]) -> Mapping[str, tuple[str, ...]]:
    published: dict[str, set[str]] = {}
    for entry in entries:
        for kind, keys in entry.facets.items():
            published.setdefault(kind, set()).update(keys)
    return MappingProxyType({kind: tuple(sorted(keys)) for kind, keys in published.items()})


class _Shared:
    """The index this process shares between requests, and the lock builders take turns on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: CatalogueIndex | None = None


_shared = _Shared()


def current_index() -> CatalogueIndex:
    """The index of the catalogue as published now, built at most once per version.

    Outside a transaction this costs no query while the version is cached and the
    index is current. When it must be built, one thread builds it while the others
    wait for it, rather than each building its own.
    """
    if connection.in_atomic_block:
        return build_index(version=None)
    version = catalogue_version()
    index = _shared.index
    if index is not None and index.serves(version, time.monotonic()):
        return index
    with _shared.lock:
        index = _shared.index
        if index is None:
            index = _shared.index = build_index(version)
        elif not index.serves(version, time.monotonic()):
            index = _shared.index = updated_index(index, version)
    return index


def retire_index(index: CatalogueIndex | None = None) -> None:
    """Stop sharing ``index`` (found out of date), or whatever index is shared.

    The next request outside a transaction builds a new one. Given an index, only that
    one is retired, so a newer one another thread has just built stays.
    """
    with _shared.lock:
        if index is None or _shared.index is index:
            _shared.index = None
