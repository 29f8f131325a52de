"""Why a computed evidence rating differs from a published one: the deciding rule and fact.

A rating has three parts: the level (NL2, NE, 2, 3, 4), the plus and the eif-2018
asterisk. ``explain_disagreement`` compares a computed ``RatingResult`` with a rating
published elsewhere (a programme's imported rating) part by part and, for each part
that differs, names the programme rule that decides it (its rule id, as in
``standards.rating`` and ``standards.eif_2018``), whether the computed result met it,
the studies that decide it and the recorded facts behind it: a study's level and what
set it (a failed criterion or the consensus verdict's justification), its child
findings, who reported them and when, whether it was run independently of the
developer. Everything is read from the result's reasons; nothing is written per
programme, and no rule bends to meet a published rating.

Which rule decides (docs/methodology/evidence-standards.md, section 3):

- computed level below the published one: the rule of the next level up that the
  programme failed (every failed rule, for level 4);
- computed level above it: the rules of the computed level, met, with the studies
  meeting them;
- NE against NL2: ``rating-ne.no-benefit``;
- same level, plus differs: that level's plus rule (both, for 4+);
- asterisk differs (both ratings positive): ``asterisk.mixed-findings``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from guidebook.evidence.reasons import JSONValue
from guidebook.evidence.records import Programme, StudyLevel
from guidebook.evidence.standards.eif_2018 import MIXED_FINDINGS
from guidebook.evidence.standards.rating import (
    INDEPENDENT_MEASURE,
    LONG_TERM,
)
from guidebook.evidence.standards.result import RatingResult, StudyResult, rating_rank
from guidebook.evidence.study_facts import (
    StudyFacts,
    all_findings,
    child_findings,
    finding_words,
    improved_by,
    keys,
    meeting,
    names,
    number,
    outcomes,
    reporter,
    when,
)

__all__ = [
    "RULE_TITLES",
    "Decider",
    "Disagreement",
    "RatingParts",
    "explain_disagreement",
    "rating_parts",
]

RULE_TITLES: Mapping[str, str] = {
    "rating-2.supporting-study": "level 2 needs a study of level 2 or better that found a "
    "child outcome improved",
    "rating-2.plus.higher-quality-design": "the plus on 2 needs a supporting study with a "
    "higher-quality design",
    "rating-3.rigorous-positive-study": "level 3 needs a rigorous positive study",
    "rating-3.plus.other-supporting-study": "the plus on 3 needs a second supporting study",
    "rating-4.replicated": "level 4 needs rigorous positive results in more than one study",
    "rating-4.long-term": "level 4 needs a child outcome still improved a year or more after "
    "the programme",
    "rating-4.independent-measure": "level 4 needs an improvement measured independently of "
    "the participants",
    "rating-4.plus.studies-meeting-level-4": "the plus on 4 needs studies that each meet "
    "level 4 on their own",
    "rating-4.plus.independent-evaluation": "the plus on 4 needs a level-4 study evaluated "
    "independently of the developer",
    "rating-ne.no-benefit": "NE needs a level-3 study that found no benefit",
    MIXED_FINDINGS: "the asterisk marks a rigorous study whose child findings did not, on "
    "balance, improve",
}
"""A short title for each programme rule a disagreement can turn on, in our words."""

# --- The parts of a rating -----------------------------------------------------------


@dataclass(frozen=True)
class RatingParts:
    """A rating value split into its level ("NL2", "NE", "2", "3", "4"), plus and asterisk."""

    base: str
    plus: bool
    asterisk: bool

    @property
    def positive(self) -> bool:
        """Level 2 or better (only a positive rating carries a plus or an asterisk)."""
        return self.base.isdigit()

    @property
    def level_rank(self) -> int:
        """0 for NL2 and NE, else the level: the order of the level part alone."""
        return int(self.base) if self.positive else 0


def rating_parts(value: str) -> RatingParts:
    """Split a rating value ("3+", "4*", "NE"); ``InvalidRecord`` if it is not a rating."""
    rating_rank(value)
    return RatingParts(value.rstrip("+*"), "+" in value, value.endswith("*"))


# --- What decides a difference -------------------------------------------------------


@dataclass(frozen=True)
class Decider:
    """One rule that decides a difference, as the computed result evaluated it.

    ``part`` is "level", "plus" or "asterisk"; ``met`` says whether the computed result
    met ``rule``; ``studies`` are the keys of the studies the facts are about, in the
    programme's order; ``facts`` are the recorded facts, one clause each.
    """

    part: str
    rule: str
    met: bool
    studies: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def title(self) -> str:
        return RULE_TITLES[self.rule]

    @property
    def text(self) -> str:
        state = "met" if self.met else "not met"
        return f"Rule '{self.title}' ({self.rule}) {state}: {'; '.join(self.facts)}."

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "part": self.part,
            "rule": self.rule,
            "title": self.title,
            "met": self.met,
            "studies": list(self.studies),
            "facts": list(self.facts),
        }


@dataclass(frozen=True)
class Disagreement:
    """A computed rating against a published one; ``deciders`` is empty when they agree."""

    computed: str
    published: str
    standard: str
    deciders: tuple[Decider, ...]

    @property
    def agrees(self) -> bool:
        """Level, plus and asterisk all the same."""
        return self.computed == self.published

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(decider.rule for decider in self.deciders)

    @property
    def text(self) -> str:
        return " ".join(decider.text for decider in self.deciders)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "computed": self.computed,
            "published": self.published,
            "standard": self.standard,
            "agrees": self.agrees,
            "deciders": [decider.to_dict() for decider in self.deciders],
        }


def explain_disagreement(
    programme: Programme, result: RatingResult, published: str
) -> Disagreement:
    """Compare ``result`` (``programme`` rated under a standard) with ``published``.

    The rules are those of docs/methodology/evidence-standards.md, section 3 (and the
    2018 asterisk); the module docstring says which one decides each difference.
    Raises ``InvalidRecord`` when ``published`` is not a rating value.
    """
    computed, wanted = rating_parts(result.value), rating_parts(published)
    facts = StudyFacts(programme, result)
    deciders: list[Decider] = []
    if computed.base != wanted.base:
        deciders.extend(_level_deciders(facts, computed, wanted))
    elif computed.plus != wanted.plus:
        deciders.extend(_plus_deciders(facts, computed))
    if computed.positive and wanted.positive and computed.asterisk != wanted.asterisk:
        deciders.append(_asterisk_decider(facts, computed.asterisk))
    return Disagreement(result.value, published, result.standard, tuple(deciders))


# --- The level ------------------------------------------------------------------------


def _level_deciders(facts: StudyFacts, computed: RatingParts, wanted: RatingParts) -> list[Decider]:
    if computed.level_rank == wanted.level_rank:
        return [_no_benefit(facts)]
    if computed.level_rank > wanted.level_rank:
        return _reached(facts, computed.base)
    return _short_of(facts, computed.level_rank)


def _no_benefit(facts: StudyFacts) -> Decider:
    """NE against NL2: did a level-3 study find no benefit?"""
    rule = "rating-ne.no-benefit"
    reason = facts.reason(rule)
    if reason.met:
        found = facts.listed(rule)
        lines = [
            f"{facts.name(s)} is level 3 and no finding improved "
            f"({', '.join(finding_words(f) for f in all_findings(s))})"
            for s in found
        ]
        return Decider("level", rule, True, keys(found), tuple(lines))
    rigorous = [s for s in facts.studies if s.level is StudyLevel.LEVEL_3]
    lines = [_no_benefit_failed(facts, s) for s in rigorous] or ["no study reaches level 3"]
    return Decider("level", rule, False, keys(rigorous), tuple(lines))


def _no_benefit_failed(facts: StudyFacts, study: StudyResult) -> str:
    values = study.reason("level-3.no-benefit").values
    name = facts.name(study)
    if not values["findings"]:
        return f"{name} is level 3 but records no finding"
    if values["improved"]:
        return f"{name} is level 3 and {values['improved']} of its findings improved"
    return (
        f"{name} is level 3 but {values['not_recorded']} of its findings lack a recorded "
        "direction or significance"
    )


def _short_of(facts: StudyFacts, rank: int) -> list[Decider]:
    """The rules of the next level up that the computed result failed."""
    if rank == 0:
        return [_no_support(facts)]
    if rank == 2:
        return [_not_rigorous(facts)]
    failing = {
        "rating-4.replicated": _not_replicated,
        "rating-4.long-term": _not_lasting,
        "rating-4.independent-measure": _not_independent,
    }
    return [decide(facts) for rule, decide in failing.items() if not facts.reason(rule).met]


def _no_support(facts: StudyFacts) -> Decider:
    lines = [
        facts.level(s) if s.level is StudyLevel.BELOW_2 else facts.improved(s)
        for s in facts.studies
    ]
    return Decider(
        "level",
        "rating-2.supporting-study",
        False,
        keys(facts.studies),
        tuple(lines) or ("no study is recorded",),
    )


def _not_rigorous(facts: StudyFacts) -> Decider:
    rule = "rating-3.rigorous-positive-study"
    rigorous = facts.listed(rule, "rigorous_studies")
    if rigorous:
        return Decider("level", rule, False, keys(rigorous), tuple(map(facts.improved, rigorous)))
    best_rank = max(study.level.rank for study in facts.studies)
    best = [study for study in facts.studies if study.level.rank == best_rank]
    lines = ["no study reaches level 3", *(f"the best: {facts.level(s)}" for s in best)]
    return Decider("level", rule, False, keys(best), tuple(lines))


def _not_replicated(facts: StudyFacts) -> Decider:
    rule = "rating-4.replicated"
    positive = facts.listed(rule)
    others = [s for s in facts.studies if s not in positive]
    lines = [
        f"rigorous positive studies: {names(facts, positive)} "
        f"({facts.reason(rule).values['required']} needed)",
        *(facts.improved(s) if s.level is StudyLevel.LEVEL_3 else facts.level(s) for s in others),
    ]
    return Decider("level", rule, False, keys(facts.studies), tuple(lines))


def _not_lasting(facts: StudyFacts) -> Decider:
    rule = "rating-4.long-term"
    positive = facts.listed("rating-4.replicated")
    months = number(facts.reason(rule).values["required_months"])
    lines = [
        f"no rigorous positive study shows a child outcome improved {months} months or more "
        "after the programme ended",
        *(f"{facts.name(s)}: {', '.join(map(when, improved_by(s)))}" for s in positive),
    ]
    return Decider("level", rule, False, keys(positive), tuple(lines))


def _not_independent(facts: StudyFacts) -> Decider:
    rule = "rating-4.independent-measure"
    positive = facts.listed("rating-4.replicated")
    lines = [
        "every improvement in a rigorous positive study rests on the participants' own "
        "report or an unrecorded reporter",
        *(f"{facts.name(s)}: {', '.join(map(reporter, improved_by(s)))}" for s in positive),
    ]
    return Decider("level", rule, False, keys(positive), tuple(lines))


def _reached(facts: StudyFacts, base: str) -> list[Decider]:
    """The rules of the computed level, met, with the studies meeting them."""
    if base == "2":
        met = facts.listed("rating-2.supporting-study")
        return [_met("level", "rating-2.supporting-study", met, map(facts.improved, met))]
    if base == "3":
        met = facts.listed("rating-3.rigorous-positive-study")
        lines = [f"{facts.level(s)}; it found {outcomes(improved_by(s))} improved" for s in met]
        return [_met("level", "rating-3.rigorous-positive-study", met, lines)]
    positive = facts.listed("rating-4.replicated")
    lasting = facts.listed("rating-4.long-term")
    measured = facts.listed("rating-4.independent-measure")
    return [
        _met("level", "rating-4.replicated", positive, map(facts.level, positive)),
        _met("level", "rating-4.long-term", lasting, (_lasting(facts, s) for s in lasting)),
        _met(
            "level",
            "rating-4.independent-measure",
            measured,
            (_independently(facts, s) for s in measured),
        ),
    ]


def _met(part: str, rule: str, studies: Sequence[StudyResult], lines: Iterable[str]) -> Decider:
    return Decider(part, rule, True, keys(studies), tuple(lines))


def _lasting(facts: StudyFacts, study: StudyResult) -> str:
    return f"{facts.name(study)}: {', '.join(map(when, meeting(study, LONG_TERM)))}"


def _independently(facts: StudyFacts, study: StudyResult) -> str:
    found = meeting(study, INDEPENDENT_MEASURE)
    return f"{facts.name(study)}: {', '.join(map(reporter, found))}"


# --- The plus -------------------------------------------------------------------------


def _plus_deciders(facts: StudyFacts, computed: RatingParts) -> list[Decider]:
    if computed.base == "2":
        return [_plus_2(facts, computed.plus)]
    if computed.base == "3":
        return [_plus_3(facts, computed.plus)]
    return _plus_4(facts, computed.plus)


def _plus_2(facts: StudyFacts, plus: bool) -> Decider:
    rule = "rating-2.plus.higher-quality-design"
    if plus:
        better = facts.listed(rule)
        return _met("plus", rule, better, map(facts.level, better))
    supporting = facts.listed("rating-2.supporting-study")
    stronger = [
        s
        for s in facts.studies
        if s not in supporting and s.level.rank >= StudyLevel.LEVEL_2_QUALITY.rank
    ]
    lines = [*map(facts.level, supporting), *map(facts.improved, stronger)]
    studies = [s for s in facts.studies if s in supporting or s in stronger]
    return Decider("plus", rule, False, keys(studies), tuple(lines))


def _plus_3(facts: StudyFacts, plus: bool) -> Decider:
    rule = "rating-3.plus.other-supporting-study"
    supporting = facts.listed(rule)
    if plus:
        return _met("plus", rule, supporting, map(facts.improved, supporting))
    others = [s for s in facts.studies if s not in supporting]
    lines = [
        f"{names(facts, supporting)} is the only supporting study",
        *(facts.level(s) if s.level is StudyLevel.BELOW_2 else facts.improved(s) for s in others),
    ]
    if not others:
        lines.append("no other study is recorded")
    return Decider("plus", rule, False, keys(facts.studies), tuple(lines))


def _plus_4(facts: StudyFacts, plus: bool) -> list[Decider]:
    meeting_rule = "rating-4.plus.studies-meeting-level-4"
    independent_rule = "rating-4.plus.independent-evaluation"
    meeting = facts.listed(meeting_rule)
    independent = facts.listed(independent_rule)
    if plus:
        return [
            _met("plus", meeting_rule, meeting, map(facts.level, meeting)),
            _met(
                "plus",
                independent_rule,
                independent,
                (
                    f"{facts.name(s)} was evaluated independently of the developer"
                    for s in independent
                ),
            ),
        ]
    deciders = []
    if not facts.reason(meeting_rule).met:
        deciders.append(_too_few_level_4(facts, meeting))
    if not facts.reason(independent_rule).met:
        lines = [
            f"{facts.name(s)} was not evaluated independently of the developer "
            "(recorded: independent no)"
            for s in meeting
        ] or ["no study meets level 4 on its own"]
        deciders.append(Decider("plus", independent_rule, False, keys(meeting), tuple(lines)))
    return deciders


def _too_few_level_4(facts: StudyFacts, meeting: Sequence[StudyResult]) -> Decider:
    rule = "rating-4.plus.studies-meeting-level-4"
    positive = facts.listed("rating-4.replicated")
    lines = [
        f"studies meeting level 4 on their own: {names(facts, meeting)} "
        f"({facts.reason(rule).values['required']} needed)"
    ]
    for study in positive:
        if study in meeting:
            continue
        lacks = [
            words
            for rule_id, words in (
                (LONG_TERM, "lasting improvement"),
                (INDEPENDENT_MEASURE, "independently measured improvement"),
            )
            if not study.reason(rule_id).met
        ]
        lines.append(f"{facts.name(study)} shows no {' and no '.join(lacks)}")
    return Decider("plus", rule, False, keys(positive), tuple(lines))


# --- The asterisk ---------------------------------------------------------------------


def _asterisk_decider(facts: StudyFacts, computed: bool) -> Decider:
    try:
        reason = facts.reason(MIXED_FINDINGS)
    except KeyError:
        line = f"{facts.result.standard} has no mixed-findings rule"
        return Decider("asterisk", MIXED_FINDINGS, False, (), (line,))
    balances = cast(Sequence[Mapping[str, JSONValue]], reason.values["rigorous_studies"])
    chosen = [b for b in balances if b["mixed"] == computed]
    by_key = {study.key: study for study in facts.studies}
    lines = [_balance_words(facts, by_key[str(b["study"])], b) for b in chosen]
    keys = tuple(str(b["study"]) for b in chosen)
    return Decider(
        "asterisk", MIXED_FINDINGS, computed, keys, tuple(lines) or ("no study reaches level 3",)
    )


def _balance_words(facts: StudyFacts, study: StudyResult, balance: Mapping[str, JSONValue]) -> str:
    not_improved = [f for f in child_findings(study) if not f["improved"] and not f["missing"]]
    listed = f" ({', '.join(map(finding_words, not_improved))})" if not_improved else ""
    return (
        f"{facts.name(study)} (level 3): {balance['improved']} child findings improved "
        f"against {balance['not_improved']} that did not{listed}"
    )
