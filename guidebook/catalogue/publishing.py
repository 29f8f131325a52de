"""Publishing: freeze a programme's record, rating and cost into the public snapshot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from guidebook.catalogue import models
from guidebook.catalogue.convert import programmes_with_records, to_record
from guidebook.catalogue.crosswalk import crosswalk_results
from guidebook.catalogue.front_caches import clear_front_caches
from guidebook.catalogue.search.store import index_published
from guidebook.evidence.assessment import Assessment, assess
from guidebook.evidence.cost import NOT_AVAILABLE, estimate_programme_cost
from guidebook.evidence.record_json import programme_to_dict
from guidebook.evidence.records import Programme as ProgrammeRecord
from guidebook.evidence.standards import rating_rank

CATALOGUE_VERSION_KEY = "guidebook:catalogue-version"
LISTED_FROM = rating_rank("2")


def _newest_snapshot_id() -> int:
    newest = models.Snapshot.objects.aggregate(newest=Max("id"))["newest"]
    return int(newest or 0)


def catalogue_version() -> int:
    """A number that changes whenever anything is published; part of every cache key.

    It is the id of the newest snapshot, kept in the cache. Every publication creates a
    snapshot with a larger id, so the number only grows; if the cache forgets it, it is
    read again from the database and comes back the same, never an older value.
    """
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        version = _newest_snapshot_id()
        cache.set(CATALOGUE_VERSION_KEY, version, timeout=None)
    return int(version)


def refresh_catalogue_version() -> None:
    """Record a publication: called once the transaction that published has committed.

    Moving the version on retires Django's cached pages; the shared front caches, if
    any are configured, are cleared too.
    """
    cache.set(CATALOGUE_VERSION_KEY, _newest_snapshot_id(), timeout=None)
    clear_front_caches()


def _yes_no(fact: bool | None) -> str:
    return "unknown" if fact is None else ("yes" if fact else "no")


def facets_of(
    record: ProgrammeRecord, assessment: dict[str, Any], cost: dict[str, Any]
) -> set[tuple[str, str]]:
    """Every filterable (kind, key) pair of a published programme."""
    traits = record.characteristics
    facets = {("age_group", key) for key in traits.age_groups}
    facets |= {("delivery_model", key) for key in traits.delivery_models}
    facets |= {("setting", key) for key in traits.settings}
    facets |= {("targeting", key) for key in traits.targeting}
    facets |= {("country", name) for name in traits.countries}
    facets.add(("uk_provision", _yes_no(traits.uk_provision)))
    facets.add(("uk_evaluation", _yes_no(traits.uk_evaluation)))
    for category, outcome in outcomes_of(record, assessment):
        facets.add(("outcome_category", category))
        if outcome:
            facets.add(("outcome", outcome))
    if _rated_below_level_2(assessment):
        for category, outcome in _measured_child_outcomes(record):
            facets.add(("outcome_category", category))
            if outcome:
                facets.add(("outcome", outcome))
    facets.add(("rating", assessment["shown"]["value"].removesuffix("*")))
    facets.add(("cost_rating", cost["shown"]["rating"]))
    return facets


def outcomes_of(record: ProgrammeRecord, assessment: dict[str, Any]) -> list[tuple[str, str]]:
    """The child outcomes a programme is known for, as (category, outcome).

    Computed ratings list the outcomes their evidence supports; a programme shown with
    an imported rating lists the outcomes its source published and the improved child
    outcomes recorded for its studies.
    """
    if assessment["shown"]["source"] == "computed":
        return [
            (group["category"], item["outcome"])
            for group in assessment["explanation"]["outcomes"]
            for item in group["outcomes"]
        ]
    imported = record.imported.outcomes if record.imported else ()
    published = {(item.category, item.outcome) for item in imported}
    recorded = {
        (finding.category, finding.outcome)
        for study in record.studies
        for finding in study.findings
        if finding.beneficiary == "child" and finding.direction == "positive"
    }
    return sorted(published | recorded)


def _rated_below_level_2(assessment: Mapping[str, Any]) -> bool:
    """Rated NL2 or NE here, from the recorded evidence (not an imported rating)."""
    shown = assessment["shown"]
    return shown["source"] == "computed" and rating_rank(shown["value"]) < LISTED_FROM


def _measured_child_outcomes(record: ProgrammeRecord) -> set[tuple[str, str]]:
    return {
        (finding.category, finding.outcome)
        for study in record.studies
        for finding in study.findings
        if finding.beneficiary == "child"
    }


def outcome_pairs(
    record: Mapping[str, Any], assessment: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The (category, outcome) pairs a published programme is found under, from its JSON.

    The same pairs as the ``outcome_category`` and ``outcome`` facets, read from a
    snapshot's stored ``record`` and ``assessment`` without decoding the record (the
    evidence map reads every current snapshot at once). For a programme listed, or
    shown with an imported rating, they are ``outcomes_of``: the outcomes its evidence
    supports or its source published. A programme rated NL2 or NE here supports no
    outcome, so it is found under the child outcomes its studies measured: those the
    evidence covers, whatever the findings were. Without them the list of programmes
    not listed, and the evidence map, could not say what they were tried for.
    """
    if assessment["shown"]["source"] == "computed":
        pairs = {
            (group["category"], item["outcome"])
            for group in assessment["explanation"]["outcomes"]
            for item in group["outcomes"]
        }
        if _rated_below_level_2(assessment):
            pairs |= {
                (finding["category"], finding["outcome"])
                for study in record.get("studies", ())
                for finding in study.get("findings", ())
                if finding["beneficiary"] == "child"
            }
        return sorted(pairs)
    imported = record.get("imported") or {}
    published = {(item["category"], item["outcome"]) for item in imported.get("outcomes", ())}
    recorded = {
        (finding["category"], finding["outcome"])
        for study in record.get("studies", ())
        for finding in study.get("findings", ())
        if finding["beneficiary"] == "child" and finding["direction"] == "positive"
    }
    return sorted(published | recorded)


