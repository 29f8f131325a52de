"""What a programme page shows, built once from the stored record and the core's results.

The HTML page and its JSON twin come from the same data, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
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
from guidebook.evidence.records import Review
from guidebook.evidence.records import Study as StudyRecord
from guidebook.evidence.standards import DEFAULT_LIMITS, judge_finding
from guidebook.public.crosswalk_section import crosswalk_rows
from guidebook.public.rule_sentences import rules_in_words
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

    @cached_property
    def crosswalk(self) -> list[dict[str, Any]]:
        """Rated under other clearinghouses' rules (``crosswalk_section``)."""
        return crosswalk_rows(self.snapshot)

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
            "reviews": [review_line(review) for review in self.record.reviews],
            "characteristics": _characteristics(self.record),
            "uk_evaluation": uk_evaluation(self.record),
            "session_length": session_length(self.record),
            "studies": _studies(self.record, assessment),
            "rules": rules_in_words(assessment.get("reasons") or [], _study_labels(self.record)),
            # An imported rating has no explanation of its own (rating_basis).
            "outcome_groups": linked_outcomes(
                (assessment.get("explanation") or {}).get("outcomes", []), self.record
            ),
            "history": [
                {**entry, "published_on": date.fromisoformat(entry["published"])}
                for entry in self.history
            ],
            "published_at": self.snapshot.published_at,
            "published_outcomes": _published_outcomes(self.record),
            "crosswalk": self.crosswalk,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.snapshot.record,
            "rating": self.assessment,
            "cost": self.cost,
            "published_at": self.snapshot.published_at.isoformat(),
            "rating_history": self.history,
            "other_clearinghouses": self.crosswalk,
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


def review_line(review: Review) -> str:
    """A review's name and month ("Foundations for Life, July 2016"); a name that
    already carries its month (as the workflow's default name does) is not given it twice."""
    month = f"{review.date:%B %Y}"
    return review.name if month in review.name else f"{review.name}, {month}"


def _study_labels(record: ProgrammeRecord) -> dict[str, str]:
    return {study.key: study.label for study in record.studies}


def study_anchor(study: StudyRecord) -> str:
    """The id of a study's section on the programme page."""
    return study.key if study.key.startswith("study") else f"study-{study.key}"


def linked_outcomes(groups: list[dict[str, Any]], record: ProgrammeRecord) -> list[dict[str, Any]]:
    """The explanation's outcome groups, each supporting study with the anchor of its
    section on the page (outcomes name studies by label)."""
    anchors = {study.label: study_anchor(study) for study in record.studies}
    return [
        {
            **group,
            "outcomes": [
                {
                    **outcome,
                    "studies": [
                        {"label": label, "anchor": anchors.get(label, "")}
                        for label in outcome["studies"]
                    ],
                }
                for outcome in group["outcomes"]
            ],
        }
        for group in groups
    ]


# Countries whose studies count as UK evaluations (record countries are free text).
UK_NAMES = frozenset({"uk", "united kingdom", "england", "scotland", "wales", "northern ireland"})


def uk_evaluation(record: ProgrammeRecord) -> dict[str, Any]:
    """What the page says of UK evaluation: the recorded answer, or, when none is
    recorded, the studies that ran in the UK (so a UK trial is never "not known")."""
    recorded = record.characteristics.uk_evaluation
    uk_studies = [s.label for s in record.studies if s.country.strip().lower() in UK_NAMES]
    return {"recorded": recorded, "uk_studies": uk_studies}


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
            "anchor": study_anchor(study),
            "design": vocabulary.label_of(vocabulary.DESIGNS, study.design),
            "sample": study_sample(study),
            "child_outcomes": sorted(
                {f.outcome for f in study.findings if f.beneficiary == "child"}
            ),
            "other_outcomes": other_outcomes(study),
            "level_label": levels[study.key]["level_label"].capitalize(),
            "unrecorded": unrecorded_findings(study),
        }
        for study in record.studies
    ]


def study_sample(study: StudyRecord) -> str:
    """Who took part: the recorded description, else the number enrolled."""
    if study.sample:
        return study.sample
    if study.sample_size is not None:
        return f"{study.sample_size:,} participants"
    return ""


def other_outcomes(study: StudyRecord) -> list[str]:
    """Outcomes that are not the child's: those listed as other outcomes and the findings
    about parents, couples or families, each once, in the order recorded."""
    names = [*study.other_outcomes]
    names += [f.outcome for f in study.findings if f.beneficiary != "child"]
    return list(dict.fromkeys(names))


def unrecorded_findings(study: StudyRecord) -> list[dict[str, Any]]:
    """The study's findings whose direction or significance is neither recorded nor
    derivable from statistics, with what each lacks ("direction not recorded")."""
    found = []
    for finding in study.findings:
        if finding.statistics is not None:
            # Both come from the statistics: nothing to compute to know that (and a
            # page need not load the statistics libraries to say so).
            continue
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
