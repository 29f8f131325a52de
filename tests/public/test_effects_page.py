"""Effect sizes on the programme page, the forest plot, and the methodology page.

The programme used here is test data: IPP's record renamed "Test Forest Programme",
with invented statistics on three studies' attachment findings. The real IPP record
carries none (the papers' group counts were not found in a citable source).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from guidebook.catalogue.models import Finding, Programme, Snapshot
from guidebook.cli import main as guidebook_main
from guidebook.evidence.findings_effects import programme_effects
from guidebook.public.forest import (
    Layout,
    axis_scale,
    forest_svg,
    improvement_index,
    percentile_points,
    pooled_sentences,
    signed,
)

SVG = "{http://www.w3.org/2000/svg}"
SLUG = "test-forest-programme"
PAGE = f"/programmes/{SLUG}/"
METHODOLOGY = "/methodology/effect-sizes/"

# Invented statistics: test data only.
STUDY_1_COUNTS = {
    "type": "counts",
    "events_treatment": 20,
    "n_treatment": 34,
    "events_comparison": 6,
    "n_comparison": 25,
    "event_is_good": True,
}
STUDY_2_MEANS = {
    "type": "means",
    "mean_treatment": 5.8,
    "sd_treatment": 1.9,
    "n_treatment": 45,
    "mean_comparison": 4.9,
    "sd_comparison": 2.1,
    "n_comparison": 48,
}
STUDY_3_T = {"type": "t", "t": 0.6, "n_treatment": 30, "n_comparison": 31}


def forest_programme_data(ipp_data: dict[str, Any]) -> dict[str, Any]:
    """IPP's record as test data, with statistics on three studies' attachment findings."""
    data = json.loads(json.dumps(ipp_data))
    data["slug"], data["name"] = SLUG, "Test Forest Programme"
    data.pop("imported", None)
    study_1, study_2 = data["studies"]
    study_1["findings"][0]["statistics"] = STUDY_1_COUNTS
    study_2["findings"][0]["statistics"] = STUDY_2_MEANS
    # Study 2 also measured attachment earlier, during the programme: not pooled.
    earlier = dict(study_2["findings"][0], key="attachment-midway", months_after=None)
    earlier["statistics"] = {"type": "t", "t": 1.1, "n_treatment": 45, "n_comparison": 48}
    study_2["findings"].insert(0, earlier)
    study_2["findings"][1]["months_after"] = 3
    study_3 = json.loads(json.dumps(study_1))
    study_3.update(key="study-3", label="Study 3", citation="Test data (2020)", appraisal=None)
    study_3["findings"] = [dict(study_1["findings"][0], statistics=STUDY_3_T)]
    data["studies"].append(study_3)
    return data


@pytest.fixture
def forest_programme(db, ipp_data):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from guidebook.evidence.record_json import programme_from_dict

    record = programme_from_dict(forest_programme_data(ipp_data))
    programme = save_record(record)
    publish(programme, note="Test fixture")
    return programme


def page_text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def forest_svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


# --- The programme page ------------------------------------------------------------------


def test_it_shows_each_findings_effect_size_in_its_study(client, forest_programme):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="study-effects"') == 3
    assert html.count('data-testid="finding-effect"') == 4
    assessment = Snapshot.objects.get(slug=SLUG, is_current=True).assessment
    first = assessment["effects"]["findings"][0]
    text = page_text(response)
    interval = f"{signed(first['ci_low'])} to {signed(first['ci_high'])}"
    assert f"{signed(first['g'])} {interval}" in text
    assert f"{percentile_points(first['improvement_index'])} points" in text
    assert "(yes/no outcome, Cox index)" in text
    assert "computed from the reported statistics" in text


def test_it_draws_one_forest_plot_per_outcome_measured_by_several_studies(client, forest_programme):
    response = client.get(PAGE)
    html = response.content.decode()
    [svg] = forest_svgs(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "forest-plot-1-title forest-plot-1-desc"
    assert svg.find(f"{SVG}title").text == "Forest plot: Improved attachment security"
    description = svg.find(f"{SVG}desc").text
    assert "Study 1: g" in description and "Pooled random-effects estimate" in description
    assert len(svg.findall(f".//{SVG}g[@class='study']")) == 3
    assert svg.find(f".//{SVG}polygon[@class='pooled']") is not None
    assert svg.find(f".//{SVG}line[@class='no-effect']") is not None
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "No effect" in texts and "Favours programme \u2192" in texts
    assert "<script" not in html


def test_the_forest_plot_has_a_table_and_words_beside_it(client, forest_programme):
    response = client.get(PAGE)
    html = response.content.decode()
    assert 'data-testid="forest-table"' in html
    table = re.search(r'<table data-testid="forest-table">.*?</table>', html, re.S).group(0)
    assert table.count("<tr") == 6  # header, three studies, pooled, prediction interval
    assert "Pooled (random effects)" in table
    text = page_text(response)
    assessment = Snapshot.objects.get(slug=SLUG, is_current=True).assessment
    pooled = assessment["effects"]["outcomes"][0]["pooled"]
    assert f"g = {signed(pooled['estimate'])}" in text
    assert "I²" in text and "τ²" in text
    assert "With only 3 studies" in text
    assert "1 earlier measurement of this outcome by the same studies is shown" in text


def test_the_page_and_its_json_twin_carry_the_same_effects(client, forest_programme):
    twin = client.get(f"/programmes/{SLUG}.json").json()
    stored = Snapshot.objects.get(slug=SLUG, is_current=True).assessment["effects"]
    assert twin["rating"]["effects"] == stored
    [outcome] = stored["outcomes"]
    assert [row["study_label"] for row in outcome["rows"]] == ["Study 1", "Study 2", "Study 3"]
    assert outcome["set_aside"] == [{"study": "study-2", "finding": "attachment-midway"}]


def test_the_rating_rests_on_the_computed_verdicts(client, forest_programme):
    # Study 3 (t = 0.6) is not significant; studies 1 and 2 are, so IPP's 3+ stands.
    text = page_text(client.get(PAGE))
    assert "Evidence rating: 3+" in text
    assessment = Snapshot.objects.get(slug=SLUG, is_current=True).assessment
    verdicts = {
        (f["study"], f["finding"]): f["significant"] for f in assessment["effects"]["findings"]
    }
    assert verdicts[("study-3", "attachment")] is False
    assert verdicts[("study-2", "attachment")] is True


def test_a_programme_without_statistics_shows_no_effects(client, ipp):
    html = client.get("/programmes/infant-parent-psychotherapy/").content.decode()
    assert 'data-testid="study-effects"' not in html
    assert "<svg" not in html


def test_a_snapshot_published_before_effects_still_renders(client, forest_programme):
    snapshot = Snapshot.objects.get(slug=SLUG, is_current=True)
    snapshot.assessment.pop("effects")
    snapshot.save(update_fields=["assessment"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert 'data-testid="study-effects"' not in response.content.decode()


# --- The methodology page ----------------------------------------------------------------


def test_the_methodology_page_sets_out_each_formula_with_its_source(client):
    response = client.get(METHODOLOGY)
    assert response.status_code == 200
    text = page_text(response)
    for fact in [
        "J(m) = Γ(m/2)",
        "var(g) = 1/n₁ + 1/n₂ + g² / (2N)",
        "Hedges (1981)",
        "Hedges (2007)",
        "dividing by 1.65",
        "0.5 is added to all four",
        "100 · Φ(g) − 50",
        "restricted maximum likelihood (REML)",
        "I² = 100 · τ² / (τ² + s²)",
        "latest measurement",
        "currently 5%",
        "Viechtbauer (2005, 2010)",
        "What Works Clearinghouse (2022)",
    ]:
        assert fact in text, fact


def test_the_programme_page_links_to_the_methodology(client, forest_programme):
    assert 'href="/methodology/effect-sizes/"' in client.get(PAGE).content.decode()


# --- forest.py: coordinates and shapes ---------------------------------------------------


@pytest.mark.parametrize(
    ("values", "low", "high", "ticks"),
    [
        ([0.2, 0.9], 0.0, 1.0, (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        ([-0.3, 0.45], -0.4, 0.6, (-0.4, -0.2, 0.0, 0.2, 0.4, 0.6)),
        ([-1.7, -0.2], -2.0, 0.0, (-2.0, -1.5, -1.0, -0.5, 0.0)),
        ([0.0, 0.0], -0.6, 0.6, (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6)),
        ([3.1, 28.0], 0.0, 30.0, (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)),
        ([0.0, 130.0], 0.0, 200.0, (0.0, 100.0, 200.0)),
    ],
    ids=["positive", "across zero", "negative", "all zero", "wide", "beyond the steps"],
)
def test_the_axis_is_round_and_holds_every_value_and_zero(values, low, high, ticks):
    scale = axis_scale(values, 100, 400)
    assert (scale.low, scale.high) == pytest.approx((low, high))
    assert scale.ticks == pytest.approx(ticks)


def test_the_scale_maps_effects_linearly_onto_the_plot():
    scale = axis_scale([-0.5, 1.5], 200, 600)
    assert (scale.low, scale.high) == (-0.5, 1.5)
    assert scale.x(-0.5) == 200 and scale.x(1.5) == 600
    assert scale.x(0) == pytest.approx(300)
    assert scale.x(0.5) == pytest.approx(400)


OUTCOME = {
    "outcome": "Fewer <tantrums> & rows",
    "rows": [
        {
            "study": "s1",
            "study_label": "Study 1",
            "g": 0.5,
            "ci_low": 0.1,
            "ci_high": 0.9,
            "weight": 75.0,
        },
        {
            "study": "s2",
            "study_label": "Study <2>",
            "g": -0.2,
            "ci_low": -0.8,
            "ci_high": 0.4,
            "weight": 25.0,
        },
    ],
    "pooled": {
        "k": 2,
        "level": 0.95,
        "estimate": 0.33,
        "ci_low": -0.05,
        "ci_high": 0.71,
        "p_value": 0.09,
        "tau2": 0.04,
        "i2": 62.0,
        "pi_low": -0.4,
        "pi_high": 1.06,
    },
}


def _plot(outcome=OUTCOME) -> tuple[ET.Element, Any]:
    svg = ET.fromstring(forest_svg(outcome, "f1"))
    layout = Layout()
    xs = [r["ci_low"] for r in outcome["rows"]] + [r["ci_high"] for r in outcome["rows"]]
    scale = axis_scale(
        [*xs, outcome["pooled"]["ci_low"], outcome["pooled"]["ci_high"]],
        layout.plot_left,
        layout.plot_right,
    )
    return svg, scale


def test_the_diamond_spans_the_pooled_interval_and_peaks_at_the_estimate():
    svg, scale = _plot()
    points = svg.find(f".//{SVG}polygon[@class='pooled']").get("points").split()
    xs = [float(p.split(",")[0]) for p in points]
    assert min(xs) == pytest.approx(scale.x(-0.05), abs=0.06)
    assert max(xs) == pytest.approx(scale.x(0.71), abs=0.06)
    assert xs[1] == xs[3] == pytest.approx(scale.x(0.33), abs=0.06)


def test_each_study_line_spans_its_interval_around_its_square():
    svg, scale = _plot()
    for group, row in zip(svg.findall(f".//{SVG}g[@class='study']"), OUTCOME["rows"], strict=True):
        line = group.find(f"{SVG}line[@class='interval']")
        assert float(line.get("x1")) == pytest.approx(scale.x(row["ci_low"]), abs=0.06)
        assert float(line.get("x2")) == pytest.approx(scale.x(row["ci_high"]), abs=0.06)
        square = group.find(f"{SVG}rect")
        centre = float(square.get("x")) + float(square.get("width")) / 2
        assert centre == pytest.approx(scale.x(row["g"]), abs=0.1)
    sides = [float(g.find(f"{SVG}rect").get("width")) for g in svg.findall(f".//{SVG}g")]
    assert sides[0] > sides[1]  # the heavier study has the larger square


def test_the_no_effect_line_sits_at_zero_and_the_text_is_escaped():
    svg, scale = _plot()
    line = svg.find(f".//{SVG}line[@class='no-effect']")
    assert float(line.get("x1")) == pytest.approx(scale.x(0), abs=0.06)
    assert svg.find(f"{SVG}title").text == "Forest plot: Fewer <tantrums> & rows"
    assert "Study <2>" in [t.text for t in svg.iter(f"{SVG}text")]
    assert "<tantrums>" not in forest_svg(OUTCOME, "f1")


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (0.456, 2, "0.46"),
        (-0.456, 2, "\u22120.46"),
        (-0.001, 2, "0.00"),
        (-0.4, 0, "0"),
        (12.6, 0, "13"),
    ],
)
def test_numbers_print_with_a_true_minus_and_never_minus_zero(value, places, text):
    assert signed(value, places) == text


@pytest.mark.parametrize(
    ("g", "points"), [(0.0, "0"), (0.25, "+10"), (-0.25, "\u221210"), (0.01, "0")]
)
def test_the_improvement_index_matches_the_wwc_formula(g, points):
    assert percentile_points(improvement_index(g)) == points


@pytest.mark.parametrize(
    ("p_value", "tau2", "i2", "k", "expected"),
    [
        (
            0.01,
            0.0,
            0.0,
            6,
            ["statistically significant at the 5% level (p = 0.010)", "no more than chance"],
        ),
        (0.2, 0.02, 20.0, 6, ["do not show an effect", "Heterogeneity is low: about 20%"]),
        (0.0001, 0.1, 40.0, 6, ["(p < 0.001)", "Heterogeneity is moderate"]),
        (0.03, 0.1, 60.0, 6, ["Heterogeneity is substantial"]),
        (0.03, 0.3, 90.0, 2, ["Heterogeneity is considerable", "With only 2 studies"]),
    ],
)
def test_the_pooled_estimate_is_described_in_words(p_value, tau2, i2, k, expected):
    pooled = dict(OUTCOME["pooled"], p_value=p_value, tau2=tau2, i2=i2, k=k)
    text = " ".join(pooled_sentences(dict(OUTCOME, pooled=pooled), 0.05))
    for fragment in expected:
        assert fragment in text
    assert ("With only" in text) is (k < 5)
    assert "prediction interval" in text


# --- Impossible statistics at every edge ---------------------------------------------------

IMPOSSIBLE = [
    ({**STUDY_1_COUNTS, "events_treatment": 40}, "statistics.events_treatment"),
    ({**STUDY_2_MEANS, "sd_treatment": -1.0}, "statistics.sd_treatment"),
    (
        {"type": "p", "p": 1.5, "n_treatment": 30, "n_comparison": 30, "favours_treatment": True},
        "statistics.p",
    ),
    (
        {**STUDY_3_T, "cluster": {"intraclass_correlation": 1.2, "mean_cluster_size": 5}},
        "statistics.cluster.intraclass_correlation",
    ),
]


@pytest.mark.parametrize(("statistics", "field"), IMPOSSIBLE)
def test_the_admin_form_refuses_impossible_statistics(ipp, statistics, field):
    finding = Finding.objects.filter(study__programme=ipp).first()
    finding.statistics = statistics
    with pytest.raises(ValidationError) as caught:
        finding.full_clean()
    [message] = caught.value.message_dict["statistics"]
    assert f"finding '{finding.key}': field '{field}'" in message


@pytest.mark.parametrize(("statistics", "field"), IMPOSSIBLE)
def test_importing_impossible_statistics_writes_nothing(db, ipp_data, tmp_path, statistics, field):
    data = forest_programme_data(ipp_data)
    data["studies"][2]["findings"][0]["statistics"] = statistics
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stdout=StringIO())
    assert f"studies[2].findings[0].{field}" in str(caught.value)
    assert not Programme.objects.exists()


def test_rating_impossible_statistics_exits_2_naming_the_field(ipp_data, tmp_path, capsys):
    data = forest_programme_data(ipp_data)
    data["studies"][0]["findings"][0]["statistics"] = IMPOSSIBLE[0][0]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        guidebook_main(["rate", str(path)])
    assert caught.value.code == 2
    assert "studies[0].findings[0].statistics.events_treatment" in capsys.readouterr().err


def test_the_fixture_programme_is_rated_from_its_statistics(ipp_data):
    from guidebook.evidence.record_json import programme_from_dict

    effects = programme_effects(programme_from_dict(forest_programme_data(ipp_data)))
    assert [f.judged.source for f in effects.findings if f.finding.beneficiary == "child"] == [
        "statistics"
    ] * 4
