"""The prediction interval under a forest plot's diamond: drawn, cut, absent, explained.

The interval is the core's ``pi_riley_low`` / ``pi_riley_high`` (t on k - 2 degrees of
freedom, Higgins, Thompson & Spiegelhalter 2009), None with two studies. The outcomes
here are invented numbers; the page tests use the test programme of
``tests.public.test_effects_page``.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.pooling import pool
from guidebook.public.forest import (
    Layout,
    forest_svg,
    plot_scale,
    pooled_sentences,
    prediction_interval,
    prediction_text,
    signed,
)
from tests.public.test_effects_page import (
    METHODOLOGY,
    PAGE,
    SLUG,
    forest_programme,  # noqa: F401 (a fixture)
    forest_programme_data,
    forest_svgs,
    page_text,
)

SVG = "{http://www.w3.org/2000/svg}"


def outcome_of(effects: list[float], variances: list[float]) -> dict[str, Any]:
    """An outcome as ``findings_effects`` writes it, pooled by the core itself."""
    pooled = pool(effects, variances).to_dict()
    rows = [
        {
            "study": f"s{i}",
            "study_label": f"Study {i + 1}",
            "g": g,
            "ci_low": g - 1.96 * math.sqrt(v),
            "ci_high": g + 1.96 * math.sqrt(v),
            "weight": 100 / len(effects),
        }
        for i, (g, v) in enumerate(zip(effects, variances, strict=True))
    ]
    return {"outcome": "Fewer tantrums", "rows": rows, "pooled": pooled}


# Six studies with a little heterogeneity: the interval fits on the axis.
SIX = outcome_of([0.5, 0.1, 0.35, 0.8, 0.2, 0.45], [0.04, 0.03, 0.05, 0.06, 0.02, 0.05])
# Three studies: t on 1 df is 12.7, so the interval runs far past both sides.
THREE = outcome_of([0.5, -0.2, 0.3], [0.04, 0.09, 0.05])
TWO = outcome_of([0.5, -0.2], [0.04, 0.09])


def studies_span(outcome: dict[str, Any]) -> tuple[float, float]:
    """The range the studies, the pooled interval and 0 need on the axis."""
    pooled = outcome["pooled"]
    values = [0.0, pooled["ci_low"], pooled["ci_high"]]
    values += [row[key] for row in outcome["rows"] for key in ("ci_low", "ci_high")]
    return min(values), max(values)


def with_interval(outcome: dict[str, Any], low: float | None, high: float | None):
    pooled = dict(outcome["pooled"], pi_riley_low=low, pi_riley_high=high)
    return dict(outcome, pooled=pooled)


def drawn(outcome: dict[str, Any]) -> ET.Element:
    return ET.fromstring(forest_svg(outcome, "f1"))


def prediction_group(svg: ET.Element) -> ET.Element | None:
    return svg.find(f".//{SVG}g[@class='prediction']")


def line_ends(group: ET.Element) -> tuple[float, float]:
    line = group.find(f"{SVG}line[@class='prediction-interval']")
    return float(line.get("x1")), float(line.get("x2"))


# --- What the core gives ---------------------------------------------------------------


def test_the_core_interval_is_higgins_thompson_spiegelhalter_with_k_minus_2_df():
    pooled = SIX["pooled"]
    half = stats.t.isf(0.025, 6 - 2) * math.sqrt(pooled["tau2"] + pooled["se"] ** 2)
    assert pooled["pi_riley_low"] == pytest.approx(pooled["estimate"] - half)
    assert pooled["pi_riley_high"] == pytest.approx(pooled["estimate"] + half)
    assert TWO["pooled"]["k"] == 2
    assert TWO["pooled"]["pi_riley_low"] is None and TWO["pooled"]["pi_riley_high"] is None


# --- The drawing ---------------------------------------------------------------------------


def test_the_interval_line_ends_where_the_axis_puts_its_limits():
    svg, scale = drawn(SIX), plot_scale(SIX)
    pooled = SIX["pooled"]
    assert scale.low <= pooled["pi_riley_low"] and pooled["pi_riley_high"] <= scale.high
    group = prediction_group(svg)
    assert group.get("data-cut") == ""
    x1, x2 = line_ends(group)
    assert x1 == pytest.approx(scale.x(pooled["pi_riley_low"]), abs=0.06)
    assert x2 == pytest.approx(scale.x(pooled["pi_riley_high"]), abs=0.06)
    bars = group.findall(f"{SVG}line[@class='prediction-end']")
    assert [float(bar.get("x1")) for bar in bars] == [x1, x2]
    assert group.find(f"{SVG}polygon[@class='prediction-arrow']") is None
    texts = [t.text for t in group.iter(f"{SVG}text")]
    assert texts == [
        "95% prediction interval",
        f"[{signed(pooled['pi_riley_low'])}, {signed(pooled['pi_riley_high'])}]",
    ]


def test_the_interval_has_its_own_row_below_the_diamond():
    svg = drawn(SIX)
    diamond = svg.find(f".//{SVG}polygon[@class='pooled']").get("points").split()
    diamond_y = float(diamond[0].split(",")[1])
    line = prediction_group(svg).find(f"{SVG}line[@class='prediction-interval']")
    assert float(line.get("y1")) == float(line.get("y2")) == diamond_y + Layout().row
    axis = svg.find(f".//{SVG}line[@class='axis']")
    assert float(axis.get("y1")) > float(line.get("y1"))
    # The row adds exactly one row's height to the image.
    without = drawn(with_interval(SIX, None, None))
    assert float(svg.get("height")) - float(without.get("height")) == Layout().row


def test_with_two_studies_nothing_is_drawn_and_the_words_say_why():
    svg = drawn(TWO)
    assert prediction_group(svg) is None
    assert prediction_interval(TWO) is None
    reason = "it needs at least 3 studies, and this outcome has 2"
    assert reason in svg.find(f"{SVG}desc").text
    assert reason in prediction_text(TWO)
    assert reason in " ".join(pooled_sentences(TWO, 0.05))


def test_a_huge_interval_is_cut_at_both_edges_with_arrows_and_said_so():
    svg, scale = drawn(THREE), plot_scale(THREE)
    pooled = THREE["pooled"]
    assert pooled["pi_riley_low"] < scale.low and pooled["pi_riley_high"] > scale.high
    group = prediction_group(svg)
    assert group.get("data-cut") == "left right"
    assert line_ends(group) == (Layout().plot_left, Layout().plot_right)
    arrows = group.findall(f"{SVG}polygon[@class='prediction-arrow']")
    tips = [float(arrow.get("points").split()[0].split(",")[0]) for arrow in arrows]
    assert tips == [Layout().plot_left, Layout().plot_right]
    assert group.find(f"{SVG}line[@class='prediction-end']") is None
    # The full interval is still given in numbers, and the cut in words.
    interval = f"{signed(pooled['pi_riley_low'])} to {signed(pooled['pi_riley_high'])}"
    description = svg.find(f"{SVG}desc").text
    assert interval in description
    assert "cut off at the plot's left and right edges" in description
    assert prediction_text(THREE) == (
        f"{interval} (the plot cuts the line off at its left and right edges)"
    )


def test_an_interval_cut_on_one_side_keeps_its_bar_on_the_other():
    outcome = with_interval(SIX, 0.0, 40.0)
    svg, scale = drawn(outcome), plot_scale(outcome)
    group = prediction_group(svg)
    assert group.get("data-cut") == "right"
    x1, x2 = line_ends(group)
    assert (x1, x2) == (pytest.approx(scale.x(0.0), abs=0.06), Layout().plot_right)
    assert len(group.findall(f"{SVG}line[@class='prediction-end']")) == 1
    assert len(group.findall(f"{SVG}polygon[@class='prediction-arrow']")) == 1
    assert prediction_text(outcome).endswith("(the plot cuts the line off at its right edge)")


# The studies and pooled interval of SIX need about -0.24 .. 1.28 (width 1.52), so the
# axis may grow by about 0.76 on each side; an end is cut when it lies beyond the
# rounded axis that results.
@pytest.mark.parametrize(
    ("low", "high", "cut"),
    [
        (-0.09, 0.80, ()),
        (-1.0, 2.0, ()),
        (-1.2, 1.0, ("left",)),
        (0.0, 2.6, ("right",)),
        (-5.0, 5.0, ("left", "right")),
    ],
    ids=["inside", "near", "far left", "far right", "both"],
)
def test_which_ends_are_cut(low, high, cut):
    assert prediction_interval(with_interval(SIX, low, high)).cut == cut


@pytest.mark.parametrize(
    ("low", "high"),
    [(None, None), (None, 1.0), (-math.inf, math.inf), (math.nan, 1.0)],
    ids=["two studies", "half missing", "infinite", "not a number"],
)
def test_an_interval_without_finite_limits_is_not_drawn(low, high):
    outcome = with_interval(SIX, low, high)
    assert prediction_interval(outcome) is None
    assert prediction_group(drawn(outcome)) is None
    assert plot_scale(outcome) == plot_scale(with_interval(SIX, None, None))


@given(low=st.floats(-50, 5), width=st.floats(0, 60))
def test_the_drawn_line_always_stays_on_the_plot_and_holds_the_studies(low, width):
    outcome = with_interval(SIX, low, low + width)
    layout, scale = Layout(), plot_scale(outcome)
    prediction = prediction_interval(outcome)
    x1, x2 = line_ends(prediction_group(drawn(outcome)))
    assert layout.plot_left <= x1 <= x2 <= layout.plot_right
    assert ("left" in prediction.cut) is (prediction.low < scale.low)
    assert ("right" in prediction.cut) is (prediction.high > scale.high)
    # The axis holds the studies, and grows for the interval by at most the room (half
    # the studies' span on each side) plus less than one tick step of rounding.
    lowest, highest = studies_span(outcome)
    assert scale.low <= lowest and highest <= scale.high
    step, room = scale.ticks[1] - scale.ticks[0], 0.5 * (highest - lowest)
    assert lowest - room - step < scale.low and scale.high < highest + room + step


# --- The page, its JSON twin and the API ----------------------------------------------------


def test_the_page_draws_the_interval_and_explains_it(client, forest_programme):  # noqa: F811
    html = client.get(PAGE).content.decode()
    [svg] = forest_svgs(html)
    stored = Snapshot.objects.get(slug=SLUG, is_current=True).assessment
    pooled = stored["effects"]["outcomes"][0]["pooled"]
    # Three studies: t on one degree of freedom makes the interval run off both edges.
    assert prediction_group(svg).get("data-cut") == "left right"
    text = page_text(client.get(PAGE))
    interval = f"{signed(pooled['pi_riley_low'])} to {signed(pooled['pi_riley_high'])}"
    assert f"95% prediction interval {interval} (the plot cuts the line off" in text
    assert "expected to lie inside this range 95% of the time" in text
    assert "the line ends in an arrow" in text
    assert f"find an effect between {signed(pooled['pi_riley_low'])} and" in text
    table = re.search(r'<table data-testid="forest-table">.*?</table>', html, re.S).group(0)
    assert 'data-testid="prediction-row"' in table and table.count("<tr") == 6


def test_the_json_twin_carries_the_interval_the_page_draws(client, forest_programme):  # noqa: F811
    twin = client.get(f"/programmes/{SLUG}.json").json()
    [outcome] = twin["rating"]["effects"]["outcomes"]
    pooled = outcome["pooled"]
    expected = prediction_interval(outcome)
    assert (pooled["pi_riley_low"], pooled["pi_riley_high"]) == (expected.low, expected.high)
    assert pooled["k"] == 3 and pooled["pi_riley_low"] < pooled["ci_low"]


def test_the_api_carries_the_same_pooled_estimate(client, forest_programme):  # noqa: F811
    api = client.get(f"/api/programmes/{SLUG}").json()
    twin = client.get(f"/programmes/{SLUG}.json").json()
    assert api["rating"]["effects"] == twin["rating"]["effects"]
    assert api["rating"]["effects"]["outcomes"][0]["pooled"]["pi_riley_high"] > 0


@pytest.fixture
def two_study_programme(db, ipp_data):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from guidebook.evidence.record_json import programme_from_dict

    data = forest_programme_data(ipp_data)
    data["studies"].pop()  # study 3: the attachment outcome is left with two studies
    publish(save_record(programme_from_dict(json.loads(json.dumps(data)))), note="Test")


def test_with_two_studies_the_page_and_twin_have_no_interval(client, two_study_programme):
    html = client.get(PAGE).content.decode()
    [svg] = forest_svgs(html)
    assert prediction_group(svg) is None
    assert 'data-testid="prediction-caption"' not in html
    text = page_text(client.get(PAGE))
    reason = "No prediction interval is given: it needs at least 3 studies, and this outcome has 2."
    assert f"95% prediction interval {reason}" in text
    pooled = client.get(f"/programmes/{SLUG}.json").json()["rating"]["effects"]["outcomes"][0]
    assert pooled["pooled"]["k"] == 2
    assert pooled["pooled"]["pi_riley_low"] is None and pooled["pooled"]["pi_riley_high"] is None
    api = client.get(f"/api/programmes/{SLUG}").json()["rating"]["effects"]["outcomes"][0]
    assert api["pooled"]["pi_riley_low"] is None


def test_the_methodology_page_gives_the_formula_and_its_sources(client):
    text = page_text(client.get(METHODOLOGY))
    for fact in [
        "pooled g ± t k−2 · √(τ² + se²)",
        "no prediction interval is given",
        "Higgins, Thompson and Spiegelhalter (2009)",
        "Riley, Higgins and Deeks (2011)",
        "A re-evaluation of random-effects meta-analysis",
        "pi_riley_low",
        "stops at the edge of the plot with an arrow",
    ]:
        assert fact in text, fact
