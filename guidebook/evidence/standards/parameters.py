"""The numbers the rating rules compare against, kept as data.

Each limit is a field of ``Limits`` whose metadata gives its help text, its public
source, and whether the number is the project's own decision (the EIF pages are
silent on it). ``PARAMETERS`` is the same information as a table, for the
methodology page and the standards page; a test proves each row is documented.

Where the sources give no number, Guidebook borrows the published boundaries of the
US What Works Clearinghouse (WWC Procedures and Standards Handbook): 0.05 and 0.25
standard deviations for baseline equivalence, and its attrition boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from itertools import pairwise
from types import MappingProxyType
from typing import TypeVar

from guidebook.evidence.errors import InvalidRecord

__all__ = [
    "ATTRITION_BOUNDARIES",
    "DEFAULT_LIMITS",
    "PARAMETERS",
    "Limits",
    "Parameter",
    "highest_differential_attrition",
]

_T = TypeVar("_T", int, float, str)

EIF_STANDARDS = "EIF evidence standards (guidebook.eif.org.uk/eif-evidence-standards)"
WWC_HANDBOOK = "What Works Clearinghouse Procedures and Standards Handbook"


def _parameter(default: _T, *, help: str, source: str, decision: bool) -> _T:
    """A ``Limits`` field carrying its documentation (``field`` with metadata)."""
    metadata = {"help": help, "source": source, "decision": decision}
    return field(default=default, metadata=metadata)


# The WWC attrition boundary as anchor points (overall attrition, highest differential
# attrition still counted as low), both as fractions, every five points of overall
# attrition, read from the handbook's boundary table. Between anchors the boundary is
# interpolated linearly, which stays within 0.002 of the published table (at most
# 0.001 more lenient). Beyond the last anchor attrition is high whatever the
# differential.
ATTRITION_BOUNDARIES: Mapping[str, tuple[tuple[float, float], ...]] = MappingProxyType(
    {
        "cautious": (
            (0.00, 0.057),
            (0.05, 0.061),
            (0.10, 0.063),
            (0.15, 0.059),
            (0.20, 0.054),
            (0.25, 0.048),
            (0.30, 0.041),
            (0.35, 0.033),
            (0.40, 0.026),
            (0.45, 0.018),
            (0.50, 0.010),
            (0.55, 0.003),
            (0.57, 0.000),
        ),
        "liberal": (
            (0.00, 0.100),
            (0.05, 0.105),
            (0.10, 0.109),
            (0.15, 0.107),
            (0.20, 0.100),
            (0.25, 0.092),
            (0.30, 0.082),
            (0.35, 0.072),
            (0.40, 0.060),
            (0.45, 0.049),
            (0.50, 0.037),
            (0.55, 0.026),
            (0.60, 0.014),
            (0.65, 0.003),
        ),
    }
)


@dataclass(frozen=True)
class Limits:
    """The numeric limits one standard applies. Override with ``dataclasses.replace``."""

    minimum_sample_size: int = _parameter(
        20,
        help="Fewest participants a study may have to reach level 2.",
        source=EIF_STANDARDS + ", level 2",
        decision=False,
    )
    minimum_analysed_fraction: float = _parameter(
        0.60,
        help="Smallest share of the sample that must be in the analysis for level 2.",
        source=EIF_STANDARDS + ", level 2",
        decision=False,
    )
    minimum_group_size: int = _parameter(
        20,
        help="Fewest participants in the smallest analysed group (programme or comparison) "
        "for level 3.",
        source="project decision; EIF names group size as a criterion without a number",
        decision=True,
    )
    alpha: float = _parameter(
        0.05,
        help="Significance level: a finding is significant when p is below it.",
        source="project decision; the conventional two-sided 5% level",
        decision=True,
    )
    baseline_no_adjustment_sd: float = _parameter(
        0.05,
        help="Largest baseline difference between groups (in standard deviations) that "
        "needs no statistical adjustment.",
        source=WWC_HANDBOOK + ", baseline equivalence",
        decision=True,
    )
    baseline_maximum_sd: float = _parameter(
        0.25,
        help="Largest baseline difference (in standard deviations) that statistical "
        "adjustment can make up for; above it the groups are not equivalent.",
        source=WWC_HANDBOOK + ", baseline equivalence",
        decision=True,
    )
    attrition_boundary: str = _parameter(
        "cautious",
        help="Which WWC attrition boundary separates low from high attrition: 'cautious' "
        "(the programme may itself affect who drops out) or 'liberal'.",
        source=WWC_HANDBOOK + ", attrition boundary table",
        decision=True,
    )
    long_term_months: float = _parameter(
        12,
        help="Months after the programme ended at which an effect counts as long-term (level 4).",
        source=EIF_STANDARDS + ", level 4",
        decision=False,
    )
    replication_studies: int = _parameter(
        2,
        help="Rigorous positive studies needed for level 4, and studies meeting level 4 "
        "needed for 4+.",
        source=EIF_STANDARDS + ", levels 4 and 4+",
        decision=False,
    )

    def __post_init__(self) -> None:
        _check_limits(self)


@dataclass(frozen=True)
class Parameter:
    """One row of the parameter table: a limit with its default, help and source."""

    name: str
    default: int | float | str
    help: str
    source: str
    decision: bool


def _table() -> tuple[Parameter, ...]:
    return tuple(
        Parameter(
            name=item.name,
            default=item.default,  # type: ignore[arg-type]
            help=item.metadata["help"],
            source=item.metadata["source"],
            decision=item.metadata["decision"],
        )
        for item in fields(Limits)
    )


def _check_limits(limits: Limits) -> None:
    """Refuse limits that no rule could use (each names the parameter and the value)."""
    checks: list[tuple[str, bool, str]] = [
        ("minimum_sample_size", limits.minimum_sample_size >= 1, "a count of at least 1"),
        ("minimum_group_size", limits.minimum_group_size >= 1, "a count of at least 1"),
        ("minimum_analysed_fraction", 0 < limits.minimum_analysed_fraction <= 1, "in (0, 1]"),
        ("alpha", 0 < limits.alpha < 1, "a probability in (0, 1)"),
        (
            "baseline_no_adjustment_sd",
            0 <= limits.baseline_no_adjustment_sd <= limits.baseline_maximum_sd,
            "between 0 and baseline_maximum_sd",
        ),
        ("attrition_boundary", limits.attrition_boundary in ATTRITION_BOUNDARIES, "a boundary"),
        ("long_term_months", limits.long_term_months > 0, "a positive number of months"),
        ("replication_studies", limits.replication_studies >= 2, "a count of at least 2"),
    ]
    for name, valid, expected in checks:
        if not valid:
            raise InvalidRecord.single("parameters", name, expected, getattr(limits, name))


def highest_differential_attrition(overall: float, boundary: str) -> float | None:
    """The highest differential attrition still counted as low, at this overall attrition.

    Both rates are fractions. ``None`` means the overall attrition alone is already high.
    Source: the WWC attrition boundary (see ``ATTRITION_BOUNDARIES``).
    """
    anchors = ATTRITION_BOUNDARIES[boundary]
    for (left_overall, left_limit), (right_overall, right_limit) in pairwise(anchors):
        if left_overall <= overall <= right_overall:
            share = (overall - left_overall) / (right_overall - left_overall)
            return left_limit + share * (right_limit - left_limit)
    return None


DEFAULT_LIMITS = Limits()
PARAMETERS: tuple[Parameter, ...] = _table()
