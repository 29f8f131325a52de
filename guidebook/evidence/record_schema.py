"""The JSON Schema of the programme record interchange format.

The schema is built from the vocabularies so the two cannot drift; the copy shipped
at ``schema/programme.schema.json`` is written by ``guidebook schema`` and a test
checks it matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidebook.evidence import crosswalk_vocabulary, vocabulary
from guidebook.evidence.record_limits import DOI, PATTERNS, PMID, SLUG, URL, with_limits

__all__ = [
    "FORMAT",
    "PATTERNS",
    "URL_PATTERN",
    "programme_schema",
    "provenance_schema",
    "statistics_schema",
]

FORMAT = "guidebook-programme/1"

JSON = dict[str, Any]


def _text(description: str = "") -> JSON:
    return {"type": "string", "description": description} if description else {"type": "string"}


def _texts(description: str) -> JSON:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _keys(vocab: Mapping[str, str], description: str) -> JSON:
    return {
        "type": "array",
        "items": {"enum": list(vocab)},
        "uniqueItems": True,
        "description": description,
    }


def _key(vocab: Mapping[str, str], description: str) -> JSON:
    return {"enum": list(vocab), "description": description}


def _number(minimum: float, nullable: bool = True, integer: bool = False) -> JSON:
    kind = "integer" if integer else "number"
    return {"type": [kind, "null"] if nullable else kind, "minimum": minimum}


def _object(properties: JSON, required: list[str] | None = None, description: str = "") -> JSON:
    schema: JSON = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


# The patterns live with the limits, which also name them in error messages.
SLUG_PATTERN = SLUG
URL_PATTERN = URL
DOI_PATTERN = DOI
PMID_PATTERN = PMID

IMPORTABLE_RATINGS = [
    *("NL2", "NE", "2", "2+", "3", "3+", "4", "4+"),
    *("2*", "2+*", "3*", "3+*", "4*", "4+*"),
]
_COUNT = _number(minimum=1, nullable=False, integer=True)
_CLUSTER = {
    "oneOf": [
        {"type": "null"},
        _object(
            {
                "intraclass_correlation": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "mean_cluster_size": {"type": "number", "minimum": 1},
            },
            ["intraclass_correlation", "mean_cluster_size"],
            "Allocation by group: intraclass correlation and mean cluster size.",
        ),
    ]
}


def _published_effect_schema() -> JSON:
    """A standardised effect the paper published, with its interval or standard error."""
    bound: JSON = {"type": ["number", "null"]}
    schema = _object(
        {
            "type": {"const": "effect"},
            "effect_size": {
                "type": "number",
                "description": "Treatment minus comparison on the metric's scale.",
            },
            "metric": _key(vocabulary.PUBLISHED_METRICS, "The effect's scale; default smd."),
            "ci_lower": bound,
            "ci_upper": bound,
            "ci_level": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "se": {"type": ["number", "null"], "exclusiveMinimum": 0},
            "n_treatment": _number(minimum=1, integer=True),
            "n_comparison": _number(minimum=1, integer=True),
            "higher_is_better": {"type": "boolean"},
            "cluster": _CLUSTER,
        },
        ["type", "effect_size"],
        "A published standardised effect with its confidence interval or standard error.",
    )
    schema["anyOf"] = [
        {"required": ["se"], "properties": {"se": {"type": "number"}}},
        {
            "required": ["ci_lower", "ci_upper"],
            "properties": {"ci_lower": {"type": "number"}, "ci_upper": {"type": "number"}},
        },
    ]
    return schema


def statistics_schema() -> JSON:
    """The schema of a finding's reported statistics (null, or one tagged kind)."""

    def variant(kind: str, fields: JSON, description: str) -> JSON:
        properties: JSON = {"type": {"const": kind}, **fields, "cluster": _CLUSTER}
        required = ["type", *fields]
        for optional in ("higher_is_better", "event_is_good"):
            if optional in required:
                required.remove(optional)
        return _object(properties, required, description)

    sizes = {"n_treatment": _COUNT, "n_comparison": _COUNT}
    return {
        "oneOf": [
            {"type": "null"},
            variant(
                "means",
                {
                    "mean_treatment": {"type": "number"},
                    "sd_treatment": {"type": "number", "exclusiveMinimum": 0},
                    "n_treatment": _COUNT,
                    "mean_comparison": {"type": "number"},
                    "sd_comparison": {"type": "number", "exclusiveMinimum": 0},
                    "n_comparison": _COUNT,
                    "higher_is_better": {"type": "boolean"},
                },
                "Group means, standard deviations and sizes.",
            ),
            variant(
                "t",
                {"t": {"type": "number"}, **sizes, "higher_is_better": {"type": "boolean"}},
                "An independent-groups t statistic.",
            ),
            variant(
                "f",
                {
                    "f": {"type": "number", "minimum": 0},
                    **sizes,
                    "favours_treatment": {"type": "boolean"},
                },
                "An F statistic with one numerator degree of freedom.",
            ),
            variant(
                "p",
                {
                    "p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    **sizes,
                    "favours_treatment": {"type": "boolean"},
                },
                "A two-sided p value and the direction of the difference.",
            ),
            variant(
                "counts",
                {
                    "events_treatment": {"type": "integer", "minimum": 0},
                    "n_treatment": _COUNT,
                    "events_comparison": {"type": "integer", "minimum": 0},
                    "n_comparison": _COUNT,
                    "event_is_good": {"type": "boolean"},
                },
                "Events and group sizes for a yes/no outcome.",
            ),
            _published_effect_schema(),
        ]
    }


