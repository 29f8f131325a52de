"""Checks on single findings and studies that more than one clearinghouse uses.

A finding's direction and significance come from ``judge_finding`` (recorded, or
derived from its statistics); anything neither recorded nor derivable is unknown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from guidebook.evidence.crosswalk.logic import Check, all_of, known, needs, negate
from guidebook.evidence.crosswalk_vocabulary import SHORT_NAMES
from guidebook.evidence.records import Finding, Programme, Study, StudyConduct
from guidebook.evidence.standards.judging import judge_finding
from guidebook.evidence.standards.parameters import highest_differential_attrition

__all__ = [
    "ANSWERED_IN_APPRAISAL",
    "attrition_low",
    "baseline_equivalent",
    "conduct",
    "design_is",
    "favourable",
    "harmful",
    "in_vocabulary",
    "not_confounded",
    "sound",
    "studies_recorded",
    "usual_care",
    "where",
]


ANSWERED_IN_APPRAISAL: tuple[tuple[str, str], ...] = (
    ("overall_attrition", "sample.overall-attrition"),
    ("differential_attrition", "sample.differential-attrition"),
    ("baseline_difference", "sample.baseline-difference"),
    ("baseline_adjusted", "analysis.baseline-adjusted"),
)
"""Conduct facts the EIF appraisal also asks (conduct field, criterion id): the same
question, so a reviewer answers it once and each standard reads it from there."""


def conduct(study: Study) -> StudyConduct:
    """The study's conduct facts; one not recorded in ``conduct`` is read from where the
    same question was already answered: the consensus appraisal (``ANSWERED_IN_APPRAISAL``)
    and, for the evaluators' independence from the developer, the study's own
    ``independent`` flag when it is set (unset, it may mean unknown, so it is not read
    as a no)."""
    answered: dict[str, bool | float | None] = {}
    appraisal = study.appraisal
    if appraisal is not None and appraisal.consensus:
        answered = {
            name: appraisal.answers.get(criterion) for name, criterion in ANSWERED_IN_APPRAISAL
        }
    if study.independent:
        answered["developer_independent"] = True
    # Typed loosely: each name is a StudyConduct field of the answer's own type.
    missing: dict[str, Any] = {
        name: value
        for name, value in answered.items()
        if value is not None and getattr(study.conduct, name) is None
    }
    return replace(study.conduct, **missing)


def where(study: Study, finding: Finding | None = None) -> str:
    """How a needed fact names its place: "study-1" or "study-1/f2"."""
    return study.key if finding is None else f"{study.key}/{finding.key}"


def favourable(study: Study, finding: Finding, alpha: float) -> Check:
    """A statistically significant effect in the beneficial direction."""
    judged = judge_finding(finding, alpha)
    if not judged.known:
        return needs(f"direction and significance ({where(study, finding)})")
    return Check(judged.improved)


def harmful(study: Study, finding: Finding, alpha: float) -> Check:
    """A harmful effect: as recorded, else a significant effect in the harmful direction."""
    if finding.harmful is not None:
        return Check(finding.harmful)
    judged = judge_finding(finding, alpha)
    if not judged.known:
        return needs(f"harm, or direction and significance ({where(study, finding)})")
    return Check(judged.direction == "negative" and judged.significant is True)


def in_vocabulary(study: Study, finding: Finding, clearinghouse: str, excluded: str = "") -> Check:
    """The finding's outcome has a domain under ``clearinghouse`` (other than ``excluded``)."""
    domain = finding.domains.get(clearinghouse)
    if domain is None:
        name = SHORT_NAMES[clearinghouse]
        return needs(f"{name} outcome domain ({where(study, finding)})")
    return Check(domain != excluded)


def attrition_low(study: Study, boundary: str) -> Check:
    """Overall and differential attrition inside the WWC boundary (``ATTRITION_BOUNDARIES``)."""
    overall = conduct(study).overall_attrition
    differential = conduct(study).differential_attrition
    missing = [
        f"{name} attrition ({study.key})"
        for name, value in (("overall", overall), ("differential", differential))
        if value is None
    ]
    if overall is None or differential is None:
        return needs(*missing)
    limit = highest_differential_attrition(overall, boundary)
    return Check(limit is not None and differential <= limit)


def baseline_equivalent(study: Study, equivalent: float, adjustable: float) -> Check:
    """Baseline difference small, or moderate and adjusted for (WWC-style rule)."""
    difference = conduct(study).baseline_difference
    if difference is None:
        return needs(f"baseline difference ({study.key})")
    if difference <= equivalent:
        return Check(True)
    if difference > adjustable:
        return Check(False)
    return known(conduct(study).baseline_adjusted, f"baseline adjustment ({study.key})")


def not_confounded(study: Study) -> Check:
    """No factor completely aligned with one condition."""
    return negate(known(conduct(study).confounded, f"confound ({study.key})"))


def usual_care(study: Study) -> Check:
    """Run in a usual care or practice setting."""
    return known(conduct(study).usual_care, f"usual care setting ({study.key})")


def design_is(study: Study, design: str) -> Check:
    """The study's design is ``design``; an unrecorded design needs it."""
    if study.design == "not-recorded":
        return needs(f"design ({study.key})")
    return Check(study.design == design)


def sound(study: Study, equivalent: float, adjustable: float) -> Check:
    """Baseline equivalent and not confounded."""
    return all_of(baseline_equivalent(study, equivalent, adjustable), not_confounded(study))


def studies_recorded(programme: Programme) -> Check:
    """A programme with no study recorded here (its rating imported) is not known to
    lack evidence: its evidence is simply not recorded, so nothing can be rated."""
    return Check(True) if programme.studies else needs("the programme's studies")
