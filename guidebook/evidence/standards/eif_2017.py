"""The EIF evidence standard as relaunched in 2017 (key "eif-2017").

Study levels from consensus appraisals (``study_level``), then the programme rules of
``rating``: ratings 2 to 4 with their plus, NL2 and NE. Source: the EIF evidence
standards pages and the 2017 relaunch of the guidebook (STANDARDS.md section 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from guidebook.evidence.records import Programme
from guidebook.evidence.standards.checks import check_programme
from guidebook.evidence.standards.parameters import DEFAULT_LIMITS, Limits
from guidebook.evidence.standards.rating import RatingEvaluation, evaluate_programme
from guidebook.evidence.standards.registry import register
from guidebook.evidence.standards.result import RatingResult

__all__ = ["EIF_2017", "Eif2017"]


@dataclass(frozen=True)
class Eif2017:
    """The 2017 rules, with the limits given (the defaults unless overridden)."""

    key: ClassVar[str] = "eif-2017"
    version: ClassVar[str] = "1.0"
    year: ClassVar[int] = 2017
    title: ClassVar[str] = "EIF evidence standard, 2017"
    summary: ClassVar[str] = (
        "Rates confidence that a programme caused better child outcomes, from level 2 "
        "(preliminary) through 3 (efficacy) to 4 (effectiveness), with a plus where a "
        "programme goes beyond its level's threshold, NL2 below level 2 and NE where a "
        "rigorous study found no benefit."
    )

    limits: Limits = DEFAULT_LIMITS

    def rate(self, programme: Programme) -> RatingResult:
        """Check the programme's records, then rate it (``InvalidRecord`` on bad input)."""
        check_programme(programme)
        return self.finish(programme, evaluate_programme(programme, self.limits))

    def finish(self, programme: Programme, evaluation: RatingEvaluation) -> RatingResult:
        """Turn the shared evaluation into this standard's result (no further rules)."""
        return evaluation.result(self.key, self.version)


EIF_2017 = register(Eif2017())
