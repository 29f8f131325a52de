"""Reading and writing programme records in the documented JSON format.

Reading validates against the JSON Schema first and reports every problem at once,
each naming the record (the programme's slug, or the file), the field as a JSON
path, what was expected and what was found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date
from functools import cache
from typing import Any

import jsonschema

from guidebook.evidence.effect_sizes import effect_of
from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.record_schema import (
    FORMAT,
    PATTERNS,
    programme_schema,
    provenance_schema,
    statistics_schema,
)
from guidebook.evidence.records import (
    Appraisal,
    Characteristics,
    ClusterDesign,
    Contact,
    CostProfile,
    Counts2x2,
    Delivery,
    Finding,
    FTest,
    Implementation,
    ImportedOutcome,
    ImportedRating,
    MeansAndSDs,
    Programme,
    Provenance,
    Publication,
    PublishedEffect,
    PValue,
    Readiness,
    ReportedStatistics,
    Review,
    Study,
    StudyConduct,
    StudyLevel,
    TTest,
)

__all__ = [
    "programme_from_dict",
    "programme_to_dict",
    "provenance_from_dict",
    "provenance_to_dict",
    "read_provenance",
    "read_statistics",
    "statistics_from_dict",
    "statistics_to_dict",
]

JSON = dict[str, Any]


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        programme_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _statistics_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(statistics_schema())


@cache
def _provenance_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        provenance_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def read_provenance(data: object, record: str) -> Provenance | None:
    """Validate provenance in its JSON form (or null) and build it."""
    errors = list(_provenance_validator().iter_errors(data))
    if errors:
        raise InvalidRecord(
            problem for error in errors for problem in _problems(record, error, "provenance")
        )
    assert data is None or isinstance(data, Mapping)
    return provenance_from_dict(data)


def read_statistics(data: object, record: str) -> ReportedStatistics | None:
    """Validate a finding's statistics in their tagged JSON form and build them."""
    errors = list(_statistics_validator().iter_errors(data))
    if errors:
        raise InvalidRecord(
            problem for error in errors for problem in _problems(record, error, "statistics")
        )
    assert data is None or isinstance(data, Mapping)
    return statistics_from_dict(data)


def _variant_errors(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """Errors against the one alternative of a ``oneOf`` that the value was meant to be.

    ``oneOf`` alone only says that no alternative matched; picking the alternative
    named by the value's ``type`` tag (or the only object alternative) gives messages
    that point at the field that is wrong.
    """
    data = error.instance
    if not isinstance(data, Mapping):
        return []
    objects = [v for v in error.validator_value if v.get("type") == "object"]
    tagged = [
        v for v in objects if v["properties"].get("type", {}).get("const") == data.get("type")
    ]
    chosen = tagged if "type" in objects[0]["properties"] else objects
    if len(chosen) != 1:
        return []
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return list(
        jsonschema.Draft202012Validator(chosen[0], format_checker=checker).iter_errors(data)
    )


def _path(parts: Iterable[object]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(record)"


def _expected(error: jsonschema.ValidationError) -> str:
    rule, value = error.validator, error.validator_value
    if rule == "type":
        kinds = value if isinstance(value, list) else [value]
        return "a value of type " + " or ".join(str(kind) for kind in kinds)
    if rule == "enum":
        # A direction may be the text "null" (no effect) or JSON null (not recorded).
        absent = "JSON null (not recorded)" if "null" in value else "null"
        return "one of " + ", ".join(absent if v is None else str(v) for v in value)
    if rule == "const":
        return repr(value)
    if rule in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
        return f"a number {sign[str(rule)]} {value}"
    if rule == "format":
        return f"a {value} in ISO form (YYYY-MM-DD)" if value == "date" else f"a {value}"
    if rule == "pattern":
        return PATTERNS[str(value)]
    if rule == "minLength":
        return "a non-empty text"
    if rule == "minItems":
        return f"a list of at least {value} item" + ("s" if value != 1 else "")
    if rule == "anyOf":
        return "a standard error (se), or both ci_lower and ci_upper"
    if rule == "uniqueItems":
        return "no repeated values"
    if rule == "oneOf":
        return "null or an object of one of the documented kinds"
    return f"a value satisfying '{rule}'"


def _problem(record: str, error: jsonschema.ValidationError, prefix: str = "") -> Problem:
    field = _path([prefix, *error.absolute_path] if prefix else error.absolute_path)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        joined = missing if field == "(record)" else f"{field}.{missing}"
        return Problem(record, joined, "a value (required)", "nothing")
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        joined = ", ".join(f"{field}.{key}" if field != "(record)" else key for key in extra)
        return Problem(
            record, joined, "one of the documented fields " + ", ".join(allowed), "an unknown field"
        )
    return Problem(record, field, _expected(error), describe(error.instance))


def _problems(record: str, error: jsonschema.ValidationError, prefix: str = "") -> list[Problem]:
    if error.validator == "oneOf":
        variant_errors = _variant_errors(error)
        if variant_errors:
            within = _path([prefix, *error.absolute_path] if prefix else error.absolute_path)
            return [p for e in variant_errors for p in _problems(record, e, within)]
    return [_problem(record, error, prefix)]


def _record_name(data: object, source: str) -> str:
    if isinstance(data, Mapping) and isinstance(data.get("slug"), str) and data["slug"]:
        return f"programme '{data['slug']}'"
    return source


def programme_from_dict(data: object, source: str = "programme record") -> Programme:
    """Validate a decoded JSON value and build the programme record it describes."""
    record = _record_name(data, source)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise InvalidRecord(problem for error in errors for problem in _problems(record, error))
    assert isinstance(data, Mapping)
    programme = _programme(data)
    _check_consistency(record, programme)
    return programme


def _check_consistency(record: str, programme: Programme) -> None:
    problems: list[Problem] = []
    study_keys = [study.key for study in programme.studies]
    for index, key in enumerate(study_keys):
        if key in study_keys[:index]:
            problems.append(Problem(record, f"studies[{index}].key", "a key used once", repr(key)))
    for index, study in enumerate(programme.studies):
        finding_keys = [finding.key for finding in study.findings]
        for position, key in enumerate(finding_keys):
            if key in finding_keys[:position]:
                field = f"studies[{index}].findings[{position}].key"
                problems.append(Problem(record, field, "a key used once in its study", repr(key)))
        for position, finding in enumerate(study.findings):
            where = f"studies[{index}].findings[{position}]"
            problems.extend(_statistics_problems(record, where, finding.statistics))
    low, high = programme.delivery.session_hours_min, programme.delivery.session_hours_max
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                record,
                "delivery.session_hours_max",
                f"at least session_hours_min ({low})",
                describe(high),
            )
        )
    if problems:
        raise InvalidRecord(problems)


