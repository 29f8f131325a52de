"""Reading and writing programme records in the documented JSON format.

Reading is the one gate every record passes, whichever way it comes (a file, the
questionnaire, the staff forms, the admin): the values are checked (``record_values``:
nesting, NUL and surrogates, finite numbers, repeated keys), then the JSON Schema
with its limits (``record_limits``), then what only the parts together show (repeated
keys, statistics that give no effect size, what the standards and the cost model
refuse). Every problem is reported at once, each naming the record (the programme's
slug, or the file), the field as a JSON path, what was expected and what was found.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from guidebook.evidence.compiled_schema import (
    Check,
    compile_schema,
    known_formats,
    search_pattern,
)
from guidebook.evidence.cost_fields import profile_problems
from guidebook.evidence.effect_sizes import effect_of
from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.record_limits import PATTERNS, with_limits
from guidebook.evidence.record_schema import (
    FORMAT,
    programme_schema,
    provenance_schema,
    statistics_schema,
)
from guidebook.evidence.record_values import field_path, value_problems
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
from guidebook.evidence.standards.checks import appraisal_problems

__all__ = [
    "programme_from_dict",
    "programme_from_stored",
    "programme_to_dict",
    "provenance_from_dict",
    "provenance_to_dict",
    "read_provenance",
    "read_statistics",
    "statistics_from_dict",
    "statistics_to_dict",
]

if TYPE_CHECKING:
    from jsonschema import ValidationError as SchemaError

JSON = dict[str, Any]


def _ecma_pattern(
    validator: Any, pattern: str, instance: object, schema: Mapping[str, Any]
) -> Iterable[SchemaError]:
    """``pattern`` as JSON Schema means it: ``$`` matches only at the very end.

    The jsonschema library tests patterns with Python's ``re.search``, where ``$`` also
    matches before a final newline, so 'my-programme\\n' would pass as a slug.
    """
    from jsonschema import ValidationError

    if isinstance(instance, str) and not search_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator_class() -> Any:
    """Draft 2020-12 with ``pattern`` as JSON Schema means it. jsonschema is imported
    here, on the first record checked: a process that only reads published records
    (a web worker) never needs it, and it weighs about 8 MB."""
    import jsonschema

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})


def _validator_for(schema: Mapping[str, Any], **options: Any) -> Any:
    return _validator_class()(schema, **options)


def _format_checker() -> Any:
    return _validator_class().FORMAT_CHECKER


@cache
def _validator() -> Any:
    return _validator_for(programme_schema(), format_checker=_format_checker())


@cache
def _valid_record() -> Check:
    """The schema as one quick test, asked before the validator (``compiled_schema``).
    Dates are tested without jsonschema, so a valid record never imports it."""
    return compile_schema(programme_schema(), known_formats(_jsonschema_conforms))


def _jsonschema_conforms(value: object, name: str) -> bool:
    """jsonschema's own test of a format (one the programme schema does not name yet)."""
    return bool(_format_checker().conforms(value, name))


@cache
def _statistics_validator() -> Any:
    return _validator_for(with_limits(statistics_schema(), "studies[].findings[].statistics"))


@cache
def _provenance_validator() -> Any:
    # A study's and a finding's provenance have the same limits.
    schema = with_limits(provenance_schema(), "studies[].provenance")
    return _validator_for(schema, format_checker=_format_checker())


def read_provenance(data: object, record: str) -> Provenance | None:
    """Check provenance in its JSON form (or null) and build it: the values, then the
    schema with its limits."""
    problems, _ = value_problems(data, record)
    if problems:
        raise InvalidRecord(_within("provenance", problem) for problem in problems)
    errors = list(_provenance_validator().iter_errors(data))
    if errors:
        raise InvalidRecord(
            problem for error in errors for problem in _problems(record, error, "provenance")
        )
    assert data is None or isinstance(data, Mapping)
    return provenance_from_dict(data)


