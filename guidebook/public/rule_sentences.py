"""The programme-level rules of a rating, in plain sentences.

A published assessment keeps each rule as a structured reason: a stable id, met or not,
and the values that decided it (``guidebook.evidence.reasons``). Readers get none of
that raw: each rule here says what the standard asks, whether the programme met it,
and which of its studies decided it, by the studies' own labels. The ids stay in the
JSON twins and the open data, where programs read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["RuleInWords", "rule_asks", "rules_in_words"]

Labels = Mapping[str, str]


@dataclass(frozen=True)
class RuleInWords:
    """One programme rule as a reader sees it."""

    rule: str
    asks: str
    met: bool
    finding: str

    @property
    def met_label(self) -> str:
        return "Met" if self.met else "Not met"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "asks": self.asks, "met": self.met, "finding": self.finding}


def _join(words: Sequence[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _studies(values: Mapping[str, Any], labels: Labels, name: str = "studies") -> list[str]:
    return [labels.get(str(key), str(key)) for key in values.get(name) or []]


def _by(values: Mapping[str, Any], labels: Labels, met: bool, none: str) -> str:
    """Which studies decided a rule: "Shown by Study 1 and Study 2.", or what was missing."""
    studies = _studies(values, labels)
    if met and studies:
        return f"Shown by {_join(studies)}."
    return none


def _supporting(values: Mapping[str, Any], labels: Labels, met: bool) -> str:
    assessed = int(values.get("studies_assessed") or 0)
    if not assessed:
        return "No study of the programme has been assessed yet."
    of = f"any of the {assessed} studies assessed" if assessed > 1 else "the one study assessed"
    return _by(values, labels, met, f"Not met by {of}.")


def _rigorous_positive(values: Mapping[str, Any], labels: Labels, met: bool) -> str:
    rigorous = _studies(values, labels, "rigorous_studies")
    if not rigorous:
        return _by(values, labels, met, "No study reached level 3.")
    none = (
        f"Its level 3 {'study' if len(rigorous) == 1 else 'studies'} ({_join(rigorous)}) did not."
    )
    return _by(values, labels, met, none)


def _counted(values: Mapping[str, Any], labels: Labels, met: bool) -> str:
    studies = _studies(values, labels)
    required = values.get("required")
    if met:
        return f"Shown by {_join(studies)}."
    if not studies:
        return f"No study does; {required} are needed."
    return f"Only {_join(studies)}; {required} are needed."


def _mixed(values: Mapping[str, Any], labels: Labels, met: bool) -> str:
    balances = values.get("rigorous_studies") or []
    if not balances:
        return "There is no rigorous study to weigh."
    parts = []
    for balance in balances:
        label = labels.get(str(balance.get("study")), str(balance.get("study")))
        improved, not_improved = balance.get("improved", 0), balance.get("not_improved", 0)
        parts.append(f"{label}: child findings {improved} improved, {not_improved} not improved")
    verdict = "On balance no effect or harm in " + _join(_studies(values, labels))
    return (f"{verdict}. " if met else "") + "; ".join(parts) + "."


def _simple(none: str) -> Callable[[Mapping[str, Any], Labels, bool], str]:
    def finding(values: Mapping[str, Any], labels: Labels, met: bool) -> str:
        return _by(values, labels, met, none)

    return finding


_RULES: Mapping[str, tuple[str, Callable[[Mapping[str, Any], Labels, bool], str]]] = {
    "rating-2.supporting-study": (
        "For a rating of 2 or more: a study of level 2 or above found a statistically "
        "significant improvement in a child outcome.",
        _supporting,
    ),
    "rating-2.plus.higher-quality-design": (
        "For the plus on a 2: a supporting study has a stronger design than level 2 asks "
        "for, with a comparison group measured before and after.",
        _simple("No supporting study has that design."),
    ),
    "rating-3.rigorous-positive-study": (
        "For a 3: a rigorously conducted (level 3) RCT or QED found a statistically "
        "significant improvement in a child outcome.",
        _rigorous_positive,
    ),
    "rating-3.plus.other-supporting-study": (
        "For the plus on a 3: besides that rigorous study, a further study of level 2 or "
        "above found a child outcome improved.",
        _simple("There is no such further study."),
    ),
    "rating-4.replicated": (
        "For a 4: more than one rigorous study found a child outcome improved.",
        _counted,
    ),
    "rating-4.long-term": (
        "For a 4: a rigorous study found a child outcome still improved long after the "
        "programme ended.",
        _simple("No rigorous study measured a lasting improvement."),
    ),
    "rating-4.independent-measure": (
        "For a 4: a rigorous study found the improvement with a measure that does not rest "
        "on the participants' own report.",
        _simple("No rigorous study measured it that way."),
    ),
    "rating-4.plus.studies-meeting-level-4": (
        "For the plus on a 4: more than one study meets every level 4 condition on its own.",
        _counted,
    ),
    "rating-4.plus.independent-evaluation": (
        "For the plus on a 4: a study meeting level 4 was carried out independently of the "
        "programme's developer.",
        _simple("None was."),
    ),
    "rating-ne.no-benefit": (
        "For NE (found not to be effective): a rigorous study found no benefit for children "
        "or the others taking part, and nothing supports a higher rating.",
        _simple("No rigorous study found that."),
    ),
    "asterisk.mixed-findings": (
        "For the asterisk: a rigorous study found, on balance, no effect or a harmful effect "
        "on child outcomes.",
        _mixed,
    ),
}


def rule_asks(rule: str) -> str:
    """What the standard asks by this rule, in a sentence."""
    known = _RULES.get(rule)
    if known is None:
        return "A rule of the standard that this version of Guidebook cannot describe."
    return known[0]


def rules_in_words(reasons: Sequence[Mapping[str, Any]], labels: Labels) -> list[RuleInWords]:
    """Each stored programme reason as a sentence, with the studies named by ``labels``
    (study key to label)."""
    described = []
    for reason in reasons:
        rule, met = str(reason["rule"]), bool(reason["met"])
        values = reason.get("values") or {}
        known = _RULES.get(rule)
        finding = known[1](values, labels, met) if known else ("Met." if met else "Not met.")
        described.append(RuleInWords(rule, rule_asks(rule), met, finding))
    return described
