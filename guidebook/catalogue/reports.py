"""Staff reports over the published catalogue.

The imported-ratings report sets each published programme's computed ratings beside
the ratings imported from the source it was taken from and, where they differ, names
the rule that decides it and the recorded facts behind it (``evidence.disagreement``
and ``evidence.cost_disagreement``): the report is the evidence team's list of what
to appraise, which facts to check and which cost inputs to find. The evidence rating
is compared in full (level, plus and asterisk) under every registered standard, so
the report can say how many agree under each; the table shows one standard, by
default the one each snapshot was published under. It reads current snapshots only,
so it shows exactly what the public sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import programme_cost
from guidebook.evidence.cost_disagreement import CostDisagreement, explain_cost_disagreement
from guidebook.evidence.disagreement import Disagreement, explain_disagreement
from guidebook.evidence.record_json import programme_from_stored
from guidebook.evidence.records import Programme
from guidebook.evidence.standards import all_standards, get_standard, newest_standard_key

__all__ = [
    "Comparison",
    "ImportedRatingRow",
    "ImportedRatingsReport",
    "compare_programme",
    "compare_snapshot",
    "imported_ratings_report",
    "programmes_report",
]


@dataclass(frozen=True)
class Comparison:
    """One rating computed here against the same rating as the source published it.

    ``details`` holds one sentence per rule that decides a difference, ``rules`` their
    ids and ``subjects`` what each is about (study keys, or cost inputs).
    """

    computed: str
    imported: str
    details: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    subjects: tuple[tuple[str, ...], ...] = ()

    @property
    def agrees(self) -> bool:
        return self.computed == self.imported

    @property
    def reason(self) -> str:
        return " ".join(self.details)


def evidence_comparison(disagreement: Disagreement) -> Comparison:
    deciders = disagreement.deciders
    return Comparison(
        disagreement.computed,
        disagreement.published,
        tuple(d.text for d in deciders),
        tuple(d.rule for d in deciders),
        tuple(d.studies for d in deciders),
    )


def cost_comparison(disagreement: CostDisagreement) -> Comparison:
    if disagreement.agrees:
        return Comparison(disagreement.computed, disagreement.published)
    return Comparison(
        disagreement.computed,
        disagreement.published,
        (disagreement.text,),
        (disagreement.rule,),
        (disagreement.inputs,),
    )


@dataclass(frozen=True)
class ImportedRatingRow:
    """One programme: ``evidence`` under the report's standard, ``by_standard`` under each."""

    slug: str
    name: str
    source: str
    standard: str
    evidence: Comparison
    cost: Comparison
    by_standard: Mapping[str, Comparison] = field(hash=False)

    @property
    def agrees(self) -> bool:
        return self.evidence.agrees and self.cost.agrees


@dataclass(frozen=True)
class ImportedRatingsReport:
    rows: tuple[ImportedRatingRow, ...]
    standards: tuple[str, ...]
    standard: str | None = None

    @property
    def disagreements(self) -> tuple[ImportedRatingRow, ...]:
        return tuple(row for row in self.rows if not row.agrees)

    @property
    def agreements(self) -> tuple[ImportedRatingRow, ...]:
        return tuple(row for row in self.rows if row.agrees)

    def agreeing(self, standard: str) -> int:
        """How many programmes' evidence ratings agree exactly under ``standard``."""
        return sum(row.by_standard[standard].agrees for row in self.rows)

    @property
    def agreement_lines(self) -> tuple[str, ...]:
        """'N of M agree exactly (level, plus, asterisk) under KEY', newest standard first."""
        total = len(self.rows)
        return tuple(
            f"{self.agreeing(key)} of {total} agree exactly (level, plus, asterisk) under {key}"
            for key in reversed(self.standards)
        )

    @property
    def summary(self) -> str:
        evidence = sum(not row.evidence.agrees for row in self.rows)
        cost = sum(not row.cost.agrees for row in self.rows)
        return (
            f"{_count(len(self.rows), 'programme')} with an imported rating: "
            f"{evidence} disagree on the evidence rating, {cost} on the cost rating, "
            f"{len(self.agreements)} agree on both."
        )


def _count(number: int, singular: str) -> str:
    return f"{number} {singular if number == 1 else singular + 's'}"


def compare_programme(
    programme: Programme, cost: Mapping[str, Any], standard: str
) -> ImportedRatingRow | None:
    """Computed against imported ratings for one programme (None if nothing was imported).

    The evidence rating is computed under every registered standard; ``standard`` is the
    one the row shows. ``cost`` is the programme's cost estimate as plain data.
    """
    imported = programme.imported
    if imported is None:
        return None
    by_standard = {
        std.key: evidence_comparison(
            explain_disagreement(programme, std.rate(programme), imported.evidence_rating)
        )
        for std in all_standards()
    }
    return ImportedRatingRow(
        programme.slug,
        programme.name,
        imported.source,
        standard,
        by_standard[standard],
        cost_comparison(explain_cost_disagreement(cost, imported.cost_rating)),
        by_standard,
    )


def compare_snapshot(snapshot: Snapshot, standard: str | None = None) -> ImportedRatingRow | None:
    """``compare_programme`` for a published snapshot: its record, re-rated, and its cost.

    Re-rating the stored record under the snapshot's own standard reproduces its stored
    rating (the inputs hash ties the two), and gives the reasons a disagreement needs.
    """
    if not snapshot.assessment.get("imported"):
        return None
    programme = programme_from_stored(snapshot.record)
    shown = standard or snapshot.assessment["standard"]["key"]
    return compare_programme(programme, snapshot.cost, shown)


def imported_ratings_report(
    snapshots: Iterable[Snapshot] | None = None, standard: str | None = None
) -> ImportedRatingsReport:
    """The report over the given snapshots, by default every current one, by name.

    ``standard`` chooses the standard the rows show (``UnknownStandard`` if it is not
    registered); by default each row shows the standard its snapshot was published under.
    """
    if standard is not None:
        get_standard(standard)
    if snapshots is None:
        snapshots = (
            Snapshot.objects.filter(is_current=True)
            .only("slug", "name", "record", "assessment", "cost")
            .order_by("name")
        )
    rows = (compare_snapshot(snapshot, standard) for snapshot in snapshots)
    return _report(rows, standard)


def programmes_report(
    programmes: Iterable[Programme], standard: str | None = None
) -> ImportedRatingsReport:
    """The report over programme records not published here (record files), by name.

    Each is costed as publishing would cost it; rows show ``standard``, by default the
    newest, the one publishing would use.
    """
    shown = standard or newest_standard_key()
    get_standard(shown)
    rows = (compare_programme(p, programme_cost(p), shown) for p in programmes)
    return _report(rows, shown)


def _report(
    rows: Iterable[ImportedRatingRow | None], standard: str | None
) -> ImportedRatingsReport:
    # Sorted here, not by the database, so every database gives the same order.
    present = sorted((row for row in rows if row is not None), key=lambda row: row.name.casefold())
    keys = tuple(std.key for std in all_standards())
    return ImportedRatingsReport(tuple(present), keys, standard)
