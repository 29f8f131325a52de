"""A study's level, from its consensus appraisal.

Two reviewers appraise each study and settle a consensus (DESIGN.md). The level comes
from the consensus alone, in one of two ways:

- the consensus answered the criteria: each criterion is evaluated against the limits
  and the level is the highest whose gates all pass, each level needing the ones below
  (STANDARDS.md "Study levels");
- the consensus recorded a verdict with its justification: the verdict is the level
  and the criteria are not evaluated (answers recorded beside a verdict are ignored).

A study with no consensus appraisal cannot be levelled yet; it counts as below level
2, with the reason "study.consensus-appraisal" not met [decision]. An unanswered
criterion is not met.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import Study, StudyLevel
from guidebook.evidence.standards.checks import check_study
from guidebook.evidence.standards.criteria import CRITERIA, Criterion
from guidebook.evidence.standards.parameters import (
    ATTRITION_BOUNDARIES,
    DEFAULT_LIMITS,
    Limits,
    highest_differential_attrition,
)
from guidebook.evidence.standards.result import StudyResult

__all__ = ["LEVEL_RULES", "assess_study", "level_study", "study_level_reasons"]

Answers = Mapping[str, bool | float | None]

LEVEL_RULES: Mapping[StudyLevel, str] = {
    StudyLevel.LEVEL_2: "level-2",
    StudyLevel.LEVEL_2_QUALITY: "level-2-quality",
    StudyLevel.LEVEL_3: "level-3",
}
"""The rule-id prefix of each level a study can pass, in increasing order."""

GROUP_EQUIVALENCE = "level-3.group-equivalence"

# Floating-point slack when an answer sits exactly on an interpolated boundary.
_TOLERANCE = 1e-9


def level_study(study: Study, limits: Limits = DEFAULT_LIMITS) -> StudyResult:
    """Check one study and level it from its consensus appraisal (see the module doc)."""
    check_study(study)
    return assess_study(study, limits)


def assess_study(study: Study, limits: Limits) -> StudyResult:
    """Level a study already checked by ``check_study`` or ``check_programme``."""
    level, reasons = study_level_reasons(study, limits)
    return StudyResult(study.key, study.label, level, reasons)


def study_level_reasons(study: Study, limits: Limits) -> tuple[StudyLevel, tuple[Reason, ...]]:
    """``assess_study``'s level and reasons, for a caller that adds reasons of its own."""
    appraisal = study.appraisal
    if appraisal is None or not appraisal.consensus:
        found = "none" if appraisal is None else "not a consensus"
        reviewer = None if appraisal is None else appraisal.reviewer
        missing = Reason(
            "study.consensus-appraisal",
            False,
            {"appraisal": found, "reviewer": reviewer},
            study.key,
        )
        return StudyLevel.BELOW_2, (missing,)
    opened = Reason(
        "study.consensus-appraisal",
        True,
        {"appraisal": "consensus", "reviewer": appraisal.reviewer},
        study.key,
    )
    if appraisal.verdict is not None:
        verdict = Reason(
            "study.consensus-verdict",
            True,
            {"verdict": appraisal.verdict.value, "justification": appraisal.justification},
            study.key,
        )
        return appraisal.verdict, (opened, verdict)
    level, reasons = _level_from_answers(appraisal.answers, limits, study.key)
    return level, (opened, *reasons)


def _level_from_answers(
    answers: Answers, limits: Limits, subject: str
) -> tuple[StudyLevel, tuple[Reason, ...]]:
    by_id = _criteria_reasons(answers, limits, subject)
    equivalence = _group_equivalence(by_id, subject)
    level = StudyLevel.BELOW_2
    climbing = True
    gates: list[Reason] = []
    for gated, rule, required_ids in _GATES:
        required = list(required_ids)
        failed = [criterion_id for criterion_id in required if not by_id[criterion_id].met]
        if gated is StudyLevel.LEVEL_3:
            required.append(GROUP_EQUIVALENCE)
            if not equivalence.met:
                failed.append(GROUP_EQUIVALENCE)
        gate = Reason(rule, not failed, {"required": required, "failed": failed}, subject)
        gates.append(gate)
        # A level counts only on top of every level below it.
        climbing = climbing and gate.met
        if climbing:
            level = gated
    return level, (*by_id.values(), equivalence, *gates)


