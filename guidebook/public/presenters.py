"""What a programme page shows, built once from the stored record and the core's results.

The HTML page and its JSON twin come from the same data, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guidebook.catalogue import models
from guidebook.catalogue.published_records import published_record
from guidebook.catalogue.rating_basis import (
    cost_basis,
    evidence_basis,
    public_assessment,
    public_cost,
)
from guidebook.evidence import vocabulary
from guidebook.evidence.explain import describe_level
from guidebook.evidence.records import Programme as ProgrammeRecord
from guidebook.evidence.records import Study as StudyRecord
from guidebook.evidence.standards import DEFAULT_LIMITS, judge_finding
from guidebook.public.summaries import session_length

_CHARACTERISTIC_BLOCKS = [
    (
        "age_groups",
        vocabulary.AGE_GROUPS,
        "Who is it for?",
        "Its best evidence concerns these age groups:",
    ),
    (
        "delivery_models",
        vocabulary.DELIVERY_MODELS,
        "How is it delivered?",
        "Its best evidence concerns delivery in these ways:",
    ),
    (
        "settings",
        vocabulary.SETTINGS,
        "Where is it delivered?",
        "Its best evidence concerns delivery in these settings:",
    ),
    (
        "targeting",
        vocabulary.TARGETING,
        "How is it targeted?",
        "Its best evidence concerns delivery to families at this level of need:",
    ),
]


@dataclass(frozen=True)
class ProgrammePage:
    """A published programme as its page shows it."""

    snapshot: models.Snapshot
    record: ProgrammeRecord
    history: list[dict[str, str]]

    @property
    def assessment(self) -> dict[str, Any]:
        """The assessment as the public sees it (``rating_basis.public_assessment``)."""
        return public_assessment(self.snapshot.assessment)

    @property
    def cost(self) -> dict[str, Any]:
        return public_cost(self.snapshot.cost, self.snapshot.assessment)

    def context(self) -> dict[str, Any]:
        evidence = evidence_basis(self.snapshot.assessment)
        assessment = self.assessment
        return {
            "record": self.record,
            "assessment": assessment,
            "cost": self.cost,
            "evidence_basis": evidence,
            "cost_basis": cost_basis(self.snapshot.cost, self.snapshot.assessment),
            # An imported rating means what its level means; why it is that level is
            # the source's to say, so nothing programme-specific is added.
            "rating_meaning": describe_level(evidence.value) if evidence.imported else "",
            "reviews": [f"{r.name}, {r.date:%B %Y}" for r in self.record.reviews],
            "characteristics": _characteristics(self.record),
            "session_length": session_length(self.record),
            "studies": _studies(self.record, assessment),
            "history": self.history,
            "published_at": self.snapshot.published_at,
            "published_outcomes": _published_outcomes(self.record),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.snapshot.record,
            "rating": self.assessment,
            "cost": self.cost,
            "published_at": self.snapshot.published_at.isoformat(),
            "rating_history": self.history,
        }


def rating_history(snapshots: list[models.Snapshot]) -> list[dict[str, str]]:
    """Each publication's date, rating (computed or imported), standard and review, oldest
    first."""
    return [
        {
            "published": snapshot.published_at.date().isoformat(),
            "rating": snapshot.rating,
            "source": snapshot.rating_source,
            "standard": f"{snapshot.standard_key} {snapshot.standard_version}",
            "review": snapshot.review,
            "note": snapshot.note,
        }
        for snapshot in sorted(snapshots, key=lambda s: s.published_at)
    ]


def build_programme_page(
    snapshot: models.Snapshot, history: list[models.Snapshot]
) -> ProgrammePage:
    record = published_record(snapshot)
    return ProgrammePage(snapshot=snapshot, record=record, history=rating_history(history))


def _published_outcomes(record: ProgrammeRecord) -> list[dict[str, Any]]:
    """The child outcomes the source of an imported rating published, by category."""
    if record.imported is None:
        return []
    groups: dict[str, list[str]] = {}
    for item in record.imported.outcomes:
        outcomes = groups.setdefault(item.category, [])
        if item.outcome:
            outcomes.append(item.outcome)
    return [
        {
            "label": vocabulary.label_of(vocabulary.OUTCOME_CATEGORIES, category),
            "outcomes": outcomes,
        }
        for category, outcomes in groups.items()
    ]


def _characteristics(record: ProgrammeRecord) -> list[dict[str, Any]]:
    blocks = []
    for field, vocab, question, intro in _CHARACTERISTIC_BLOCKS:
        keys = getattr(record.characteristics, field)
        blocks.append(
            {
                "question": question,
                "intro": intro if keys else "",
                "labels": [vocabulary.label_of(vocab, key) for key in keys],
            }
        )
    return blocks


def _studies(record: ProgrammeRecord, assessment: dict[str, Any]) -> list[dict[str, Any]]:
    levels = {item["study"]: item for item in assessment["study_levels"]}
    return [
        {
            "record": study,
            "design": vocabulary.label_of(vocabulary.DESIGNS, study.design),
            "child_outcomes": sorted(
                {f.outcome for f in study.findings if f.beneficiary == "child"}
            ),
            "level_label": levels[study.key]["level_label"].capitalize(),
            "unrecorded": unrecorded_findings(study),
        }
        for study in record.studies
    ]


def unrecorded_findings(study: StudyRecord) -> list[dict[str, Any]]:
    """The study's findings whose direction or significance is neither recorded nor
    derivable from statistics, with what each lacks ("direction not recorded")."""
    found = []
    for finding in study.findings:
        missing = judge_finding(finding, DEFAULT_LIMITS.alpha).missing
        if missing:
            found.append(
                {
                    "key": finding.key,
                    "outcome": finding.outcome,
                    "missing": [f"{name} not recorded" for name in missing],
                }
            )
    return found
