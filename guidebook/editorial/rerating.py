"""Re-rating the published catalogue under a standard, from what was published.

Each current snapshot's own record is rated again, never the live records, so work
under way in an assessment round cannot slip into a re-rating. A programme whose
inputs (record, standard key and version) hash the same as its snapshot's is left
alone: re-rating unchanged inputs changes nothing. The others get a new snapshot.

The catalogue is read in chunks, never all at once, and a report row keeps only what
it shows: memory stays small at any catalogue size. A snapshot's record is built
without checking it again when it still gives the snapshot's ``inputs_hash``, which
proves it is the very record checked and rated at publication (most of the cost of
reading a record is those checks); any other record is checked in full. The previous
assessment, a large column, is read only for the programmes whose rating changes, to
name the rules that changed it. Applying rates each republished record again rather
than keeping every assessment of the report in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction

from guidebook.catalogue.models import Programme, Snapshot
from guidebook.catalogue.publishing import write_snapshot
from guidebook.evidence.assessment import Assessment as RatedProgramme
from guidebook.evidence.assessment import assess, inputs_hash, record_inputs_hash
from guidebook.evidence.record_json import programme_from_dict, programme_from_stored
from guidebook.evidence.records import Programme as ProgrammeRecord
from guidebook.evidence.standards import Standard, get_standard

Progress = Callable[[Iterable[Snapshot], int], Iterable[Snapshot]]
"""Wraps the snapshots as they are read, given how many there are (a progress bar)."""

CHUNK_SIZE = 500
"""Snapshots read from the database at a time."""

_COLUMNS = (
    "programme_id",
    "slug",
    "name",
    "rating",
    "standard_key",
    "standard_version",
    "inputs_hash",
    "record",
)
"""The snapshot columns the report reads for every programme (``assessment`` only when
the rating changes)."""


@dataclass(frozen=True)
class RerateRow:
    slug: str
    name: str
    from_rating: str
    to_rating: str
    from_standard: str
    to_standard: str
    deciding_rules: tuple[str, ...]
    # True when the inputs differ from the snapshot's: applying publishes a new one.
    republish: bool
    snapshot_id: int = field(repr=False, compare=False)
    programme_id: int = field(repr=False, compare=False)

    @property
    def rating_changes(self) -> bool:
        return self.from_rating != self.to_rating

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.slug,
            "name": self.name,
            "from": self.from_rating,
            "to": self.to_rating,
            "from_standard": self.from_standard,
            "to_standard": self.to_standard,
            "rule": "; ".join(self.deciding_rules),
            "republish": self.republish,
        }


@dataclass(frozen=True)
class RerateReport:
    standard_key: str
    standard_version: str
    rows: tuple[RerateRow, ...]

    @property
    def changed(self) -> list[RerateRow]:
        return [row for row in self.rows if row.rating_changes]

    @property
    def to_republish(self) -> list[RerateRow]:
        return [row for row in self.rows if row.republish]

    def summary(self, applied: bool) -> str:
        verb = "were published" if applied else "would be published"
        return (
            f"{len(self.rows)} published programme(s) re-rated under {self.standard_key} "
            f"{self.standard_version}: {len(self.changed)} rating(s) change, "
            f"{len(self.to_republish)} new snapshot(s) {verb}."
        )


def _met_by_rule(reasons: Iterable[dict[str, Any]]) -> dict[tuple[str, Any], bool]:
    return {(reason["rule"], reason["subject"]): bool(reason["met"]) for reason in reasons}


def deciding_rules(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """The programme rules whose outcome differs between two assessments, else the
    studies whose level differs. A rule one standard does not evaluate counts as not met."""
    before, after = _met_by_rule(old["reasons"]), _met_by_rule(new["reasons"])
    rules = sorted(
        {
            rule
            for (rule, subject) in before.keys() | after.keys()
            if before.get((rule, subject), False) != after.get((rule, subject), False)
        }
    )
    if rules:
        return tuple(rules)
    old_levels = {item["study"]: item["level"] for item in old["study_levels"]}
    return tuple(
        f"{item['study']} level {old_levels.get(item['study'], 'none')} to {item['level']}"
        for item in new["study_levels"]
        if old_levels.get(item["study"]) != item["level"]
    )


def _each(snapshots: Iterable[Snapshot], count: int) -> Iterator[Snapshot]:
    yield from snapshots


def _as_published(snapshot: Snapshot) -> bool:
    """Whether the stored record still gives the snapshot's ``inputs_hash``: then it is
    the very record that was checked and rated when the snapshot was published."""
    stored = snapshot.record
    return isinstance(stored, dict) and snapshot.inputs_hash == record_inputs_hash(
        stored, snapshot.standard_key, snapshot.standard_version
    )


def _record(snapshot: Snapshot, as_published: bool) -> ProgrammeRecord:
    if as_published:
        return programme_from_stored(snapshot.record)
    return programme_from_dict(snapshot.record, source=f"snapshot of '{snapshot.slug}'")


def published_record(snapshot: Snapshot) -> ProgrammeRecord:
    """The record ``snapshot`` published, checked again only if it is not provably the
    one checked at publication."""
    return _record(snapshot, _as_published(snapshot))


def _rules_and_levels(rated: RatedProgramme) -> dict[str, Any]:
    """The parts of ``rated.to_dict()`` that ``deciding_rules`` compares."""
    return {
        "reasons": [reason.to_dict() for reason in rated.result.reasons],
        "study_levels": [
            {"study": key, "level": study.level.value}
            for key, study in rated.result.studies.items()
        ],
    }


def _row(snapshot: Snapshot, standard: Standard) -> RerateRow:
    as_published = _as_published(snapshot)
    record = _record(snapshot, as_published)
    rated = assess(record, standard.key)
    new_hash = (
        record_inputs_hash(snapshot.record, standard.key, standard.version)
        if as_published
        else inputs_hash(record, standard)
    )
    shown = rated.shown_value
    changes = snapshot.rating != shown
    return RerateRow(
        slug=snapshot.slug,
        name=snapshot.name,
        from_rating=snapshot.rating,
        to_rating=shown,
        from_standard=f"{snapshot.standard_key} {snapshot.standard_version}",
        to_standard=f"{standard.key} {standard.version}",
        # Reading the stored assessment (deferred) costs a query: only where it is needed.
        deciding_rules=deciding_rules(snapshot.assessment, _rules_and_levels(rated))
        if changes
        else (),
        republish=new_hash != snapshot.inputs_hash,
        snapshot_id=snapshot.pk,
        programme_id=snapshot.programme_id,
    )


def rerate_report(standard_key: str, progress: Progress = _each) -> RerateReport:
    """What re-rating every current snapshot under ``standard_key`` would change.

    Raises ``UnknownStandard`` (naming the known keys) for a key not registered.
    """
    standard = get_standard(standard_key)
    current = Snapshot.objects.filter(is_current=True)
    query = current.order_by("name", "pk").only(*_COLUMNS)
    # QuerySet.iterator() is a generator (typed only as an iterator).
    snapshots = cast(Generator[Snapshot, None, None], query.iterator(chunk_size=CHUNK_SIZE))
    # Closed at once even when a record stops the report: on PostgreSQL the rows come
    # through a server-side cursor, which must be closed in the transaction it lives in.
    with closing(snapshots):
        rows = tuple(_row(snapshot, standard) for snapshot in progress(snapshots, current.count()))
    return RerateReport(standard.key, standard.version, rows)


@transaction.atomic
def republish(row: RerateRow, standard_key: str, by: User | None, note: str) -> Snapshot:
    """A new current snapshot of the same record, rated as in the report row (again:
    the report keeps no assessments, so that it stays small)."""
    Programme.objects.select_for_update().get(pk=row.programme_id)
    snapshot = Snapshot.objects.get(pk=row.snapshot_id)
    rated = assess(published_record(snapshot), standard_key)
    return write_snapshot(row.programme_id, rated, by=by, note=note)


def apply_report(report: RerateReport, by: User | None, note: str) -> list[Snapshot]:
    """Publish every row of the report whose inputs changed; the others stay as they are."""
    note = note.strip() or f"Re-rated under {report.standard_key} {report.standard_version}"
    return [republish(row, report.standard_key, by, note) for row in report.to_republish]