def provenance_schema() -> JSON:
    """Where a study or finding was read from, when, and who appraised it (or null)."""
    return {
        "oneOf": [
            {"type": "null"},
            _object(
                {
                    "sources": {
                        "type": "array",
                        "items": {"type": "string", "pattern": URL_PATTERN},
                        "minItems": 1,
                        "description": "Addresses the facts were taken from.",
                    },
                    "retrieved": {"type": "string", "format": "date"},
                    "appraised_by": {"type": "string", "minLength": 1},
                    "note": _text(),
                },
                ["sources", "retrieved", "appraised_by"],
                "Where the record came from, when, and who appraised it.",
            ),
        ]
    }


def _publication_schema() -> JSON:
    return _object(
        {
            "citation": _text("Short form shown on pages, e.g. 'Smith and Jones (2020)'."),
            "url": _text(),
            "authors": _texts("Authors as 'Surname AB', in the paper's order."),
            "year": {"type": ["integer", "null"], "minimum": 1800, "maximum": 2100},
            "title": _text("The article's title."),
            "journal": _text(),
            "volume": _text(),
            "issue": _text(),
            "pages": _text("e.g. '199-209'."),
            "doi": {
                "type": "string",
                "pattern": DOI_PATTERN,
                "description": "Bare DOI, without https://doi.org/.",
            },
            "pmid": {"type": "string", "pattern": PMID_PATTERN, "description": "PubMed id."},
        },
        ["citation"],
    )


def _finding_schema() -> JSON:
    return _object(
        {
            "key": _text("Identifier of the finding within its study."),
            "outcome": _text("The outcome in plain words, e.g. 'Improved attachment security'."),
            "category": _key(vocabulary.OUTCOME_CATEGORIES, "Outcome category."),
            "measure": _text("The instrument or measure."),
            "reporter": _key(vocabulary.REPORTERS, "Who reported the outcome."),
            "beneficiary": _key(vocabulary.BENEFICIARIES, "Whose outcome it is."),
            "months_after": _number(minimum=0),
            "direction": {
                "enum": [*vocabulary.DIRECTIONS, None],
                "description": "Direction of the recorded result; null or absent: not recorded.",
            },
            "significant": {
                "type": ["boolean", "null"],
                "description": "Statistically significant; null or absent: not recorded.",
            },
            "statistics": statistics_schema(),
            "provenance": provenance_schema(),
            "domains": _domains_schema(),
            "harmful": {
                "type": ["boolean", "null"],
                "description": "A harmful (unfavourable) effect; null or absent: not recorded.",
            },
            "months_after_treatment_end": {
                **_number(minimum=0),
                "description": "Months after the end of treatment; null: not recorded.",
            },
        },
        ["key", "outcome", "category"],
    )


