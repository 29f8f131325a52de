"""The crosswalk over the published catalogue: each current snapshot rated under the
other clearinghouses' rules, beside the ratings those clearinghouses published.

Rated from the snapshot's own record, so it shows exactly what the public sees. The
results are rated once, when the snapshot is written, and kept in it
(``Snapshot.crosswalk``): a page reads them back rather than rating the record again,
which keeps the numerical libraries the rules need out of the web workers. A snapshot
kept before a standard was added or revised is rated afresh. The published ratings
are data (``crosswalk_ratings.json``, docs/methodology/crosswalk.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.crosswalk.agreement import Comparison, ProgrammeRatings, compare_programme
from guidebook.evidence.crosswalk.published import PublishedRating, published_from_dict
from guidebook.evidence.crosswalk.result import CrosswalkResult, result_from_dict
from guidebook.evidence.record_json import programme_from_stored
from guidebook.evidence.records import Programme

__all__ = [
    "PUBLISHED_RATINGS",
    "catalogue_comparisons",
    "crosswalk_results",
    "programme_ratings",
    "published_ratings",
]

PUBLISHED_RATINGS = Path(__file__).with_name("crosswalk_ratings.json")


@cache
def published_ratings() -> tuple[PublishedRating, ...]:
    """Every published rating in the repository's data file (read once)."""
    data = json.loads(PUBLISHED_RATINGS.read_text(encoding="utf-8"))
    return published_from_dict(data, PUBLISHED_RATINGS.name)


def _rated(record: Programme) -> dict[str, CrosswalkResult]:
    return {s.key: s.rate(record) for s in crosswalk_standards()}


def crosswalk_results(record: Programme) -> dict[str, Any]:
    """The record rated under every crosswalk standard, by key, as a snapshot keeps it."""
    return {key: result.to_dict() for key, result in _rated(record).items()}


def _stored_results(snapshot: Snapshot) -> dict[str, CrosswalkResult] | None:
    """The results the snapshot kept, if they were rated under today's standards."""
    kept = snapshot.crosswalk or {}
    today = {s.key: s.version for s in crosswalk_standards()}
    if {key: result["standard"]["version"] for key, result in kept.items()} != today:
        return None
    return {key: result_from_dict(kept[key]) for key in today}


def programme_ratings(snapshot: Snapshot, *, fresh: bool = False) -> ProgrammeRatings:
    """One snapshot's EIF rating, crosswalk results and published ratings: the results
    kept in the snapshot, or rated from its record when ``fresh`` or none fit."""
    computed = None if fresh else _stored_results(snapshot)
    if computed is None:
        computed = _rated(programme_from_stored(snapshot.record))
    return ProgrammeRatings(
        slug=snapshot.slug,
        name=snapshot.name,
        eif=snapshot.rating,
        computed=computed,
        published=[p for p in published_ratings() if p.programme == snapshot.slug],
    )


def catalogue_comparisons() -> tuple[Comparison, ...]:
    """Every comparison over the current published catalogue, by programme name."""
    snapshots = Snapshot.objects.filter(is_current=True).order_by("name")
    return tuple(row for s in snapshots for row in compare_programme(programme_ratings(s)))
