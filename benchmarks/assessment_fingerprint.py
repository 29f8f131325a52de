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

A change to the numerics (another implementation of a distribution, say) can move the
last bits of many floats and so every digest, although no rating, level or sentence
changes. For that case, ``--write FILE`` also writes every assessment as one JSON line;
run it before and after the change, then ``--compare BEFORE AFTER`` prints how many
floats differ and by how much at most, and every other difference. It fails (exit 1)
on any difference that is not a float, or a float that moved by more than
``--relative`` (default 1e-12). Numbers inside the ``repr`` texts are compared as
floats too.

    .venv/bin/python benchmarks/assessment_fingerprint.py --write before.jsonl
    .venv/bin/python benchmarks/assessment_fingerprint.py --compare before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
from collections.abc import Iterator
from contextlib import nullcontext
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


def fingerprint(count: int, write: Path | None) -> None:
    records = list(programmes(count))
    with write.open("w", encoding="utf-8") if write else nullcontext() as lines:
        for name, standard in standards():
            digest = hashlib.sha256()
            for programme in records:
                assessment = assessed(programme, standard)
                data = assessment.to_dict()
                result, explanation = repr(assessment.result), repr(assessment.explanation)
                digest.update(canonical_json(data).encode())
                digest.update(result.encode())
                digest.update(explanation.encode())
                if lines:
                    row = [name, programme.slug, data, result, explanation]
                    lines.write(json.dumps(row) + "\n")
            print(f"{name:<22} {digest.hexdigest()}", flush=True)
    print(f"{len(records):,} programmes")


# A number as repr writes a float, split out of a text so that it is compared as one.
_FLOAT = re.compile(r"(-?(?:\d+\.\d*|\.\d+|\d+)(?:e[-+]?\d+)?|nan|-?inf)")


class Comparison:
    """Every difference between two written fingerprints: floats by size, the rest listed."""

    def __init__(self) -> None:
        self.floats = 0
        self.largest = 0.0
        self.other: list[str] = []

    def values(self, before: object, after: object, where: str) -> None:
        if isinstance(before, float) and isinstance(after, float):
            self.numbers(before, after, where)
        elif isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys():
            for key in before:
                self.values(before[key], after[key], f"{where}.{key}")
        elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
            for index, (old, new) in enumerate(zip(before, after, strict=True)):
                self.values(old, new, f"{where}[{index}]")
        elif isinstance(before, str) and isinstance(after, str):
            self.texts(before, after, where)
        elif before != after or type(before) is not type(after):
            self.other.append(f"{where}: {before!r:.80} became {after!r:.80}")

    def texts(self, before: str, after: str, where: str) -> None:
        old, new = _FLOAT.split(before), _FLOAT.split(after)
        if len(old) != len(new) or old[::2] != new[::2]:
            self.other.append(f"{where}: {before!r:.80} became {after!r:.80}")
            return
        for a, b in zip(old[1::2], new[1::2], strict=True):
            self.numbers(float(a), float(b), where)

    def numbers(self, before: float, after: float, where: str) -> None:
        if before == after or (math.isnan(before) and math.isnan(after)):
            return
        if math.isinf(before) or math.isinf(after):
            self.other.append(f"{where}: {before!r} became {after!r}")
            return
        self.floats += 1
        self.largest = max(self.largest, abs(after - before) / max(abs(before), abs(after)))


def compare(before: Path, after: Path, relative: float) -> int:
    comparison, count = Comparison(), 0
    with before.open(encoding="utf-8") as old, after.open(encoding="utf-8") as new:
        for a, b in zip(old, new, strict=True):
            first, second = json.loads(a), json.loads(b)
            comparison.values(first, second, f"{first[0]} {first[1]}")
            count += 1
    print(f"{count:,} assessments compared")
    largest = f"{comparison.largest:.3g}"
    print(f"{comparison.floats:,} floats differ; largest relative difference {largest}")
    for line in comparison.other[:20]:
        print(line)
    print(f"{len(comparison.other):,} other differences")
    return 0 if not comparison.other and comparison.largest <= relative else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--write", type=Path, help="also write every assessment to FILE")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--relative", type=float, default=1e-12)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare, args.relative)
    fingerprint(args.programmes, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
