"""Effect sizes and forest plots on the programme page.

The page's view hands templates the published assessment as it is; these tags read
its ``effects`` (written by ``evidence.findings_effects``) and format it, so the page
shows the same numbers as the JSON twin and the API. A snapshot published before
effects were part of the assessment simply has none to show.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from guidebook.evidence.standards import DEFAULT_LIMITS
from guidebook.evidence.standards.judging import SOURCES
from guidebook.public import forest

register = template.Library()


@register.simple_tag
def study_effects(assessment: dict[str, Any], study_key: str) -> list[dict[str, Any]]:
    """The effect sizes of one study's findings, in the order the study records them."""
    findings = assessment.get("effects", {}).get("findings", [])
    return [item for item in findings if item["study"] == study_key]


@register.simple_tag
def forest_plot(outcome: dict[str, Any], number: int) -> SafeString:
    """The outcome's forest plot as inline SVG; ``number`` makes its ids unique."""
    # forest_svg escapes every piece of text it writes, so the markup is safe as is.
    return mark_safe(forest.forest_svg(outcome, f"forest-plot-{number}"))


@register.simple_tag
def pooled_summary(outcome: dict[str, Any], effects: dict[str, Any]) -> list[str]:
    """Sentences on the pooled estimate, judged at the alpha the assessment used."""
    return forest.pooled_sentences(outcome, float(effects.get("alpha", DEFAULT_LIMITS.alpha)))


@register.simple_tag
def prediction_interval(outcome: dict[str, Any]) -> forest.Prediction | None:
    """The prediction interval the outcome's plot draws (None when it has none)."""
    return forest.prediction_interval(outcome)


@register.filter
def prediction_text(outcome: dict[str, Any]) -> str:
    """The prediction interval for the table: its limits, or why there is none."""
    return forest.prediction_text(outcome)


@register.filter
def effect_number(value: float) -> str:
    """An effect size with two decimals and a true minus sign."""
    return forest.signed(float(value))


@register.filter
def percentile_points(value: float | None) -> str:
    """An improvement index as signed whole percentile points.

    None: the effect is not on the g scale (a published log risk ratio), so it has none.
    """
    if value is None:
        return "not on this scale"
    return forest.percentile_points(float(value))


@register.filter
def p_value(value: float) -> str:
    """A p value as a statement, "p < 0.001" or "p = 0.032" (never "p = < 0.001")."""
    return "p < 0.001" if float(value) < 0.001 else f"p = {float(value):.3f}"


@register.filter
def percent(value: float) -> str:
    return f"{100 * float(value):g}%"


@register.filter
def verdict_source(source: str) -> str:
    """Where a finding's significance came from, in the page's words."""
    return SOURCES.get(source, source)


@register.filter
def pooled_improvement(estimate: float) -> str:
    """The improvement index of a pooled g, as signed whole percentile points."""
    return forest.percentile_points(forest.improvement_index(float(estimate)))


@register.filter
def time_point(months_after: float | None) -> str:
    """When a finding was measured, in words ("" when the record does not say)."""
    if months_after is None:
        return ""
    if months_after == 0:
        return "at the end of the programme"
    unit = "month" if months_after == 1 else "months"
    return f"{months_after:g} {unit} after the programme ended"
