"""The "Rated under other clearinghouses' rules" section of a programme page, its JSON
twin and PDF: one row per clearinghouse, computed here beside what it published."""

from __future__ import annotations

from typing import Any

from guidebook.catalogue.crosswalk import programme_ratings
from guidebook.catalogue.models import Snapshot
from guidebook.evidence.crosswalk import NOT_YET_IMPLEMENTED, crosswalk_standards
from guidebook.evidence.crosswalk.agreement import DIFFER, compare_programme, published_value
from guidebook.evidence.crosswalk.published import PublishedRating
from guidebook.evidence.crosswalk_vocabulary import CLEARINGHOUSES

__all__ = ["crosswalk_rows"]


def _published(rating: PublishedRating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "value": rating.value,
        "status": rating.status,
        "name_there": rating.name_there,
        "match": rating.match,
        "source_url": rating.source_url,
        "handbook_version": rating.handbook_version,
        "date_reviewed": rating.date_reviewed,
        "note": rating.note,
    }


def crosswalk_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Each clearinghouse's row: the standard, the computed result (or what it needs,
    or "not implemented"), the published rating with its source, and why they differ."""
    ratings = programme_ratings(snapshot)
    against = {row.left: row for row in compare_programme(ratings) if row.kind == "published"}
    rows: list[dict[str, Any]] = []
    for standard in crosswalk_standards():
        result = ratings.computed[standard.key]
        published = ratings.published_for(standard)
        comparison = against[standard.key]
        rows.append(
            {
                "clearinghouse": CLEARINGHOUSES[standard.clearinghouse],
                "standard": {
                    "key": standard.key,
                    "version": standard.version,
                    "title": standard.title,
                },
                "computed": result.to_dict(),
                "shown": result.shown(),
                "published": _published(published),
                "comparable": published is not None
                and published_value(standard, published) is not None,
                "outcome": comparison.outcome,
                "differs": comparison.outcome == DIFFER,
                "why": comparison.why,
            }
        )
    for key, name, missing in NOT_YET_IMPLEMENTED:
        published = next((p for p in ratings.published if p.clearinghouse == key), None)
        rows.append(
            {
                "clearinghouse": name,
                "standard": None,
                "computed": None,
                "shown": "Not yet implemented",
                "published": _published(published),
                "comparable": False,
                "outcome": "not comparable",
                "differs": False,
                "why": missing,
            }
        )
    return rows
