"""Deck-ready charts: no label overlaps another or runs off the drawing, for every example, chart and width.

Boxes come from the SVG's own coordinates and DejaVu Sans widths (tests/support/svg_boxes.py); the browser
test checks the same in Chromium with getBBox().
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from costcalc.analysis.run import evaluate
from costcalc.analysis.sensitivity import Tornado
from costcalc.render import chart
from costcalc.render.numbers import LINE_LABELS, money
from costcalc.render.svg.canvas import PHONE_WIDTH, WIDTH
from costcalc.render.svg.colors import line_colors
from costcalc.render.svg.cost_volume import Marker, cost_volume_chart
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import ScenarioSource
from tests.support.svg_boxes import outside, overlapping, text_boxes

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
DAY = dt.date(2026, 12, 5)
LONG_TORNADO = Tornado(
    rows=(
        ("options[Llama 3.3 70B on owned H100s in our own data centre].operations.engineer_hours_per_month", -9e3, 2e3),
        ("options[Llama 3.3 70B on owned H100s].hardware.gpus_per_replica", -8.5e3, -5.9e3),
        ("workload.requests_per_day", -6.1e3, -5.5e3),
        ("options[GPT-5 mini API].prices.output_usd_per_mtok", -5.9e3, -5.7e3),
    ),
    base=-5_783.0,
    metric="what self-hosting saves over 36 months (best API minus best self-hosted)",
    savings=True,  # ranges in words ("from costing $9k more to saving $2k"): the longest labels
)


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def analysis(request):
    return evaluate(ScenarioSource.load(str(request.param)).build(), PriceSource(()), today=DAY)


def _check(document: str) -> None:
    boxes, (width, height) = text_boxes(document)
    assert boxes, "no text found"
    assert overlapping(boxes) == []
    assert outside(boxes, width, height) == []


@pytest.mark.parametrize("kind", chart.KINDS)
@pytest.mark.parametrize("width", [WIDTH, PHONE_WIDTH, chart.SLIDE_WIDTH])
def test_no_label_overlaps_or_is_clipped(analysis, kind: str, width: float) -> None:
    curves = analysis.curves() if kind == "breakeven" else None
    one = chart.chart_svg(analysis.result, kind, width=width, curves=curves, tornado=LONG_TORNADO)
    _check(one)


@pytest.mark.parametrize("kind", chart.KINDS)
def test_chart_file_has_title_legend_and_no_overlap(analysis, kind: str) -> None:
    curves = analysis.curves() if kind == "breakeven" else None
    document = chart.document(analysis.result, kind, curves=curves, tornado=LONG_TORNADO)
    _check(document)
    texts = [t.text for t in text_boxes(document)[0]]
    assert texts[0] == analysis.result.scenario
    if kind in ("breakeven", "cumulative"):  # the legend names every option, below the chart
        assert {o.name for o in analysis.result.options} <= set(texts)


def test_breakdown_shows_totals_and_keeps_its_legend_below_the_bars(analysis) -> None:
    root = ET.fromstring(chart.chart_svg(analysis.result, "breakdown"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    totals = {t.get("data-option"): "".join(t.itertext()) for t in root.findall("s:text[@class='total']", ns)}
    for o in analysis.result.options:
        assert totals[o.name].startswith(money(o.monthly_cost, analysis.result.currency))
    lowest_bar = max(float(r.get("y")) + float(r.get("height")) for r in root.findall("s:rect[@class='segment']", ns))
    swatches = root.findall("s:rect[@class='swatch']", ns)
    assert swatches and min(float(s.get("y")) for s in swatches) > lowest_bar


def test_every_cost_line_has_its_own_colour() -> None:
    every = {"A": {k: 1.0 for k in LINE_LABELS}}
    colours = line_colors(every)
    assert len(colours) == len(LINE_LABELS) and len(set(colours.values())) == len(LINE_LABELS)


def test_crowded_break_even_labels_step_aside() -> None:
    # five markers within a few pixels of each other: every label still finds its own place
    volumes = [1e6 * 10 ** (i / 10) for i in range(41)]
    costs = {"API": [v * 1e-3 for v in volumes], "Self": [2e3] * 41}
    markers = [Marker(f"S{i}", "API", 2e6 * (1 + i / 50), 2e3) for i in range(5)]
    text = cost_volume_chart(volumes, costs, current_volume=2.1e6, markers=markers, width=PHONE_WIDTH)
    _check(text)
    root = ET.fromstring(text)
    labels = root.findall("{http://www.w3.org/2000/svg}text[@class='break-even-label']")
    assert len(labels) == 5


def test_axes_read_in_money_and_tokens(analysis) -> None:
    text = chart.chart_svg(analysis.result, "breakeven", curves=analysis.curves())
    ticks = [t.text for t in text_boxes(text)[0]]
    assert any(t.endswith(("M", "B", "T")) for t in ticks) and any(t.startswith("$") for t in ticks)
    assert not any("e+" in t or "^" in t for t in ticks)
