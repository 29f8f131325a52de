"""Storing many records at once: every row prepared before the transaction, a batch at
a time, and only run inside it.

A bulk insert spends nearly all its time in Python, building rows and turning their
values into what the database takes, not in the database. ``prepare`` does that for
one batch of records, outside any transaction and without touching the database:
every row, and its "created" history entry, gets a key counted from 1 within the
batch, and each table's values are pickled. A
``PreparedRecords`` keeps the batches in a scratch file, so memory holds one batch
however many records there are. ``store``, inside the caller's transaction, then
reserves the real keys (after the largest the table has ever given on SQLite, as its
AUTOINCREMENT would; from the table's sequence on PostgreSQL), puts them in place of
the counted ones in every key and reference, and inserts each table's rows with one
``executemany`` on SQLite, one ``COPY`` on PostgreSQL.

On SQLite that transaction is the only time the import holds the write lock, so staff
saving their work meanwhile wait a moment instead of failing; and since keys are taken
inside it, a writer that got in first while the batches were prepared changes nothing.
"""

from __future__ import annotations

import dataclasses
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import IO, Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Max, Model, fields
from django.db.models.fields.related import ForeignKey, OneToOneField
from psycopg.types.json import Jsonb
from psycopg.types.numeric import Int2, Int4, Int8

from guidebook.catalogue import models
from guidebook.catalogue.convert import link_reviews, own_reasons, store_rows
from guidebook.evidence import records

__all__ = ["PreparedBatch", "PreparedRecords", "prepare"]

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
_HISTORY: dict[type[Model], type[Model]] = {
    model: model.history.model  # type: ignore[attr-defined]
    for model in _MODELS
}
_TABLES = tuple(table for model in _MODELS for table in (model, _HISTORY[model]))
# What a "created" history entry adds to the row it records, in this order.
_HISTORY_COLUMNS = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)
_REASON_LENGTH = 100  # django-simple-history's column

Keys = Sequence[int]
"""The real keys of one table's rows, in the order the rows were counted (a range on
SQLite; on PostgreSQL the sequence's values, a range too unless another writer took
some of them meanwhile)."""


