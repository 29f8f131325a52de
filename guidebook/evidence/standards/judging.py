"""The one place where a finding's direction and significance are read.

Every rule that asks "did this outcome improve?" goes through ``judge_finding``, and
the reasons carry the ``source`` of its answer, so a page can say whether a verdict
rests on what the study recorded or on an effect size Guidebook computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.evidence.effect_sizes import EffectSize, effect_of, verdict_of
from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.evidence.records import Finding, ReportedStatistics
from guidebook.evidence.vocabulary import DIRECTIONS

__all__ = [
    "SOURCES",
    "JudgedFinding",
    "effect_of_finding",
    "effect_of_statistics",
    "judge_finding",
]

SOURCES = {
    "recorded": "as the study reported it",
    "statistics": "computed from the reported statistics",
    "not-recorded": "not recorded",
}
"""Where a verdict can come from, with the words a page uses for each."""


@dataclass(frozen=True)
class JudgedFinding:
    """A finding's direction ("positive", "null", "negative") and significance, and where
    they came from: "recorded" (as the study reported them), "statistics" (computed
    by Guidebook from the statistics the study reported) or "not-recorded" (neither
    is known). ``None`` means not recorded and not derivable."""

    direction: str | None
    significant: bool | None
    source: str

    @property
    def improved(self) -> bool:
        """A positive, statistically significant effect: the outcome improved.

        Unknown is never improved: a finding missing either answer shows nothing.
        """
        return self.direction == "positive" and self.significant is True

    @property
    def known(self) -> bool:
        """Both direction and significance are recorded or derived."""
        return self.direction is not None and self.significant is not None

    @property
    def missing(self) -> tuple[str, ...]:
        """What the finding lacks: "direction", "significance", both or neither."""
        # Spelled out: every finding of every study is asked, on every rating.
        no_significance = self.significant is None
        if self.direction is None:
            return ("direction", "significance") if no_significance else ("direction",)
        return ("significance",) if no_significance else ()


def effect_of_statistics(
    statistics: ReportedStatistics, record: str, level: float = 0.95
) -> EffectSize:
    """``effect_sizes.effect_of``, with any problem addressed to ``statistics.FIELD``.

    A record file spells a finding's statistics under ``statistics``; naming the field
    the same way leads a reader straight to the value that needs mending.
    """
    try:
        return effect_of(statistics, record, level)
    except InvalidRecord as error:
        raise InvalidRecord(
            Problem(p.record, f"statistics.{p.field}", p.expected, p.found) for p in error.problems
        ) from None


def effect_of_finding(
    finding: Finding, record: str | None = None, level: float = 0.95
) -> EffectSize | None:
    """The effect size of a finding's reported statistics, or ``None`` when it has none.

    ``record`` names the finding in any problem (by default "finding KEY").
    """
    if finding.statistics is None:
        return None
    name = f"finding {finding.key}" if record is None else record
    return effect_of_statistics(finding.statistics, name, level)


def judge_finding(finding: Finding, alpha: float) -> JudgedFinding:
    """Direction and significance of one finding, at significance level ``alpha``.

    When the finding carries reported statistics, both come from its effect size:
    Hedges' g (or the Cox index for counts) and a two-sided z test at ``alpha``
    (``effect_sizes.effect_of`` and ``verdict_of``; WWC Procedures and Standards
    Handbook v5.0, which likewise computes significance itself rather than trusting
    the report). A result that is not significant is "null" whatever its sign.
    Otherwise they are taken as recorded from the study report (EIF appraises what
    the study reports, STANDARDS.md "Study levels"); what was not recorded stays
    ``None`` and the finding is not counted as improved (issue 10, defect 4). A
    recorded direction must be a known one either way, so a record stays valid when
    its statistics are removed. Impossible statistics raise ``InvalidRecord`` naming
    the finding and the field.
    """
    if finding.direction is not None and finding.direction not in DIRECTIONS:
        raise InvalidRecord.single(
            f"finding {finding.key}",
            "direction",
            "one of " + ", ".join(DIRECTIONS),
            finding.direction,
        )
    effect = effect_of_finding(finding)
    if effect is None:
        recorded = finding.direction is not None or finding.significant is not None
        source = "recorded" if recorded else "not-recorded"
        return JudgedFinding(finding.direction, finding.significant, source)
    verdict = verdict_of(effect, alpha)
    return JudgedFinding(verdict.direction, verdict.significant, "statistics")
