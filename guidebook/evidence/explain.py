"""The sentences a programme page shows about its rating, rendered from the reasons.

STANDARDS.md, "What a programme page explains": a one-line summary, what the level
means, why it is not the next level up (exactly the conditions of that level that
failed), the plus and the asterisk when there is one, the child outcomes grouped by
category with the studies behind each, and a note on outcomes for parents or
families. Every sentence is the project's own wording; the facts come from the
reasons of a ``RatingResult``, so a page can never say more than the rules decided.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import Programme
from guidebook.evidence.standards.parameters import DEFAULT_LIMITS
from guidebook.evidence.standards.rating import FINDINGS_RECORDED, OTHER_OUTCOME, SUPPORTS
from guidebook.evidence.standards.result import RatingResult, StudyResult, rating_rank
from guidebook.evidence.vocabulary import OUTCOME_CATEGORIES, label_of

__all__ = ["Explanation", "OutcomeGroup", "SupportedOutcome", "describe_level", "explain"]


@dataclass(frozen=True)
class SupportedOutcome:
    """A child outcome and the labels of the studies that support it ("Study 1")."""

    outcome: str
    studies: tuple[str, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        return {"outcome": self.outcome, "studies": list(self.studies)}


@dataclass(frozen=True)
class OutcomeGroup:
    """The supported child outcomes of one outcome category."""

    category: str
    label: str
    outcomes: tuple[SupportedOutcome, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "category": self.category,
            "label": self.label,
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }


@dataclass(frozen=True)
class Explanation:
    """Everything a page says about a programme's evidence rating.

    ``plus`` and ``asterisk`` are ``None`` unless the rating has one; ``mixed_studies``
    holds the labels of the studies behind the asterisk; ``other_outcomes`` is ``None``
    unless a study found a benefit for parents, couples or families. ``not_recorded``
    names each finding whose direction or significance is neither recorded nor
    derivable from statistics, and what it lacks; such a finding counts for nothing.
    """

    programme: str
    value: str
    summary: str
    meaning: str
    not_higher: tuple[str, ...]
    plus: str | None
    asterisk: str | None
    mixed_studies: tuple[str, ...]
    outcomes: tuple[OutcomeGroup, ...]
    other_outcomes: str | None
    not_recorded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "programme": self.programme,
            "value": self.value,
            "summary": self.summary,
            "meaning": self.meaning,
            "not_higher": list(self.not_higher),
            "plus": self.plus,
            "asterisk": self.asterisk,
            "mixed_studies": list(self.mixed_studies),
            "outcomes": [group.to_dict() for group in self.outcomes],
            "other_outcomes": self.other_outcomes,
            "not_recorded": list(self.not_recorded),
        }


def explain(programme: Programme, result: RatingResult) -> Explanation:
    """Render a rating result as the page's explanation, in the project's words."""
    base = _base(result.value)
    return Explanation(
        programme=programme.name,
        value=result.value,
        summary=_SUMMARY[base].format(name=programme.name),
        meaning=_MEANING[base],
        not_higher=_not_higher(base, result),
        plus=_PLUS[base] if result.plus else None,
        asterisk=_ASTERISK if result.asterisk else None,
        mixed_studies=tuple(result.studies[key].label for key in result.mixed_studies),
        outcomes=_outcome_groups(result),
        other_outcomes=_other_outcomes_note(result),
        not_recorded=_not_recorded(result),
    )


def describe_level(value: str) -> str:
    """What a rating value means, for a standards page: the level, its plus, its asterisk.

    Raises ``InvalidRecord`` for a value that is not a rating.
    """
    rating_rank(value)
    base = _base(value)
    parts = [_MEANING[base]]
    if "+" in value:
        parts.append(_PLUS[base])
    if value.endswith("*"):
        parts.append(_ASTERISK)
    return " ".join(parts)


def _base(value: str) -> str:
    return value.rstrip("+*")


# --- Wording -------------------------------------------------------------------------

_MONTHS = f"{DEFAULT_LIMITS.long_term_months:g} months"

_SUMMARY = {
    "4": "{name} has shown a lasting improvement in child outcomes in more than one "
    "rigorous evaluation.",
    "3": "At least one rigorous evaluation found that {name} improved a child outcome in "
    "the short term.",
    "2": "{name} has preliminary evidence of improving a child outcome, but a causal "
    "claim cannot be made yet.",
    "NE": "A rigorous evaluation found that {name} did not benefit children or the others "
    "taking part.",
    "NL2": "The evidence for {name} does not yet reach level 2, so no improvement in "
    "child outcomes can be claimed for it.",
}

_MEANING = {
    "4": "Level 4 means evidence of effectiveness. At least two rigorous evaluations "
    "(RCTs or QEDs) found a statistically significant improvement in a child outcome; in "
    f"at least one the improvement was still there {_MONTHS} or more after the programme "
    "ended, and at least one measured it without relying on the participants' own "
    "reports.",
    "3": "Level 3 means evidence of efficacy, and it is the first level at which a "
    "programme counts as evidence-based. A rigorous RCT or QED found a statistically "
    "significant improvement in a child outcome, at least in the short term.",
    "2": "Level 2 means preliminary evidence. At least one study found a child outcome "
    "improved, but its design cannot yet support the claim that the programme caused "
    "the improvement.",
    "NE": "NE means found not to be effective: an evaluation of level 3 quality found no "
    "benefit for children or for the other people taking part, and no study supports "
    "a rating of 2 or higher.",
    "NL2": "NL2 means the evidence has not reached level 2: no study good enough to count "
    "has found a child outcome improved. It describes the evidence so far; it is not a "
    "finding that the programme fails.",
}

_PLUS = {
    "4": "The plus means that at least two studies each meet the level 4 standard on "
    "their own, and at least one of them was carried out independently of the "
    "programme's developer.",
    "3": "The plus means that, besides the rigorous study behind its level 3, the "
    "programme has support from a further study, itself rated 2 or better, that found a "
    "child outcome improved.",
    "2": "The plus means that its best study has a stronger design than level 2 asks "
    "for, with a credible comparison group measured before and after, though it falls "
    "short of level 3.",
}

_ASTERISK = (
    "The asterisk marks mixed evidence: beside the positive findings, at least one "
    "rigorous study found, on balance, no effect or a harmful effect on child outcomes."
)


# --- Why not the next level up ---------------------------------------------------------


def _replication(reason: Reason) -> str:
    return (
        "No second rigorously conducted study has yet repeated its results; level 4 "
        f"needs at least {reason.values['required']} such studies."
    )


def _long_term(reason: Reason) -> str:
    months = cast(float, reason.values["required_months"])
    return (
        "No rigorous study has yet shown a child outcome still improved "
        f"{months:g} months or more after the programme ended."
    )


def _independent_measure(reason: Reason) -> str:
    return (
        "No rigorous study has yet shown the improvement with a measure that does not "
        "rest on the participants' own report, such as an observer, a blinded assessor "
        "or records."
    )


def _rigorous_positive(reason: Reason) -> str:
    if not reason.values["rigorous_studies"]:
        return (
            "Its best evidence does not come from a rigorously conducted RCT or QED "
            "(a level 3 study)."
        )
    return (
        "Its rigorous (level 3) studies did not find a statistically significant "
        "improvement in a child outcome."
    )


def _supporting(reason: Reason) -> str:
    if not reason.values["studies_assessed"]:
        return "No evaluation of the programme has been assessed yet."
    return (
        "None of its evaluations reached level 2 with a statistically significant "
        "improvement in a child outcome."
    )


def _studies_meeting_level_4(reason: Reason) -> str:
    count = len(cast(Sequence[str], reason.values["studies"]))
    required = reason.values["required"]
    if not count:
        return (
            "No single study meets every level 4 condition on its own; 4+ needs at least "
            f"{required} that do."
        )
    verb = "meets" if count == 1 else "meet"
    return (
        f"Only {count} of its studies {verb} every level 4 condition on its own; 4+ needs "
        f"at least {required}."
    )


def _independent_evaluation(reason: Reason) -> str:
    return (
        "None of its studies that meet level 4 was carried out independently of the "
        "programme's developer; 4+ needs at least one that was."
    )


# For level 4 the next step up is its plus: 4+ is the top of the scale.
_NEXT_LEVEL_RULES: Mapping[str, tuple[tuple[str, Callable[[Reason], str]], ...]] = {
    "4": (
        ("rating-4.plus.studies-meeting-level-4", _studies_meeting_level_4),
        ("rating-4.plus.independent-evaluation", _independent_evaluation),
    ),
    "3": (
        ("rating-4.replicated", _replication),
        ("rating-4.long-term", _long_term),
        ("rating-4.independent-measure", _independent_measure),
    ),
    "2": (("rating-3.rigorous-positive-study", _rigorous_positive),),
    "NE": (("rating-2.supporting-study", _supporting),),
    "NL2": (("rating-2.supporting-study", _supporting),),
}


def _not_higher(base: str, result: RatingResult) -> tuple[str, ...]:
    """One sentence per condition of the next level up that the programme failed (for a
    4, the conditions of 4+)."""
    if result.plus and base == "4":
        return ()
    sentences = []
    for rule, sentence in _NEXT_LEVEL_RULES[base]:
        reason = result.reason(rule)
        if not reason.met:
            sentences.append(sentence(reason))
    return tuple(sentences)


# --- Outcomes ----------------------------------------------------------------------------


def _improved_findings(study: StudyResult, rule: str) -> list[Mapping[str, JSONValue]]:
    """The improved findings a study's reason records, when the reason was met."""
    reason = study.reason(rule)
    if not reason.met:
        return []
    findings = cast(Sequence[Mapping[str, JSONValue]], reason.values["findings"])
    return [finding for finding in findings if finding["improved"]]


