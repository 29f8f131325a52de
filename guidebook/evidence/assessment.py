"""One programme assessed under one standard: rating, reasons, explanation.

This is what pages, the JSON twin and ``guidebook rate`` show. The rating is always
computed from the records; a rating published elsewhere (``Programme.imported``) is
shown in its place, labelled as imported, only while the programme's evidence is not
appraised here (``evidence_is_appraised``), because then there is nothing to compute
from: on no appraised study every standard answers NL2, which would say the evidence
falls short when it has simply not been read yet.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from guidebook.evidence.explain import Explanation, explain
from guidebook.evidence.findings_effects import programme_effects
from guidebook.evidence.reasons import JSONValue
from guidebook.evidence.record_json import programme_to_dict
from guidebook.evidence.records import Programme, Study
from guidebook.evidence.standards import (
    DEFAULT_LIMITS,
    Limits,
    RatingResult,
    Standard,
    get_standard,
    newest_standard_key,
)

__all__ = [
    "Assessment",
    "assess",
    "evidence_is_appraised",
    "inputs_hash",
    "record_inputs_hash",
    "significance_level",
    "study_is_appraised",
]


def study_is_appraised(study: Study) -> bool:
    """Whether the study carries a consensus appraisal, the only kind a standard levels.

    One reviewer's answers are not yet a judgement: the standards level a study from
    its consensus appraisal only (``standards.study_level``), so a study without one
    counts as not appraised, whatever individual reviewers have recorded.
    """
    appraisal = study.appraisal
    return appraisal is not None and appraisal.consensus


def evidence_is_appraised(programme: Programme) -> bool:
    """Whether at least one study carries a consensus appraisal, so the rating is computed.

    This is the one test every public format uses (through the snapshot's
    ``shown.source`` and ``appraised``) to tell a rating computed here from one imported
    while the studies behind it are not yet appraised here [decision].
    """
    return any(study_is_appraised(study) for study in programme.studies)


def inputs_hash(programme: Programme, standard: Standard) -> str:
    """SHA-256 of the record and the standard's key and version.

    Two assessments with the same hash had the same inputs, so a snapshot of a rating
    can be checked for reproducibility later.
    """
    return record_inputs_hash(programme_to_dict(programme), standard.key, standard.version)


def record_inputs_hash(
    record: Mapping[str, JSONValue], standard_key: str, standard_version: str
) -> str:
    """``inputs_hash`` from the record's JSON form (``programme_to_dict``) as stored.

    A published snapshot keeps that form, so the hash can be taken from it without
    building the record first: equal to the snapshot's own hash, it proves the stored
    record is the one rated and checked when it was published.
    """
    payload = {"standard": [standard_key, standard_version], "programme": record}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def significance_level(standard: Standard) -> float:
    """The alpha a standard judges findings at (the default for a standard without limits)."""
    limits = getattr(standard, "limits", None)
    return limits.alpha if isinstance(limits, Limits) else DEFAULT_LIMITS.alpha


@dataclass(frozen=True)
class Assessment:
    programme: Programme
    standard: Standard
    result: RatingResult
    explanation: Explanation

    @property
    def computed(self) -> bool:
        return evidence_is_appraised(self.programme) or self.programme.imported is None

    @property
    def shown_value(self) -> str:
        """The rating a page shows: computed, or the imported one while nothing is recorded."""
        imported = self.programme.imported
        return self.result.value if self.computed or imported is None else imported.evidence_rating

    def to_dict(self) -> dict[str, JSONValue]:
        imported = self.programme.imported
        studies = self.result.studies
        appraised = {study.key: study_is_appraised(study) for study in self.programme.studies}
        return {
            "programme": self.programme.slug,
            "standard": {
                "key": self.standard.key,
                "version": self.standard.version,
                "title": self.standard.title,
            },
            "rating": {
                "value": self.result.value,
                "level": self.result.level,
                "plus": self.result.plus,
                "asterisk": self.result.asterisk,
            },
            "shown": {
                "value": self.shown_value,
                "source": "computed" if self.computed else "imported",
            },
            "appraised": evidence_is_appraised(self.programme),
            "imported": None
            if imported is None
            else {
                "evidence_rating": imported.evidence_rating,
                "cost_rating": imported.cost_rating,
                "source": imported.source,
                "retrieved": imported.retrieved.isoformat(),
                "note": imported.note,
            },
            "study_levels": [
                {"study": key, **studies[key].to_dict(), "appraised": appraised[key]}
                for key in studies
            ],
            "reasons": [reason.to_dict() for reason in self.result.reasons],
            "mixed_studies": list(self.result.mixed_studies),
            "explanation": self.explanation.to_dict(),
            "effects": programme_effects(
                self.programme, significance_level(self.standard)
            ).to_dict(),
            "inputs_hash": inputs_hash(self.programme, self.standard),
        }


def assess(programme: Programme, standard_key: str | None = None) -> Assessment:
    """Rate and explain a programme under a standard (default: the newest)."""
    standard = get_standard(standard_key or newest_standard_key())
    result = standard.rate(programme)
    return Assessment(programme, standard, result, explain(programme, result))