def read_statistics(data: object, record: str) -> ReportedStatistics | None:
    """Check a finding's statistics in their tagged JSON form and build them: the values,
    the schema, and an effect size that can be computed from them."""
    errors = list(_statistics_validator().iter_errors(data))
    if errors:
        raise InvalidRecord(
            problem for error in errors for problem in _problems(record, error, "statistics")
        )
    problems, _ = value_problems(data, record)
    if problems:
        raise InvalidRecord(_within("statistics", problem) for problem in problems)
    assert data is None or isinstance(data, Mapping)
    statistics = statistics_from_dict(data)
    problems = _statistics_problems(record, "", statistics)
    if problems:
        raise InvalidRecord(_within("", problem) for problem in problems)
    return statistics


def _variant_errors(error: SchemaError) -> list[SchemaError]:
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
    return list(_validator_for(chosen[0], format_checker=_format_checker()).iter_errors(data))


_path = field_path


def _expected(error: SchemaError) -> str:
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
        return PATTERNS.get(str(value), f"text matching {value}")
    if rule == "minLength":
        return "a non-empty text"
    if rule == "maxLength":
        return f"a text of at most {value:,} characters"
    if rule == "minItems":
        return f"a list of at least {value} item" + ("s" if value != 1 else "")
    if rule == "anyOf":
        return "a standard error (se), or both ci_lower and ci_upper"
    if rule == "uniqueItems":
        return "no repeated values"
    if rule == "oneOf":
        return "null or an object of one of the documented kinds"
    return f"a value satisfying '{rule}'"


def _problem(record: str, error: SchemaError, prefix: str = "") -> Problem:
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
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return Problem(record, field, _expected(error), f"{len(error.instance):,} characters")
    return Problem(record, field, _expected(error), describe(error.instance))


def _problems(record: str, error: SchemaError, prefix: str = "") -> list[Problem]:
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
    """Check a decoded JSON value and build the programme record it describes.

    Raises ``InvalidRecord`` with every problem found, in one pass: the parts the
    schema finds sound are checked together even when other parts are not.
    """
    record = _record_name(data, source)
    problems, too_deep = value_problems(data, record)
    if not too_deep:
        # jsonschema is asked only to name what is wrong: most records are valid.
        errors = (
            []
            if _valid_record()(data)
            else sorted(
                _validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))
            )
        )
        problems += [problem for error in errors for problem in _problems(record, error)]
        sound = _Soundness([tuple(error.absolute_path) for error in errors])
        problems += _consistency_problems(record, data, sound)
    if problems:
        raise InvalidRecord(_first_per_field(problems))
    assert isinstance(data, Mapping)
    return _programme(data)


def programme_from_stored(data: Mapping[str, Any]) -> Programme:
    """Build the record from JSON this system wrote from a record that had passed the
    gate (a published snapshot): nothing is checked again.

    ``programme_from_dict`` spends most of its time (about 15 ms for ten studies, forty
    times the building) on checks such JSON passes by construction, and it would be
    paid on every read of a snapshot: each open-data row, report, crosswalk and
    re-rating. Anything from outside (files, forms, the API) goes through
    ``programme_from_dict``, which names every problem.
    """
    return _programme(data)


