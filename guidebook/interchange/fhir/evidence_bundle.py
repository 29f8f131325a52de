"""Building the FHIR R5 resources of one published programme (see the package's docstring).

Everything is read from a snapshot's stored JSON: its ``record`` (the record file
format), its ``assessment`` (rating, reasons, study levels, effects) and when it was
published. Code systems that are this guidebook's own (rating values, rules, study
levels, outcome categories, designs) are identified by addresses on the site that
publishes them: the standard's page for its ratings, rules and levels.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidebook.evidence import vocabulary

__all__ = ["FHIR_VERSION", "ProgrammeEvidence", "evidence_bundle", "evidence_bundle_json"]

FHIR_VERSION = "5.0.0"
VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
DOI = "https://doi.org"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov"
_NAMESPACE = uuid.UUID("6c1f7a52-3a8e-5a0e-9b1e-6f1d2b4c8a01")

Resource = dict[str, Any]


@dataclass(frozen=True)
class ProgrammeEvidence:
    """What the Bundle is built from: one published snapshot, and where it is published."""

    slug: str
    record: Mapping[str, Any]
    assessment: Mapping[str, Any]
    published_on: str
    """The day it was published, YYYY-MM-DD."""
    site_url: str

    def system(self, name: str) -> str:
        """The address standing for one of this guidebook's own code systems."""
        return f"{self.site_url.rstrip('/')}/{name}"

    @property
    def standard_system(self) -> str:
        return self.system(f"standards/{self.assessment['standard']['key']}/")


def _id(programme: ProgrammeEvidence, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join((programme.slug, *parts))))


def _reference(resource_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id}"}


def _concept(system: str, code: str, display: str = "", version: str = "") -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    if version:
        coding["version"] = version
    return {"coding": [coding], "text": display or code}


def _text(words: str) -> dict[str, str]:
    return {"text": words}


# --- Citations ------------------------------------------------------------------------


def _page_range(pages: str) -> dict[str, str]:
    first, _, last = pages.partition("-")
    form = {"pageString": pages}
    if first.strip():
        form["firstPage"] = first.strip()
    if last.strip():
        form["lastPage"] = last.strip()
    return form


def _cited_artifact(publication: Mapping[str, Any], fallback_title: str) -> dict[str, Any]:
    cited: dict[str, Any] = {
        "title": [
            {"text": publication.get("title") or publication.get("citation") or fallback_title}
        ]
    }
    identifiers = [
        {"system": system, "value": publication[key]}
        for key, system in (("doi", DOI), ("pmid", PUBMED))
        if publication.get(key)
    ]
    if identifiers:
        cited["identifier"] = identifiers
    if publication.get("url"):
        cited["webLocation"] = [{"url": publication["url"]}]
    form: dict[str, Any] = {}
    if publication.get("journal"):
        form["publishedIn"] = {"title": publication["journal"]}
    for key in ("volume", "issue"):
        if publication.get(key):
            form[key] = publication[key]
    if publication.get("pages"):
        form.update(_page_range(publication["pages"]))
    if publication.get("year"):
        form["publicationDateText"] = str(publication["year"])
    if form:
        cited["publicationForm"] = [form]
    authors = publication.get("authors") or []
    if authors:
        cited["contributorship"] = {
            "entry": [
                {"contributor": {"display": author}, "rankingOrder": position}
                for position, author in enumerate(authors, start=1)
            ],
            "summary": [{"value": ", ".join(authors)}],
        }
    return cited


def _citations(programme: ProgrammeEvidence, study: Mapping[str, Any]) -> list[Resource]:
    publications = study.get("publications") or [
        {"citation": study.get("citation") or study["label"]}
    ]
    citations = []
    for position, publication in enumerate(publications, start=1):
        citations.append(
            {
                "resourceType": "Citation",
                "id": _id(programme, "citation", study["key"], str(position)),
                "status": "active",
                "title": publication.get("citation") or study.get("citation") or study["label"],
                "citedArtifact": _cited_artifact(publication, study["label"]),
            }
        )
    return citations


# --- Variables ------------------------------------------------------------------------


def _programme_variable(programme: ProgrammeEvidence) -> Resource:
    record = programme.record
    variable: Resource = {
        "resourceType": "EvidenceVariable",
        "id": _id(programme, "programme"),
        "status": "active",
        "title": record["name"],
        "actual": True,
    }
    if record.get("summary"):
        variable["description"] = record["summary"]
    return variable


def _outcome_key(finding: Mapping[str, Any]) -> str:
    return f"{finding['category']}:{finding['outcome']}"


def _outcome_variable(programme: ProgrammeEvidence, finding: Mapping[str, Any]) -> Resource:
    category = finding["category"]
    return {
        "resourceType": "EvidenceVariable",
        "id": _id(programme, "outcome", _outcome_key(finding)),
        "status": "active",
        "title": finding["outcome"],
        "actual": True,
        "category": [
            {
                "name": "outcome category",
                "valueCodeableConcept": _concept(
                    programme.system("map/"),
                    category,
                    vocabulary.label_of(vocabulary.OUTCOME_CATEGORIES, category),
                ),
            }
        ],
    }


