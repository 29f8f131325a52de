"""Refuse records a standard cannot read, naming every problem at once.

A rating is never computed from a record that says something impossible: an answer
to a criterion the standard does not have, a yes/no answer given as a number, a
share above 1, a verdict with no justification, a reporter outside the vocabulary.
Each problem names the record, the field, what was expected and what was found
(DESIGN.md, principle 7).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from guidebook.evidence.errors import InvalidRecord, Problem, describe
from guidebook.evidence.records import Appraisal, Finding, Programme, Study
from guidebook.evidence.standards.criteria import CRITERIA_BY_ID, Criterion
from guidebook.evidence.vocabulary import BENEFICIARIES, DIRECTIONS, REPORTERS

__all__ = ["appraisal_problems", "check_programme", "check_study"]


def check_programme(programme: Programme) -> None:
    """Raise ``InvalidRecord`` listing every problem in the programme's studies."""
    problems = list(_duplicate_keys(programme))
    for study in programme.studies:
        problems.extend(_study_problems(study))
    if problems:
        raise InvalidRecord(problems)


def check_study(study: Study) -> None:
    """Raise ``InvalidRecord`` listing every problem in one study."""
    problems = list(_study_problems(study))
    if problems:
        raise InvalidRecord(problems)


def _duplicate_keys(programme: Programme) -> Iterator[Problem]:
    keys = [study.key for study in programme.studies]
    if len(set(keys)) == len(keys):
        return
    counts = Counter(keys)
    for key, count in counts.items():
        if count > 1:
            yield Problem(
                f"programme {programme.slug}",
                "studies",
                "each study key once",
                f"{key!r} {count} times",
            )


# Every study of every programme is checked on every rating, and almost none has a
# problem: the checks below build a record's name and a message only for a problem.


def _study_problems(study: Study) -> Iterator[Problem]:
    if study.appraisal is not None:
        yield from _appraisal_problems(f"study {study.key}", study.appraisal)
    for finding in study.findings:
        yield from _finding_problems(study.key, finding)


def _appraisal_problems(record: str, appraisal: Appraisal) -> Iterator[Problem]:
    yield from appraisal_problems(record, "appraisal", appraisal)


def appraisal_problems(record: str, where: str, appraisal: Appraisal) -> Iterator[Problem]:
    """What a standard refuses in an appraisal (``where`` is its field): a verdict with no
    justification, an answer to an unknown criterion, an answer of the wrong kind."""
    if appraisal.verdict is not None and not appraisal.justification.strip():
        yield Problem(
            record,
            f"{where}.justification",
            "a justification for the recorded verdict",
            describe(appraisal.justification),
        )
    for criterion_id, answer in appraisal.answers.items():
        criterion = CRITERIA_BY_ID.get(criterion_id)
        if criterion is None:
            field = f"{where}.answers[{criterion_id}]"
            yield Problem(record, field, "a criterion id of the standard", repr(criterion_id))
        elif answer is not None and not _answer_fits(criterion, answer):
            field = f"{where}.answers[{criterion_id}]"
            yield Problem(record, field, _expected_answer(criterion), describe(answer))


def _answer_fits(criterion: Criterion, answer: bool | float) -> bool:
    if criterion.kind == "yes-no":
        return isinstance(answer, bool)
    if isinstance(answer, bool):
        return False
    highest = float("inf") if criterion.highest is None else criterion.highest
    return criterion.lowest <= answer <= highest


def _expected_answer(criterion: Criterion) -> str:
    if criterion.kind == "yes-no":
        return "yes or no (true or false)"
    if criterion.highest is None:
        return f"a number of at least {criterion.lowest:g}"
    return f"a number from {criterion.lowest:g} to {criterion.highest:g}"


def _finding_problems(study_key: str, finding: Finding) -> Iterator[Problem]:
    # A direction not recorded (None) is allowed: the finding then shows nothing.
    direction_known = finding.direction is None or finding.direction in DIRECTIONS
    months = finding.months_after
    if (
        direction_known
        and finding.beneficiary in BENEFICIARIES
        and finding.reporter in REPORTERS
        and (months is None or months >= 0)
    ):
        return
    record = f"finding {study_key}/{finding.key}"
    if not direction_known:
        yield Problem(
            record, "direction", "one of " + ", ".join(DIRECTIONS), describe(finding.direction)
        )
    for field, value, vocabulary in (
        ("beneficiary", finding.beneficiary, BENEFICIARIES),
        ("reporter", finding.reporter, REPORTERS),
    ):
        if value not in vocabulary:
            yield Problem(record, field, "one of " + ", ".join(vocabulary), describe(value))
    if months is not None and not months >= 0:
        yield Problem(record, "months_after", "a number of months of at least 0", describe(months))
