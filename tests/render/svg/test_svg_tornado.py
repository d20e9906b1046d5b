"""The tornado chart: bars from the base to each case, which end is which, savings in words, long labels on a phone."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from costcalc.render.svg.canvas import PAD_RIGHT, PHONE_WIDTH
from costcalc.render.svg.tornado import tornado_chart
from costcalc.render.text_metrics import text_width
from tests.render.svg.chart_reading import NS


def test_tornado_bars_run_from_low_to_high_case():
    rows = [("a", 100.0, 300.0), ("b", 250.0, 150.0)]
    root = ET.fromstring(tornado_chart(rows, base=200.0))
    lo, hi = float(root.get("data-x-min")), float(root.get("data-x-max"))
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    bars = {b.get("data-input"): b for b in root.findall("s:rect[@class='bar']", NS)}
    assert [b.get("data-input") for b in root.findall("s:rect[@class='bar']", NS)] == [
        "a",
        "b",
    ]  # largest first
    assert float(bars["b"].get("x")) == pytest.approx(x(150.0), abs=0.01)
    assert float(bars["b"].get("width")) == pytest.approx(x(250.0) - x(150.0), abs=0.02)
    base = root.find("s:line[@class='base']", NS)
    assert float(base.get("x1")) == pytest.approx(x(200.0), abs=0.01)


def test_tornado_says_which_end_of_a_bar_is_the_inputs_low_case():
    # "a" lowers the result at its low case (100 < base 200), "b" raises it (250); "c" moves it up both ways, its
    # low case less (220) than its high case (260)
    rows = [("a", 100.0, 300.0), ("b", 250.0, 150.0), ("c", 220.0, 260.0)]
    root = ET.fromstring(tornado_chart(rows, base=200.0))
    lo, hi = float(root.get("data-x-min")), float(root.get("data-x-max"))
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    texts = [t.text for t in root.iter(f"{{{NS['s']}}}text")]
    swatches = {float(r.get("x")): r.get("fill") for r in root.findall("s:rect[@class='swatch']", NS)}
    legend = dict(zip(texts[:2], [swatches[k] for k in sorted(swatches)]))  # the legend, first, left to right
    assert set(legend) == {"Input at its low case", "Input at its high case"}
    assert legend["Input at its low case"] != legend["Input at its high case"]
    for name, low, high in rows:
        for case, value in (("low", low), ("high", high)):
            (seg,) = [r for r in root.findall(f"s:rect[@class='case case-{case}']", NS) if r.get("data-input") == name]
            assert seg.get("fill") == legend[f"Input at its {case} case"]
            ends = sorted((x(200.0), x(value)))  # from the base to this case's result
            assert float(seg.get("x")) == pytest.approx(ends[0], abs=0.01)
            assert float(seg.get("width")) == pytest.approx(max(ends[1] - ends[0], 1), abs=0.02)
    # the shorter segment of "c" (its low case) is drawn after the longer, so it shows on top
    order = [
        r.get("class") for r in root.findall("s:rect", NS) if r.get("data-input") == "c" and "case" in r.get("class")
    ]
    assert order == ["case case-high", "case case-low"]


def test_tornado_of_savings_says_what_self_hosting_saves_or_costs_more():
    rows = [("Llama 3.3 70B: minimum replicas", -320e3, -215e3), ("Requests per day", -9e3, 2e3), ("x", 84e3, 160e3)]
    root = ET.fromstring(tornado_chart(rows, base=-215e3, savings=True))
    texts = [t.text for t in root.iter(f"{{{NS['s']}}}text")]
    assert "Llama 3.3 70B: minimum replicas" in texts
    assert "costs $320k to $215k more" in texts  # left to right: the dearer end first
    assert "from costing $9k more to saving $2k" in texts
    assert "saves $84k to $160k" in texts
    assert "base: self-hosting costs $215k more" in texts
    assert not any(t.startswith("-") or " -$" in t for t in texts)  # no signed money left


def test_a_long_tornado_label_goes_on_two_lines_on_a_phone_keeping_the_input_whole():
    """At PHONE_WIDTH the label 'gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)' was
    cut in the middle ('gpt-oss-20b on a rente…ainst its estimate (9-in-10 range)'): "throughput" did not show."""
    name = "gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)"
    rows = [(name, 100.0, 300.0), ("Requests per day", 150.0, 250.0)]
    root = ET.fromstring(tornado_chart(rows, base=200.0, width=PHONE_WIDTH))
    texts = [(t.text, float(t.get("y"))) for t in root.iter(f"{{{NS['s']}}}text") if t.get("font-size") == "11"]
    ys = dict(texts)  # each line whole: the option's name, then its input
    assert "gpt-oss-20b on a rented L40S:" in ys and "throughput against its estimate (9-in-10 range)" in ys
    second = ys["throughput against its estimate (9-in-10 range)"]
    assert second > ys["gpt-oss-20b on a rented L40S:"]
    first_bar = root.find("s:rect[@class='bar']", NS)
    assert float(first_bar.get("y")) > second  # the bar sits under both lines
    right = PHONE_WIDTH - PAD_RIGHT
    for text, _ in texts:  # every label fits the chart
        assert text_width(text, 11) <= right, text
    # the wide chart keeps it on one line
    wide = ET.fromstring(tornado_chart(rows, base=200.0))
    assert name in [t.text for t in wide.iter(f"{{{NS['s']}}}text")]