def _child_findings(
    record: Mapping[str, Any],
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    for study in record.get("studies", ()):
        for finding in study.get("findings", ()):
            if finding["beneficiary"] == "child":
                yield study, finding


# --- Evidence -------------------------------------------------------------------------


# Effects on the standardised-mean-difference scale (computed Hedges' g, a published
# SMD, a log odds ratio turned into d by Cox's method: published_effects.G_SCALE_METRICS)
# take HL7's code; the log ratio scales have none, so their name is given in words.
_SMD_METRICS = frozenset({"hedges-g", "smd", "cox-index"})
_METRIC_WORDS = {"log-odds-ratio": "log odds ratio", "log-risk-ratio": "log risk ratio"}


def _statistic_type(metric: str) -> dict[str, Any]:
    if metric in _SMD_METRICS:
        return _concept(
            "http://terminology.hl7.org/CodeSystem/statistic-type",
            "0000100",
            "Standardized Mean Difference",
        )
    return _text(_METRIC_WORDS.get(metric, metric))


def _statistic(
    finding: Mapping[str, Any], effect: Mapping[str, Any] | None, size: Any
) -> dict[str, Any]:
    direction = finding.get("direction") or "not recorded"
    significant = finding.get("significant")
    words = f"Direction: {direction}; statistically significant: " + (
        "not recorded" if significant is None else ("yes" if significant else "no")
    )
    statistic: dict[str, Any] = {"description": words}
    if size:
        statistic["sampleSize"] = {"numberOfParticipants": size}
    if effect is None:
        return statistic
    statistic["statisticType"] = _statistic_type(effect["metric"])
    statistic["quantity"] = {"value": round(effect["g"], 6)}
    estimates: list[dict[str, Any]] = [
        {
            "type": _text("confidence interval"),
            "level": effect["level"],
            "range": {
                "low": {"value": round(effect["ci_low"], 6)},
                "high": {"value": round(effect["ci_high"], 6)},
            },
        },
        {"type": _text("standard error"), "quantity": {"value": round(effect["se"], 6)}},
    ]
    if effect.get("p_value") is not None:
        estimates.append(
            {"type": _text("p value"), "quantity": {"value": round(effect["p_value"], 6)}}
        )
    statistic["attributeEstimate"] = estimates
    statistic["note"] = [{"text": f"Scale: {effect['metric']}; {effect['method']}."}]
    return statistic


def _finding_notes(finding: Mapping[str, Any]) -> list[dict[str, str]]:
    notes = []
    if finding.get("measure"):
        notes.append({"text": f"Measure: {finding['measure']}"})
    reporter = vocabulary.label_of(vocabulary.REPORTERS, finding.get("reporter") or "not-recorded")
    notes.append({"text": f"Reported by: {reporter}"})
    if finding.get("months_after") is not None:
        notes.append(
            {"text": f"Measured {finding['months_after']:g} months after the programme ended"}
        )
    return notes


def _finding_evidence(
    programme: ProgrammeEvidence,
    study: Mapping[str, Any],
    finding: Mapping[str, Any],
    effects: Mapping[tuple[str, str], Mapping[str, Any]],
    levels: Mapping[str, Mapping[str, Any]],
) -> Resource:
    design = study.get("design") or "not-recorded"
    evidence: Resource = {
        "resourceType": "Evidence",
        "id": _id(programme, "finding", study["key"], finding["key"]),
        "status": "active",
        "title": f"{finding['outcome']}: {study['label']}",
        "citeAsReference": _reference(_id(programme, "citation", study["key"], "1")),
        "variableDefinition": [
            {
                "variableRole": _concept(VARIABLE_ROLE, "exposure", "Exposure"),
                "observed": _reference(_id(programme, "programme")),
            },
            {
                "variableRole": _concept(VARIABLE_ROLE, "measuredVariable", "Measured variable"),
                "observed": _reference(_id(programme, "outcome", _outcome_key(finding))),
            },
        ],
        "studyDesign": [
            _concept(
                programme.system("record-format/designs"),
                design,
                vocabulary.label_of(vocabulary.DESIGNS, design),
            )
        ],
        "statistic": [
            _statistic(
                finding, effects.get((study["key"], finding["key"])), study.get("sample_size")
            )
        ],
        "note": _finding_notes(finding),
    }
    level = levels.get(study["key"])
    if level and level.get("level"):
        evidence["certainty"] = [
            {
                "type": _text("study level"),
                "rating": _concept(
                    programme.standard_system, f"study-level-{level['level']}", level["level_label"]
                ),
            }
        ]
    return evidence


def _body_of_evidence(
    programme: ProgrammeEvidence, finding_ids: list[str], outcomes: list[str]
) -> Resource:
    definitions = [
        {
            "variableRole": _concept(VARIABLE_ROLE, "exposure", "Exposure"),
            "observed": _reference(_id(programme, "programme")),
        }
    ]
    definitions += [
        {
            "variableRole": _concept(VARIABLE_ROLE, "measuredVariable", "Measured variable"),
            "observed": _reference(_id(programme, "outcome", key)),
        }
        for key in outcomes
    ]
    evidence: Resource = {
        "resourceType": "Evidence",
        "id": _id(programme, "body-of-evidence"),
        "status": "active",
        "title": f"Evidence for {programme.record['name']}",
        "date": programme.published_on,
        "variableDefinition": definitions,
    }
    if finding_ids:
        evidence["relatedArtifact"] = [
            {"type": "composed-of", "resourceReference": _reference(finding_id)}
            for finding_id in finding_ids
        ]
    return evidence


# --- Assessments ----------------------------------------------------------------------


def _values_text(values: Mapping[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _reason_component(programme: ProgrammeEvidence, reason: Mapping[str, Any]) -> dict[str, Any]:
    met = bool(reason["met"])
    return {
        "informationType": "classifier",
        "type": _concept(programme.standard_system, reason["rule"]),
        "classifier": [
            _concept(
                programme.system("standards/how-to-read/"),
                "met" if met else "not-met",
                "Met" if met else "Not met",
            )
        ],
        "summary": f"Values that decided it: {_values_text(reason['values'])}",
    }


def _rating_assessment(programme: ProgrammeEvidence) -> Resource:
    assessment = programme.assessment
    standard = assessment["standard"]
    rating = assessment["rating"]["value"]
    content: list[dict[str, Any]] = [
        {
            "informationType": "rating",
            "type": _concept(
                programme.system("standards/"),
                standard["key"],
                standard["title"],
                standard["version"],
            ),
            "classifier": [
                _concept(programme.standard_system, rating, f"Evidence rating {rating}")
            ],
            "summary": assessment["explanation"]["summary"],
            "component": [_reason_component(programme, reason) for reason in assessment["reasons"]],
        }
    ]
    imported = assessment.get("imported")
    if imported:
        shown = assessment["shown"]["source"] == "imported"
        content.append(
            {
                "informationType": "rating",
                "type": _text("imported rating"),
                "classifier": [_text(f"Evidence rating {imported['evidence_rating']} (imported)")],
                "summary": (
                    f"Published by its source (retrieved {imported['retrieved']}); "
                    + (
                        "shown because the studies are not yet appraised here."
                        if shown
                        else "recorded for comparison, not shown."
                    )
                ),
                "relatedArtifact": [{"type": "derived-from", "citation": imported["source"]}],
            }
        )
    return {
        "resourceType": "ArtifactAssessment",
        "id": _id(programme, "rating"),
        "title": f"Evidence rating of {programme.record['name']} under "
        f"{standard['key']} {standard['version']}",
        "date": programme.published_on,
        "artifactReference": _reference(_id(programme, "body-of-evidence")),
        "workflowStatus": "published",
        "content": content,
    }


def _study_assessment(programme: ProgrammeEvidence, level: Mapping[str, Any]) -> Resource:
    content: dict[str, Any] = {
        "informationType": "rating",
        "type": _text("study level"),
        "classifier": [
            _concept(
                programme.standard_system, f"study-level-{level['level']}", level["level_label"]
            )
            if level.get("level")
            else _text("not levelled")
        ],
        "component": [_reason_component(programme, reason) for reason in level["reasons"]],
    }
    return {
        "resourceType": "ArtifactAssessment",
        "id": _id(programme, "study-level", level["study"]),
        "title": f"Level of {level['label']}",
        "date": programme.published_on,
        "artifactReference": _reference(_id(programme, "citation", level["study"], "1")),
        "workflowStatus": "published",
        "content": [content],
    }


# --- The Bundle -----------------------------------------------------------------------


def evidence_bundle(programme: ProgrammeEvidence) -> Resource:
    """Every resource of the programme's evidence, in a ``collection`` Bundle."""
    record, assessment = programme.record, programme.assessment
    effects = {
        (item["study"], item["finding"]): item
        for item in assessment.get("effects", {}).get("findings", [])
    }
    levels = {item["study"]: item for item in assessment["study_levels"]}
    resources: list[Resource] = []
    for study in record.get("studies", ()):
        resources.extend(_citations(programme, study))
    resources.append(_programme_variable(programme))
    outcomes: dict[str, Resource] = {}
    findings: list[Resource] = []
    for study, finding in _child_findings(record):
        outcomes.setdefault(_outcome_key(finding), _outcome_variable(programme, finding))
        findings.append(_finding_evidence(programme, study, finding, effects, levels))
    resources.extend(outcomes.values())
    resources.extend(findings)
    resources.append(
        _body_of_evidence(programme, [item["id"] for item in findings], list(outcomes))
    )
    resources.append(_rating_assessment(programme))
    resources.extend(_study_assessment(programme, level) for level in assessment["study_levels"])
    return {
        "resourceType": "Bundle",
        "id": _id(programme, "bundle"),
        "meta": {"versionId": assessment["inputs_hash"][:64] or "1"},
        "type": "collection",
        "timestamp": f"{programme.published_on}T00:00:00Z",
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }


def evidence_bundle_json(programme: ProgrammeEvidence) -> str:
    """The Bundle as JSON text: keys sorted, two-space indents, a final newline."""
    bundle = evidence_bundle(programme)
    return json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
