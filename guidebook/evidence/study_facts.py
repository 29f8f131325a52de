"""A programme's studies as a rating result levelled them, told as recorded facts.

``disagreement`` names the rule that separates a computed rating from a published
one; this module supplies the facts behind it, read only from the result's reasons
(``standards.rating``, ``standards.study_level``): a study's level and what set it
(the consensus verdict's justification, or the criteria its answers failed), its child
findings and what each showed, when they were measured and who reported them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import Programme
from guidebook.evidence.standards.rating import OTHER_OUTCOME, SUPPORTS
from guidebook.evidence.standards.result import RatingResult, StudyResult
from guidebook.evidence.standards.study_level import GROUP_EQUIVALENCE, LEVEL_RULES
from guidebook.evidence.vocabulary import REPORTERS, label_of

__all__ = [
    "Finding",
    "StudyFacts",
    "all_findings",
    "child_findings",
    "finding_words",
    "findings_words",
    "improved_by",
    "keys",
    "level_basis",
    "meeting",
    "names",
    "number",
    "outcomes",
    "reporter",
    "when",
]

Finding = Mapping[str, JSONValue]
"""One finding as a study reason records it (``standards.rating.finding_summary``)."""


class StudyFacts:
    """The programme's studies as the result levelled them, and their facts in words."""

    def __init__(self, programme: Programme, result: RatingResult) -> None:
        self.result = result
        self.names = {study.key: study.citation or study.label for study in programme.studies}
        self.studies = tuple(result.studies.values())

    def reason(self, rule: str) -> Reason:
        return self.result.reason(rule)

    def listed(self, rule: str, field: str = "studies") -> list[StudyResult]:
        """The studies a programme reason lists under ``field``, in programme order."""
        wanted = cast(Sequence[str], self.reason(rule).values[field])
        return [study for study in self.studies if study.key in wanted]

    def name(self, study: StudyResult) -> str:
        return self.names[study.key]

    def level(self, study: StudyResult) -> str:
        """'X is level 2 with a higher-quality design by the consensus verdict (...)'."""
        return f"{self.name(study)} is {study.level.label} {level_basis(study)}"

    def improved(self, study: StudyResult) -> str:
        """'X is level 3 and found 'A' improved', or what its child findings showed."""
        findings = child_findings(study)
        better = [f for f in findings if f["improved"]]
        if better:
            return (
                f"{self.name(study)} is {study.level.label} and found {outcomes(better)} improved"
            )
        return (
            f"{self.name(study)} is {study.level.label} but found no child outcome improved "
            f"({findings_words(findings)})"
        )


def level_basis(study: StudyResult) -> str:
    """What set a study's level: no consensus, the verdict's justification, or the answers."""
    reasons = {reason.rule: reason for reason in study.reasons}
    verdict = reasons.get("study.consensus-verdict")
    if not reasons["study.consensus-appraisal"].met:
        return "because it has no consensus appraisal"
    if verdict is not None:
        return f'by the consensus verdict ("{verdict.values["justification"]}")'
    failed = _failed_gate(study, reasons)
    if failed is None:
        return "because its answers meet every level-3 criterion"
    words = ", ".join(_criterion_words(reasons[rule]) for rule in failed)
    return f"because its answers fail {words}"


def _failed_gate(study: StudyResult, reasons: Mapping[str, Reason]) -> list[str] | None:
    """The failed criteria of the level just above the study's, or None at level 3."""
    above = [level for level in LEVEL_RULES if level.rank == study.level.rank + 1]
    if not above:
        return None
    gate = reasons[f"{LEVEL_RULES[above[0]]}.criteria"]
    return list(cast(Sequence[str], gate.values["failed"]))


def number(value: JSONValue) -> str:
    return f"{cast(float, value):g}"


def _criterion_words(reason: Reason) -> str:
    """A failed criterion and its answer: 'sample.smallest-group (18, at least 20 needed)'.

    Only required criteria and the group-equivalence rule can fail a gate, and every
    required number criterion has a minimum (``criteria``).
    """
    if reason.rule == GROUP_EQUIVALENCE:
        return (
            f"{reason.rule} (groups neither randomised with low attrition nor shown "
            "equivalent at baseline)"
        )
    answer = reason.values["answer"]
    if answer is None:
        return f"{reason.rule} (not answered)"
    if isinstance(answer, bool):
        return f"{reason.rule} (answered no)"
    return f"{reason.rule} ({number(answer)}, at least {number(reason.values['minimum'])} needed)"


def child_findings(study: StudyResult) -> list[Finding]:
    return list(cast(Sequence[Finding], study.reason(SUPPORTS).values["findings"]))


def all_findings(study: StudyResult) -> list[Finding]:
    others = cast(Sequence[Finding], study.reason(OTHER_OUTCOME).values["findings"])
    return [*child_findings(study), *others]


def outcomes(findings: Sequence[Finding]) -> str:
    return ", ".join(f"'{finding['outcome']}'" for finding in findings)


def finding_words(finding: Finding) -> str:
    """A finding that did not improve, and why: not recorded, worse, or no difference.

    Callers list improved findings by name only (``outcomes``), so this one is only
    asked about findings that showed no improvement.
    """
    missing = cast(Sequence[str], finding["missing"])
    if missing:
        shown = " and ".join(missing) + " not recorded"
    elif finding["direction"] == "negative" and finding["significant"]:
        shown = "worse"
    else:
        shown = "no significant improvement"
    return f"'{finding['outcome']}': {shown}"


def findings_words(findings: Sequence[Finding]) -> str:
    if not findings:
        return "no child finding recorded"
    return ", ".join(finding_words(finding) for finding in findings)


def when(finding: Finding) -> str:
    months = finding["months_after"]
    if months is None:
        return f"'{finding['outcome']}' with no time after the programme recorded"
    return f"'{finding['outcome']}' at {number(months)} months"


def reporter(finding: Finding) -> str:
    label = label_of(REPORTERS, str(finding["reporter"])).lower()
    return f"'{finding['outcome']}' ({label})"


def improved_by(study: StudyResult) -> list[Finding]:
    return [finding for finding in child_findings(study) if finding["improved"]]


def keys(studies: Sequence[StudyResult]) -> tuple[str, ...]:
    return tuple(study.key for study in studies)


def names(facts: StudyFacts, studies: Sequence[StudyResult]) -> str:
    return "; ".join(facts.name(study) for study in studies) or "none"


def meeting(study: StudyResult, rule: str) -> list[Finding]:
    """The child findings a study reason lists as meeting it (long-term, independent)."""
    wanted = cast(Sequence[str], study.reason(rule).values["findings"])
    return [finding for finding in child_findings(study) if finding["key"] in wanted]
