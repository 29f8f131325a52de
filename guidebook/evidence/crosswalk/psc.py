"""Title IV-E Prevention Services Clearinghouse, Handbook v1.0 (key "psc-1.0").

Sources (paraphrased in docs/methodology/crosswalk.md): the PSC ratings page
(preventionservices.acf.hhs.gov/review-process/psr) for the three positive levels [S];
the evidence-review page for contrasts and their high/moderate/low rating [S]; the
design-and-execution thresholds follow the WWC logic the handbook uses, whose v1.0
text was not seen [B], so they are parameters to confirm (``parameters.py``).

A contrast here is one finding of one study; its design rating comes from the study,
since attrition, baseline and confounds are recorded per study.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from guidebook.evidence.crosswalk import facts
from guidebook.evidence.crosswalk.facts import studies_recorded
from guidebook.evidence.crosswalk.logic import (
    MET,
    Check,
    all_of,
    any_of,
    at_least,
    at_least_distinct,
    gated,
    known,
    needs,
    negate,
)
from guidebook.evidence.crosswalk.parameters import parameter
from guidebook.evidence.crosswalk.result import CrosswalkResult, LadderStep, climb, reason_of
from guidebook.evidence.reasons import Reason
from guidebook.evidence.records import Finding, Programme, Study

__all__ = ["PSC_1_0", "Psc10", "contrast_rating"]

WELL_SUPPORTED = LadderStep(
    "Well-supported",
    "psc.well-supported",
    "Two or more moderate- or high-rated contrasts with separate samples, run in usual "
    "care, show favourable effects on target outcomes, one lasting at least 12 months "
    "after treatment ended.",
)
SUPPORTED = LadderStep(
    "Supported",
    "psc.supported",
    "A moderate- or high-rated contrast run in usual care shows a favourable effect on a "
    "target outcome lasting at least 6 months after treatment ended.",
)
PROMISING = LadderStep(
    "Promising",
    "psc.promising",
    "A moderate- or high-rated contrast shows a favourable effect on a target outcome.",
)
DOES_NOT_MEET = LadderStep(
    "Does not currently meet criteria",
    "psc.does-not-meet",
    "No moderate- or high-rated contrast shows a favourable effect on a target outcome, "
    "or the programme is not eligible.",
)


def contrast_rating(study: Study) -> tuple[str | None, tuple[str, ...]]:
    """ "high", "moderate", "low" or "not eligible", or ``None`` with the facts needed.

    An uncompromised RCT with low attrition is high unless confounded; every other RCT
    or QED must show baseline equivalence (adjusted where moderate) and no confound to
    be moderate [B: handbook v1.0 ch. 5, WWC-style logic].
    """
    rct = facts.design_is(study, "rct")
    if rct.met is None:
        return None, rct.needs
    if rct.met is False and facts.design_is(study, "qed").met is False:
        return "not eligible", ()
    if rct.met:
        compromised = known(
            facts.conduct(study).randomisation_compromised,
            f"randomisation compromised? ({study.key})",
        )
        if compromised.met is None:
            return None, compromised.needs
        attrition = facts.attrition_low(study, str(parameter("psc.attrition_boundary")))
        if compromised.met is False and attrition.met is None:
            return None, attrition.needs
        if compromised.met is False and attrition.met:
            return _grade(facts.not_confounded(study), "high")
    equivalent = float(parameter("psc.baseline_equivalent"))
    adjustable = float(parameter("psc.baseline_adjustable"))
    return _grade(facts.sound(study, equivalent, adjustable), "moderate")


def _grade(check: Check, level: str) -> tuple[str | None, tuple[str, ...]]:
    if check.met is None:
        return None, check.needs
    return (level if check.met else "low"), ()


@dataclass(frozen=True)
class _Contrast:
    study: Study
    finding: Finding
    qualifying: Check
    favourable_target: Check
    unfavourable_target: Check


def _contrasts(programme: Programme, alpha: float) -> tuple[list[_Contrast], list[Reason]]:
    contrasts: list[_Contrast] = []
    reasons: list[Reason] = []
    for study in programme.studies:
        rating, wanted = contrast_rating(study)
        qualifying = needs(*wanted) if rating is None else Check(rating in ("high", "moderate"))
        reasons.append(reason_of("psc.contrast-rating", qualifying, study.key, rating=rating))
        for finding in study.findings:
            target = facts.in_vocabulary(study, finding, "psc", excluded="not-target")
            contrasts.append(
                _Contrast(
                    study,
                    finding,
                    qualifying,
                    all_of(qualifying, target, facts.favourable(study, finding, alpha)),
                    all_of(qualifying, target, facts.harmful(study, finding, alpha)),
                )
            )
    return contrasts, reasons


def _sustained(contrast: _Contrast, months: float) -> Check:
    where = facts.where(contrast.study, contrast.finding)
    return all_of(
        contrast.favourable_target,
        facts.usual_care(contrast.study),
        at_least(
            contrast.finding.months_after_treatment_end,
            months,
            f"months after the end of treatment ({where})",
        ),
    )


def _eligibility(programme: Programme) -> Check:
    area = programme.readiness.psc_area
    return all_of(
        needs("PSC programme area") if area is None else MET,
        known(programme.readiness.manual, "manual"),
    )


@dataclass(frozen=True)
class Psc10:
    """The PSC Handbook v1.0 programme rating, top-down (section 1.7 of our notes)."""

    key: ClassVar[str] = "psc-1.0"
    version: ClassVar[str] = "1.0"
    year: ClassVar[int] = 2019
    clearinghouse: ClassVar[str] = "psc"
    title: ClassVar[str] = "Title IV-E Prevention Services Clearinghouse, Handbook v1.0"
    summary: ClassVar[str] = (
        "Rates each contrast high, moderate or low on design and execution, then the "
        "programme Well-supported, Supported or Promising on favourable effects on "
        "child or adult target outcomes, in usual care and sustained after treatment."
    )
    ladder: ClassVar[tuple[LadderStep, ...]] = (
        WELL_SUPPORTED,
        SUPPORTED,
        PROMISING,
        DOES_NOT_MEET,
    )
    rules: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "psc.eligibility",
            "The programme has a PSC programme area and a manual.",
        ),
        ("psc.contrast-rating", "Each study's contrasts are rated high, moderate or low."),
        (PROMISING.rule, PROMISING.meaning),
        (SUPPORTED.rule, SUPPORTED.meaning),
        (WELL_SUPPORTED.rule, WELL_SUPPORTED.meaning),
        (
            "psc.no-harm",
            "No qualifying contrast shows an unfavourable effect on a target "
            "outcome; otherwise the weight of evidence needs a review and the rating stops "
            "at Promising (our reading; handbook ch. 6 not seen).",
        ),
    )

    def rate(self, programme: Programme) -> CrosswalkResult:
        """Rate ``programme``; unknown facts leave it unrated with what it needs."""
        contrasts, reasons = _contrasts(programme, float(parameter("psc.alpha")))
        eligible = _eligibility(programme)
        promising = any_of(c.favourable_target for c in contrasts)
        supported = any_of(
            _sustained(c, float(parameter("psc.supported_months"))) for c in contrasts
        )
        well = all_of(
            at_least_distinct(
                2,
                (
                    (
                        all_of(c.favourable_target, facts.usual_care(c.study)),
                        facts.conduct(c.study).sample,
                        f"sample identifier ({c.study.key})",
                    )
                    for c in contrasts
                ),
            ),
            any_of(_sustained(c, float(parameter("psc.well_supported_months"))) for c in contrasts),
        )
        no_harm = all_of(*(negate(c.unfavourable_target) for c in contrasts))
        reasons += [
            reason_of("psc.eligibility", eligible),
            reason_of(PROMISING.rule, promising),
            reason_of(SUPPORTED.rule, supported),
            reason_of(WELL_SUPPORTED.rule, well),
            reason_of("psc.no-harm", no_harm),
        ]
        ladder = (
            (WELL_SUPPORTED, all_of(eligible, well, no_harm)),
            (SUPPORTED, all_of(eligible, supported, no_harm)),
            (PROMISING, all_of(eligible, promising)),
        )
        recorded = studies_recorded(programme)
        steps = tuple((step, gated(recorded, check)) for step, check in ladder)
        return climb(self.key, self.version, steps, DOES_NOT_MEET, tuple(reasons))


PSC_1_0 = Psc10()
