"""A programme's findings on one scale, and what they add up to outcome by outcome.

Every finding that carries reported statistics gets its effect size (Hedges' g, or
the Cox index for counts; ``effect_sizes``), oriented so that positive means the
programme's group did better, with its interval, improvement index and the verdict
the standard draws from it (``standards.judging``). Child outcomes measured by two or
more studies are then pooled with a random-effects model (REML; ``pooling``), giving
the rows of a forest plot and the pooled estimate with its heterogeneity.

Which findings are pooled together, and which one a study contributes:

- findings belong to the same outcome when they are for children and share the
  outcome category and the outcome's wording (compared ignoring case and spacing);
  only effects on the g scale are pooled (a published log risk ratio is shown with
  its study but has no conversion to g; ``published_effects``);
- each study contributes one finding per outcome, so the studies stay independent as
  the random-effects model assumes. When a study measured the outcome more than once,
  the latest time point counts (the largest ``months_after``; a finding without one
  is taken as measured when the programme ended): the latest measurement says whether
  the effect lasted, which is what a commissioner needs to know, and choosing by a
  rule fixed in advance keeps the choice from following the results. Ties go to the
  finding recorded first. The findings left out stay on the page, in their study.

The formulas and their sources are in ``docs/methodology/effect-sizes.md`` and on the
site's methodology page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidebook.evidence.effect_sizes import EffectSize
from guidebook.evidence.published_effects import G_SCALE_METRICS
from guidebook.evidence.reasons import JSONValue
from guidebook.evidence.records import Finding, Programme, Study
from guidebook.evidence.standards.judging import JudgedFinding, effect_of_finding, judge_finding
from guidebook.evidence.standards.parameters import DEFAULT_LIMITS

if TYPE_CHECKING:
    from guidebook.evidence.pooling import PooledEstimate

__all__ = [
    "POOLING_METHOD",
    "FindingEffect",
    "ForestRow",
    "OutcomeSynthesis",
    "ProgrammeEffects",
    "programme_effects",
]

POOLING_METHOD = "REML"
"""Restricted maximum likelihood for tau^2 (Viechtbauer 2005), metafor's default."""


@dataclass(frozen=True)
class FindingEffect:
    """One finding's effect size, with where it was measured and the verdict on it."""

    study: str
    study_label: str
    finding: Finding
    effect: EffectSize
    judged: JudgedFinding

    def to_dict(self) -> dict[str, JSONValue]:
        finding, effect = self.finding, self.effect
        return {
            "study": self.study,
            "study_label": self.study_label,
            "finding": finding.key,
            "outcome": finding.outcome,
            "category": finding.category,
            "beneficiary": finding.beneficiary,
            "measure": finding.measure,
            "reporter": finding.reporter,
            "months_after": finding.months_after,
            "g": effect.g,
            "variance": effect.variance,
            "se": effect.se,
            "ci_low": effect.ci_low,
            "ci_high": effect.ci_high,
            "level": effect.level,
            "improvement_index": effect.improvement_index,
            "p_value": effect.p_value,
            "metric": effect.metric,
            "method": effect.method,
            "direction": self.judged.direction,
            "significant": self.judged.significant,
            "source": self.judged.source,
        }


@dataclass(frozen=True)
class ForestRow:
    """A study's finding as pooled: its effect and its share of the pooled weight (%)."""

    effect: FindingEffect
    weight: float

    def to_dict(self) -> dict[str, JSONValue]:
        return {**self.effect.to_dict(), "weight": self.weight}


@dataclass(frozen=True)
class OutcomeSynthesis:
    """One child outcome measured by several studies: their rows and the pooled estimate.

    ``set_aside`` holds the studies' other findings for the outcome (earlier time
    points), which are shown with their study but not pooled.
    """

    outcome: str
    category: str
    rows: tuple[ForestRow, ...]
    pooled: PooledEstimate
    set_aside: tuple[FindingEffect, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "outcome": self.outcome,
            "category": self.category,
            "studies": len(self.rows),
            "rows": [row.to_dict() for row in self.rows],
            "pooled": self.pooled.to_dict(),
            "set_aside": [
                {"study": item.study, "finding": item.finding.key} for item in self.set_aside
            ],
        }