def _statistics_problems(
    record: str, where: str, statistics: ReportedStatistics | None
) -> list[Problem]:
    """What computing the effect size finds that the schema cannot: more events than
    people in a group, a standard deviation of 0, a cluster larger than half the sample."""
    if statistics is None:
        return []
    try:
        effect_of(statistics, record)
    except InvalidRecord as error:
        return [
            Problem(record, f"{where}.statistics.{p.field}", p.expected, p.found)
            for p in error.problems
        ]
    return []


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _programme(data: Mapping[str, Any]) -> Programme:
    characteristics = dict(data.get("characteristics", {}))
    for name in ("age_groups", "delivery_models", "settings", "targeting", "countries"):
        characteristics[name] = tuple(characteristics.get(name, ()))
    delivery = dict(data.get("delivery", {}))
    for name in ("summary", "activities"):
        delivery[name] = tuple(delivery.get(name, ()))
    return Programme(
        slug=data["slug"],
        name=data["name"],
        summary=data.get("summary", ""),
        description=data.get("description", ""),
        characteristics=Characteristics(**characteristics),
        delivery=Delivery(**delivery),
        implementation=Implementation(**data.get("implementation", {})),
        cost=CostProfile(**data.get("cost", {})),
        theory_of_change=tuple(data.get("theory_of_change", ())),
        contact=Contact(**data.get("contact", {})),
        reviews=tuple(
            Review(r["name"], date.fromisoformat(r["date"])) for r in data.get("reviews", ())
        ),
        first_published=_date(data.get("first_published")),
        last_updated=_date(data.get("last_updated")),
        evidence_summary=data.get("evidence_summary", ""),
        other_outcomes_note=data.get("other_outcomes_note", ""),
        studies=tuple(_study(study) for study in data.get("studies", ())),
        imported=_imported(data.get("imported")),
        readiness=Readiness(**data.get("readiness", {})),
    )


def _imported(data: Mapping[str, Any] | None) -> ImportedRating | None:
    if data is None:
        return None
    return ImportedRating(
        evidence_rating=data["evidence_rating"],
        cost_rating=data["cost_rating"],
        source=data["source"],
        retrieved=date.fromisoformat(data["retrieved"]),
        note=data.get("note", ""),
        outcomes=tuple(ImportedOutcome(**item) for item in data.get("outcomes", ())),
    )


