"""The thresholds of the crosswalk standards, each with its source and whether the
handbook text behind it was seen.

Where the project's crosswalk notes tag a rule [S] (seen in a stored public page) the
value is the published one. Where they tag it [B] (background knowledge of a handbook
whose text was not seen) the value is a parameter *to confirm* against the source named,
never a silent constant. docs/methodology/crosswalk.md lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CROSSWALK_PARAMETERS", "CrosswalkParameter", "parameter"]

PSC_HANDBOOK = (
    "Title IV-E Prevention Services Clearinghouse Handbook of Standards and Procedures"
    " v1.0 (OPRE, 2019)"
)
PSC_RATINGS_PAGE = "preventionservices.acf.hhs.gov/review-process/psr"
BLUEPRINTS_STANDARDS = "blueprintsprograms.org/blueprints-standards"
BLUEPRINTS_MODEL = (
    "blueprintsprograms.org/what-is-the-difference-between-a-promising-and-model-program"
)


@dataclass(frozen=True)
class CrosswalkParameter:
    """A threshold: ``seen`` is False when the handbook wording was not seen ([B])."""

    key: str
    value: float | str
    meaning: str
    source: str
    seen: bool

    def to_dict(self) -> dict[str, float | str | bool]:
        return {
            "key": self.key,
            "value": self.value,
            "meaning": self.meaning,
            "source": self.source,
            "seen": self.seen,
        }


CROSSWALK_PARAMETERS: tuple[CrosswalkParameter, ...] = (
    CrosswalkParameter(
        "psc.alpha",
        0.05,
        "Significance level of a favourable or unfavourable effect (two-sided).",
        PSC_HANDBOOK + ", chapter 5 (statute: 'conventional standards'); to confirm",
        False,
    ),
    CrosswalkParameter(
        "psc.attrition_boundary",
        "cautious",
        "Which WWC attrition boundary separates low from high attrition in an RCT.",
        PSC_HANDBOOK + ", chapter 5; to confirm",
        False,
    ),
    CrosswalkParameter(
        "psc.baseline_equivalent",
        0.05,
        "Largest standardised baseline difference that needs no adjustment.",
        PSC_HANDBOOK + ", chapter 5; to confirm",
        False,
    ),
    CrosswalkParameter(
        "psc.baseline_adjustable",
        0.25,
        "Largest standardised baseline difference that adjustment can answer.",
        PSC_HANDBOOK + ", chapter 5; to confirm",
        False,
    ),
    CrosswalkParameter(
        "psc.supported_months",
        6,
        "Months after the end of treatment a favourable effect must last for Supported.",
        PSC_RATINGS_PAGE,
        True,
    ),
    CrosswalkParameter(
        "psc.well_supported_months",
        12,
        "Months after the end of treatment one effect must last for Well-supported.",
        PSC_RATINGS_PAGE,
        True,
    ),
    CrosswalkParameter(
        "blueprints.alpha",
        0.05,
        "Significance level of a positive or harmful effect.",
        BLUEPRINTS_STANDARDS + " (detailed standards 4-8); to confirm",
        False,
    ),
    CrosswalkParameter(
        "blueprints.attrition_boundary",
        "cautious",
        "Differential attrition counted as no significant differential attrition "
        "(read against the WWC boundary: our decision).",
        BLUEPRINTS_STANDARDS + " (detailed standards 4-8); to confirm",
        False,
    ),
    CrosswalkParameter(
        "blueprints.baseline_equivalent",
        0.05,
        "Largest standardised baseline difference counted as equivalence without adjustment.",
        BLUEPRINTS_STANDARDS + " (detailed standards 4-8); to confirm",
        False,
    ),
    CrosswalkParameter(
        "blueprints.sustained_months",
        12,
        "Months after the intervention ends a positive effect must last for Model.",
        BLUEPRINTS_MODEL,
        True,
    ),
)

_BY_KEY = {p.key: p for p in CROSSWALK_PARAMETERS}


def parameter(key: str) -> float | str:
    """The value of the parameter ``key`` (``KeyError`` if it is not defined)."""
    return _BY_KEY[key].value
