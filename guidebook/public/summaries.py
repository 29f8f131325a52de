"""A published programme in brief: what the compare page, the shortlist and their exports show.

Built from one current snapshot (its stored record, assessment and cost), so every
view of a programme that uses it agrees with its page and with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.published_records import published_record
from guidebook.catalogue.publishing import outcomes_of
from guidebook.catalogue.rating_basis import RatingBasis, cost_basis, evidence_basis
from guidebook.evidence import vocabulary
from guidebook.evidence.cost import COST_BANDS
from guidebook.evidence.records import Programme as ProgrammeRecord
from guidebook.public.rule_sentences import RuleInWords, rules_in_words

# How many programmes the compare page sets side by side: fewer is not a comparison,
# more no longer fits a readable table (or a printed page).
COMPARE_MIN = 2
COMPARE_MAX = 4


@dataclass(frozen=True)
class ProgrammeSummary:
    """One published programme, reduced to what a side-by-side reading needs."""

    snapshot_id: int
    slug: str
    name: str
    summary: str
    record: ProgrammeRecord
    assessment: dict[str, Any]
    cost: dict[str, Any]
    outcome_groups: list[dict[str, Any]]

    # --- evidence ---
    @property
    def evidence_basis(self) -> RatingBasis:
        return evidence_basis(self.assessment)

    @property
    def rating(self) -> str:
        return self.evidence_basis.value

    @property
    def rating_source(self) -> str:
        return self.evidence_basis.source

    @property
    def rating_label(self) -> str:
        return self.evidence_basis.label

    @property
    def rating_statement(self) -> str:
        return self.evidence_basis.statement

    @property
    def explanation(self) -> dict[str, Any]:
        """The computed rating's sentences; empty while the rating is imported."""
        if self.evidence_basis.imported:
            return {"summary": "", "not_higher": [], "plus": None, "asterisk": None}
        return dict(self.assessment["explanation"])

    @property
    def rating_summary(self) -> str:
        """What the rating shown rests on: the computed rating's summary, or for an
        imported rating the sentence that says so."""
        if self.evidence_basis.imported:
            return self.rating_statement
        return str(self.explanation["summary"])

    @property
    def rating_source_url(self) -> str:
        published = self.evidence_basis.published
        return published.source if published else ""

    @property
    def programme_reasons(self) -> list[dict[str, Any]]:
        """The rules behind the computed rating; none while the rating is imported."""
        return [] if self.evidence_basis.imported else list(self.assessment["reasons"])

    @property
    def rules(self) -> list[RuleInWords]:
        """The rules behind the computed rating, each in a sentence."""
        labels = {study.key: study.label for study in self.record.studies}
        return rules_in_words(self.programme_reasons, labels)

    @property
    def outcome_names(self) -> list[str]:
        return [item["outcome"] for group in self.outcome_groups for item in group["outcomes"]]

    # --- who it is for, delivery and implementation ---
    @property
    def age_groups(self) -> list[str]:
        return _labels(vocabulary.AGE_GROUPS, self.record.characteristics.age_groups)

    @property
    def targeting(self) -> list[str]:
        return _labels(vocabulary.TARGETING, self.record.characteristics.targeting)

    @property
    def delivery_models(self) -> list[str]:
        return _labels(vocabulary.DELIVERY_MODELS, self.record.characteristics.delivery_models)

    @property
    def settings(self) -> list[str]:
        return _labels(vocabulary.SETTINGS, self.record.characteristics.settings)

    @property
    def sessions(self) -> int | None:
        return self.record.delivery.sessions

    @property
    def session_length(self) -> str:
        return session_length(self.record)

    @property
    def frequency(self) -> str:
        return self.record.delivery.frequency

    @property
    def duration(self) -> str:
        return self.record.delivery.duration

    @property
    def practitioners(self) -> str:
        return self.record.implementation.practitioners

    # --- cost ---
    @property
    def cost_basis(self) -> RatingBasis:
        """The cost rating shown: computed, or imported while the model says NA."""
        return cost_basis(self.cost, self.assessment)

    @property
    def cost_rating(self) -> str:
        return self.cost_basis.value

    @property
    def cost_rating_source(self) -> str:
        return self.cost_basis.source

    @property
    def cost_rating_label(self) -> str:
        return self.cost_basis.label

    @property
    def cost_statement(self) -> str:
        return self.cost_basis.statement

    @property
    def cost_label(self) -> str:
        return COST_LABELS.get(self.cost_rating, str(self.cost["label"]))

    @property
    def unit_cost(self) -> float | None:
        value = self.cost["unit_cost"]
        return None if value is None else float(value)

    @staticmethod
    def _published(basis: RatingBasis) -> dict[str, str] | None:
        return None if basis.published is None else basis.published.to_dict()

    def as_json(self) -> dict[str, Any]:
        """The summary as plain data, for the compare page's JSON twin."""
        record = self.record
        return {
            "programme": self.slug,
            "name": self.name,
            "summary": self.summary,
            "rating": {
                "value": self.rating,
                "source": self.rating_source,
                "statement": self.rating_statement,
                "published": self._published(self.evidence_basis),
                "computed": self.evidence_basis.computed,
                "standard": self.assessment["standard"],
                "summary": self.rating_summary,
                "not_higher": self.explanation["not_higher"],
                "plus": self.explanation["plus"],
                "asterisk": self.explanation["asterisk"],
                "reasons": self.programme_reasons,
            },
            "child_outcomes": self.outcome_groups,
            "who_it_is_for": {"age_groups": self.age_groups, "targeting": self.targeting},
            "delivery": {
                "models": self.delivery_models,
                "settings": self.settings,
                "sessions": self.sessions,
                "session_length": self.session_length,
                "frequency": self.frequency,
                "duration": self.duration,
            },
            "implementation": {
                "practitioners": record.implementation.practitioners,
                "training": record.implementation.training,
                "supervision": record.implementation.supervision,
                "licence": record.implementation.licence,
            },
            "cost": {
                "rating": self.cost_rating,
                "source": self.cost_rating_source,
                "statement": self.cost_statement,
                "published": self._published(self.cost_basis),
                "computed": self.cost["rating"],
                "label": self.cost_label,
                "unit_cost": self.unit_cost,
                "explanation": self.cost["explanation"],
                "breakdown": self.cost["breakdown"],
                "missing": self.cost["missing"],
            },
        }


