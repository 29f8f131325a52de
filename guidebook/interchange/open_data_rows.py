"""Rows of the open-data tables, each built from one published programme.

``guidebook.interchange.downloads`` declares the tables (columns, types, keys); this
module says where each column's value comes from in a published snapshot: its
record, its assessment (rating, reasons, study levels) and its cost estimate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from guidebook.catalogue.publishing import outcomes_of
from guidebook.catalogue.rating_basis import (
    cost_basis,
    evidence_basis,
    is_appraised,
    public_assessment,
)
from guidebook.evidence import vocabulary
from guidebook.evidence.cost import COST_BANDS
from guidebook.evidence.record_json import programme_from_stored, statistics_to_dict
from guidebook.evidence.records import Programme as ProgrammeRecord
from guidebook.evidence.records import Provenance, StudyConduct

__all__ = [
    "PublishedProgramme",
    "Row",
    "characteristic_rows",
    "cost_item_rows",
    "finding_rows",
    "outcome_rows",
    "programme_rows",
    "publication_rows",
    "published_programme",
    "rating_rows",
    "study_rows",
]

Row = dict[str, Any]

COST_LABELS = {band.rating: band.label for band in COST_BANDS}


@dataclass(frozen=True)
class PublishedProgramme:
    """One current snapshot, read back into the core's record type."""

    slug: str
    published_at: str
    record: ProgrammeRecord
    assessment: dict[str, Any]
    cost: dict[str, Any]


def _joined(items: Iterable[str]) -> str:
    return "; ".join(items)


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _provenance(provenance: Provenance | None) -> Row:
    if provenance is None:
        return dict.fromkeys(
            (
                "provenance_sources",
                "provenance_retrieved",
                "provenance_appraised_by",
                "provenance_note",
            )
        )
    return {
        "provenance_sources": list(provenance.sources),
        "provenance_retrieved": provenance.retrieved.isoformat(),
        "provenance_appraised_by": provenance.appraised_by,
        "provenance_note": provenance.note,
    }


# --- Rows of each table, from one published programme -------------------------------------


def _conduct(conduct: StudyConduct) -> Row:
    row = asdict(conduct)
    row["trial_sample"] = row.pop("sample")
    return row


def programme_rows(published: PublishedProgramme) -> Iterator[Row]:
    record, assessment, cost = published.record, published.assessment, published.cost
    imported = assessment.get("imported")
    evidence, costing = evidence_basis(assessment), cost_basis(cost, assessment)
    traits, delivery, implementation = (
        record.characteristics,
        record.delivery,
        record.implementation,
    )
    yield {
        "programme": record.slug,
        "name": record.name,
        "summary": record.summary,
        "description": record.description,
        "evidence_rating": evidence.value,
        "rating_source": evidence.source,
        "rating_statement": evidence.statement,
        "evidence_appraised": is_appraised(assessment),
        # Withheld while the rating is imported: on no appraised study it can only be NL2.
        "computed_rating": evidence.computed,
        "standard_key": assessment["standard"]["key"],
        "standard_version": assessment["standard"]["version"],
        "inputs_hash": assessment["inputs_hash"],
        "computed_summary": None if evidence.imported else assessment["explanation"]["summary"],
        "imported_rating": imported["evidence_rating"] if imported else None,
        "imported_cost_rating": imported["cost_rating"] if imported else None,
        "imported_source": imported["source"] if imported else None,
        "imported_retrieved": imported["retrieved"] if imported else None,
        "imported_note": imported["note"] if imported else None,
        "cost_rating": costing.value,
        "cost_rating_source": costing.source,
        "cost_rating_statement": costing.statement,
        "computed_cost_rating": cost["rating"],
        "cost_label": COST_LABELS.get(costing.value, cost["label"]),
        "unit_cost": cost["unit_cost"],
        # Snapshots from before the plausible ranges have no range or deciding inputs.
        "unit_cost_low": (cost.get("range") or {}).get("low"),
        "unit_cost_high": (cost.get("range") or {}).get("high"),
        "cost_missing": _joined(item["field"] for item in cost["missing"]),
        "cost_deciding": _joined(item["field"] for item in cost.get("deciding", [])),
        "uk_provision": traits.uk_provision,
        "uk_evaluation": traits.uk_evaluation,
        "sessions": delivery.sessions,
        "session_hours_min": delivery.session_hours_min,
        "session_hours_max": delivery.session_hours_max,
        "frequency": delivery.frequency,
        "duration": delivery.duration,
        "practitioners": implementation.practitioners,
        "training": implementation.training,
        "supervision": implementation.supervision,
        "fidelity": implementation.fidelity,
        "licence": implementation.licence,
        "contact_organisation": record.contact.organisation,
        "contact_website": record.contact.website,
        "first_published": _iso(record.first_published),
        "last_updated": _iso(record.last_updated),
        "published_at": published.published_at,
        "manual": record.readiness.manual,
        "dissemination_ready": record.readiness.dissemination_ready,
        "psc_area": record.readiness.psc_area,
    }


_TRAIT_KINDS = (
    ("age_group", "age_groups", vocabulary.AGE_GROUPS),
    ("delivery_model", "delivery_models", vocabulary.DELIVERY_MODELS),
    ("setting", "settings", vocabulary.SETTINGS),
    ("targeting", "targeting", vocabulary.TARGETING),
)