def _criteria_reasons(answers: Answers, limits: Limits, subject: str) -> dict[str, Reason]:
    """Every criterion evaluated against the answers, by id, in the order of ``CRITERIA``."""
    reasons: dict[str, Reason] = {}
    for criterion, gates, evaluator in _EVALUATION:
        answer = answers.get(criterion.id)
        values: dict[str, JSONValue] = {
            "answer": answer,
            "answered": answer is not None,
            "group": criterion.group,
            "gates": gates,
        }
        if evaluator is None:
            met = answer is True
        else:
            met, extra = evaluator(criterion, answer, answers, limits)
            values.update(extra)
        reasons[criterion.id] = Reason(criterion.id, met, values, subject)
    return reasons


Evaluation = tuple[bool, dict[str, JSONValue]]
Evaluator = Callable[[Criterion, bool | float | None, Answers, Limits], Evaluation]


def _at_least(
    criterion: Criterion, answer: bool | float | None, answers: Answers, limits: Limits
) -> Evaluation:
    assert criterion.minimum is not None, criterion.id
    minimum: float = getattr(limits, criterion.minimum)
    return answer is not None and answer >= minimum, {"minimum": minimum}


def _overall_attrition(
    criterion: Criterion, answer: bool | float | None, answers: Answers, limits: Limits
) -> Evaluation:
    """Met when some differential attrition is still low at this overall rate (WWC)."""
    boundary = limits.attrition_boundary
    highest_overall = ATTRITION_BOUNDARIES[boundary][-1][0]
    met = answer is not None and highest_differential_attrition(answer, boundary) is not None
    return met, {"boundary": boundary, "highest_overall": highest_overall}


def _differential_attrition(
    criterion: Criterion, answer: bool | float | None, answers: Answers, limits: Limits
) -> Evaluation:
    """Met when the differential is within the WWC boundary at the study's overall rate."""
    overall = answers.get("sample.overall-attrition")
    boundary = limits.attrition_boundary
    allowed = None if overall is None else highest_differential_attrition(overall, boundary)
    met = answer is not None and allowed is not None and answer <= allowed + _TOLERANCE
    return met, {"overall": overall, "boundary": boundary, "highest_allowed": allowed}


def _baseline_difference(
    criterion: Criterion, answer: bool | float | None, answers: Answers, limits: Limits
) -> Evaluation:
    """Met at most 0.05 SD, or at most 0.25 SD with statistical adjustment (WWC)."""
    adjusted = answers.get("analysis.baseline-adjusted") is True
    no_adjustment, maximum = limits.baseline_no_adjustment_sd, limits.baseline_maximum_sd
    met = answer is not None and (answer <= no_adjustment or (answer <= maximum and adjusted))
    values: dict[str, JSONValue] = {
        "adjusted": adjusted,
        "no_adjustment_limit": no_adjustment,
        "maximum": maximum,
    }
    return met, values


_SPECIAL: Mapping[str, Evaluator] = {
    "sample.overall-attrition": _overall_attrition,
    "sample.differential-attrition": _differential_attrition,
    "sample.baseline-difference": _baseline_difference,
}


# Worked out once, not for each of the 17 criteria of every study rated: each
# criterion with the level it gates and its evaluator (none for a yes/no criterion,
# met when answered yes), and each level's gate rule and the criteria it requires.
_EVALUATION: tuple[tuple[Criterion, str, Evaluator | None], ...] = tuple(
    (c, c.gates.value, _SPECIAL.get(c.id, None if c.kind == "yes-no" else _at_least))
    for c in CRITERIA
)
_GATES: tuple[tuple[StudyLevel, str, tuple[str, ...]], ...] = tuple(
    (
        gated,
        f"{prefix}.criteria",
        tuple(c.id for c in CRITERIA if c.gates is gated and c.role == "required"),
    )
    for gated, prefix in LEVEL_RULES.items()
)


def _group_equivalence(by_id: Mapping[str, Reason], subject: str) -> Reason:
    """The groups are comparable: randomised with low attrition, or equivalent at baseline.

    This is the WWC's route for group designs: a randomised trial with low attrition
    needs nothing more; a trial with high attrition, or a QED, must show its groups
    were equivalent before the programme.
    """
    randomised = by_id["design.random-assignment"].met
    low_attrition = (
        by_id["sample.overall-attrition"].met and by_id["sample.differential-attrition"].met
    )
    baseline_equivalent = by_id["sample.baseline-difference"].met
    route = None
    if randomised and low_attrition:
        route = "randomised with low attrition"
    elif baseline_equivalent:
        route = "equivalent at baseline"
    values: dict[str, JSONValue] = {
        "randomised": randomised,
        "low_attrition": low_attrition,
        "baseline_equivalent": baseline_equivalent,
        "route": route,
    }
    return Reason(GROUP_EQUIVALENCE, route is not None, values, subject)
