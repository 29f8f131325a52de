"""Staff reports over the published catalogue.

The imported-ratings report sets each published programme's computed ratings beside
the ratings imported from the source it was taken from, and says why they differ.
While a programme's studies are not appraised here, the two will differ by design: the
report is the evidence team's list of what to appraise and which cost inputs to find.
It reads current snapshots only, so it shows exactly what the public sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.rating_basis import study_is_appraised
from guidebook.evidence.cost import NOT_AVAILABLE
from guidebook.evidence.standards import rating_rank

__all__ = [
    "Comparison",
    "ImportedRatingRow",
    "ImportedRatingsReport",
    "compare_snapshot",
    "imported_ratings_report",
]


@dataclass(frozen=True)
class Comparison:
    """One rating computed here against the same rating as the source published it."""

    computed: str
    imported: str
    reason: str = ""

    @property
    def agrees(self) -> bool:
        return self.computed == self.imported


@dataclass(frozen=True)
class ImportedRatingRow:
    slug: str
    name: str
    source: str
    evidence: Comparison
    cost: Comparison

    @property
    def agrees(self) -> bool:
        return self.evidence.agrees and self.cost.agrees


@dataclass(frozen=True)
class ImportedRatingsReport:
    rows: tuple[ImportedRatingRow, ...]

    @property
    def disagreements(self) -> tuple[ImportedRatingRow, ...]:
        return tuple(row for row in self.rows if not row.agrees)

    @property
    def agreements(self) -> tuple[ImportedRatingRow, ...]:
        return tuple(row for row in self.rows if row.agrees)

    @property
    def summary(self) -> str:
        evidence = sum(not row.evidence.agrees for row in self.rows)
        cost = sum(not row.cost.agrees for row in self.rows)
        return (
            f"{_count(len(self.rows), 'programme')} with an imported rating: "
            f"{evidence} disagree on the evidence rating, {cost} on the cost rating, "
            f"{len(self.agreements)} agree on both."
        )


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _evidence_reason(record: Mapping[str, Any], assessment: Mapping[str, Any]) -> str:
    studies = record.get("studies", [])
    # Appraised as every public format counts it: a consensus appraisal (rating_basis).
    levels = assessment.get("study_levels", [])
    appraised = [level for level in levels if study_is_appraised(level)]
    if not studies:
        return "no study recorded"
    if not appraised:
        studies_count = _count(len(studies), "study", "studies")
        return f"no appraised study recorded ({studies_count} without a consensus appraisal)"
    computed, imported = assessment["rating"]["value"], assessment["imported"]["evidence_rating"]
    standard = assessment["standard"]
    reason = (
        f"computed from {_count(len(appraised), 'appraised study', 'appraised studies')} "
        f"under {standard['key']} {standard['version']}"
    )
    not_higher = assessment["explanation"].get("not_higher") or []
    if rating_rank(computed) < rating_rank(imported) and not_higher:
        reason += ": " + " ".join(not_higher)
    return reason


def _cost_reason(cost: Mapping[str, Any], imported: str) -> str:
    if cost["rating"] == NOT_AVAILABLE and cost["missing"]:
        missing = "; ".join(item["label"] for item in cost["missing"])
        return f"cost inputs not recorded: {missing}"
    if cost["rating"] == NOT_AVAILABLE:
        bands = " or ".join(cost["ratings"])
        deciding = "; ".join(item["label"] for item in cost["deciding"])
        inputs = f"; deciding: {deciding}" if deciding else ""
        return (
            f"unknown cost inputs could make it {bands} (£{cost['range']['low']:,.2f} to "
            f"£{cost['range']['high']:,.2f} a child){inputs}"
        )
    estimate = f"Guidebook estimates £{cost['unit_cost']:,.2f} a child"
    if imported == NOT_AVAILABLE:
        return f"the source gives no cost rating; {estimate}"
    return f"{estimate} (band {cost['rating']})"


def compare_snapshot(
    slug: str,
    name: str,
    record: Mapping[str, Any],
    assessment: Mapping[str, Any],
    cost: Mapping[str, Any],
) -> ImportedRatingRow | None:
    """Computed against imported ratings for one published programme (None if nothing was
    imported). ``record``, ``assessment`` and ``cost`` are a snapshot's JSON fields."""
    imported = assessment.get("imported")
    if not imported:
        return None
    computed, published = assessment["rating"]["value"], imported["evidence_rating"]
    evidence_reason = "" if computed == published else _evidence_reason(record, assessment)
    cost_published = imported["cost_rating"]
    cost_reason = "" if cost["rating"] == cost_published else _cost_reason(cost, cost_published)
    return ImportedRatingRow(
        slug,
        name,
        imported["source"],
        Comparison(computed, published, evidence_reason),
        Comparison(cost["rating"], cost_published, cost_reason),
    )


def imported_ratings_report(snapshots: Iterable[Snapshot] | None = None) -> ImportedRatingsReport:
    """The report over the given snapshots, by default every current one, by name."""
    if snapshots is None:
        snapshots = (
            Snapshot.objects.filter(is_current=True)
            .only("slug", "name", "record", "assessment", "cost")
            .order_by("name")
        )
    rows = (compare_snapshot(s.slug, s.name, s.record, s.assessment, s.cost) for s in snapshots)
    return ImportedRatingsReport(tuple(row for row in rows if row is not None))