COST_LABELS = {band.rating: band.label for band in COST_BANDS}


def _labels(vocab: Any, keys: tuple[str, ...]) -> list[str]:
    return [vocabulary.label_of(vocab, key) for key in keys]


def _hours(value: float) -> str:
    return f"{value:g} hour" + ("" if value == 1 else "s")


def session_length(record: ProgrammeRecord) -> str:
    """A session's length in words ('1.25 hours', '1 to 2 hours'), or '' if unknown."""
    low, high = record.delivery.session_hours_min, record.delivery.session_hours_max
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return _hours(low if low is not None else high)  # type: ignore[arg-type]
    return f"{low:g} to {_hours(high)}"


def _outcome_groups(record: ProgrammeRecord, assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Child outcomes by category with their studies, as the programme page lists them."""
    if assessment["shown"]["source"] == "computed":
        return list(assessment["explanation"]["outcomes"])
    # An imported rating lists the improved child outcomes recorded for its studies.
    groups: dict[str, dict[str, Any]] = {}
    for category, outcome in outcomes_of(record, assessment):
        studies = [
            study.label
            for study in record.studies
            if any(f.outcome == outcome and f.category == category for f in study.findings)
        ]
        group = groups.setdefault(
            category,
            {
                "category": category,
                "label": vocabulary.label_of(vocabulary.OUTCOME_CATEGORIES, category),
                "outcomes": [],
            },
        )
        group["outcomes"].append({"outcome": outcome, "studies": studies})
    return list(groups.values())


def get_published_snapshot(slug: str) -> Snapshot:
    """The current published snapshot of the programme with this slug, or 404."""
    snapshot = Snapshot.objects.filter(slug=slug, is_current=True).first()
    if snapshot is None:
        raise Http404(f"No published programme '{slug}'")
    return snapshot


def summarise(snapshot: Snapshot) -> ProgrammeSummary:
    """The summary of one published snapshot."""
    record = published_record(snapshot)
    return ProgrammeSummary(
        snapshot_id=snapshot.pk,
        slug=snapshot.slug,
        name=snapshot.name,
        summary=snapshot.summary,
        record=record,
        assessment=snapshot.assessment,
        cost=snapshot.cost,
        outcome_groups=_outcome_groups(record, snapshot.assessment),
    )
