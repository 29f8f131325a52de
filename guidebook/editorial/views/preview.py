"""The working record of a programme as it would be published, for staff and its provider.

This is the only place the editorial screens rate a programme: through the core's
``assess``, exactly as publication will. It is never shown to the public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guidebook.catalogue.convert import programmes_with_records, to_record
from guidebook.catalogue.models import Programme
from guidebook.evidence import vocabulary
from guidebook.evidence.assessment import assess
from guidebook.evidence.cost import estimate_programme_cost
from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.errors import RecordError
from guidebook.evidence.records import Programme as ProgrammeRecord


@dataclass(frozen=True)
class DraftPreview:
    record: ProgrammeRecord | None
    rating: dict[str, Any] | None
    cost: dict[str, Any] | None
    problems: tuple[str, ...] = ()

    def study_levels(self) -> dict[str, dict[str, Any]]:
        if self.rating is None:
            return {}
        return {item["study"]: item for item in self.rating["study_levels"]}

    def characteristics(self) -> list[tuple[str, list[str]]]:
        if self.record is None:
            return []
        traits = self.record.characteristics
        return [
            (
                "Age groups",
                [vocabulary.label_of(vocabulary.AGE_GROUPS, k) for k in traits.age_groups],
            ),
            (
                "Level of need",
                [vocabulary.label_of(vocabulary.TARGETING, k) for k in traits.targeting],
            ),
            (
                "Delivery models",
                [
                    vocabulary.label_of(vocabulary.DELIVERY_MODELS, k)
                    for k in traits.delivery_models
                ],
            ),
            ("Settings", [vocabulary.label_of(vocabulary.SETTINGS, k) for k in traits.settings]),
            ("Countries", list(traits.countries)),
        ]


def draft_preview(programme: Programme) -> DraftPreview:
    """The programme's current record, rating and cost, or the problems that stop them."""
    try:
        record = to_record(programmes_with_records().get(pk=programme.pk))
        rating = assess(record).to_dict()
        cost = estimate_programme_cost(record).to_dict()
    except RecordError as error:
        return DraftPreview(None, None, None, tuple(str(p) for p in error.problems))
    return DraftPreview(record, rating, cost)


def crosswalk_preview(programme: Programme) -> list[dict[str, str]]:
    """What each crosswalk standard makes of the working record: a rating, or what it
    still needs; empty when the record has problems (``draft_preview`` lists them)."""
    record = draft_preview(programme).record
    if record is None:
        return []
    return [
        {"key": s.key, "title": s.title, "shown": s.rate(record).shown()}
        for s in crosswalk_standards()
    ]
