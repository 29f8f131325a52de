"""The EIF evidence standard from 2018 (key "eif-2018"): 2017 plus the asterisk.

Source: EIF, "What happens when the evidence is mixed?" (blog, 2018). A positive
rating (2 or better) carries "*" when at least one rigorous (level-3) study found, on
balance, no effect or a negative effect on child outcomes.

"On balance" [decision]: the study's child findings that improved (positive and
significant) are fewer than those that did not (null, not significant, or negative).
A tie is not mixed; a rigorous study with no child findings is not mixed. A finding
whose direction or significance is neither recorded nor derivable counts on neither
side: it shows no improvement, and no absence of one either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import Programme, Study, StudyLevel
from guidebook.evidence.standards.eif_2017 import Eif2017
from guidebook.evidence.standards.judging import judge_finding
from guidebook.evidence.standards.rating import RatingEvaluation
from guidebook.evidence.standards.registry import register
from guidebook.evidence.standards.result import RatingResult

__all__ = ["EIF_2018", "MIXED_FINDINGS", "Eif2018"]

MIXED_FINDINGS = "asterisk.mixed-findings"


@dataclass(frozen=True)
class Eif2018(Eif2017):
    """The 2018 rules: those of 2017, then the mixed-findings asterisk."""

    key: ClassVar[str] = "eif-2018"
    version: ClassVar[str] = "1.0"
    year: ClassVar[int] = 2018
    title: ClassVar[str] = "EIF evidence standard, 2018 (with mixed findings)"
    summary: ClassVar[str] = (
        "The 2017 standard, plus an asterisk on a positive rating when a rigorous "
        "study of the programme found, on balance, no effect or a harmful one on "
        "child outcomes."
    )

    def finish(self, programme: Programme, evaluation: RatingEvaluation) -> RatingResult:
        """Add the mixed-findings rule; the asterisk shows only beside a positive rating."""
        levels = {study.key: study.level for study in evaluation.studies}
        balances = [
            _balance(study, self.limits.alpha)
            for study in programme.studies
            if levels[study.key] is StudyLevel.LEVEL_3
        ]
        mixed = [balance.study for balance in balances if balance.mixed]
        values: dict[str, JSONValue] = {
            "studies": mixed,
            "rigorous_studies": [balance.to_dict() for balance in balances],
        }
        reason = Reason(MIXED_FINDINGS, bool(mixed), values)
        shown = mixed if evaluation.level is not None else []
        return evaluation.result(self.key, self.version, (reason,), shown)


@dataclass(frozen=True)
class _Balance:
    """How one rigorous study's child findings came out."""

    study: str
    improved: int
    not_improved: int
    not_recorded: int
    sources: tuple[str, ...]

    @property
    def mixed(self) -> bool:
        return self.improved < self.not_improved

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "study": self.study,
            "improved": self.improved,
            "not_improved": self.not_improved,
            "not_recorded": self.not_recorded,
            "sources": list(self.sources),
            "mixed": self.mixed,
        }


def _balance(study: Study, alpha: float) -> _Balance:
    judged = [
        judge_finding(finding, alpha)
        for finding in study.findings
        if finding.beneficiary == "child"
    ]
    improved = sum(1 for j in judged if j.improved)
    unknown = sum(1 for j in judged if not j.known)
    sources = tuple(sorted({j.source for j in judged}))
    return _Balance(study.key, improved, len(judged) - improved - unknown, unknown, sources)


EIF_2018 = register(Eif2018())
