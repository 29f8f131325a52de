"""Where the rule sets agree: computed against computed, computed against published.

Ladders differ, so computed ratings are compared on three coarse tiers [decision,
docs/methodology/crosswalk.md]: 0, no rigorous evidence of benefit (EIF NL2 to 2+, PSC
does not meet, Blueprints not certified); 1, one rigorous study (EIF 3, PSC Promising,
Blueprints Promising); 2, replicated or sustained (EIF 4, PSC Supported or
Well-supported, Blueprints Model or Model Plus). A computed rating and the rating the
same clearinghouse published are compared value for value. Every difference carries one
sentence naming the rule and the fact behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from guidebook.evidence.crosswalk.published import PublishedRating
from guidebook.evidence.crosswalk.registry import CrosswalkStandard, crosswalk_standards
from guidebook.evidence.crosswalk.result import CrosswalkResult, LadderStep, summarise_needs
from guidebook.evidence.crosswalk_vocabulary import SHORT_NAMES
from guidebook.evidence.reasons import JSONValue

__all__ = [
    "AGREE",
    "DIFFER",
    "NOT_COMPARABLE",
    "Comparison",
    "ProgrammeRatings",
    "compare_programme",
    "eif_tier",
    "published_value",
    "standard_tier",
]

AGREE, DIFFER, NOT_COMPARABLE = "agree", "differ", "not comparable"

_TIERS: Mapping[str, tuple[int, ...]] = {
    "psc-1.0": (2, 2, 1, 0),
    "blueprints": (2, 2, 1, 0),
}


def eif_tier(value: str) -> int:
    """The tier of an EIF rating ("3+", "4*", "NL2")."""
    base = value.rstrip("*+")
    return {"4": 2, "3": 1}.get(base, 0)


def standard_tier(standard: CrosswalkStandard, value: str) -> int:
    """The tier of a value on ``standard``'s ladder (top rung first)."""
    rungs = [step.value for step in standard.ladder]
    return _TIERS[standard.key][rungs.index(value)]


def published_value(standard: CrosswalkStandard, published: PublishedRating) -> str | None:
    """The published value as a rung of ``standard`` ("Well-Supported" is "Well-supported"),
    or None when it was not seen, was made under another handbook, or is no rung."""
    if published.value is None or published.standard != standard.key:
        return None
    for step in standard.ladder:
        if step.value.casefold() == published.value.casefold():
            return step.value
    return None


@dataclass(frozen=True)
class Comparison:
    """Two ratings of one programme side by side, and why they differ."""

    kind: str
    left: str
    right: str
    programme: str
    name: str
    left_value: str
    right_value: str
    outcome: str
    why: str

    @property
    def pair(self) -> str:
        return f"{self.left} / {self.right}"

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "kind": self.kind,
            "pair": self.pair,
            "programme": self.programme,
            "name": self.name,
            "left_value": self.left_value,
            "right_value": self.right_value,
            "outcome": self.outcome,
            "why": self.why,
        }


@dataclass(frozen=True)
class ProgrammeRatings:
    """One programme's EIF rating, its crosswalk results and the published ratings."""

    slug: str
    name: str
    eif: str
    computed: Mapping[str, CrosswalkResult]
    published: Sequence[PublishedRating]

    def published_for(self, standard: CrosswalkStandard) -> PublishedRating | None:
        for rating in self.published:
            if rating.clearinghouse == standard.clearinghouse:
                return rating
        return None


def _step(standard: CrosswalkStandard, value: str) -> LadderStep:
    return next(step for step in standard.ladder if step.value == value)


def _rank(standard: CrosswalkStandard, value: str) -> int:
    return [step.value for step in standard.ladder].index(value)


def describe(standard: CrosswalkStandard, result: CrosswalkResult) -> str:
    """One sentence: what the computed rating rests on, or what it needs."""
    if result.value is None:
        return f"Under {standard.title} it cannot be rated: needs {summarise_needs(result.needs)}."
    if result.next_rule is None:
        return f"Under {standard.title} it is {result.value}: the top rung is met."
    # A rated result has every rung above it not met (an unknown one leaves it unrated).
    above = next(step for step in standard.ladder if step.rule == result.next_rule)
    return (
        f"Under {standard.title} it is {result.value}: rule {above.rule} "
        f"({above.value}) is not met on the facts recorded."
    )


