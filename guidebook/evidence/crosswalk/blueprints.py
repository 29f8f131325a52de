"""Blueprints for Healthy Youth Development (key "blueprints").

Sources (paraphrased in docs/methodology/crosswalk.md): the Blueprints standards and
certification pages for the four Promising standards and Model Plus [S], and the page
on the difference between Promising and Model for Model [S]. What makes an evaluation
"high quality" is in detailed standards the stored copies did not show [B]: the
attrition and baseline thresholds are parameters to confirm.

"Preponderance of evidence" has no published count rule; we read it as: more than half
of the high-quality studies show a significant positive effect on a Blueprints outcome
[decision]. A study whose quality or effects are unknown can tip it either way, so it
leaves the rule unknown rather than counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from guidebook.evidence.crosswalk import facts
from guidebook.evidence.crosswalk.facts import studies_recorded
from guidebook.evidence.crosswalk.logic import (
    MET,
    Check,
    all_of,
    any_of,
    at_least,
    at_least_distinct,
    gated,
    known,
    needs,
    negate,
)
from guidebook.evidence.crosswalk.parameters import parameter
from guidebook.evidence.crosswalk.result import CrosswalkResult, LadderStep, climb, reason_of
from guidebook.evidence.reasons import Reason
from guidebook.evidence.records import Programme, Study

__all__ = ["BLUEPRINTS", "Blueprints", "high_quality"]

MODEL_PLUS = LadderStep(
    "Model Plus",
    "blueprints.model-plus",
    "Model, and at least one high-quality study run by a team independent of the developer.",
)
MODEL = LadderStep(
    "Model",
    "blueprints.model",
    "Promising, with two high-quality RCTs (or one RCT and one QED) and a positive effect "
    "lasting at least 12 months after the intervention ended.",
)
PROMISING = LadderStep(
    "Promising",
    "blueprints.promising",
    "A specified intervention, one high-quality RCT or two high-quality QEDs, mostly "
    "positive effects with none harmful, and ready for dissemination.",
)
NOT_CERTIFIED = LadderStep(
    "Not certified",
    "blueprints.not-certified",
    "Does not meet the Promising standards.",
)


def high_quality(study: Study) -> Check:
    """An RCT or QED with low differential attrition, baseline equivalence or
    adjustment, and no confound [B: Blueprints detailed standards 4-8]."""
    design = any_of((facts.design_is(study, "rct"), facts.design_is(study, "qed")))
    difference = facts.conduct(study).baseline_difference
    if difference is None:
        baseline = needs(f"baseline difference ({study.key})")
    elif difference <= float(parameter("blueprints.baseline_equivalent")):
        baseline = MET
    else:
        baseline = known(
            facts.conduct(study).baseline_adjusted, f"baseline adjustment ({study.key})"
        )
    return all_of(
        design,
        facts.attrition_low(study, str(parameter("blueprints.attrition_boundary"))),
        baseline,
        facts.not_confounded(study),
    )


@dataclass(frozen=True)
class _Study:
    study: Study
    quality: Check
    positive: Check
    sustained: Check
    harmful: Check


def _judge(study: Study, alpha: float, months: float) -> _Study:
    outcomes = [
        (f, all_of(facts.in_vocabulary(study, f, "blueprints"), facts.favourable(study, f, alpha)))
        for f in study.findings
    ]
    sustained = any_of(
        all_of(
            check,
            at_least(
                f.months_after,
                months,
                f"months after the intervention ended ({facts.where(study, f)})",
            ),
        )
        for f, check in outcomes
    )
    return _Study(
        study,
        high_quality(study),
        any_of(check for _, check in outcomes),
        sustained,
        any_of(facts.harmful(study, f, alpha) for f in study.findings),
    )


def _preponderance(studies: list[_Study]) -> Check:
    """More than half of the high-quality studies positive, whatever the unknowns are."""
    candidates = [s for s in studies if s.quality.met is not False]
    sure = sum(1 for s in candidates if s.quality.met is True and s.positive.met is True)
    against = sum(1 for s in candidates if s.quality.met is True and s.positive.met is False)
    open_ = [s for s in candidates if s.quality.met is None or s.positive.met is None]
    if sure > against + len(open_):
        return MET
    if sure + len(open_) <= against:
        return Check(False)
    wanted = [fact for s in open_ for fact in (*s.quality.needs, *s.positive.needs)]
    return needs(*dict.fromkeys(wanted))


def _designs(studies: list[_Study], design: str, count: int) -> Check:
    return at_least_distinct(
        count,
        (
            (
                all_of(s.quality, facts.design_is(s.study, design)),
                facts.conduct(s.study).sample,
                f"sample identifier ({s.study.key})",
            )
            for s in studies
        ),
    )


@dataclass(frozen=True)
class Blueprints:
    """The Blueprints certification standards: Promising, Model, Model Plus."""

    key: ClassVar[str] = "blueprints"
    version: ClassVar[str] = "2015"
    year: ClassVar[int] = 2015
    clearinghouse: ClassVar[str] = "blueprints"
    title: ClassVar[str] = "Blueprints for Healthy Youth Development"
    summary: ClassVar[str] = (
        "Certifies an intervention Promising on one high-quality RCT (or two QEDs) with "
        "mostly positive, never harmful effects and readiness to disseminate; Model on "
        "two high-quality trials and an effect lasting a year; Model Plus on an "
        "independent replication."
    )
    ladder: ClassVar[tuple[LadderStep, ...]] = (MODEL_PLUS, MODEL, PROMISING, NOT_CERTIFIED)
    rules: ClassVar[tuple[tuple[str, str], ...]] = (
        ("blueprints.high-quality", "Each study is an RCT or QED of high quality."),
        (
            "blueprints.specificity",
            "The intervention is specified, with a logic model, and its studies are recorded here.",
        ),
        ("blueprints.evaluation-quality", "One high-quality RCT or two high-quality QEDs."),
        ("blueprints.impact", "Most high-quality studies show a positive effect."),
        ("blueprints.no-harm", "No high-quality study shows a harmful effect."),
        ("blueprints.dissemination", "A manual and readiness for dissemination."),
        (PROMISING.rule, PROMISING.meaning),
        ("blueprints.two-trials", "Two high-quality RCTs, or one RCT and one QED."),
        ("blueprints.sustained", "A positive effect 12 months after the intervention ended."),
        (MODEL.rule, MODEL.meaning),
        ("blueprints.independent", "A high-quality positive study independent of the developer."),
        (MODEL_PLUS.rule, MODEL_PLUS.meaning),
    )

    def rate(self, programme: Programme) -> CrosswalkResult:
        """Certify ``programme``; unknown facts leave it unrated with what it needs."""
        alpha = float(parameter("blueprints.alpha"))
        months = float(parameter("blueprints.sustained_months"))
        studies = [_judge(study, alpha, months) for study in programme.studies]
        reasons: list[Reason] = [
            reason_of("blueprints.high-quality", s.quality, s.study.key) for s in studies
        ]
        specificity = MET if programme.theory_of_change else needs("logic model")
        quality = any_of((_designs(studies, "rct", 1), _designs(studies, "qed", 2)))
        impact = _preponderance(studies)
        no_harm = all_of(*(negate(all_of(s.quality, s.harmful)) for s in studies))
        ready = all_of(
            known(programme.readiness.manual, "manual"),
            known(programme.readiness.dissemination_ready, "dissemination readiness"),
        )
        promising = all_of(specificity, quality, impact, no_harm, ready)
        trials = any_of(
            (
                _designs(studies, "rct", 2),
                all_of(_designs(studies, "rct", 1), _designs(studies, "qed", 1)),
            )
        )
        sustained = any_of(all_of(s.quality, s.sustained) for s in studies)
        model = all_of(promising, trials, sustained)
        independent = any_of(
            all_of(
                s.quality,
                s.positive,
                known(
                    facts.conduct(s.study).developer_independent,
                    f"evaluator independence ({s.study.key})",
                ),
            )
            for s in studies
        )
        plus = all_of(model, independent)
        reasons += [
            reason_of("blueprints.specificity", specificity),
            reason_of("blueprints.evaluation-quality", quality),
            reason_of("blueprints.impact", impact),
            reason_of("blueprints.no-harm", no_harm),
            reason_of("blueprints.dissemination", ready),
            reason_of(PROMISING.rule, promising),
            reason_of("blueprints.two-trials", trials),
            reason_of("blueprints.sustained", sustained),
            reason_of(MODEL.rule, model),
            reason_of("blueprints.independent", independent),
            reason_of(MODEL_PLUS.rule, plus),
        ]
        ladder = ((MODEL_PLUS, plus), (MODEL, model), (PROMISING, promising))
        recorded = studies_recorded(programme)
        steps = tuple((step, gated(recorded, check)) for step, check in ladder)
        return climb(self.key, self.version, steps, NOT_CERTIFIED, tuple(reasons))


BLUEPRINTS = Blueprints()
