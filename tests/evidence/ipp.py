"""Infant-Parent Psychotherapy as evidence records: the reference page's worked case.

The published page rates IPP 3+: two RCTs, study 2 at level 3 and study 1 at level 2,
both showing improved attachment security (Ainsworth's Strange Situation, rated by an
observer), and both showing more empathic behaviour in mothers. The page gives the
levels, not the reviewers' answers, so the answers below are illustrative: study 2 is
levelled from criterion answers that pass level 3, study 1 from a recorded consensus
verdict. Neither study claims an effect 12 months after the programme ended, and
neither is marked independent of the developer.

Use ``ipp_programme()`` as is, or pass ``dataclasses.replace``-style changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from guidebook.evidence.records import (
    Appraisal,
    Characteristics,
    Finding,
    Programme,
    Publication,
    Study,
    StudyLevel,
)

Answers = dict[str, bool | float | None]


def level_3_answers() -> Answers:
    """Criterion answers for a randomised trial with low attrition that passes level 3."""
    return {
        "design.comparison-group": True,
        "design.credible-comparison": True,
        "design.pre-and-post": True,
        "design.random-assignment": True,
        "sample.size": 189,
        "sample.analysed-fraction": 0.90,
        "sample.smallest-group": 40,
        "sample.overall-attrition": 0.10,
        "sample.differential-attrition": 0.02,
        "sample.baseline-difference": None,
        "measurement.validated": True,
        "measurement.child-outcome-suited": True,
        "measurement.same-for-both-groups": True,
        "analysis.intention-to-treat": True,
        "analysis.clustering": True,
        "analysis.appropriate-test": True,
        "analysis.baseline-adjusted": False,
    }


def with_answers(changes: Answers) -> Answers:
    """The level-3 answers with some answers changed (keys are criterion ids)."""
    return level_3_answers() | changes


def consensus(answers: Answers) -> Appraisal:
    return Appraisal(reviewer="consensus", answers=answers, consensus=True)


def verdict(level: StudyLevel, justification: str = "Settled by the evidence panel.") -> Appraisal:
    return Appraisal(
        reviewer="consensus", consensus=True, verdict=level, justification=justification
    )


def attachment_security(key: str = "attachment", **changes: Any) -> Finding:
    finding = Finding(
        key=key,
        outcome="Improved attachment security",
        category="mental-health",
        measure="Strange Situation",
        reporter="observer",
        beneficiary="child",
        months_after=0,
        direction="positive",
        significant=True,
    )
    return replace(finding, **changes)


def empathic_behaviour(key: str = "empathy", **changes: Any) -> Finding:
    finding = Finding(
        key=key,
        outcome="Increased empathic behaviour",
        category="mental-health",
        measure="Observed maternal empathy",
        reporter="observer",
        beneficiary="parent",
        months_after=0,
        direction="positive",
        significant=True,
    )
    return replace(finding, **changes)


def ipp_study_1(**changes: Any) -> Study:
    study = Study(
        key="ipp-1",
        label="Study 1",
        citation="Lieberman et al (1991)",
        design="rct",
        country="United States",
        sample="100 Spanish-speaking mothers at risk of depression, with infants of 12 months",
        sample_size=100,
        other_outcomes=("Increased empathic behaviour",),
        publications=(Publication("Lieberman, Weston and Pawl (1991), Child Development 62"),),
        findings=(attachment_security("ipp-1-attachment"), empathic_behaviour("ipp-1-empathy")),
        appraisal=verdict(
            StudyLevel.LEVEL_2,
            "Randomised, but the panel judged it short of the higher-quality design bar.",
        ),
    )
    return replace(study, **changes)


def ipp_study_2(**changes: Any) -> Study:
    study = Study(
        key="ipp-2",
        label="Study 2",
        citation="Cicchetti et al (2006); Cicchetti et al (2011); Stronach et al (2013)",
        design="rct",
        country="United States",
        sample="189 mothers, 137 of them at risk of maltreating their child",
        sample_size=189,
        other_outcomes=("Increased empathic behaviour",),
        findings=(attachment_security("ipp-2-attachment"), empathic_behaviour("ipp-2-empathy")),
        appraisal=consensus(level_3_answers()),
    )
    return replace(study, **changes)


def ipp_programme(**changes: Any) -> Programme:
    programme = Programme(
        slug="infant-parent-psychotherapy",
        name="Infant-Parent Psychotherapy",
        characteristics=Characteristics(
            age_groups=("infants",),
            delivery_models=("individual",),
            targeting=("targeted-indicated",),
            countries=("United States",),
        ),
        studies=(ipp_study_1(), ipp_study_2()),
    )
    return replace(programme, **changes)