def explain_published(standard: CrosswalkStandard, result: CrosswalkResult, published: str) -> str:
    """Why the computed rating differs from the one the clearinghouse published."""
    if result.value is None:
        return (
            f"{SHORT_NAMES[standard.clearinghouse]} published {published}; here it cannot be "
            f"rated: needs {summarise_needs(result.needs)}."
        )
    if _rank(standard, published) < _rank(standard, result.value):
        step = _step(standard, published)
        return (
            f"{SHORT_NAMES[standard.clearinghouse]} published {published}; here rule "
            f"{step.rule} is not met on the facts recorded."
        )
    step = _step(standard, result.value)
    return (
        f"Here rule {step.rule} is met on the facts recorded; "
        f"{SHORT_NAMES[standard.clearinghouse]} published {published}, reading the studies "
        f"or facts differently."
    )


def not_comparable(standard: CrosswalkStandard, published: PublishedRating | None) -> str:
    """Why no published rating can be set beside the computed one: none was seen (and
    what the search found), or the one seen is not a rung of this standard."""
    name = SHORT_NAMES[standard.clearinghouse]
    if published is None or published.value is None:
        found = published.status.replace("_", " ") if published else "no entry recorded"
        return f"No {name} rating of this programme to compare with ({found})."
    made_under = published.standard or "no stated standard"
    return (
        f"{name} published {published.value} ({published.status.replace('_', ' ')}, under "
        f"{made_under}), which is not a rung of {standard.key} for this programme."
    )


def compare_programme(ratings: ProgrammeRatings) -> tuple[Comparison, ...]:
    """Every comparison for one programme: EIF against each standard, the standards
    against each other, and each standard against what its clearinghouse published."""
    standards = [s for s in crosswalk_standards() if s.key in ratings.computed]
    rows = [_against_eif(ratings, s) for s in standards]
    rows += [_between(ratings, a, b) for i, a in enumerate(standards) for b in standards[i + 1 :]]
    rows += [_against_published(ratings, s) for s in standards]
    return tuple(rows)


def _row(
    ratings: ProgrammeRatings,
    kind: str,
    names: tuple[str, str],
    values: tuple[str, str],
    tiers: tuple[int | None, int | None],
    why: str,
) -> Comparison:
    if tiers[0] is None or tiers[1] is None:
        outcome = NOT_COMPARABLE
    else:
        outcome = AGREE if tiers[0] == tiers[1] else DIFFER
    return Comparison(
        kind,
        names[0],
        names[1],
        ratings.slug,
        ratings.name,
        values[0],
        values[1],
        outcome,
        "" if outcome == AGREE else why,
    )


def _tier(standard: CrosswalkStandard, result: CrosswalkResult) -> int | None:
    return None if result.value is None else standard_tier(standard, result.value)


def _against_eif(ratings: ProgrammeRatings, standard: CrosswalkStandard) -> Comparison:
    result = ratings.computed[standard.key]
    return _row(
        ratings,
        "computed",
        ("eif", standard.key),
        (ratings.eif, result.shown()),
        (eif_tier(ratings.eif), _tier(standard, result)),
        f"EIF gives {ratings.eif}. {describe(standard, result)}",
    )


def _between(ratings: ProgrammeRatings, a: CrosswalkStandard, b: CrosswalkStandard) -> Comparison:
    left, right = ratings.computed[a.key], ratings.computed[b.key]
    return _row(
        ratings,
        "computed",
        (a.key, b.key),
        (left.shown(), right.shown()),
        (_tier(a, left), _tier(b, right)),
        f"{describe(a, left)} {describe(b, right)}",
    )


def _against_published(ratings: ProgrammeRatings, standard: CrosswalkStandard) -> Comparison:
    result = ratings.computed[standard.key]
    published = ratings.published_for(standard)
    value = published_value(standard, published) if published else None
    shown = value or (published.value if published and published.value else "not published")
    if value is None or result.value is None:
        tiers: tuple[int | None, int | None] = (None, None)
    else:
        tiers = (_rank(standard, result.value), _rank(standard, value))
    why = (
        explain_published(standard, result, value) if value else not_comparable(standard, published)
    )
    return _row(
        ratings,
        "published",
        (standard.key, f"{standard.clearinghouse} (published)"),
        (result.shown(), shown),
        tiers,
        why,
    )