def characteristic_rows(published: PublishedProgramme) -> Iterator[Row]:
    traits = published.record.characteristics
    for kind, attribute, vocab in _TRAIT_KINDS:
        for key in getattr(traits, attribute):
            yield {
                "programme": published.slug,
                "kind": kind,
                "key": key,
                "label": vocabulary.label_of(vocab, key),
            }
    for country in traits.countries:
        yield {"programme": published.slug, "kind": "country", "key": country, "label": country}


def study_rows(published: PublishedProgramme) -> Iterator[Row]:
    public = public_assessment(published.assessment)
    levels = {item["study"]: item for item in public["study_levels"]}
    for position, study in enumerate(published.record.studies, start=1):
        level = levels.get(study.key, {})
        yield {
            "programme": published.slug,
            "study": study.key,
            "position": position,
            "label": study.label,
            "citation": study.citation,
            "design": study.design,
            "country": study.country,
            "sample": study.sample,
            "sample_size": study.sample_size,
            "timing": study.timing,
            "independent": study.independent,
            "appraised": level.get("appraised", False),
            "level": level.get("level"),
            "level_label": level.get("level_label"),
            "other_outcomes": _joined(study.other_outcomes),
            **_conduct(study.conduct),
            **_provenance(study.provenance),
        }


def publication_rows(published: PublishedProgramme) -> Iterator[Row]:
    for study in published.record.studies:
        for position, publication in enumerate(study.publications, start=1):
            yield {
                "programme": published.slug,
                "study": study.key,
                "position": position,
                "citation": publication.citation,
                "url": publication.url,
                "authors": _joined(publication.authors),
                "year": publication.year,
                "title": publication.title,
                "journal": publication.journal,
                "volume": publication.volume,
                "issue": publication.issue,
                "pages": publication.pages,
                "doi": publication.doi,
                "pmid": publication.pmid,
            }


def finding_rows(published: PublishedProgramme) -> Iterator[Row]:
    for study in published.record.studies:
        for finding in study.findings:
            yield {
                "programme": published.slug,
                "study": study.key,
                "finding": finding.key,
                "outcome": finding.outcome,
                "category": finding.category,
                "measure": finding.measure,
                "reporter": finding.reporter,
                "beneficiary": finding.beneficiary,
                "months_after": finding.months_after,
                "direction": finding.direction,
                "significant": finding.significant,
                "statistics": statistics_to_dict(finding.statistics),
                "psc_domain": finding.domains.get("psc"),
                "blueprints_outcome": finding.domains.get("blueprints"),
                "harmful": finding.harmful,
                "months_after_treatment_end": finding.months_after_treatment_end,
                **_provenance(finding.provenance),
            }


def _supporting_studies(published: PublishedProgramme) -> dict[tuple[str, str], list[str]]:
    """Study labels behind each (category, outcome), as the programme page shows them."""
    supporting: dict[tuple[str, str], list[str]] = {}
    if published.assessment["shown"]["source"] == "computed":
        for group in published.assessment["explanation"]["outcomes"]:
            for item in group["outcomes"]:
                supporting[(group["category"], item["outcome"])] = list(item["studies"])
        return supporting
    # An imported rating: the studies whose recorded findings improved the outcome.
    for study in published.record.studies:
        for finding in study.findings:
            labels = supporting.setdefault((finding.category, finding.outcome), [])
            if study.label not in labels:
                labels.append(study.label)
    return supporting


def outcome_rows(published: PublishedProgramme) -> Iterator[Row]:
    supporting = _supporting_studies(published)
    for category, outcome in outcomes_of(published.record, published.assessment):
        yield {
            "programme": published.slug,
            "category": category,
            "category_label": vocabulary.label_of(vocabulary.OUTCOME_CATEGORIES, category),
            "outcome": outcome,
            "studies": _joined(supporting.get((category, outcome), [])),
        }


def rating_rows(published: PublishedProgramme) -> Iterator[Row]:
    assessment = published.assessment
    if evidence_basis(assessment).imported:
        # No rule decided an imported rating; the rules run on no appraised study
        # would only restate that nothing is appraised here yet.
        return
    reasons = [("programme", reason) for reason in assessment["reasons"]]
    for level in assessment["study_levels"]:
        reasons += [("study", reason) for reason in level["reasons"]]
    for position, (scope, reason) in enumerate(reasons, start=1):
        yield {
            "programme": published.slug,
            "reason": position,
            "evidence_rating": assessment["shown"]["value"],
            "computed_rating": assessment["rating"]["value"],
            "standard_key": assessment["standard"]["key"],
            "standard_version": assessment["standard"]["version"],
            "scope": scope,
            "study": reason["subject"] if scope == "study" else None,
            "rule": reason["rule"],
            "met": reason["met"],
            "values": reason["values"],
        }


def cost_item_rows(published: PublishedProgramme) -> Iterator[Row]:
    for position, item in enumerate(published.cost["breakdown"], start=1):
        yield {
            "programme": published.slug,
            "item": item["key"],
            "position": position,
            "label": item["label"],
            "kind": item["kind"],
            "amount": round(item["amount"], 2),
            "formula": item["formula"],
        }


def published_programme(
    slug: str,
    published_at: str,
    record: dict[str, Any],
    assessment: dict[str, Any],
    cost: dict[str, Any],
) -> PublishedProgramme:
    """A snapshot's stored JSON read back into a ``PublishedProgramme``."""
    return PublishedProgramme(
        slug=slug,
        published_at=published_at,
        record=programme_from_stored(record),
        assessment=assessment,
        cost=cost,
    )
