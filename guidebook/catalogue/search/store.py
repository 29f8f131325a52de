"""Keeping the search index in step with what is published.

``index_published`` runs inside the transaction that writes snapshots
(``publishing.write_snapshots``): a publication and its search document commit or
roll back together, so a search never sees a programme the catalogue does not, nor
misses one it does. Deleting a programme deletes its snapshots and, with them, its
documents. ``rebuild_search_index`` writes every document again from the current
snapshots (migration 0007 and ``guidebook reindex``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from itertools import islice
from typing import Any

from guidebook.catalogue.models import SearchDocument, SearchTerm, Snapshot, SnapshotFacet
from guidebook.catalogue.search.documents import search_fields, term_words

__all__ = ["index_published", "rebuild_search_index"]

_BATCH = 500
Facets = Iterable[tuple[str, str]]


def _batches(rows: Iterable[Any]) -> Iterable[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def _write(documents: Any, terms: Any, published: Sequence[tuple[Any, Facets]]) -> None:
    built = [(snapshot, search_fields(snapshot.record, facets)) for snapshot, facets in published]
    documents.objects.bulk_create(
        documents(snapshot_id=snapshot.id, programme_id=snapshot.programme_id, **asdict(fields))
        for snapshot, fields in built
    )
    words = sorted(term_words(fields for _, fields in built))
    terms.objects.bulk_create(
        [terms(word=word) for word in words], ignore_conflicts=True, batch_size=_BATCH
    )


def index_published(published: Sequence[tuple[Snapshot, Facets]]) -> None:
    """Make each new snapshot its programme's search document, in place of the old one."""
    programme_ids = [snapshot.programme_id for snapshot, _ in published]
    SearchDocument.objects.filter(programme_id__in=programme_ids).delete()
    _write(SearchDocument, SearchTerm, published)


def rebuild_search_index(
    snapshots: Any = Snapshot,
    facets: Any = SnapshotFacet,
    documents: Any = SearchDocument,
    terms: Any = SearchTerm,
) -> int:
    """Index every current snapshot afresh; the number of documents written.

    The models are parameters so that a migration can pass its historical ones.
    """
    documents.objects.all().delete()
    terms.objects.all().delete()
    current = snapshots.objects.filter(is_current=True).only("id", "programme_id", "record")
    written = 0
    for chunk in _batches(current.order_by("id").iterator(chunk_size=_BATCH)):
        values: dict[int, set[tuple[str, str]]] = defaultdict(set)
        rows = facets.objects.filter(
            snapshot_id__in=[snapshot.id for snapshot in chunk]
        ).values_list("snapshot_id", "kind", "key")
        for snapshot_id, kind, key in rows:
            values[snapshot_id].add((kind, key))
        _write(documents, terms, [(snapshot, values[snapshot.id]) for snapshot in chunk])
        written += len(chunk)
    return written