def _outcome_groups(result: RatingResult) -> tuple[OutcomeGroup, ...]:
    """Supported child outcomes by category, in vocabulary order, with their studies."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for study in result.studies.values():
        for finding in _improved_findings(study, SUPPORTS):
            outcomes = grouped.setdefault(str(finding["category"]), {})
            labels = outcomes.setdefault(str(finding["outcome"]), [])
            if study.label not in labels:
                labels.append(study.label)
    order = list(OUTCOME_CATEGORIES)
    categories = sorted(grouped, key=lambda c: order.index(c) if c in order else len(order))
    return tuple(
        OutcomeGroup(
            category,
            label_of(OUTCOME_CATEGORIES, category),
            tuple(SupportedOutcome(o, tuple(s)) for o, s in grouped[category].items()),
        )
        for category in categories
    )


_PLURAL = {"parent": "parents", "couple": "couples", "family": "families"}


def _other_outcomes_note(result: RatingResult) -> str | None:
    """A note on improved outcomes for parents, couples or families, if any were found."""
    beneficiaries: list[str] = []
    outcomes: list[str] = []
    for study in result.studies.values():
        for finding in _improved_findings(study, OTHER_OUTCOME):
            beneficiaries.append(str(finding["beneficiary"]))
            outcomes.append(str(finding["outcome"]))
    if not outcomes:
        return None
    who = [_PLURAL[key] for key in _PLURAL if key in beneficiaries]
    return (
        f"The studies also found benefits for {_join(who)} ({'; '.join(dict.fromkeys(outcomes))}). "
        "They do not count towards the rating, but may matter when deciding whether to "
        "commission the programme."
    )


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


# --- Findings that show nothing ---------------------------------------------------------


def _not_recorded(result: RatingResult) -> tuple[str, ...]:
    """One sentence per finding lacking a direction or significance (issue 10, defect 4)."""
    sentences = []
    for study in result.studies.values():
        for item in _incomplete_findings(study):
            missing = cast(Sequence[str], item["missing"])
            lacks = "; ".join(f"{name} not recorded" for name in missing)
            sentences.append(
                f"{study.label}, finding '{item['key']}' ({item['outcome']}): {lacks}. "
                "It is not counted as showing an improvement, or the lack of one."
            )
    return tuple(sentences)


def _incomplete_findings(study: StudyResult) -> Sequence[Mapping[str, JSONValue]]:
    """The findings a study's reason lists as lacking a direction or significance."""
    try:
        reason = study.reason(FINDINGS_RECORDED)
    except KeyError:
        # Results published before the rule existed have no such reason: nothing to say.
        return ()
    return cast(Sequence[Mapping[str, JSONValue]], reason.values["incomplete"])
