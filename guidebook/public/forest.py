"""Forest plots as accessible inline SVG, and the words that go with them.

Drawn on the server in plain Python from an outcome of the published assessment
(``assessment["effects"]["outcomes"][i]``, see ``evidence.findings_effects``), so a
page needs no JavaScript and shows exactly the numbers the JSON twin and the API
carry. The SVG is one image to assistive technology (``role="img"``, named by its
``<title>`` and described by its ``<desc>``); a table beside it gives every number,
and meaning never rests on colour: shapes (squares for studies, a diamond for the
pooled estimate, a thin line with end bars labelled as the prediction interval), a
dashed line labelled "No effect" and the words "Favours comparison" / "Favours
programme" carry it.

The prediction interval drawn is the core's ``pi_riley_low`` / ``pi_riley_high``:
estimate -/+ t(k-2) sqrt(se^2 + tau^2) (Higgins, Thompson & Spiegelhalter 2009), which
the core leaves as None for fewer than three studies; the plot then draws none and the
words say why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

__all__ = [
    "MIN_PREDICTION_STUDIES",
    "Layout",
    "Prediction",
    "Scale",
    "axis_scale",
    "forest_svg",
    "improvement_index",
    "percentile_points",
    "plot_scale",
    "pooled_sentences",
    "prediction_interval",
    "prediction_text",
    "signed",
]

# Tick steps tried in turn, smallest first, until the axis needs at most MAX_TICKS.
_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0)
MAX_TICKS = 7
# Below these I^2 values heterogeneity is called low, moderate, substantial (else
# considerable): the rough guide of Higgins, Thompson, Deeks & Altman (2003, BMJ
# 327:557), who attach low, moderate and high to 25%, 50% and 75%.
_HETEROGENEITY_WORDS = ((25.0, "low"), (50.0, "moderate"), (75.0, "substantial"))
# With fewer studies than this, tau^2 and I^2 are estimated very imprecisely (von
# Hippel 2015, BMC Med. Res. Methodol. 15:35, on the bias of I^2 in small meta-analyses).
_FEW_STUDIES = 5
# t on k - 2 degrees of freedom needs k >= 3 (Higgins, Thompson & Spiegelhalter 2009).
MIN_PREDICTION_STUDIES = 3
# With few studies the prediction interval can dwarf everything else (t on 1 df is 12.7
# at 95%). The axis grows to hold it by at most this share of the width the studies and
# the pooled interval need, on each side; beyond that the line stops at the plot's edge
# with an arrow, so the studies stay readable and the words give the full interval.
_PREDICTION_ROOM = 0.5


@dataclass(frozen=True)
class Layout:
    """Where things go, in SVG user units (the image scales down to fit its column)."""

    width: float = 720
    label_x: float = 8
    plot_left: float = 230
    plot_right: float = 500
    value_x: float = 650
    weight_x: float = 712
    header: float = 40
    row: float = 30
    footer: float = 62
    font_size: float = 14


@dataclass(frozen=True)
class Scale:
    """A linear map from effect sizes (``low`` .. ``high``) to x (``left`` .. ``right``)."""

    low: float
    high: float
    left: float
    right: float
    ticks: tuple[float, ...]

    def x(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.left + share * (self.right - self.left)


def axis_scale(values: Iterable[float], left: float, right: float) -> Scale:
    """The smallest round axis that holds every value and 0 (the line of no effect).

    The step is the first of ``_STEPS`` giving at most ``MAX_TICKS`` ticks; beyond the
    largest step the step grows tenfold until it does.
    """
    spread = [0.0, *values]
    low, high = min(spread), max(spread)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    for step in _candidate_steps():
        first, last = math.floor(low / step), math.ceil(high / step)
        if last - first <= MAX_TICKS - 1:
            ticks = tuple(round(i * step, 10) for i in range(first, last + 1))
            return Scale(ticks[0], ticks[-1], left, right, ticks)
    raise AssertionError("unreachable: the steps grow without bound")  # pragma: no cover


def _candidate_steps() -> Iterable[float]:
    yield from _STEPS
    step = _STEPS[-1]
    while True:
        step *= 10
        yield step


@dataclass(frozen=True)
class Prediction:
    """The pooled estimate's prediction interval; ``cut`` names the ends the plot cuts
    off at its edge: () or some of "left", "right"."""

    low: float
    high: float
    level: float
    cut: tuple[str, ...]


def _prediction_limits(pooled: Mapping[str, Any]) -> tuple[float, float] | None:
    # Older snapshots or test outcomes may lack the keys; the core writes None for k < 3.
    low, high = pooled.get("pi_riley_low"), pooled.get("pi_riley_high")
    if low is None or high is None or not math.isfinite(low) or not math.isfinite(high):
        return None
    return float(low), float(high)


def plot_scale(outcome: Mapping[str, Any], layout: Layout = Layout()) -> Scale:
    """The axis of an outcome's plot: every study's interval, the pooled interval, 0,
    and the prediction interval as far as ``_PREDICTION_ROOM`` lets the axis grow."""
    pooled = outcome["pooled"]
    values = [0.0, float(pooled["ci_low"]), float(pooled["ci_high"])]
    values += [float(row[key]) for row in outcome["rows"] for key in ("ci_low", "ci_high")]
    limits = _prediction_limits(pooled)
    if limits is not None:
        lowest, highest = min(values), max(values)
        room = _PREDICTION_ROOM * (highest - lowest)
        values += [min(max(limit, lowest - room), highest + room) for limit in limits]
    return axis_scale(values, layout.plot_left, layout.plot_right)


def prediction_interval(outcome: Mapping[str, Any], layout: Layout = Layout()) -> Prediction | None:
    """The prediction interval the plot draws, or None when there is none to draw."""
    pooled = outcome["pooled"]
    limits = _prediction_limits(pooled)
    if limits is None:
        return None
    scale = plot_scale(outcome, layout)
    low, high = limits
    cut = tuple(
        side for side, beyond in (("left", low < scale.low), ("right", high > scale.high)) if beyond
    )
    return Prediction(low, high, float(pooled["level"]), cut)


def signed(value: float, places: int = 2) -> str:
    """A number as a page prints it: fixed places, a true minus sign, never "-0.00"."""
    text = f"{value:.{places}f}"
    if text.lstrip("-").strip("0.") == "":
        return text.lstrip("-")
    return text.replace("-", "\u2212")


def improvement_index(g: float) -> float:
    """100 Phi(g) - 50, the WWC improvement index (Handbook v5.0), for a pooled g."""
    return 50 * math.erf(g / math.sqrt(2))


def percentile_points(index: float) -> str:
    """An improvement index as a signed whole number: "+12", "−3", "0"."""
    text = signed(index, 0)
    return text if text == "0" or text.startswith("−") else "+" + text


def _interval(low: float, high: float) -> str:
    return f"{signed(low)} to {signed(high)}"


def _percent(level: float) -> str:
    return f"{100 * level:g}%"


# --- Words ---------------------------------------------------------------------------


def pooled_sentences(outcome: Mapping[str, Any], alpha: float) -> list[str]:
    """What the pooled estimate says, in plain words: effect, significance, spread."""
    pooled = outcome["pooled"]
    k, level = int(pooled["k"]), float(pooled["level"])
    estimate = float(pooled["estimate"])
    index = improvement_index(estimate)
    sentences = [
        f"Pooling the {k} studies with a random-effects model gives an average effect of "
        f"g = {signed(estimate)} ({_percent(level)} confidence interval "
        f"{_interval(pooled['ci_low'], pooled['ci_high'])}), an improvement index of "
        f"{percentile_points(index)} percentile points.",
        _significance(float(pooled["p_value"]), alpha),
        _heterogeneity(float(pooled["tau2"]), float(pooled["i2"])),
        _prediction_sentence(outcome),
    ]
    if k < _FEW_STUDIES:
        sentences.append(
            f"With only {k} studies, the between-study variance and I\u00b2 are estimated "
            "imprecisely, so read them as a rough guide."
        )
    return sentences


def _prediction_sentence(outcome: Mapping[str, Any]) -> str:
    prediction = prediction_interval(outcome)
    if prediction is None:
        return _no_prediction(int(outcome["pooled"]["k"]))
    return (
        f"A new study like these would be expected to find an effect between "
        f"{signed(prediction.low)} and {signed(prediction.high)} "
        f"({_percent(prediction.level)} prediction interval)."
    )


def _no_prediction(k: int) -> str:
    return (
        f"No prediction interval is given: it needs at least {MIN_PREDICTION_STUDIES} "
        f"studies, and this outcome has {k}."
    )


def _edges(prediction: Prediction) -> str:
    return " and ".join(prediction.cut) + (" edges" if len(prediction.cut) > 1 else " edge")


def prediction_text(outcome: Mapping[str, Any]) -> str:
    """The prediction interval for the plot's table: its limits, or why there is none."""
    prediction = prediction_interval(outcome)
    if prediction is None:
        return _no_prediction(int(outcome["pooled"]["k"]))
    text = _interval(prediction.low, prediction.high)
    if prediction.cut:
        text += f" (the plot cuts the line off at its {_edges(prediction)})"
    return text