def _appraisal_schema() -> JSON:
    return {
        "oneOf": [
            {"type": "null"},
            _object(
                {
                    "reviewer": _text(),
                    "answers": {
                        "type": "object",
                        "additionalProperties": {"type": ["boolean", "number", "null"]},
                        "description": "Criterion id to a yes/no answer or a measured value.",
                    },
                    "consensus": {"type": "boolean"},
                    "verdict": {"enum": [None, "below-2", "2", "2-quality", "3"]},
                    "justification": _text(),
                },
                ["reviewer"],
            ),
        ]
    }


def _study_schema() -> JSON:
    return _object(
        {
            "key": _text("Stable identifier, e.g. 'study-1'."),
            "label": _text("Label shown on pages, e.g. 'Study 1'."),
            "citation": _text("Short citation, e.g. 'Smith and Jones (2020)'."),
            "design": _key(vocabulary.DESIGNS, "Study design."),
            "country": _text(),
            "sample": _text(),
            "sample_size": _number(minimum=1, integer=True),
            "timing": _text(),
            "independent": {
                "type": "boolean",
                "description": "Run independently of the developer.",
            },
            "other_outcomes": _texts("Outcomes for others than the child, in plain words."),
            "publications": {"type": "array", "items": _publication_schema()},
            "findings": {"type": "array", "items": _finding_schema()},
            "appraisal": _appraisal_schema(),
            "provenance": provenance_schema(),
            "conduct": _conduct_schema(),
        },
        ["key", "label", "citation", "design"],
    )


def _maybe(kind: str, description: str) -> JSON:
    return {"type": [kind, "null"], "description": description}


def _fraction(description: str) -> JSON:
    return {"type": ["number", "null"], "minimum": 0, "maximum": 1, "description": description}


def _domains_schema() -> JSON:
    return _object(
        {
            "psc": _key(crosswalk_vocabulary.PSC_DOMAINS, "PSC target outcome domain."),
            "blueprints": _text("The Blueprints outcome this finding measures."),
            "cebc": _text("The CEBC topic area."),
            "homvee": _text("The HomVEE domain."),
        },
        description="The outcome's domain under each clearinghouse; absent: not recorded.",
    )


def _conduct_schema() -> JSON:
    return _object(
        {
            "usual_care": _maybe("boolean", "Run in a usual care or practice setting."),
            "sample": _maybe(
                "string", "Trial sample identifier: two reports of one trial share it."
            ),
            "comparison": {
                "enum": [None, *crosswalk_vocabulary.COMPARISONS],
                "description": "What the comparison group received.",
            },
            "randomisation_compromised": _maybe("boolean", "Random assignment compromised."),
            "overall_attrition": _fraction("Overall attrition, as a fraction."),
            "differential_attrition": _fraction("Difference in attrition between groups."),
            "baseline_difference": {
                **_number(minimum=0),
                "description": "Largest absolute standardised baseline difference.",
            },
            "baseline_adjusted": _maybe(
                "boolean", "The analysis adjusts for baseline differences."
            ),
            "confounded": _maybe("boolean", "A factor is completely aligned with one condition."),
            "developer_independent": _maybe(
                "boolean", "The evaluation team was independent of the developer."
            ),
        },
        description="How the study was run, for other clearinghouses' rules; null: not recorded.",
    )


def _readiness_schema() -> JSON:
    return _object(
        {
            "manual": _maybe("boolean", "A manual or other writings specify how to deliver it."),
            "dissemination_ready": _maybe(
                "boolean", "Ready for dissemination: training, support, materials."
            ),
            "psc_area": {
                "enum": [None, *crosswalk_vocabulary.PSC_AREAS],
                "description": "The PSC programme area.",
            },
        },
        description="Programme facts other clearinghouses check; null: not recorded.",
    )


