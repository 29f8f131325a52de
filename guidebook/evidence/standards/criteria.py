"""The appraisal criteria: the questions a reviewer answers about one study.

EIF appraises each study against 33-34 criteria in four groups (design, sample,
measurement, analysis); the full list is not public (STANDARDS.md, "Study levels").
These are Guidebook's own criteria, written from the published level definitions:

- level 2: at least 20 participants, at least 60% of the sample analysed, validated
  measures, any design [public];
- level 2 with a higher-quality design: a credible comparison group and measures
  before and after [decision: EIF names the level but not its conditions];
- level 3: a rigorously conducted RCT or QED with good child-outcome measures, a
  credible comparison group, measures before and after, and an analysis that keeps
  those who did not complete the programme [public]; with equivalent groups, judged
  as the WWC does: either randomised with low attrition, or shown equivalent at
  baseline [decision].

A criterion answered "required" must be met for the level it gates; the
"equivalence" criteria together decide the level-3 group-equivalence rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from guidebook.evidence.records import StudyLevel

__all__ = ["CRITERIA", "CRITERIA_BY_ID", "GROUPS", "Criterion"]

GROUPS = ("design", "sample", "measurement", "analysis")

Kind = Literal["yes-no", "number"]
Role = Literal["required", "equivalence"]


@dataclass(frozen=True)
class Criterion:
    """One appraisal question.

    ``gates`` is the lowest study level that needs the criterion. A ``number`` criterion
    is answered with a value between ``lowest`` and ``highest``; when it has a
    ``minimum`` (the name of a ``Limits`` field) the answer must reach that limit.
    """

    id: str
    group: str
    question: str
    kind: Kind
    gates: StudyLevel
    role: Role = "required"
    minimum: str | None = None
    lowest: float = 0.0
    highest: float | None = None


def _yes_no(id: str, question: str, gates: StudyLevel, role: Role = "required") -> Criterion:
    return Criterion(id, id.split(".")[0], question, "yes-no", gates, role)


def _number(
    id: str,
    question: str,
    gates: StudyLevel,
    *,
    role: Role = "required",
    minimum: str | None = None,
    highest: float | None = None,
) -> Criterion:
    return Criterion(
        id, id.split(".")[0], question, "number", gates, role, minimum, highest=highest
    )


_L2 = StudyLevel.LEVEL_2
_L2Q = StudyLevel.LEVEL_2_QUALITY
_L3 = StudyLevel.LEVEL_3

CRITERIA: tuple[Criterion, ...] = (
    # Design
    _yes_no(
        "design.comparison-group",
        "Were the outcomes of people who took part compared with those of a group who "
        "did not receive the programme?",
        _L2Q,
    ),
    _yes_no(
        "design.credible-comparison",
        "Is that comparison group credible: drawn from the same population, and not set "
        "apart by anything besides the programme (another setting, extra services) that "
        "could explain a difference?",
        _L2Q,
    ),
    _yes_no(
        "design.pre-and-post",
        "Were the outcomes measured both before the programme started and after it?",
        _L2Q,
    ),
    _yes_no(
        "design.random-assignment",
        "Did a random process decide who received the programme and who was in the "
        "comparison group?",
        _L3,
        "equivalence",
    ),
    # Sample
    _number(
        "sample.size",
        "How many participants did the study enrol?",
        _L2,
        minimum="minimum_sample_size",
    ),
    _number(
        "sample.analysed-fraction",
        "What share of the enrolled participants was included in the analysis "
        "(a fraction from 0 to 1)?",
        _L2,
        minimum="minimum_analysed_fraction",
        highest=1.0,
    ),
    _number(
        "sample.smallest-group",
        "How many participants were in the smaller of the analysed groups?",
        _L3,
        minimum="minimum_group_size",
    ),
    _number(
        "sample.overall-attrition",
        "What share of the randomised participants is missing from the analysis "
        "(overall attrition, a fraction from 0 to 1)?",
        _L3,
        role="equivalence",
        highest=1.0,
    ),
    _number(
        "sample.differential-attrition",
        "By how much do the two groups' attrition rates differ (a fraction from 0 to 1)?",
        _L3,
        role="equivalence",
        highest=1.0,
    ),
    _number(
        "sample.baseline-difference",
        "How far apart were the groups before the programme on the outcomes analysed, "
        "at most, in standard deviations?",
        _L3,
        role="equivalence",
    ),
    # Measurement
    _yes_no(
        "measurement.validated",
        "Were the outcomes measured with instruments shown to be valid and reliable?",
        _L2,
    ),
    _yes_no(
        "measurement.child-outcome-suited",
        "Do the child-outcome measures capture the outcome claimed, rather than repeat "
        "what the programme itself taught?",
        _L3,
    ),
    _yes_no(
        "measurement.same-for-both-groups",
        "Were both groups measured in the same way and at the same times?",
        _L3,
    ),
    # Analysis
    _yes_no(
        "analysis.intention-to-treat",
        "Did the analysis keep participants who did not complete the programme, in the "
        "group they were assigned to?",
        _L3,
    ),
    _yes_no(
        "analysis.clustering",
        "Where whole groups (classes, clinics, areas) were assigned, did the analysis "
        "allow for it? Answer yes when individuals were assigned.",
        _L3,
    ),
    _yes_no(
        "analysis.appropriate-test",
        "Were the groups compared with a statistical test suited to the design and data?",
        _L3,
    ),
    _yes_no(
        "analysis.baseline-adjusted",
        "Did the analysis adjust for the differences between the groups at baseline?",
        _L3,
        "equivalence",
    ),
)

CRITERIA_BY_ID: Mapping[str, Criterion] = MappingProxyType(
    {criterion.id: criterion for criterion in CRITERIA}
)
