"""``guidebook rerate --standard psc-1.0``: the catalogue under a crosswalk standard.

A crosswalk rating is never the programme's shown rating, so there is nothing to
publish: the command rates each published snapshot's record afresh under today's rules
(pages show the results kept when the snapshot was written) and reports, like an EIF
re-rating, each programme's rating under the standard (or what it still needs), its EIF
rating, the rating the clearinghouse published, and the rule that kept it from the rung
above.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.catalogue.crosswalk import programme_ratings
from guidebook.catalogue.models import Snapshot
from guidebook.evidence.crosswalk import get_crosswalk_standard
from guidebook.evidence.crosswalk.result import summarise_needs

__all__ = ["CROSSWALK_FIELDS", "CrosswalkRerateRow", "crosswalk_rerate"]

CROSSWALK_FIELDS = ("programme", "name", "eif", "to", "published", "rule")


@dataclass(frozen=True)
class CrosswalkRerateRow:
    slug: str
    name: str
    eif: str
    to_rating: str
    published: str
    rule: str

    def cells(self) -> list[str]:
        return [self.slug, self.name, self.eif, self.to_rating, self.published, self.rule]


def crosswalk_rerate(key: str) -> tuple[CrosswalkRerateRow, ...]:
    """Each current snapshot rated under crosswalk standard ``key`` (``UnknownStandard``
    names the keys known)."""
    standard = get_crosswalk_standard(key)
    rows = []
    for snapshot in Snapshot.objects.filter(is_current=True).order_by("name", "pk"):
        ratings = programme_ratings(snapshot, fresh=True)
        result = ratings.computed[standard.key]
        published = ratings.published_for(standard)
        if result.value is None:
            rule = "needs " + summarise_needs(result.needs)
        else:
            rule = result.next_rule or "top rung met"
        rows.append(
            CrosswalkRerateRow(
                slug=snapshot.slug,
                name=snapshot.name,
                eif=snapshot.rating,
                to_rating=result.value or "cannot be rated",
                published=(published.value if published and published.value else "-"),
                rule=rule,
            )
        )
    return tuple(rows)