def _cost_schema() -> JSON:
    levels: JSON = {"enum": [None, *vocabulary.QUALIFICATION_LEVELS]}
    return _object(
        {
            "sessions": _number(minimum=1, integer=True),
            "session_hours": _number(minimum=0),
            "practitioners_per_session": _number(minimum=1, integer=True),
            "practitioner_level": levels,
            "families_per_group": _number(minimum=1, integer=True),
            "practitioner_training_hours": _number(minimum=0),
            "practitioner_training_fee": _number(minimum=0),
            "booster_training": {"type": ["boolean", "null"]},
            "supervisor_level": levels,
            "supervisor_training_hours": _number(minimum=0),
            "supervision_hours_per_family": _number(minimum=0),
            "licence_fee": _number(minimum=0),
            "setup_materials": _number(minimum=0),
            "materials_per_family": _number(minimum=0),
        },
        description="Inputs to the cost model; null means not known.",
    )


def programme_schema() -> JSON:
    """The JSON Schema (draft 2020-12) of one programme record, with the limits of
    ``record_limits`` (lengths, ranges, patterns) on every text and number."""
    return with_limits(_programme_schema())


def _programme_schema() -> JSON:
    date = {"type": ["string", "null"], "format": "date"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://guidebook.example/schema/programme.schema.json",
        "title": "Guidebook programme record",
        **_object(
            {
                "format": {"const": FORMAT},
                "slug": {"type": "string", "pattern": SLUG_PATTERN},
                "name": {"type": "string", "minLength": 1},
                "summary": _text("One or two sentences: what it is and who it is for."),
                "description": _text(),
                "characteristics": _object(
                    {
                        "age_groups": _keys(vocabulary.AGE_GROUPS, "Age groups."),
                        "delivery_models": _keys(vocabulary.DELIVERY_MODELS, "Delivery models."),
                        "settings": _keys(vocabulary.SETTINGS, "Settings."),
                        "targeting": _keys(vocabulary.TARGETING, "Level of need."),
                        "countries": _texts("Countries where it has been implemented."),
                        "uk_provision": {"type": ["boolean", "null"]},
                        "uk_evaluation": {"type": ["boolean", "null"]},
                    }
                ),
                "delivery": _object(
                    {
                        "sessions": _number(minimum=1, integer=True),
                        "session_hours_min": _number(minimum=0),
                        "session_hours_max": _number(minimum=0),
                        "frequency": _text(),
                        "duration": _text(),
                        "summary": _texts("How it is delivered."),
                        "activities": _texts("What happens during delivery."),
                    }
                ),
                "implementation": _object(
                    {
                        name: _text()
                        for name in (
                            "practitioners",
                            "training",
                            "supervision",
                            "fidelity",
                            "licence",
                        )
                    }
                ),
                "cost": _cost_schema(),
                "theory_of_change": _texts("How it is meant to work, step by step."),
                "contact": _object(
                    {name: _text() for name in ("name", "organisation", "email", "website")}
                ),
                "reviews": {
                    "type": "array",
                    "items": _object(
                        {"name": _text(), "date": {"type": "string", "format": "date"}},
                        ["name", "date"],
                    ),
                },
                "first_published": date,
                "last_updated": date,
                "evidence_summary": _text(),
                "other_outcomes_note": _text(),
                "studies": {"type": "array", "items": _study_schema()},
                "readiness": _readiness_schema(),
                "imported": {
                    "oneOf": [
                        {"type": "null"},
                        _object(
                            {
                                "evidence_rating": {"enum": IMPORTABLE_RATINGS},
                                "cost_rating": {"enum": ["1", "2", "3", "4", "5", "NA"]},
                                "source": {"type": "string", "minLength": 1},
                                "retrieved": {"type": "string", "format": "date"},
                                "note": _text(),
                                "outcomes": {
                                    "type": "array",
                                    "description": "Child outcomes as the source published them.",
                                    "items": _object(
                                        {
                                            "category": _key(
                                                vocabulary.OUTCOME_CATEGORIES, "Outcome category."
                                            ),
                                            "outcome": _text(),
                                        },
                                        ["category"],
                                    ),
                                },
                            },
                            ["evidence_rating", "cost_rating", "source", "retrieved"],
                            "Ratings published elsewhere, kept with their source.",
                        ),
                    ]
                },
            },
            ["format", "slug", "name"],
        ),
    }
