"""What the API returns, as schemas: the OpenAPI document is generated from these.

Every response is checked against its schema before it is sent (django-ninja
validates what a view returns), and the tests validate real responses against the
published OpenAPI document, so the document cannot drift from what is served.
A programme's record is described by the record format's own JSON Schema
(``docs/record-format.md``), referenced as the component ``ProgrammeRecord``.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, WithJsonSchema

__all__ = [
    "RECORD_COMPONENT",
    "RECORD_MARKER",
    "ApiIndex",
    "Assessment",
    "CostEstimate",
    "ErrorOut",
    "FacetOut",
    "ProgrammeDetail",
    "ProgrammeList",
    "ProgrammeSummary",
    "StandardDetail",
    "StandardSummary",
]

RECORD_COMPONENT = "ProgrammeRecord"

RECORD_MARKER = "x-guidebook-record"

# Pydantic resolves every $ref against its own models, so the field carries a marker
# that ``GuidebookAPI.get_openapi_schema`` replaces with a $ref to the record schema.
Record = Annotated[dict[str, Any], WithJsonSchema({"type": "object", RECORD_MARKER: True})]

# --- Errors -------------------------------------------------------------------------


class ProblemOut(Schema):
    record: str = Field(description="The record or request the problem was found in.")
    field: str = Field(description="The field or parameter at fault.")
    expected: str
    found: str
    message: str = Field(description="The whole problem as one sentence.")


class ErrorBody(Schema):
    status: int
    title: str
    problems: list[ProblemOut]


class ErrorOut(Schema):
    error: ErrorBody


# --- The index ----------------------------------------------------------------------


class ApiIndex(Schema):
    programmes: str
    standards: str
    openapi: str
    docs: str


# --- Programme lists ----------------------------------------------------------------


class PublishedOut(Schema):
    value: str = Field(description="The rating as the other guidebook published it.")
    source: str = Field(description="Where it was published (an address).")
    source_name: str = Field(description="The source's site, as pages name it.")
    retrieved: str = Field(description="When it was retrieved, YYYY-MM-DD.")


class ProgrammeSummary(Schema):
    slug: str
    name: str
    summary: str
    rating: str = Field(description="The evidence rating shown, e.g. '3+', '4*', 'NL2'.")
    rating_source: Literal["computed", "imported"] = Field(
        description="computed from the studies appraised here, or imported: published "
        "by another guidebook and shown while the studies behind it are not yet "
        "appraised here."
    )
    rating_statement: str = Field(
        description="One sentence saying what the rating rests on when another "
        "guidebook published one too ('' when none did)."
    )
    published_rating: PublishedOut | None = Field(
        description="The evidence rating another guidebook published, with its source "
        "and the date it was retrieved; null when none is recorded."
    )
    cost_rating: str = Field(description="'1' (low) to '5' (high), or 'NA'.")
    cost_rating_source: Literal["computed", "imported"] = Field(
        description="imported while Guidebook's cost model gives NA and another "
        "guidebook published a cost rating."
    )
    cost_rating_statement: str = Field(
        description="One sentence reconciling the cost rating with a published one ('' "
        "when none is recorded)."
    )
    cost_label: str
    unit_cost: float | None = Field(description="Estimated cost per child in pounds.")
    outcomes: list[str] = Field(description="The child outcomes the programme improved.")
    published_at: datetime
    url: str = Field(description="This programme in the API.")
    page_url: str = Field(description="This programme's page on the site.")


class FacetOption(Schema):
    key: str = Field(description="The value to pass as the filter parameter.")
    label: str
    count: int = Field(
        description="Programmes matching if this were the filter's only value, "
        "every other filter unchanged."
    )
    selected: bool


class FacetOut(Schema):
    name: str = Field(description="The filter's query parameter.")
    label: str
    options: list[FacetOption]


class ProgrammeList(Schema):
    count: int = Field(description="Programmes matching every filter, on all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    results: list[ProgrammeSummary]
    facets: list[FacetOut]
    # Last: once assigned, this field's name would shadow the type "list" in the class body.
    list: Literal["listed", "not-listed", "all"] = Field(description="Which list was searched.")


# --- One programme ------------------------------------------------------------------


class ReasonOut(Schema):
    rule: str
    met: bool
    subject: str | None
    values: dict[str, Any]


class StudyLevelOut(Schema):
    study: str
    label: str
    appraised: bool = Field(description="Whether the study carries a consensus appraisal.")
    level: str | None = Field(description="The study's level; null while it is not appraised.")
    level_label: str
    reasons: list[ReasonOut]


class StandardRef(Schema):
    key: str
    version: str
    title: str


class RatingOut(Schema):
    value: str
    level: int | None
    plus: bool
    asterisk: bool


class ShownRating(Schema):
    value: str
    source: Literal["computed", "imported"]
    statement: str = Field(
        description="One sentence saying what the rating rests on: that it is imported "
        "and the studies behind it are not yet appraised here, or whether it agrees with "
        "the rating another guidebook published; '' when nothing else was published."
    )


class ShownCost(Schema):
    rating: str
    source: Literal["computed", "imported"]
    statement: str = Field(description="As for the evidence rating's statement.")


class ImportedOut(Schema):
    evidence_rating: str
    cost_rating: str
    source: str
    retrieved: str
    note: str


class PooledOut(Schema):
    """``pooling.PooledEstimate.to_dict()``: one random-effects meta-analysis."""

    method: str = Field(description="How tau^2 was estimated, e.g. 'REML'.")
    test: str
    level: float
    k: int = Field(description="How many studies were pooled.")
    estimate: float = Field(description="The pooled effect size (Hedges' g).")
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    tau2: float = Field(description="Between-study variance of the true effects.")
    tau: float
    se_tau2: float | None
    q: float
    q_df: int
    q_p_value: float
    i2: float
    h2: float
    pi_low: float = Field(
        description="Prediction interval in metafor's default form: estimate -/+ z "
        "sqrt(se^2 + tau^2)."
    )
    pi_high: float
    pi_riley_low: float | None = Field(
        description="The prediction interval the page draws: estimate -/+ t(k-2) "
        "sqrt(se^2 + tau^2) (Higgins, Thompson & Spiegelhalter 2009); null with fewer "
        "than three studies."
    )
    pi_riley_high: float | None


class PooledOutcomeOut(Schema):
    outcome: str
    category: str
    studies: int
    rows: list[dict[str, Any]] = Field(
        description="Each study's finding as pooled, with its weight (% of the "
        "random-effects weights): the rows of the forest plot."
    )
    pooled: PooledOut
    set_aside: list[dict[str, Any]] = Field(
        description="The studies' other measurements of the outcome, not pooled."
    )


class ProgrammeEffectsOut(Schema):
    level: float
    alpha: float
    method: str
    findings: list[dict[str, Any]] = Field(
        description="Every finding with statistics: its effect size and verdict."
    )
    outcomes: list[PooledOutcomeOut] = Field(
        description="One forest plot each: child outcomes measured by two or more studies."
    )


class Assessment(Schema):
    programme: str
    standard: StandardRef
    appraised: bool = Field(
        description="Whether at least one study carries a consensus appraisal here."
    )
    rating: RatingOut | None = Field(
        description="The rating computed from the studies appraised here; null while "
        "the rating shown is imported."
    )
    shown: ShownRating = Field(description="The rating the site shows, computed or imported.")
    imported: ImportedOut | None = Field(
        description="Ratings another guidebook published, with source and retrieval date."
    )
    study_levels: list[StudyLevelOut]
    reasons: list[ReasonOut] = Field(
        description="The rules behind the computed rating; empty while it is imported."
    )
    mixed_studies: list[str]
    explanation: dict[str, Any] | None = Field(
        description="The sentences the page shows about the computed rating; null while "
        "the rating shown is imported."
    )
    inputs_hash: str = Field(description="SHA-256 of the record and the standard version.")
    effects: ProgrammeEffectsOut | None = Field(
        None,
        description="Effect sizes and pooled outcomes, as the page's forest plots show "
        "them; null for a snapshot published before they were computed.",
    )


class LineItemOut(Schema):
    key: str
    label: str
    kind: str
    amount: float
    formula: str


class UsedParameterOut(Schema):
    value: float
    unit: str
    overridden: bool


class MissingOut(Schema):
    field: str
    label: str


CostInput = float | str | bool


class AssumedOut(Schema):
    field: str
    label: str
    value: CostInput = Field(description="The value the itemised estimate uses.")
    low: CostInput | None = Field(
        None, description="The input's smallest plausible value (null in older snapshots)."
    )
    high: CostInput | None = Field(None, description="The input's largest plausible value.")
    reason: str
    source: str = Field("", description="Where the plausible range comes from.")


class DecidingOut(Schema):
    field: str
    label: str
    low: CostInput
    high: CostInput
    ratings: list[str] = Field(description="The bands this input's range alone could give.")


class CostRangeOut(Schema):
    low: float
    high: float


class CostEstimate(Schema):
    record: str
    rating: str = Field(description="The cost rating Guidebook's cost model gives.")
    shown: ShownCost = Field(description="The cost rating the site shows, computed or imported.")
    label: str
    unit_cost: float | None = Field(
        description="The itemised estimate, unknown inputs at their typical values; null when NA."
    )
    explanation: str
    range: CostRangeOut | None = Field(
        None,
        description="The least and greatest unit cost over the plausible ranges of the "
        "unknown inputs; null when a missing input stops any estimate.",
    )
    ratings: list[str] = Field(
        default_factory=list, description="Every band between the two ends of the range."
    )
    breakdown: list[LineItemOut]
    parameters: dict[str, UsedParameterOut]
    missing: list[MissingOut]
    assumed: list[AssumedOut]
    deciding: list[DecidingOut] = Field(
        default_factory=list,
        description="When NA: the unknown inputs whose plausible range alone crosses a "
        "band boundary, widest first.",
    )


class HistoryEntry(Schema):
    published: str
    rating: str
    source: Literal["computed", "imported"]
    standard: str
    review: str
    note: str


class ProgrammeDetail(Schema):
    programme: Record
    rating: Assessment
    cost: CostEstimate
    published_at: datetime
    rating_history: list[HistoryEntry]
    page_url: str


# --- Standards ----------------------------------------------------------------------


class StandardSummary(Schema):
    key: str
    version: str
    year: int
    title: str
    summary: str
    newest: bool = Field(description="Whether new ratings use this standard by default.")
    url: str


class RatingValueOut(Schema):
    value: str
    rank: int = Field(description="Position in the rating order, 0 (NL2) to 7 (4+).")
    meaning: str
    listed: bool = Field(description="Whether programmes with it are in the main list.")
    evidence_based: bool


class CriterionOut(Schema):
    id: str
    group: str
    question: str
    kind: Literal["yes-no", "number"]
    gates: str = Field(description="The lowest study level that needs this criterion.")
    role: Literal["required", "equivalence"]
    minimum: str | None = Field(description="The parameter an answer must reach, if any.")
    lowest: float
    highest: float | None


class ParameterOut(Schema):
    name: str
    value: int | float | str = Field(description="The value this standard uses.")
    default: int | float | str
    help: str
    source: str
    decision: bool = Field(description="True when the value is Guidebook's own decision.")


class StandardDetail(StandardSummary):
    ratings: list[RatingValueOut]
    criteria: list[CriterionOut]
    parameters: list[ParameterOut]
