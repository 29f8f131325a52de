"""One SHA-256 over every assessment of a fixed set of programmes: proof a speed-up changed
no result.

Rates, under every registered standard and under eif-2017 with the liberal attrition
boundary, the demo programmes, ``--programmes`` synthetic ones (``guidebook/interchange/
synthetic``) and as many again with their studies varied by a seeded random stream (no
appraisal, a reviewer's rather than the consensus's, a recorded verdict, unanswered
criteria, findings without a direction or significance, for parents or families). For
each it hashes the canonical JSON of ``Assessment.to_dict()`` and the ``repr`` of the
rating result and of the explanation, so a value turned from a list into a tuple is
caught too, although its JSON is the same. Run it before and after a change to the
rating core; the printed digests must not move. It takes a few minutes, most of them
spent pooling effects and hashing inputs for the JSON form.

    .venv/bin/python benchmarks/assessment_fingerprint.py [--programmes 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from guidebook.evidence.assessment import Assessment, assess
from guidebook.evidence.explain import explain
from guidebook.evidence.record_file import canonical_json, read_programme_file
from guidebook.evidence.records import Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards import DEFAULT_LIMITS, Eif2017, Standard, all_standards

DEMO = Path(__file__).resolve().parents[1] / "guidebook" / "interchange" / "demo"


def varied_study(rng: random.Random, study: Study) -> Study:
    """The study with one of the rarer shapes a rating must handle, or as it was."""
    appraisal = study.appraisal
    assert appraisal is not None
    change = rng.randrange(8)
    if change == 0:
        return replace(study, appraisal=None)
    if change == 1:
        return replace(study, appraisal=replace(appraisal, consensus=False, reviewer="alice"))
    if change == 2:
        level = rng.choice(list(StudyLevel))
        verdict = replace(appraisal, verdict=level, justification=f"Read as {level.value}.")
        return replace(study, appraisal=verdict)
    if change == 3:
        answers = {
            key: None if rng.random() < 0.3 else value for key, value in appraisal.answers.items()
        }
        dropped = dict(list(answers.items())[: rng.randrange(len(answers) + 1)])
        return replace(study, appraisal=replace(appraisal, answers=dropped))
    if change == 4:
        return replace(study, findings=tuple(varied_finding(rng, f) for f in study.findings))
    return study


def varied_finding(rng: random.Random, finding: Finding) -> Finding:
    change = rng.randrange(5)
    if change == 0:
        return replace(finding, direction=None, statistics=None)
    if change == 1:
        return replace(finding, significant=None, statistics=None)
    if change == 2:
        return replace(finding, beneficiary=rng.choice(["parent", "family", "couple"]))
    if change == 3:
        return replace(finding, months_after=rng.choice([None, 0, 12, 24]), reporter="observer")
    return finding


def programmes(count: int) -> Iterator[Programme]:
    # The synthetic package also holds its Django storage, so Django must be set up.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
    import django

    django.setup()
    from guidebook.interchange.synthetic import synthetic_programmes

    for path in sorted(DEMO.glob("*.json")):
        yield read_programme_file(path)
    synthetic = [item.record for item in synthetic_programmes(count, seed=0)]
    yield from synthetic
    rng = random.Random("guidebook-assessment-fingerprint")
    for programme in synthetic:
        studies = tuple(varied_study(rng, study) for study in programme.studies)
        yield replace(programme, slug=programme.slug + "-varied", studies=studies)


def standards() -> list[tuple[str, Standard]]:
    """Every registered standard by its key, and eif-2017 with other limits."""
    liberal = Eif2017(replace(DEFAULT_LIMITS, attrition_boundary="liberal"))
    return [(s.key, s) for s in all_standards()] + [("eif-2017 (liberal)", liberal)]


def assessed(programme: Programme, standard: Standard) -> Assessment:
    """``assess`` for a registered standard; the same steps for one that is not."""
    if standard in all_standards():
        return assess(programme, standard.key)
    result = standard.rate(programme)
    return Assessment(programme, standard, result, explain(programme, result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programmes", type=int, default=2000)
    args = parser.parse_args()
    records = list(programmes(args.programmes))
    for name, standard in standards():
        digest = hashlib.sha256()
        for programme in records:
            assessment = assessed(programme, standard)
            digest.update(canonical_json(assessment.to_dict()).encode())
            digest.update(repr(assessment.result).encode())
            digest.update(repr(assessment.explanation).encode())
        print(f"{name:<22} {digest.hexdigest()}", flush=True)
    print(f"{len(records):,} programmes")


if __name__ == "__main__":
    main()