@dataclass(frozen=True)
class ProgrammeEffects:
    """Every finding's effect size and every pooled outcome of one programme."""

    level: float
    alpha: float
    findings: tuple[FindingEffect, ...]
    outcomes: tuple[OutcomeSynthesis, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON values (str, int, float, bool, None, lists and dicts)."""
        return {
            "level": self.level,
            "alpha": self.alpha,
            "method": POOLING_METHOD,
            "findings": [item.to_dict() for item in self.findings],
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }


def programme_effects(
    programme: Programme, alpha: float = DEFAULT_LIMITS.alpha, level: float = 0.95
) -> ProgrammeEffects:
    """Effect sizes of every finding with statistics, and random-effects pools per outcome.

    Effects: ``effect_sizes.effect_of`` (Hedges 1981; Hedges 2007 for clusters; Cox
    1970 for counts), Wald intervals at ``level``, judged at ``alpha`` by
    ``standards.judging.judge_finding``. Pools: ``pooling.pool`` with REML
    (Viechtbauer 2005) and z intervals at ``level``; weights are 1 / (v + tau^2).
    Raises ``InvalidRecord`` naming the programme, study, finding and field when the
    statistics are impossible.
    """
    findings = tuple(
        effect
        for study in programme.studies
        for finding in study.findings
        if (effect := _finding_effect(programme, study, finding, alpha, level)) is not None
    )
    return ProgrammeEffects(level, alpha, findings, _syntheses(findings, level))


def _finding_effect(
    programme: Programme, study: Study, finding: Finding, alpha: float, level: float
) -> FindingEffect | None:
    record = f"programme '{programme.slug}', {study.label}, finding '{finding.key}'"
    effect = effect_of_finding(finding, record, level)
    if effect is None:
        return None
    return FindingEffect(study.key, study.label, finding, effect, judge_finding(finding, alpha))


def _outcome_key(finding: Finding) -> tuple[str, str]:
    return finding.category, " ".join(finding.outcome.split()).casefold()


def _time_point(item: FindingEffect) -> float:
    # A finding without a time point is taken as measured when the programme ended.
    months = item.finding.months_after
    return 0.0 if months is None else months


def _syntheses(findings: Sequence[FindingEffect], level: float) -> tuple[OutcomeSynthesis, ...]:
    """Pool each child outcome that two or more studies measured, in order of first mention."""
    by_outcome: dict[tuple[str, str], dict[str, list[FindingEffect]]] = {}
    for item in findings:
        if item.finding.beneficiary == "child" and item.effect.metric in G_SCALE_METRICS:
            studies = by_outcome.setdefault(_outcome_key(item.finding), {})
            studies.setdefault(item.study, []).append(item)
    return tuple(
        _synthesis(list(studies.values()), level)
        for studies in by_outcome.values()
        if len(studies) >= 2
    )


def _synthesis(per_study: list[list[FindingEffect]], level: float) -> OutcomeSynthesis:
    # Imported here: pooling brings numpy (about 20 MB), which a process that only
    # shows published ratings, such as a web worker, never needs.
    from guidebook.evidence.pooling import pool

    # max() keeps the first of equal time points: the finding recorded first.
    chosen = [max(items, key=_time_point) for items in per_study]
    set_aside = tuple(
        item for items in per_study for item in items if all(item is not c for c in chosen)
    )
    pooled = pool(
        [item.effect.g for item in chosen],
        [item.effect.variance for item in chosen],
        method=POOLING_METHOD,
        level=level,
    )
    weights = [1 / (item.effect.variance + pooled.tau2) for item in chosen]
    total = sum(weights)
    first = chosen[0].finding
    return OutcomeSynthesis(
        outcome=first.outcome,
        category=first.category,
        rows=tuple(
            ForestRow(item, 100 * weight / total)
            for item, weight in zip(chosen, weights, strict=True)
        ),
        pooled=pooled,
        set_aside=set_aside,
    )
