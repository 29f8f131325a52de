"""The crosswalk standards: other clearinghouses' rules, registered by key.

They sit beside the EIF standards (``guidebook.evidence.standards``) but in their own
registry: their ladders are not EIF ratings, so they never become a programme's shown
rating, never enter the finder's rating order, and never replace the newest EIF
standard as the default.
"""

from __future__ import annotations

from typing import Protocol

from guidebook.evidence.crosswalk.blueprints import BLUEPRINTS
from guidebook.evidence.crosswalk.psc import PSC_1_0
from guidebook.evidence.crosswalk.result import CrosswalkResult, LadderStep
from guidebook.evidence.errors import UnknownStandard
from guidebook.evidence.records import Programme

__all__ = [
    "NOT_YET_IMPLEMENTED",
    "PENDING_VERSIONS",
    "CrosswalkStandard",
    "crosswalk_standards",
    "get_crosswalk_standard",
]


class CrosswalkStandard(Protocol):
    """Another clearinghouse's rule set, rated on its own ladder with reasons."""

    @property
    def key(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def clearinghouse(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def ladder(self) -> tuple[LadderStep, ...]: ...

    @property
    def rules(self) -> tuple[tuple[str, str], ...]: ...

    def rate(self, programme: Programme) -> CrosswalkResult: ...


_STANDARDS: dict[str, CrosswalkStandard] = {s.key: s for s in (PSC_1_0, BLUEPRINTS)}

NOT_YET_IMPLEMENTED: tuple[tuple[str, str, str], ...] = (
    (
        "cebc",
        "California Evidence-Based Clearinghouse for Child Welfare",
        "Levels 2 to 5 and NR were not seen in full (the stored scale page stops inside "
        "level 2); ratings are per topic area, and a record holds neither topic-area "
        "outcomes nor peer-review status.",
    ),
    (
        "homvee",
        "Home Visiting Evidence of Effectiveness",
        "Needs timing from enrolment, full sample or subgroup, peer review and primary or "
        "secondary measure per finding, and the manuscript rating's own thresholds, "
        "none of which a record holds yet.",
    ),
)
"""Clearinghouses whose rules are not implemented, with what is missing."""


PENDING_VERSIONS: tuple[tuple[str, str, str], ...] = (
    (
        "psc-2.0",
        "Title IV-E Prevention Services Clearinghouse, Handbook v2.0",
        "A draft went out for public comment in October 2023 and the Clearinghouse now "
        "applies v2.0 to every review and re-review. Seen so far: active and placebo "
        "comparisons become eligible, and the manual requirement and the programme areas "
        "are worded more broadly. Not seen: the revised design standards (attrition, "
        "baseline equivalence, missing data, clustered and compromised trials), how the end "
        "of treatment is fixed and the wording of the rating rules, so no changed threshold "
        "can yet be stated with its source. Every PSC rating published for the demo "
        "programmes was made under v1.0.",
    ),
)
"""Newer versions of implemented standards, listed with what they still need; no
programme row is shown for them, since their published ratings would be v1.0's."""


def crosswalk_standards() -> tuple[CrosswalkStandard, ...]:
    """Every crosswalk standard, in the order pages show them."""
    return tuple(_STANDARDS.values())


def get_crosswalk_standard(key: str) -> CrosswalkStandard:
    """The crosswalk standard under ``key``; ``UnknownStandard`` names the keys known."""
    try:
        return _STANDARDS[key]
    except KeyError:
        raise UnknownStandard(key, _STANDARDS) from None
