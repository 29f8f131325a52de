"""The one place where a finding's direction and significance are read.

Every rule that asks "did this outcome improve?" goes through ``judge_finding``, and
the reasons carry the ``source`` of its answer, so a page can say whether a verdict
rests on what the study recorded or on an effect size Guidebook computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from guidebook.evidence.effect_sizes import (
    EffectSize,
    Verdict,
    effect_of,
    tested_g,
    verdict_of,
    verdict_of_test,
)
from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.evidence.records import Finding, PublishedEffect, ReportedStatistics
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


# Like ``reasons.Reason``, immutable through its Final fields rather than frozen: every
# finding is judged on every rating, and a frozen dataclass took half of that time
# just to set its three fields.
@dataclass(slots=True, unsafe_hash=True)
class JudgedFinding:
    """A finding's direction ("positive", "null", "negative") and significance, and where
    they came from: "recorded" (as the study reported them), "statistics" (computed
    by Guidebook from the statistics the study reported) or "not-recorded" (neither
    is known). ``None`` means not recorded and not derivable."""

    direction: Final[str | None]
    significant: Final[bool | None]
    source: Final[str]

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
        raise _in_statistics(error) from None


def _in_statistics(error: InvalidRecord) -> InvalidRecord:
    return InvalidRecord(
        Problem(p.record, f"statistics.{p.field}", p.expected, p.found) for p in error.problems
    )


def _statistics_verdict(statistics: ReportedStatistics, record: str, alpha: float) -> Verdict:
    """``verdict_of(effect_of_statistics(statistics, record), alpha)``.

    Where Guidebook computes the effect size itself, only g and its p are worked out
    (``effect_sizes.tested_g``); a published effect is read whole.
    """
    if isinstance(statistics, PublishedEffect):
        return verdict_of(effect_of_statistics(statistics, record), alpha)
    try:
        g, p_value = tested_g(statistics, record)
    except InvalidRecord as error:
        raise _in_statistics(error) from None
    return verdict_of_test(g, p_value, alpha)


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
    Hedges' g (or the Cox index for counts) and a two-sided z test at ``alpha`` (the
    g and p of ``effect_sizes.effect_of``, read as ``verdict_of`` reads them; WWC
    Procedures and Standards Handbook v5.0, which likewise computes significance
    itself rather than trusting the report). A result that is not significant is
    "null" whatever its sign. Otherwise they are taken as recorded from the study
    report (EIF appraises what the study reports, STANDARDS.md "Study levels"); what
    was not recorded stays ``None`` and the finding is not counted as improved (issue
    10, defect 4). A recorded direction must be a known one either way, so a record
    stays valid when its statistics are removed. Impossible statistics raise
    ``InvalidRecord`` naming the finding and the field.
    """
    if finding.direction is not None and finding.direction not in DIRECTIONS:
        raise InvalidRecord.single(
            f"finding {finding.key}",
            "direction",
            "one of " + ", ".join(DIRECTIONS),
            finding.direction,
        )
    if finding.statistics is None:
        recorded = finding.direction is not None or finding.significant is not None
        source = "recorded" if recorded else "not-recorded"
        return JudgedFinding(finding.direction, finding.significant, source)
    verdict = _statistics_verdict(finding.statistics, f"finding {finding.key}", alpha)
    return JudgedFinding(verdict.direction, verdict.significant, "statistics")