def _study(data: Mapping[str, Any]) -> Study:
    return Study(
        key=data["key"],
        label=data["label"],
        citation=data["citation"],
        design=data["design"],
        country=data.get("country", ""),
        sample=data.get("sample", ""),
        sample_size=data.get("sample_size"),
        timing=data.get("timing", ""),
        independent=data.get("independent", False),
        other_outcomes=tuple(data.get("other_outcomes", ())),
        publications=tuple(
            Publication(**{**p, "authors": tuple(p.get("authors", ()))})
            for p in data.get("publications", ())
        ),
        findings=tuple(_finding(f) for f in data.get("findings", ())),
        appraisal=_appraisal(data.get("appraisal")),
        provenance=provenance_from_dict(data.get("provenance")),
        conduct=StudyConduct(**data.get("conduct", {})),
    )


def _finding(data: Mapping[str, Any]) -> Finding:
    fields = {k: v for k, v in data.items() if k not in {"statistics", "provenance", "domains"}}
    return Finding(
        **fields,
        statistics=statistics_from_dict(data.get("statistics")),
        provenance=provenance_from_dict(data.get("provenance")),
        domains=dict(data.get("domains", {})),
    )


def provenance_from_dict(data: Mapping[str, Any] | None) -> Provenance | None:
    """Build provenance from its JSON form (already schema-valid)."""
    if data is None:
        return None
    return Provenance(
        sources=tuple(data["sources"]),
        retrieved=date.fromisoformat(data["retrieved"]),
        appraised_by=data["appraised_by"],
        note=data.get("note", ""),
    )


def provenance_to_dict(provenance: Provenance | None) -> JSON | None:
    """The JSON form of provenance; ``provenance_from_dict`` reads it back unchanged."""
    if provenance is None:
        return None
    return {
        "sources": list(provenance.sources),
        "retrieved": provenance.retrieved.isoformat(),
        "appraised_by": provenance.appraised_by,
        "note": provenance.note,
    }


def _appraisal(data: Mapping[str, Any] | None) -> Appraisal | None:
    if data is None:
        return None
    verdict = data.get("verdict")
    return Appraisal(
        reviewer=data["reviewer"],
        answers=dict(data.get("answers", {})),
        consensus=data.get("consensus", False),
        verdict=StudyLevel(verdict) if verdict is not None else None,
        justification=data.get("justification", ""),
    )


_STATISTICS: dict[str, type[ReportedStatistics]] = {
    "means": MeansAndSDs,
    "t": TTest,
    "f": FTest,
    "p": PValue,
    "counts": Counts2x2,
    "effect": PublishedEffect,
}
_STATISTICS_TAG = {kind: tag for tag, kind in _STATISTICS.items()}


def statistics_from_dict(data: Mapping[str, Any] | None) -> ReportedStatistics | None:
    """Build reported statistics from their tagged JSON form (already schema-valid)."""
    if data is None:
        return None
    fields = {key: value for key, value in data.items() if key not in {"type", "cluster"}}
    cluster = data.get("cluster")
    kind = _STATISTICS[data["type"]]
    return kind(**fields, cluster=ClusterDesign(**cluster) if cluster else None)


def statistics_to_dict(statistics: ReportedStatistics | None) -> JSON | None:
    """The tagged JSON form of reported statistics."""
    if statistics is None:
        return None
    return {"type": _STATISTICS_TAG[type(statistics)], **asdict(statistics)}


def programme_to_dict(programme: Programme) -> JSON:
    """The JSON form of a programme record; ``programme_from_dict`` reads it back unchanged."""
    data = asdict(programme)
    data["reviews"] = [{"name": r.name, "date": r.date.isoformat()} for r in programme.reviews]
    for name in ("first_published", "last_updated"):
        value = getattr(programme, name)
        data[name] = value.isoformat() if value else None
    data["studies"] = [_study_to_dict(study) for study in programme.studies]
    if programme.imported is not None:
        data["imported"]["retrieved"] = programme.imported.retrieved.isoformat()
    return {"format": FORMAT, **_lists(data)}


def _study_to_dict(study: Study) -> JSON:
    data = asdict(study)
    data["provenance"] = provenance_to_dict(study.provenance)
    data["findings"] = [
        {
            **asdict(finding),
            "statistics": statistics_to_dict(finding.statistics),
            "provenance": provenance_to_dict(finding.provenance),
            "domains": dict(finding.domains),
        }
        for finding in study.findings
    ]
    if study.appraisal is not None:
        verdict = study.appraisal.verdict
        data["appraisal"]["verdict"] = verdict.value if verdict else None
        data["appraisal"]["answers"] = dict(study.appraisal.answers)
    return data


def _lists(value: Any) -> Any:
    """Tuples become lists so the result is plain JSON data."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
