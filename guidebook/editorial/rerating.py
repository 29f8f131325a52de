"""Re-rating the published catalogue under a standard, from what was published.

Each current snapshot's own record is rated again, never the live records, so work
under way in an assessment round cannot slip into a re-rating. A programme whose
inputs (record, standard key and version) hash the same as its snapshot's is left
alone: re-rating unchanged inputs changes nothing. The others get a new snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from guidebook.catalogue.models import Programme, Snapshot
from guidebook.catalogue.publishing import write_snapshot
from guidebook.evidence.assessment import Assessment as RatedProgramme
from guidebook.evidence.assessment import assess
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.standards import get_standard

Progress = Callable[[list[Snapshot]], Iterable[Snapshot]]


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
    snapshot: Snapshot = field(repr=False, compare=False)
    rated: RatedProgramme = field(repr=False, compare=False)

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


def _each(snapshots: list[Snapshot]) -> Iterator[Snapshot]:
    yield from snapshots


def rerate_report(standard_key: str, progress: Progress = _each) -> RerateReport:
    """What re-rating every current snapshot under ``standard_key`` would change.

    Raises ``UnknownStandard`` (naming the known keys) for a key not registered.
    """
    standard = get_standard(standard_key)
    snapshots = list(Snapshot.objects.filter(is_current=True).order_by("name", "pk"))
    rows = []
    for snapshot in progress(snapshots):
        record = programme_from_dict(snapshot.record, source=f"snapshot of '{snapshot.slug}'")
        rated = assess(record, standard.key)
        new: dict[str, Any] = rated.to_dict()
        shown = new["shown"]["value"]
        old = snapshot.assessment
        rows.append(
            RerateRow(
                slug=snapshot.slug,
                name=snapshot.name,
                from_rating=snapshot.rating,
                to_rating=str(shown),
                from_standard=f"{snapshot.standard_key} {snapshot.standard_version}",
                to_standard=f"{standard.key} {standard.version}",
                deciding_rules=deciding_rules(old, new) if snapshot.rating != shown else (),
                republish=new["inputs_hash"] != snapshot.inputs_hash,
                snapshot=snapshot,
                rated=rated,
            )
        )
    return RerateReport(standard.key, standard.version, tuple(rows))


@transaction.atomic
def republish(row: RerateRow, by: User | None, note: str) -> Snapshot:
    """A new current snapshot of the same record, rated as in the report row."""
    Programme.objects.select_for_update().get(pk=row.snapshot.programme_id)
    return write_snapshot(row.snapshot.programme_id, row.rated, by=by, note=note)


def apply_report(report: RerateReport, by: User | None, note: str) -> list[Snapshot]:
    """Publish every row of the report whose inputs changed; the others stay as they are."""
    note = note.strip() or f"Re-rated under {report.standard_key} {report.standard_version}"
    return [republish(row, by, note) for row in report.to_republish]
