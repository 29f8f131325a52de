"""The crosswalk over the published catalogue: each current snapshot rated under the
other clearinghouses' rules, beside the ratings those clearinghouses published.

Computed from the snapshot's own record, so it shows exactly what the public sees; the
published ratings are data (``crosswalk_ratings.json``, docs/methodology/crosswalk.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.crosswalk.agreement import Comparison, ProgrammeRatings, compare_programme
from guidebook.evidence.crosswalk.published import PublishedRating, published_from_dict
from guidebook.evidence.record_json import programme_from_stored

__all__ = [
    "PUBLISHED_RATINGS",
    "catalogue_comparisons",
    "programme_ratings",
    "published_ratings",
]

PUBLISHED_RATINGS = Path(__file__).with_name("crosswalk_ratings.json")


@cache
def published_ratings() -> tuple[PublishedRating, ...]:
    """Every published rating in the repository's data file (read once)."""
    data = json.loads(PUBLISHED_RATINGS.read_text(encoding="utf-8"))
    return published_from_dict(data, PUBLISHED_RATINGS.name)


def programme_ratings(snapshot: Snapshot) -> ProgrammeRatings:
    """One snapshot's EIF rating, crosswalk results and published ratings."""
    record = programme_from_stored(snapshot.record)
    return ProgrammeRatings(
        slug=snapshot.slug,
        name=snapshot.name,
        eif=snapshot.rating,
        computed={s.key: s.rate(record) for s in crosswalk_standards()},
        published=[p for p in published_ratings() if p.programme == snapshot.slug],
    )


def catalogue_comparisons() -> tuple[Comparison, ...]:
    """Every comparison over the current published catalogue, by programme name."""
    snapshots = Snapshot.objects.filter(is_current=True).order_by("name")
    return tuple(row for s in snapshots for row in compare_programme(programme_ratings(s)))
