"""From study levels and findings to a programme rating: the EIF 2017 rules.

STANDARDS.md section 1, "From study levels to the programme rating". A *supporting*
study is of level 2 or better and found a child outcome improved (positive and
statistically significant); a *rigorous positive* study is a level-3 study that did.

- 4: at least two rigorous positive studies; one of them shows a child outcome
  improved 12 months or more after the programme ended; one of them shows it with a
  measure independent of the participants (an observer, a blinded assessor, records
  or a teacher rather than the participants' own report) [public].
- 4+: at least two studies each meet level 4 on their own (long-term and independently
  measured improvement), and one of those was evaluated independently of the
  programme's developer [public wording, decision on detail].
- 3: a rigorous positive study; 3+: and at least one other supporting study [public].
- 2: a supporting study; 2+: one of them has a higher-quality design [public].
- NE: a level-3 study found no benefit for children or anyone else, and no study
  supports level 2 [decision].
- NL2: none of the above.

Every rule is evaluated for every programme and recorded as a reason, met or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guidebook.evidence.reasons import JSONValue, Reason
from guidebook.evidence.records import Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards.judging import JudgedFinding, judge_finding
from guidebook.evidence.standards.parameters import Limits
from guidebook.evidence.standards.result import RatingResult, StudyResult
from guidebook.evidence.standards.study_level import study_level_reasons
from guidebook.evidence.vocabulary import REPORTERS

__all__ = [
    "FINDINGS_RECORDED",
    "INDEPENDENT_REPORTERS",
    "RatingEvaluation",
    "evaluate_programme",
    "finding_summary",
]

INDEPENDENT_REPORTERS = frozenset(REPORTERS) - {"participant", "not-recorded"}
"""Reporters whose measure does not rest on the participants' own report (an unknown
reporter is not assumed independent)."""

SUPPORTS = "level-2.improved-child-outcome"
RIGOROUS_POSITIVE = "level-3.significant-positive-child-outcome"
NO_BENEFIT = "level-3.no-benefit"
LONG_TERM = "level-4.long-term-child-outcome"
INDEPENDENT_MEASURE = "level-4.independent-measure"
INDEPENDENT_EVALUATION = "study.independent-evaluation"
OTHER_OUTCOME = "study.improved-other-outcome"
FINDINGS_RECORDED = "study.findings-recorded"


@dataclass(frozen=True)
class RatingEvaluation:
    """The outcome of the shared rules, before a standard adds its own."""

    studies: tuple[StudyResult, ...]
    reasons: tuple[Reason, ...]
    level: int | None
    plus: bool
    value: str

    def result(
        self,
        standard: str,
        version: str,
        extra_reasons: Sequence[Reason] = (),
        mixed_studies: Sequence[str] = (),
    ) -> RatingResult:
        """The rating result, with an asterisk when ``mixed_studies`` is not empty."""
        asterisk = bool(mixed_studies)
        return RatingResult(
            value=self.value + ("*" if asterisk else ""),
            level=self.level,
            plus=self.plus,
            asterisk=asterisk,
            standard=standard,
            version=version,
            studies={study.key: study for study in self.studies},
            reasons=(*self.reasons, *extra_reasons),
            mixed_studies=tuple(mixed_studies),
        )


def evaluate_programme(programme: Programme, limits: Limits) -> RatingEvaluation:
    """Apply the 2017 rules to a programme whose records ``check_programme`` accepted."""
    studies = tuple(_study_result(study, limits) for study in programme.studies)
    reasons = _programme_reasons(studies, limits)
    level, plus, value = _decide({reason.rule: reason.met for reason in reasons})
    return RatingEvaluation(studies, reasons, level, plus, value)


def finding_summary(finding: Finding, judged: JudgedFinding) -> dict[str, JSONValue]:
    """What a reason records about one finding, including where its verdict came from."""
    return {
        "key": finding.key,
        "outcome": finding.outcome,
        "category": finding.category,
        "beneficiary": finding.beneficiary,
        "reporter": finding.reporter,
        "months_after": finding.months_after,
        "direction": judged.direction,
        "significant": judged.significant,
        "improved": judged.improved,
        "source": judged.source,
        "missing": list(judged.missing),
    }


# --- Study rules ---------------------------------------------------------------------


def _study_result(study: Study, limits: Limits) -> StudyResult:
    level, level_reasons = study_level_reasons(study, limits)
    outcome_reasons = _outcome_reasons(study, level, limits)
    return StudyResult(study.key, study.label, level, (*level_reasons, *outcome_reasons))


def _outcome_reasons(study: Study, level: StudyLevel, limits: Limits) -> tuple[Reason, ...]:
    judged = [(finding, judge_finding(finding, limits.alpha)) for finding in study.findings]
    child = [(f, j) for f, j in judged if f.beneficiary == "child"]
    other = [(f, j) for f, j in judged if f.beneficiary != "child"]
    improved = [f for f, j in child if j.improved]
    long_term = [f for f in improved if _lasting(f, limits)]
    independent = [f for f in improved if f.reporter in INDEPENDENT_REPORTERS]
    supports = level is not StudyLevel.BELOW_2
    rigorous = level is StudyLevel.LEVEL_3
    incomplete = [(f, j) for f, j in judged if not j.known]
    improved_count = sum(j.improved for _, j in judged)
    key = study.key
    # Read once: an enum member's value is a property, and every reason records it.
    level_value = level.value
    return (
        Reason(SUPPORTS, supports and bool(improved), _findings(level_value, child), key),
        Reason(RIGOROUS_POSITIVE, rigorous and bool(improved), _keys(level_value, improved), key),
        Reason(
            NO_BENEFIT,
            # A finding not recorded might be the benefit: no-benefit needs them all known.
            rigorous and bool(judged) and not incomplete and not improved_count,
            {
                "level": level_value,
                "findings": len(judged),
                "improved": improved_count,
                "not_recorded": len(incomplete),
            },
            key,
        ),
        Reason(
            LONG_TERM,
            rigorous and bool(long_term),
            {**_keys(level_value, long_term), "required_months": limits.long_term_months},
            key,
        ),
        Reason(
            INDEPENDENT_MEASURE,
            rigorous and bool(independent),
            {
                **_keys(level_value, independent),
                "reporters": sorted({f.reporter for f in independent}),
            },
            key,
        ),
        Reason(INDEPENDENT_EVALUATION, study.independent, {}, key),
        Reason(
            OTHER_OUTCOME,
            supports and any(j.improved for _, j in other),
            _findings(level_value, other),
            key,
        ),
        Reason(
            FINDINGS_RECORDED,
            not incomplete,
            {
                "incomplete": [
                    {"key": f.key, "outcome": f.outcome, "missing": list(j.missing)}
                    for f, j in incomplete
                ]
            },
            key,
        ),
    )


def _lasting(finding: Finding, limits: Limits) -> bool:
    return finding.months_after is not None and finding.months_after >= limits.long_term_months


def _findings(level: str, judged: list[tuple[Finding, JudgedFinding]]) -> dict[str, JSONValue]:
    return {"level": level, "findings": [finding_summary(f, j) for f, j in judged]}


def _keys(level: str, findings: list[Finding]) -> dict[str, JSONValue]:
    return {"level": level, "findings": [f.key for f in findings]}


# --- Programme rules -----------------------------------------------------------------


def _meeting(studies: Sequence[StudyResult], rule: str) -> list[StudyResult]:
    return [s for s in studies if s.reason(rule).met]


def _keys_of(studies: Sequence[StudyResult]) -> list[str]:
    return [study.key for study in studies]


def _programme_reasons(studies: tuple[StudyResult, ...], limits: Limits) -> tuple[Reason, ...]:
    supporting = _meeting(studies, SUPPORTS)
    better_design = [s for s in supporting if s.level.rank >= StudyLevel.LEVEL_2_QUALITY.rank]
    rigorous = [s for s in studies if s.level is StudyLevel.LEVEL_3]
    positive = _meeting(studies, RIGOROUS_POSITIVE)
    lasting = _meeting(positive, LONG_TERM)
    independently_measured = _meeting(positive, INDEPENDENT_MEASURE)
    level_4 = _meeting(lasting, INDEPENDENT_MEASURE)
    independent_level_4 = _meeting(level_4, INDEPENDENT_EVALUATION)
    no_benefit = _meeting(studies, NO_BENEFIT)
    needed = limits.replication_studies
    return (
        Reason(
            "rating-2.supporting-study",
            bool(supporting),
            {"studies": _keys_of(supporting), "studies_assessed": len(studies)},
        ),
        Reason(
            "rating-2.plus.higher-quality-design",
            bool(better_design),
            {"studies": _keys_of(better_design)},
        ),
        Reason(
            "rating-3.rigorous-positive-study",
            bool(positive),
            {"studies": _keys_of(positive), "rigorous_studies": _keys_of(rigorous)},
        ),
        Reason(
            "rating-3.plus.other-supporting-study",
            bool(positive) and len(supporting) >= 2,
            {"studies": _keys_of(supporting), "rigorous_positive": _keys_of(positive)},
        ),
        Reason(
            "rating-4.replicated",
            len(positive) >= needed,
            {"studies": _keys_of(positive), "required": needed},
        ),
        Reason(
            "rating-4.long-term",
            bool(lasting),
            {"studies": _keys_of(lasting), "required_months": limits.long_term_months},
        ),
        Reason(
            "rating-4.independent-measure",
            bool(independently_measured),
            {"studies": _keys_of(independently_measured)},
        ),
        Reason(
            "rating-4.plus.studies-meeting-level-4",
            len(level_4) >= needed,
            {"studies": _keys_of(level_4), "required": needed},
        ),
        Reason(
            "rating-4.plus.independent-evaluation",
            bool(independent_level_4),
            {"studies": _keys_of(independent_level_4)},
        ),
        Reason("rating-ne.no-benefit", bool(no_benefit), {"studies": _keys_of(no_benefit)}),
    )


def _decide(met: dict[str, bool]) -> tuple[int | None, bool, str]:
    """The level, the plus and the value shown, from which programme rules were met."""
    if (
        met["rating-4.replicated"]
        and met["rating-4.long-term"]
        and met["rating-4.independent-measure"]
    ):
        plus = (
            met["rating-4.plus.studies-meeting-level-4"]
            and met["rating-4.plus.independent-evaluation"]
        )
        return 4, plus, "4+" if plus else "4"
    if met["rating-3.rigorous-positive-study"]:
        plus = met["rating-3.plus.other-supporting-study"]
        return 3, plus, "3+" if plus else "3"
    if met["rating-2.supporting-study"]:
        plus = met["rating-2.plus.higher-quality-design"]
        return 2, plus, "2+" if plus else "2"
    return None, False, "NE" if met["rating-ne.no-benefit"] else "NL2"
