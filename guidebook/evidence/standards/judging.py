"""The one place where a finding's direction and significance are read.

Every rule that asks "did this outcome improve?" goes through ``judge_finding``, and
the reasons carry the ``source`` of its answer, so a page can say whether a verdict
rests on what the study recorded or on an effect size Guidebook computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.records import Finding
from guidebook.evidence.vocabulary import DIRECTIONS

__all__ = ["JudgedFinding", "judge_finding"]


@dataclass(frozen=True)
class JudgedFinding:
    """A finding's direction ("positive", "null", "negative") and significance, and where
    they came from ("recorded": as the study reported them)."""

    direction: str
    significant: bool
    source: str

    @property
    def improved(self) -> bool:
        """A positive, statistically significant effect: the outcome improved."""
        return self.direction == "positive" and self.significant


def judge_finding(finding: Finding, alpha: float) -> JudgedFinding:
    """Direction and significance of one finding, at significance level ``alpha``.

    Today both are taken as recorded from the study report (EIF appraises what the
    study reports, STANDARDS.md "Study levels"); ``alpha`` is the level against which
    a computed p value will be judged when findings with statistics are judged from
    their effect sizes.
    """
    if finding.direction not in DIRECTIONS:
        raise InvalidRecord.single(
            f"finding {finding.key}",
            "direction",
            "one of " + ", ".join(DIRECTIONS),
            finding.direction,
        )
    return JudgedFinding(finding.direction, finding.significant, "recorded")