def _within(prefix: str, problem: Problem) -> Problem:
    """The problem with its field named from ``prefix`` (e.g. 'statistics')."""
    field = prefix if problem.field == "(record)" else f"{prefix}.{problem.field}".strip(".")
    return Problem(problem.record, field, problem.expected, problem.found)


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    """One problem per field: the value checks come first and say it best (a NaN is
    reported as not finite, not again as out of range)."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            kept.append(problem)
    return kept


class _Soundness:
    """Which parts of a record the schema found nothing wrong in."""

    def __init__(self, broken: list[tuple[object, ...]]) -> None:
        self.broken = broken

    def __call__(self, *path: object) -> bool:
        return not any(place[: len(path)] == path for place in self.broken)


def _items(container: object, key: str) -> list[Any]:
    value = container.get(key) if isinstance(container, Mapping) else None
    return value if isinstance(value, list) else []


def _consistency_problems(record: str, data: object, sound: _Soundness) -> list[Problem]:
    """What only the parts together show, checked in every part that is sound itself."""
    studies = _items(data, "studies")
    problems = _repeated(record, "studies", studies, "a key used once")
    problems += _repeated_reviews(record, _items(data, "reviews"))
    for index, study in enumerate(studies):
        findings = _items(study, "findings")
        where = f"studies[{index}].findings"
        problems += _repeated(record, where, findings, "a key used once in its study")
        for position, finding in enumerate(findings):
            if isinstance(finding, Mapping) and sound("studies", index, "findings", position):
                statistics = statistics_from_dict(finding.get("statistics"))
                problems += _statistics_problems(record, f"{where}[{position}]", statistics)
        if (
            isinstance(study, Mapping)
            and study.get("appraisal")
            and sound("studies", index, "appraisal")
        ):
            problems += _appraisal_problems(
                record, f"studies[{index}].appraisal", study["appraisal"]
            )
    if isinstance(data, Mapping):
        problems += _delivery_problems(record, data.get("delivery"), sound("delivery"))
        if isinstance(data.get("cost"), Mapping) and sound("cost"):
            problems += _cost_problems(record, data["cost"])
    return problems


def _repeated(record: str, where: str, items: list[Any], expected: str) -> list[Problem]:
    keys = [item.get("key") if isinstance(item, Mapping) else None for item in items]
    return [
        Problem(record, f"{where}[{index}].key", expected, repr(key))
        for index, key in enumerate(keys)
        if isinstance(key, str) and key in keys[:index]
    ]


def _repeated_reviews(record: str, reviews: list[Any]) -> list[Problem]:
    seen = [(r.get("name"), r.get("date")) if isinstance(r, Mapping) else None for r in reviews]
    return [
        Problem(record, f"reviews[{index}]", "each assessment round once", describe(pair))
        for index, pair in enumerate(seen)
        if pair is not None and pair in seen[:index]
    ]


def _appraisal_problems(record: str, where: str, data: Mapping[str, Any]) -> list[Problem]:
    """What the standards refuse, and an appraisal that is not the consensus: a record
    holds a study's consensus appraisal only, and storage keeps nothing else."""
    appraisal = _appraisal(data)
    assert appraisal is not None  # the caller passes a non-empty appraisal
    problems = list(appraisal_problems(record, where, appraisal))
    if data.get("consensus") is not True:
        expected = "true: a record holds the study's consensus appraisal"
        problems.append(
            Problem(record, f"{where}.consensus", expected, describe(data.get("consensus")))
        )
    return problems


def _delivery_problems(record: str, delivery: object, sound: bool) -> list[Problem]:
    if not (sound and isinstance(delivery, Mapping)):
        return []
    low, high = delivery.get("session_hours_min"), delivery.get("session_hours_max")
    if low is not None and high is not None and low > high:
        return [
            Problem(
                record,
                "delivery.session_hours_max",
                f"at least session_hours_min ({low})",
                describe(high),
            )
        ]
    return []


def _cost_problems(record: str, data: Mapping[str, Any]) -> list[Problem]:
    """What the cost model refuses in the inputs (its fields are named ``cost.NAME``):
    the problems ``estimate_cost`` raises for a profile and no overrides, without
    working out the estimate, which took about a sixth of the time of checking a record."""
    return profile_problems(CostProfile(**data), record)


def _statistics_problems(
    record: str, where: str, statistics: ReportedStatistics | None
) -> list[Problem]:
    """What computing the effect size finds that the schema cannot: more events than
    people in a group, a standard deviation of 0, a cluster larger than half the sample,
    numbers whose effect size or variance is not a finite number."""
    if statistics is None:
        return []
    try:
        effect = effect_of(statistics, record)
    except InvalidRecord as error:
        return [_within(f"{where}.statistics", p) for p in error.problems]
    except (ArithmeticError, ValueError) as error:
        return [Problem(record, f"{where}.statistics", _EFFECT_RULE, str(error))]
    values = (effect.g, effect.variance, effect.ci_low, effect.ci_high)
    if not all(math.isfinite(value) for value in values) or effect.variance <= 0:
        found = f"effect {effect.g!r} with variance {effect.variance!r}"
        return [Problem(record, f"{where}.statistics", _EFFECT_RULE, found)]
    return []


_EFFECT_RULE = "statistics giving a finite effect size and a positive variance"


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