@dataclass
class PreparedBatch:
    """The rows of one batch of records, ready to insert, their keys counted from 1: the
    pickled pieces (table label, values of each row), the rows of each table, and each
    programme's assessment rounds (its counted key, the round)."""

    tables: bytes = b""
    counted: Counter[str] = dataclasses.field(default_factory=Counter)
    reviews: list[tuple[int, records.Review]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    """How one table's rows are inserted: its INSERT (and COPY); where each column's
    value comes from (an index into the row's values, which for a history entry are
    those of the row it records followed by ``_HISTORY_COLUMNS``) and how it is made
    ready for the database; and which columns hold a counted key of which table.

    A history entry copies most columns of the row it records with a field of the same
    kind, which makes the value ready the same way (django-simple-history copies the
    field); ``same`` gives the row's column for those, so each value, JSON above all,
    is made ready once."""

    model: type[Model]
    sql: str
    copy_sql: str
    picks: tuple[int, ...]
    savers: tuple[Callable[[Any], Any], ...]
    keyed: tuple[tuple[int, str], ...]
    same: tuple[int | None, ...]

    def values(self, raw: Sequence[Any], ready: Sequence[Any] = ()) -> tuple[Any, ...]:
        """A row's values ready for the database; ``ready``: for a history entry, those
        of the row it records."""
        return tuple(
            [
                save(raw[index]) if same is None else ready[same]
                for save, index, same in zip(self.savers, self.picks, self.same, strict=True)
            ]
        )

    def with_keys(
        self, values: tuple[Any, ...], keys: dict[str, Keys], before: Counter[str]
    ) -> tuple[Any, ...]:
        """The row with real keys for counted ones; ``before`` counts the rows of each
        table in the batches before this one."""
        row = list(values)
        for column, table in self.keyed:
            counted = row[column]
            if counted is not None:
                row[column] = keys[table][before[table] + counted - 1]
        return tuple(row)


def prepare(
    batch: Sequence[records.Programme], reasons: Sequence[str], now: datetime
) -> PreparedBatch:
    """The rows of ``batch``; ``reasons`` gives each record's history reason, ``now``
    the time of every history entry (one for the whole import)."""
    connection = connections[DEFAULT_DB_ALIAS]  # its kind only: nothing is queried
    tables = {table: _table(table, connection) for table in _TABLES}
    prepared = PreparedBatch()
    pieces: list[tuple[str, list[tuple[Any, ...]]]] = []

    def count(model: type[Model], rows: list[Any]) -> list[Any]:
        if not rows:
            return rows
        own_reasons(rows)
        first = prepared.counted[model._meta.label] + 1
        for key, row in enumerate(rows, start=first):
            row.pk = key
        raw = list(map(_reader(model), rows))
        ready = [tables[model].values(values) for values in raw]
        history = _HISTORY[model]
        first_entry = prepared.counted[history._meta.label] + 1
        entries = [
            tables[history].values((*values, key, now, row._change_reason, "+", None), made)
            for key, (row, values, made) in enumerate(
                zip(rows, raw, ready, strict=True), start=first_entry
            )
        ]
        for table, values in ((model, ready), (history, entries)):
            pieces.append((table._meta.label, values))
            prepared.counted[table._meta.label] += len(values)
        return rows

    pairs = store_rows(batch, count, reasons)
    prepared.tables = pickle.dumps(pieces, pickle.HIGHEST_PROTOCOL)
    prepared.reviews = [
        (programme.pk, review) for programme, record in pairs for review in record.reviews
    ]
    return prepared


class PreparedRecords:
    """Batches of prepared rows, kept in a scratch file until one transaction stores
    them. Use as a context manager, which removes the file; ``add`` each batch, then
    ``store`` once inside a transaction."""

    def __init__(self) -> None:
        # Removed when closed, by __exit__ (or by the system if the process dies).
        self._scratch: IO[bytes] = tempfile.TemporaryFile(prefix="guidebook-import-")  # noqa: SIM115
        self._batches: list[tuple[int, Counter[str]]] = []  # size, rows before it
        self._counted: Counter[str] = Counter()
        self._reviews: list[tuple[int, records.Review]] = []

    def __enter__(self) -> PreparedRecords:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._scratch.close()

    def add(self, batch: PreparedBatch) -> None:
        programmes = models.Programme._meta.label
        self._reviews += [
            (self._counted[programmes] + key, review) for key, review in batch.reviews
        ]
        self._batches.append((len(batch.tables), Counter(self._counted)))
        self._counted += batch.counted
        self._scratch.write(batch.tables)

    def store(self, history_reason: str) -> None:
        """Store every row added (inside the caller's transaction); ``history_reason`` is
        that of the assessment rounds made for them, which the files share."""
        connection = connections[DEFAULT_DB_ALIAS]
        tables = {table._meta.label: _table(table, connection) for table in _TABLES}
        keys = {
            label: _reserve(connection, tables[label].model, count)
            for label, count in self._counted.items()
        }
        copying = connection.vendor == "postgresql"
        self._scratch.seek(0)
        with connection.cursor() as cursor:
            for size, before in self._batches:
                for label, values in pickle.loads(self._scratch.read(size)):
                    table = tables[label]
                    rows = [table.with_keys(row, keys, before) for row in values]
                    if copying:
                        with cursor.copy(table.copy_sql) as copy:
                            for row in rows:
                                copy.write_row(row)
                    else:
                        cursor.executemany(table.sql, rows)
        programmes = keys[models.Programme._meta.label]
        links = [(programmes[key - 1], review) for key, review in self._reviews]
        link_reviews(links, {}, history_reason[:_REASON_LENGTH])


def _reserve(connection: BaseDatabaseWrapper, model: type[Model], count: int) -> Keys:
    """Keys for ``count`` new rows of ``model``, never given before."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return _sequence_values(connection, table, model._meta.pk.column, count)
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
    largest = model._default_manager.aggregate(largest=Max("pk"))["largest"] or 0
    first = max(int(given[0]) if given else 0, int(largest)) + 1
    return range(first, first + count)


def _reader(model: type[Model]) -> Callable[[Model], tuple[Any, ...]]:
    """A row's value for each column before Django makes it ready for the database:
    ``pre_save`` for an insert (which fills ``auto_now_add`` times), else the attribute."""
    concrete = model._meta.concrete_fields
    if len(concrete) > 1 and all(type(field).pre_save is Field.pre_save for field in concrete):
        attributes = attrgetter(*(field.attname for field in concrete))
        return lambda row: attributes(row)

    def read(row: Model) -> tuple[Any, ...]:
        return tuple(field.pre_save(row, True) for field in concrete)

    return read


def _table(model: type[Model], connection: BaseDatabaseWrapper) -> _Table:
    concrete = model._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in concrete)
    placeholders = ", ".join(["%s"] * len(concrete))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    recorded = getattr(model, "instance_type", None)  # set on history tables
    if recorded is None:
        picks = tuple(range(len(concrete)))
        same: tuple[int | None, ...] = (None,) * len(concrete)
    else:
        fields_recorded = recorded._meta.concrete_fields
        order = [field.attname for field in fields_recorded] + list(_HISTORY_COLUMNS)
        picks = tuple(order.index(field.attname) for field in concrete)
        same = tuple(
            index
            if index < len(fields_recorded) and _alike(field, fields_recorded[index])
            else None
            for field, index in zip(concrete, picks, strict=True)
        )
    savers = tuple(_saver(field, connection) for field in concrete)
    return _Table(model, sql, copy_sql, picks, savers, tuple(_keyed_columns(model)), same)


def _alike(copy: Field[Any, Any], field: Field[Any, Any]) -> bool:
    """Whether a history table's field makes a value ready as the recorded row's field
    does: the same kind (a key is not: its copy is a plain integer)."""
    return type(copy) is type(field) and not field.primary_key


def _keyed_columns(model: type[Model]) -> Iterator[tuple[int, str]]:
    """The columns of ``model`` holding a key counted by ``prepare``: its own key, those of
    the rows it points to, and in a history table the key of the row it records."""
    recorded = getattr(model, "instance_type", None)
    for column, field in enumerate(model._meta.concrete_fields):
        if field.primary_key:
            yield column, model._meta.label
        elif recorded is not None and field.attname == recorded._meta.pk.attname:
            yield column, recorded._meta.label
        elif field.is_relation and field.related_model in _HISTORY:
            yield column, field.related_model._meta.label


# Values Django hands to the database just as they are, whatever the database, when
# given to a column of these exact kinds: text to a text column, a boolean to a
# boolean column, a float to a float column, and NULL.
_AS_THEY_ARE: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    fields.CharField: (str, type(None)),
    fields.SlugField: (str, type(None)),
    fields.TextField: (str, type(None)),
    fields.EmailField: (str, type(None)),
    fields.URLField: (str, type(None)),
    fields.BooleanField: (bool, type(None)),
    fields.FloatField: (float, type(None)),
}
_INTEGERS = (
    fields.IntegerField,
    fields.PositiveIntegerField,
    fields.BigIntegerField,
    fields.AutoField,
    fields.BigAutoField,
)


def _saver(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` for one connection, which returns the values Django
    would return unchanged without calling it: it was most of the time of preparing.
    On PostgreSQL the value is then given as COPY sends it (``_as_copied``)."""
    save = field.get_db_prep_save
    unchanged = _unchanged(field, connection)
    copied = connection.vendor == "postgresql"

    def saved(value: Any) -> Any:
        if type(value) in unchanged:
            return value
        ready = save(value, connection)
        return _as_copied(ready) if copied else ready

    return saved


def _as_copied(value: Any) -> Any:
    """A value as COPY writes it to PostgreSQL, in the form that keeps best in the
    scratch file: psycopg's wrappers of an integer column's value as the integer, and
    of a JSON value as its text, written by the ``dumps`` Django gave it (COPY would
    call it to write the same text)."""
    kind = type(value)
    if kind is Int2 or kind is Int4 or kind is Int8:
        return int(value)
    if kind is Jsonb and value.dumps is not None:
        return value.dumps(value.obj)
    return value


def _unchanged(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> tuple[type, ...]:
    """The exact types of value ``get_db_prep_save`` returns as they are for ``field``."""
    kind = type(field)
    if isinstance(field, ForeignKey) and kind in (ForeignKey, OneToOneField):
        return _unchanged(field.target_field, connection)  # a key is saved as its target
    if kind in _AS_THEY_ARE:
        return _AS_THEY_ARE[kind]
    if kind in _INTEGERS:
        # An integer as it is, unless the database adapter wraps it (psycopg 3 does for
        # integer columns, not for keys) or checks a key (MySQL refuses 0).
        ops = type(connection.ops)
        if issubclass(kind, fields.AutoFieldMixin):
            plain = ops.validate_autopk_value is BaseDatabaseOperations.validate_autopk_value
        else:
            plain = ops.adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
        return (int, type(None)) if plain else (type(None),)
    return ()


def _sequence_values(connection: BaseDatabaseWrapper, table: str, column: str, count: int) -> Keys:
    """``count`` values from the key sequence of ``table``, in order: a range when no
    other writer took one meanwhile (nearly always), else the list of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH reserved AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS key"
            " FROM generate_series(1, %s))"
            " SELECT min(key), max(key),"
            " CASE WHEN max(key) - min(key) + 1 = count(*) THEN NULL"
            " ELSE array_agg(key ORDER BY key) END FROM reserved",
            [table, column, count],
        )
        first, last, scattered = cursor.fetchone()
    return range(first, last + 1) if scattered is None else scattered
