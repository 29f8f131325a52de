"""Synthetic programmes as core records, one random stream per programme."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from guidebook.evidence import vocabulary
from guidebook.evidence.records import (
    Appraisal,
    Characteristics,
    Contact,
    CostProfile,
    Delivery,
    Finding,
    Implementation,
    MeansAndSDs,
    Programme,
    Publication,
    PValue,
    ReportedStatistics,
    Review,
    Study,
    StudyLevel,
    TTest,
)
from guidebook.interchange.synthetic.tables import (
    AGE_GROUPS,
    BELOW,
    COUNTRIES,
    DELIVERY_MODELS,
    INDEPENDENT_REPORTERS,
    L2,
    L2Q,
    L3,
    MOST_STUDIES,
    OUTCOMES,
    PARENT_OUTCOMES,
    RATING_MIX,
    RECIPES,
    REPORTERS,
    SETTINGS,
    TARGETING,
    StudyPlan,
)

__all__ = ["SyntheticProgramme", "synthetic_programme", "synthetic_programmes"]


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    choices, weights = zip(*weighted, strict=True)
    return rng.choices(choices, weights)[0]


def _study_count(rng: random.Random, needed: int) -> int:
    """1 to 30 studies, about 10 on average (a gamma with shape 2 and scale 5)."""
    drawn = round(rng.gammavariate(2.0, 5.0))
    return max(needed, min(MOST_STUDIES, max(1, drawn)))


# --- The programme -----------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticProgramme:
    """A generated record and the rating it was built to reach (without any asterisk)."""

    record: Programme
    intended_rating: str


def synthetic_programme(number: int, seed: int = 0) -> SyntheticProgramme:
    """Programme ``number`` (from 1) of the synthetic catalogue drawn with ``seed``."""
    rng = random.Random(f"guidebook-synthetic:{seed}:{number}")
    rating = _pick(rng, RATING_MIX)
    required, fillers = RECIPES[rating]
    count = _study_count(rng, len(required))
    plans = list(required) + [_pick(rng, fillers) for _ in range(count - len(required))]
    rng.shuffle(plans)
    tag = f"{number:04d}"
    studies = tuple(_study(rng, tag, position, plan) for position, plan in enumerate(plans, 1))
    return SyntheticProgramme(_programme(rng, tag, studies), rating)


def synthetic_programmes(count: int, seed: int = 0, first: int = 1) -> Iterator[SyntheticProgramme]:
    """Programmes ``first`` to ``first + count - 1`` of the catalogue drawn with ``seed``."""
    for number in range(first, first + count):
        yield synthetic_programme(number, seed)


def _programme(rng: random.Random, tag: str, studies: tuple[Study, ...]) -> Programme:
    model = rng.choice(DELIVERY_MODELS)
    grouped = model in {"group", "classroom"}
    sessions = rng.randint(4, 20) if grouped else rng.choice([6, 8, 10, 12, 20, 32, 64])
    hours = rng.choice([1.0, 1.5, 2.0, 2.5]) if grouped else rng.choice([0.75, 1.0, 1.25, 1.5])
    ages = AGE_GROUPS[(start := rng.randrange(len(AGE_GROUPS))) : start + rng.randint(1, 3)]
    countries = sorted({study.country for study in studies if study.country})
    first_published = date(rng.randint(2014, 2020), rng.randint(1, 12), 1)
    last_updated = date(rng.randint(first_published.year, 2024), rng.randint(1, 12), 1)
    last_updated = max(last_updated, first_published)
    slug = f"synthetic-programme-{tag}"
    return Programme(
        slug=slug,
        name=f"Synthetic programme {tag}",
        summary=(
            f"A made-up {vocabulary.label_of(vocabulary.DELIVERY_MODELS, model).lower()} "
            "programme, generated to try the guidebook at scale. It describes no real service."
        ),
        description="Every fact on this page was drawn at random from realistic ranges.",
        characteristics=Characteristics(
            age_groups=ages,
            delivery_models=(model,),
            settings=tuple(sorted(rng.sample(SETTINGS, rng.randint(1, 2)), key=SETTINGS.index)),
            targeting=(rng.choice(TARGETING),),
            countries=tuple(countries),
            uk_provision=rng.random() < 0.4,
            uk_evaluation="United Kingdom" in countries,
        ),
        delivery=Delivery(
            sessions=sessions,
            session_hours_min=hours,
            session_hours_max=hours,
            frequency=rng.choice(["Weekly", "Fortnightly", "Twice a week"]),
            duration=f"{sessions} sessions over about {max(1, sessions // 4)} months",
            summary=(f"Delivered by trained practitioners in {sessions} sessions.",),
            activities=("Practitioners follow a session-by-session manual.",),
        ),
        implementation=Implementation(
            practitioners="Synthetic practitioners with a relevant qualification.",
            training="Initial training from the synthetic programme's developer.",
            supervision="Regular supervision by a senior practitioner.",
            fidelity="Session checklists kept by each practitioner.",
            licence="No licence is needed.",
        ),
        cost=_cost_profile(rng, sessions, hours, grouped),
        theory_of_change=(
            "Parents learn and practise new skills.",
            "Home life becomes calmer and more predictable.",
            "Children's behaviour and wellbeing improve.",
        ),
        contact=Contact(
            name="Synthetic contact",
            organisation="Synthetic Programmes (not a real organisation)",
            email=f"programme-{tag}@example.org",
            website=f"https://example.org/synthetic/{tag}",
        ),
        reviews=(Review(f"Synthetic review {first_published.year}", first_published),),
        first_published=first_published,
        last_updated=last_updated,
        evidence_summary=f"{len(studies)} synthetic studies are recorded for this programme.",
        studies=studies,
    )


_REQUIRED_COST_INPUTS = (
    "sessions",
    "session_hours",
    "practitioners_per_session",
    "practitioner_level",
    "practitioner_training_hours",
    "practitioner_training_fee",
    "licence_fee",
)


def _cost_profile(rng: random.Random, sessions: int, hours: float, grouped: bool) -> CostProfile:
    profile = CostProfile(
        sessions=sessions,
        session_hours=hours,
        practitioners_per_session=rng.choice([1, 1, 2]) if grouped else 1,
        practitioner_level=rng.choice(list(vocabulary.QUALIFICATION_LEVELS)),
        families_per_group=rng.randint(5, 12) if grouped else 1,
        practitioner_training_hours=float(rng.choice([6, 12, 18, 24, 40, 60, 120])),
        practitioner_training_fee=float(rng.choice([0, 150, 400, 900, 1800, 3500])),
        booster_training=rng.choice([True, False, None]),
        supervision_hours_per_family=rng.choice([None, 0.5, 1.0, 2.0]),
        licence_fee=float(rng.choice([0, 0, 0, 250, 1000, 5000])),
        materials_per_family=rng.choice([None, 5.0, 20.0, 60.0]),
    )
    if rng.random() < 0.25:
        unknown = rng.sample(_REQUIRED_COST_INPUTS, rng.randint(1, 2))
        profile = replace(profile, **dict.fromkeys(unknown))
    return profile


# --- Studies -------------------------------------------------------------------------------


def _study(rng: random.Random, tag: str, position: int, plan: StudyPlan) -> Study:
    design = _design(rng, plan.level)
    size = _sample_size(rng, plan.level)
    answers = _answers(rng, plan.level, design, size)
    country = _pick(rng, COUNTRIES)
    year = rng.randint(1990, 2022)
    key = f"study-{position}"
    independent = plan.independent_evaluation
    return Study(
        key=key,
        label=f"Study {position}",
        citation=f"Synthetic evaluation {tag}-{position:02d} ({year})",
        design=design,
        country=country,
        sample=f"{size} families taking part in a made-up evaluation",
        sample_size=size,
        timing=rng.choice(["Post-test", "Post-test and 6-month follow-up", "12-month follow-up"]),
        independent=rng.random() < 0.15 if independent is None else independent,
        publications=(
            Publication(
                f"Synthetic evaluation {tag}-{position:02d} ({year}). Journal of Made-up "
                "Evaluations, not a real publication."
            ),
        ),
        findings=_findings(rng, key, plan, size),
        appraisal=Appraisal(reviewer="consensus", answers=answers, consensus=True),
    )


def _design(rng: random.Random, level: StudyLevel) -> str:
    if level is L3:
        return _pick(rng, (("rct", 0.7), ("qed", 0.3)))
    if level is L2Q:
        return _pick(rng, (("rct", 0.4), ("qed", 0.6)))
    if level is L2:
        return _pick(rng, (("pre-post", 0.6), ("qed", 0.2), ("rct", 0.2)))
    return _pick(rng, (("pre-post", 0.4), ("qed", 0.2), ("rct", 0.2), ("other", 0.2)))


def _sample_size(rng: random.Random, level: StudyLevel) -> int:
    if level is L3:
        return rng.randint(60, 900)
    if level is L2Q:
        return rng.randint(40, 400)
    if level is L2:
        return rng.randint(20, 300)
    return rng.randint(8, 250)


Answers = dict[str, bool | float | None]


def _answers(rng: random.Random, level: StudyLevel, design: str, size: int) -> Answers:
    """Consensus answers that reach exactly ``level`` (see ``standards.criteria``)."""
    analysed = round(rng.uniform(0.75, 0.98), 2)
    if level is L3:
        return _rigorous_answers(rng, design, size, analysed)
    if level is L2Q:
        # A design good enough for the plus on level 2, one level-3 test failed.
        short_of_level_3: list[Answers] = [
            {"analysis.intention-to-treat": False},
            {"measurement.same-for-both-groups": False},
            {"analysis.appropriate-test": False},
            {"sample.smallest-group": rng.randint(5, 15)},
        ]
        return _rigorous_answers(rng, design, size, analysed) | rng.choice(short_of_level_3)
    level_2: Answers = {
        "design.comparison-group": design != "pre-post",
        "design.credible-comparison": False,
        "design.pre-and-post": True,
        "sample.size": size,
        "sample.analysed-fraction": analysed,
        "measurement.validated": True,
    }
    if level is L2:
        return level_2
    short_of_level_2: list[Answers] = [
        {"sample.size": rng.randint(8, 19)},
        {"sample.analysed-fraction": round(rng.uniform(0.3, 0.55), 2)},
        {"measurement.validated": False},
    ]
    return level_2 | rng.choice(short_of_level_2)


def _rigorous_answers(rng: random.Random, design: str, size: int, analysed: float) -> Answers:
    randomised = design == "rct"
    answers: Answers = {
        "design.comparison-group": True,
        "design.credible-comparison": True,
        "design.pre-and-post": True,
        "design.random-assignment": randomised,
        "sample.size": size,
        "sample.analysed-fraction": analysed,
        "sample.smallest-group": max(20, int(size * analysed * rng.uniform(0.4, 0.5))),
        "measurement.validated": True,
        "measurement.child-outcome-suited": True,
        "measurement.same-for-both-groups": True,
        "analysis.intention-to-treat": True,
        "analysis.clustering": True,
        "analysis.appropriate-test": True,
    }
    if randomised:
        # Low attrition on the WWC's cautious boundary: under 6 points of difference.
        answers["sample.overall-attrition"] = round(1 - analysed, 2)
        answers["sample.differential-attrition"] = round(rng.uniform(0.0, 0.03), 3)
        answers["analysis.baseline-adjusted"] = rng.random() < 0.5
    else:
        adjusted = rng.random() < 0.6
        limit = 0.25 if adjusted else 0.05
        answers["sample.baseline-difference"] = round(rng.uniform(0.0, limit), 3)
        answers["analysis.baseline-adjusted"] = adjusted
    return answers


# --- Findings ------------------------------------------------------------------------------


def _findings(
    rng: random.Random, study_key: str, plan: StudyPlan, size: int
) -> tuple[Finding, ...]:
    count = rng.randint(1, 4)
    if plan.improved:
        # Improved findings never fewer than the others, so no unplanned asterisk.
        improved = [True] + [rng.random() < 0.6 for _ in range(count - 1)]
        while improved.count(True) < improved.count(False):
            improved[improved.index(False)] = True
    elif plan.level is BELOW:
        improved = [rng.random() < 0.6 for _ in range(count)]
    else:
        improved = [False] * count
    findings = [
        _child_finding(rng, f"{study_key}-{n}", plan, size, gain, first=n == 1)
        for n, gain in enumerate(improved, 1)
    ]
    if rng.random() < 0.3:
        gain = plan.improved and rng.random() < 0.7
        findings.append(_parent_finding(rng, f"{study_key}-parent", size, gain))
    return tuple(findings)


def _child_finding(
    rng: random.Random, key: str, plan: StudyPlan, size: int, improved: bool, *, first: bool
) -> Finding:
    category = rng.choice(list(OUTCOMES))
    if plan.lasting and first:
        months = float(rng.choice([12, 18, 24, 36]))
    elif plan.short_term or rng.random() < 0.8:
        months = float(rng.choice([0, 0, 3, 6]))
    else:
        months = float(rng.choice([12, 24]))
    independent = plan.independent_measure and first
    harmful = not improved and plan.level is not BELOW and rng.random() < 0.03
    return _finding(
        rng,
        Finding(
            key=key,
            outcome=rng.choice(OUTCOMES[category]),
            category=category,
            reporter=rng.choice(INDEPENDENT_REPORTERS if independent else REPORTERS),
            months_after=months,
        ),
        size,
        "positive" if improved else ("negative" if harmful else "null"),
    )


def _parent_finding(rng: random.Random, key: str, size: int, improved: bool) -> Finding:
    outcome = rng.choice(PARENT_OUTCOMES)
    finding = Finding(key, outcome, "mental-health", beneficiary="parent", months_after=0.0)
    return _finding(rng, finding, size, "positive" if improved else "null")


def _finding(rng: random.Random, finding: Finding, size: int, direction: str) -> Finding:
    """The finding with a measure, its direction and, a third of the time, statistics."""
    statistics = _statistics(rng, size, direction) if rng.random() < 0.35 else None
    return replace(
        finding,
        measure=rng.choice(["Standardised questionnaire", "Structured observation", "Records"]),
        direction=direction,
        significant=direction != "null",
        statistics=statistics,
    )


def _statistics(rng: random.Random, size: int, direction: str) -> ReportedStatistics:
    """Statistics whose effect size agrees with the direction at the 5% level.

    Significant results sit at z of about 3.5 to 5, null ones within 0.8 of zero, so
    rounding never moves a result across the 1.96 line.
    """
    n_treatment = max(10, size // 2)
    n_comparison = max(10, size - size // 2)
    z = {
        "positive": rng.uniform(3.5, 5.0),
        "negative": -rng.uniform(3.5, 5.0),
        "null": rng.uniform(-0.8, 0.8),
    }[direction]
    kind = rng.choice(["means", "means", "t", "p"])
    if kind == "t":
        return TTest(round(z, 2), n_treatment, n_comparison)
    if kind == "p":
        p = math.erfc(abs(z) / math.sqrt(2))
        return PValue(float(f"{p:.3g}"), n_treatment, n_comparison, favours_treatment=z > 0)
    d = z * math.sqrt(1 / n_treatment + 1 / n_comparison)
    sd = round(rng.uniform(8, 15), 1)
    comparison = round(rng.uniform(40, 60), 1)
    higher_is_better = rng.random() < 0.7
    shift = d * sd if higher_is_better else -d * sd
    return MeansAndSDs(
        mean_treatment=round(comparison + shift, 2),
        sd_treatment=sd,
        n_treatment=n_treatment,
        mean_comparison=comparison,
        sd_comparison=sd,
        n_comparison=n_comparison,
        higher_is_better=higher_is_better,
    )