def shown_cost(cost: dict[str, Any], imported: dict[str, Any] | None) -> dict[str, str]:
    """The cost rating a page shows, and whether it is computed or imported.

    Like the evidence rating: a cost rating published elsewhere stands in, labelled as
    imported, only while the cost model cannot rate the programme (NA) for want of inputs.
    """
    if cost["rating"] == NOT_AVAILABLE and imported and imported["cost_rating"] != NOT_AVAILABLE:
        return {"rating": imported["cost_rating"], "source": "imported"}
    return {"rating": cost["rating"], "source": "computed"}


def _search_text(record: ProgrammeRecord, assessment: dict[str, Any]) -> str:
    outcomes = " ".join(outcome for _, outcome in outcomes_of(record, assessment))
    return " ".join([record.name, record.summary, record.description, outcomes]).lower()


def programme_cost(record: ProgrammeRecord) -> dict[str, Any]:
    """The cost estimate a snapshot stores for a programme, as plain JSON data."""
    return estimate_programme_cost(record).to_dict()


def snapshot_fields(assessment: Assessment) -> dict[str, Any]:
    """The columns of a snapshot for one assessed programme (without who and when)."""
    record = assessment.programme
    assessed: dict[str, Any] = assessment.to_dict()
    cost = programme_cost(record)
    cost["shown"] = shown_cost(cost, assessed["imported"])
    shown = assessed["shown"]["value"]
    return {
        "slug": record.slug,
        "name": record.name,
        "summary": record.summary,
        "review": record.reviews[-1].name if record.reviews else "",
        "standard_key": assessment.standard.key,
        "standard_version": assessment.standard.version,
        "inputs_hash": assessed["inputs_hash"],
        "rating": shown,
        "rating_source": assessed["shown"]["source"],
        "rating_rank": rating_rank(shown),
        "listed": rating_rank(shown) >= LISTED_FROM,
        "cost_rating": cost["shown"]["rating"],
        "unit_cost": cost["unit_cost"],
        "search_text": _search_text(record, assessed),
        "record": programme_to_dict(record),
        "assessment": assessed,
        "cost": cost,
        "crosswalk": crosswalk_results(record),
    }


@transaction.atomic
def publish(
    programme: models.Programme,
    *,
    by: Any = None,
    note: str = "",
    standard_key: str | None = None,
) -> models.Snapshot:
    """Publish the programme's current record as its public snapshot."""
    stored = programmes_with_records().select_for_update(of=("self",)).get(pk=programme.pk)
    assessment = assess(to_record(stored), standard_key)
    return write_snapshot(stored.pk, assessment, by=by, note=note)


def write_snapshot(
    programme_id: int, assessment: Assessment, *, by: Any = None, note: str = ""
) -> models.Snapshot:
    """Make ``assessment`` the programme's current snapshot; see ``write_snapshots``."""
    return write_snapshots([(programme_id, assessment)], by=by, note=note)[0]


@transaction.atomic
def write_snapshots(
    assessed: Sequence[tuple[int, Assessment]], *, by: Any = None, note: str = ""
) -> list[models.Snapshot]:
    """Make each assessment the current snapshot of its programme, with its facets.

    The one place snapshot rows are written: ``publish`` (from the live record),
    re-rating (from a published record under another standard) and the synthetic
    catalogue (many programmes at once) all come through here, so a snapshot holds the
    same columns and facets whichever way it was made. The programmes' previous
    snapshots stop being current, and their search documents give way to the new
    ones; the catalogue version moves on once the transaction commits. The caller
    locks the programmes' rows if others may publish them too.
    """
    if not assessed:
        return []
    published_at = timezone.now()
    snapshots = [
        models.Snapshot(
            programme_id=programme_id,
            published_at=published_at,
            published_by=by,
            note=note,
            is_current=True,
            **snapshot_fields(assessment),
        )
        for programme_id, assessment in assessed
    ]
    programme_ids = [programme_id for programme_id, _ in assessed]
    models.Snapshot.objects.filter(programme_id__in=programme_ids, is_current=True).update(
        is_current=False
    )
    models.Snapshot.objects.bulk_create(snapshots)
    facets = [
        sorted(facets_of(assessment.programme, snapshot.assessment, snapshot.cost))
        for snapshot, (_, assessment) in zip(snapshots, assessed, strict=True)
    ]
    models.SnapshotFacet.objects.bulk_create(
        models.SnapshotFacet(snapshot=snapshot, kind=kind, key=key)
        for snapshot, values in zip(snapshots, facets, strict=True)
        for kind, key in values
    )
    # In this transaction, so search and the catalogue change together.
    index_published(list(zip(snapshots, facets, strict=True)))
    transaction.on_commit(refresh_catalogue_version)
    return snapshots
