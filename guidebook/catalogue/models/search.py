"""The search index: one document per current snapshot, and the words it holds.

These rows are an index, written only by ``publishing.write_snapshots`` (through
``guidebook.catalogue.search.store``) in the transaction that publishes, and rebuilt
from the snapshots by ``guidebook reindex``. Each database adds its own full-text
structure in migration 0007 (docs/search.md):

- SQLite: an FTS5 table ``catalogue_searchdocument_fts`` over these columns, kept in
  step by triggers on this table (so a schema change that makes Django rebuild this
  table must create the triggers again);
- PostgreSQL: a generated ``vector`` column (weighted ``tsvector``) with a GIN index,
  and a trigram index on ``SearchTerm.word``.
"""

from __future__ import annotations

from django.db import models

from guidebook.catalogue.models.programme import Programme
from guidebook.catalogue.models.snapshot import Snapshot


class SearchDocument(models.Model):
    """A current snapshot's searchable text, folded, in fields weighted for ranking."""

    snapshot = models.OneToOneField(
        Snapshot, on_delete=models.CASCADE, related_name="search_document"
    )
    # Search answers with programmes: a finder index built before a republication
    # still knows the programme, and notices its snapshot has changed.
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    name = models.TextField()
    aliases = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    description = models.TextField(blank=True)
    delivery = models.TextField(blank=True)
    studies = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search document of {self.name}"


class SearchTerm(models.Model):
    """A word some published document has held: what a misspelling is corrected to."""

    word = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.word