def _significance(p_value: float, alpha: float) -> str:
    level = _percent(alpha)
    if p_value < alpha:
        return (
            f"Taken together, the studies show an effect that is statistically significant "
            f"at the {level} level ({_p(p_value)})."
        )
    return (
        f"Taken together, the studies do not show an effect that is statistically "
        f"significant at the {level} level ({_p(p_value)})."
    )


def _p(p_value: float) -> str:
    """ "p < 0.001" or "p = 0.032": the relation is part of the statement."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _heterogeneity(tau2: float, i2: float) -> str:
    if tau2 <= 0:
        return (
            "The studies' results differ no more than chance alone would explain "
            "(between-study variance \u03c4\u00b2 = 0, I\u00b2 = 0%)."
        )
    word = next((w for limit, w in _HETEROGENEITY_WORDS if i2 < limit), "considerable")
    return (
        f"Heterogeneity is {word}: about {i2:.0f}% of the spread in the studies' results "
        f"reflects real differences between them rather than chance "
        f"(I\u00b2 = {i2:.0f}%, between-study variance \u03c4\u00b2 = {tau2:.3f})."
    )


# --- Drawing --------------------------------------------------------------------------


def forest_svg(outcome: Mapping[str, Any], plot_id: str, layout: Layout = Layout()) -> str:
    """The forest plot of one pooled outcome as an ``<svg>`` element (escaped text)."""
    rows: Sequence[Mapping[str, Any]] = outcome["rows"]
    pooled = outcome["pooled"]
    scale = plot_scale(outcome, layout)
    prediction = prediction_interval(outcome, layout)
    pooled_y = layout.header + (len(rows) + 0.5) * layout.row + 8
    # The prediction interval gets its own row under the diamond, as in RevMan.
    last_y = pooled_y if prediction is None else pooled_y + layout.row
    axis_y = last_y + layout.row * 0.5 + 6
    height = axis_y + layout.footer
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="forest-plot" '
        f'id="{plot_id}" aria-labelledby="{plot_id}-title {plot_id}-desc" '
        f'viewBox="0 0 {layout.width:g} {height:g}" width="{layout.width:g}" '
        f'height="{height:g}" '
        f'font-family="inherit" font-size="{layout.font_size:g}" fill="currentColor">',
        f'<title id="{plot_id}-title">{escape(_title(outcome))}</title>',
        f'<desc id="{plot_id}-desc">{escape(_description(outcome))}</desc>',
        *_header(layout, scale),
        *_no_effect_line(layout, scale, axis_y),
        *(
            _study_row(layout, scale, row, layout.header + (i + 0.5) * layout.row, rows)
            for i, row in enumerate(rows)
        ),
        *_pooled_row(layout, scale, pooled, pooled_y),
        *(() if prediction is None else _prediction_row(layout, scale, prediction, last_y)),
        *_axis(layout, scale, axis_y),
        "</svg>",
    ]
    return "\n".join(parts)


def _title(outcome: Mapping[str, Any]) -> str:
    return f"Forest plot: {outcome['outcome']}"


def _description(outcome: Mapping[str, Any]) -> str:
    pooled = outcome["pooled"]
    level = _percent(float(pooled["level"]))
    studies = "; ".join(
        f"{row['study_label']}: g {signed(row['g'])} "
        f"({level} CI {_interval(row['ci_low'], row['ci_high'])})"
        for row in outcome["rows"]
    )
    return (
        f"Effect sizes (Hedges' g) of {len(outcome['rows'])} studies. {studies}. "
        f"Pooled random-effects estimate: g {signed(pooled['estimate'])} "
        f"({level} CI {_interval(pooled['ci_low'], pooled['ci_high'])}). "
        f"{_prediction_description(outcome)} "
        "Effects right of the line of no effect favour the programme."
    )


def _prediction_description(outcome: Mapping[str, Any]) -> str:
    prediction = prediction_interval(outcome)
    if prediction is None:
        return _no_prediction(int(outcome["pooled"]["k"]))
    text = (
        f"{_percent(prediction.level)} prediction interval, where a new similar study's "
        f"effect would be expected to fall: {_interval(prediction.low, prediction.high)}, "
        "drawn as a thin line with end bars in its own row below the diamond."
    )
    if prediction.cut:
        text += (
            f" It reaches beyond the axis, so the line is cut off at the plot's "
            f"{_edges(prediction)}, where an arrow marks each cut end."
        )
    return text


def _text(x: float, y: float, content: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'dominant-baseline="middle"{extra}>{escape(content)}</text>'
    )


def _header(layout: Layout, scale: Scale) -> list[str]:
    y = layout.header / 2
    bold = ' font-weight="bold"'
    return [
        _text(layout.label_x, y, "Study", extra=bold),
        _text(scale.x(0), y, "No effect", "middle", bold),
        _text(layout.value_x, y, "g (95% CI)", "end", bold),
        _text(layout.weight_x, y, "Weight", "end", bold),
    ]


def _no_effect_line(layout: Layout, scale: Scale, axis_y: float) -> list[str]:
    x = scale.x(0)
    return [
        f'<line class="no-effect" x1="{x:.1f}" y1="{layout.header - 6:.1f}" x2="{x:.1f}" '
        f'y2="{axis_y:.1f}" stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 4"/>'
    ]


def _marker_side(row: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> float:
    # Area proportional to weight, as is usual: the heaviest study gets the largest square.
    heaviest = max(float(r["weight"]) for r in rows)
    return 5 + 11 * math.sqrt(float(row["weight"]) / heaviest)


def _study_row(
    layout: Layout,
    scale: Scale,
    row: Mapping[str, Any],
    y: float,
    rows: Sequence[Mapping[str, Any]],
) -> str:
    side = _marker_side(row, rows)
    x_low, x_high, x_g = scale.x(row["ci_low"]), scale.x(row["ci_high"]), scale.x(row["g"])
    return "\n".join(
        [
            f'<g class="study" data-study="{escape(str(row["study"]))}">',
            _text(layout.label_x, y, str(row["study_label"])),
            f'<line class="interval" x1="{x_low:.1f}" y1="{y:.1f}" x2="{x_high:.1f}" '
            f'y2="{y:.1f}" stroke="currentColor" stroke-width="2"/>',
            f'<rect class="estimate" x="{x_g - side / 2:.1f}" y="{y - side / 2:.1f}" '
            f'width="{side:.1f}" height="{side:.1f}"/>',
            _text(
                layout.value_x,
                y,
                f"{signed(row['g'])} [{signed(row['ci_low'])}, {signed(row['ci_high'])}]",
                "end",
            ),
            _text(layout.weight_x, y, f"{float(row['weight']):.0f}%", "end"),
            "</g>",
        ]
    )


def _pooled_row(layout: Layout, scale: Scale, pooled: Mapping[str, Any], y: float) -> list[str]:
    half_height = 9
    x_low, x_high = scale.x(pooled["ci_low"]), scale.x(pooled["ci_high"])
    x_mid = scale.x(pooled["estimate"])
    diamond = (
        f"{x_low:.1f},{y:.1f} {x_mid:.1f},{y - half_height:.1f} "
        f"{x_high:.1f},{y:.1f} {x_mid:.1f},{y + half_height:.1f}"
    )
    top = y - layout.row / 2 - 2
    bold = ' font-weight="bold"'
    return [
        f'<line class="separator" x1="{layout.label_x:g}" y1="{top:.1f}" '
        f'x2="{layout.weight_x:g}" y2="{top:.1f}" stroke="currentColor" stroke-width="0.75"/>',
        _text(layout.label_x, y, "Pooled (random effects)", extra=bold),
        f'<polygon class="pooled" points="{diamond}"/>',
        _text(
            layout.value_x,
            y,
            f"{signed(pooled['estimate'])} [{signed(pooled['ci_low'])}, "
            f"{signed(pooled['ci_high'])}]",
            "end",
            bold,
        ),
        _text(layout.weight_x, y, "100%", "end", bold),
    ]


def _prediction_row(layout: Layout, scale: Scale, prediction: Prediction, y: float) -> list[str]:
    limits = (prediction.low, prediction.high)
    # A cut end stops at the edge of the axis.
    x_low, x_high = (scale.x(min(max(v, scale.low), scale.high)) for v in limits)
    numbers = f"[{signed(prediction.low)}, {signed(prediction.high)}]"
    return [
        f'<g class="prediction" data-cut="{" ".join(prediction.cut)}">',
        _text(layout.label_x, y, f"{_percent(prediction.level)} prediction interval"),
        f'<line class="prediction-interval" x1="{x_low:.1f}" y1="{y:.1f}" x2="{x_high:.1f}" '
        f'y2="{y:.1f}" stroke="currentColor" stroke-width="1.5"/>',
        _prediction_end(x_low, y, -1, "left" in prediction.cut),
        _prediction_end(x_high, y, 1, "right" in prediction.cut),
        _text(layout.value_x, y, numbers, "end"),
        "</g>",
    ]


def _prediction_end(x: float, y: float, outward: int, cut: bool) -> str:
    """A short upright bar where the interval ends; an arrow pointing on where it is cut."""
    if not cut:
        return (
            f'<line class="prediction-end" x1="{x:.1f}" y1="{y - 6:.1f}" x2="{x:.1f}" '
            f'y2="{y + 6:.1f}" stroke="currentColor" stroke-width="1.5"/>'
        )
    back = x - outward * 9
    return (
        f'<polygon class="prediction-arrow" points="{x:.1f},{y:.1f} {back:.1f},'
        f'{y - 5:.1f} {back:.1f},{y + 5:.1f}"/>'
    )


def _axis(layout: Layout, scale: Scale, y: float) -> list[str]:
    parts = [
        f'<line class="axis" x1="{scale.left:g}" y1="{y:.1f}" x2="{scale.right:g}" '
        f'y2="{y:.1f}" stroke="currentColor" stroke-width="1"/>'
    ]
    places = max(_places(tick) for tick in scale.ticks)
    for tick in scale.ticks:
        x = scale.x(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + 5:.1f}" '
            'stroke="currentColor" stroke-width="1"/>'
        )
        parts.append(_text(x, y + 16, signed(tick, places), "middle"))
    zero = scale.x(0)
    parts.append(_text(zero - 6, y + 40, "\u2190 Favours comparison", "end"))
    parts.append(_text(zero + 6, y + 40, "Favours programme \u2192", "start"))
    return parts


def _places(tick: float) -> int:
    """Decimals a tick needs (0.25 two, 0.5 one, 2 none); an axis uses its ticks' most."""
    return next((places for places in (0, 1) if abs(round(tick, places) - tick) < 1e-9), 2)
