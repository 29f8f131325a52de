"""Storing many records while holding SQLite's write lock only briefly.

SQLite lets one writer at a time hold its write lock, and a bulk insert spends most of
its time in Python, building rows and turning them into SQL (about 9 ms for a
programme the size of the demo IPP record), not in the database. ``prepare`` does all
of that before any transaction: every row, and its "created" history entry, gets the
primary key it will have (after the largest its table has ever given, as SQLite's
AUTOINCREMENT would), and every INSERT statement is written out. ``store`` then, inside
the caller's transaction, checks that no other writer has added rows since and runs
the statements; if one has, it stores the records the ordinary way instead
(``convert.store_records``), which is slower but always right.

Used for SQLite only: PostgreSQL has no database-wide write lock, and its keys come from
sequences, so there the ordinary way is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalChanges

from guidebook.catalogue import models
from guidebook.catalogue.convert import link_reviews, own_reasons, store_records, store_rows
from guidebook.evidence import records

__all__ = ["PreparedRecords", "prepare", "store"]

Statement = tuple[str, list[tuple[Any, ...]]]
"""An INSERT and the values of each row it inserts."""


@dataclass
class PreparedRecords:
    """The records, their rows and the statements that insert them."""

    batch: Sequence[records.Programme]
    reasons: Sequence[str]
    history_reason: str
    first_keys: dict[str, int] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    pairs: list[tuple[models.Programme, records.Programme]] = field(default_factory=list)


def applies() -> bool:
    """Whether this database is one whose writers share one lock (SQLite)."""
    return connection.vendor == "sqlite"


def _first_keys() -> dict[str, int]:
    """For each table, the key its next row would get (never one used before)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        given = dict(cursor.fetchall())
    keys = {}
    for model in _MODELS:
        for table in (model, model.history.model):  # type: ignore[attr-defined]
            name = table._meta.db_table
            largest = table._default_manager.aggregate(largest=Max("pk"))["largest"] or 0
            keys[name] = max(int(given.get(name, 0)), int(largest)) + 1
    return keys


_REASON_LENGTH = 100  # django-simple-history's column

_MODELS: tuple[type[Model], ...] = (
    models.Programme,
    models.Characteristic,
    models.CostProfile,
    models.ImportedRating,
    models.Study,
    models.Publication,
    models.Finding,
    models.Appraisal,
)


def prepare(
    batch: Sequence[records.Programme], reasons: Sequence[str], history_reason: str
) -> PreparedRecords:
    """Rows, keys and INSERT statements for ``batch``, made outside any transaction."""
    history_reason = history_reason[:_REASON_LENGTH]
    prepared = PreparedRecords(batch, reasons, history_reason, _first_keys())
    next_key = dict(prepared.first_keys)
    now = timezone.now()

    def number(model: type[Model], rows: list[Any]) -> list[Any]:
        if not rows:
            return rows
        own_reasons(rows)
        for row in rows:
            row.pk = next_key[model._meta.db_table]
            next_key[model._meta.db_table] += 1
        prepared.statements += _inserts(model, rows)
        history = _history_rows(model, rows, history_reason, now)
        for row in history:
            row.history_id = next_key[type(row)._meta.db_table]
            next_key[type(row)._meta.db_table] += 1
        prepared.statements += _inserts(type(history[0]), history)
        return rows

    prepared.pairs = store_rows(batch, number, reasons)
    return prepared


def _history_rows(
    model: type[Model], rows: list[Any], default_reason: str, now: Any
) -> list[HistoricalChanges]:
    """The "created" history entries of ``rows``, as django-simple-history makes them."""
    manager: HistoryManager = model.history  # type: ignore[attr-defined]
    historical = manager.model
    return [
        historical(
            history_date=now,
            history_user=None,
            history_change_reason=getattr(row, "_change_reason", None) or default_reason,
            history_type="+",
            **{f.attname: getattr(row, f.attname) for f in historical.tracked_fields},
        )
        for row in rows
    ]


def _inserts(model: type[Model], rows: list[Any]) -> list[Statement]:
    """One INSERT for ``model`` and every row's values, for ``executemany``.

    The values are what Django's own INSERT would send (``pre_save`` for an insert,
    then ``get_db_prep_save``), but the statement is written once per table rather
    than compiled row by row, which took most of ``prepare``'s time at scale.
    """
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    values = [
        tuple(field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields)
        for row in rows
    ]
    return [(sql, values)]


def store(prepared: PreparedRecords, review_ids: dict[tuple[str, date], int] | None = None) -> None:
    """Run the prepared statements (inside the caller's transaction), or store the
    records the ordinary way if another writer has added rows since they were made."""
    if _first_keys() != prepared.first_keys:
        store_records(
            prepared.batch, history_reason=prepared.history_reason, reasons=prepared.reasons
        )
        return
    with connection.cursor() as cursor:
        for sql, rows in prepared.statements:
            cursor.executemany(sql, rows)
    link_reviews(prepared.pairs, {} if review_ids is None else review_ids, prepared.history_reason)
