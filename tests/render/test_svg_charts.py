"""The inline SVG charts hold their data: markers sit at the computed volumes, lines at the computed costs."""

from __future__ import annotations

import copy
import math
import xml.etree.ElementTree as ET

import pytest

from costcalc.analysis.curves import cost_curves
from costcalc.api import analyze, load_scenario, price_book
from costcalc.render import svg
from costcalc.render.report_html import break_even_markers
from costcalc.render.text_metrics import text_box
from costcalc.resolve import resolve_scenario

NS = {"s": "http://www.w3.org/2000/svg"}


def _x(root: ET.Element, value: float) -> float:
    """Recompute a log-scale x from the chart's own declared ranges."""
    lo, hi = float(root.get("data-x-min")), float(root.get("data-x-max"))
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))
    return left + (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (right - left)


def _y(root: ET.Element, value: float) -> float:
    lo, hi = float(root.get("data-y-min")), float(root.get("data-y-max"))
    top, bottom = float(root.get("data-plot-top")), float(root.get("data-plot-bottom"))
    if root.get("data-y-scale") == "log":
        t = (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    else:
        t = (value - lo) / (hi - lo)
    return bottom + t * (top - bottom)


@pytest.fixture
def analysed(base_scenario, today):
    scenario = load_scenario(base_scenario)
    result = analyze(scenario, today=today)
    resolved = resolve_scenario(scenario, price_book(scenario))
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month]
    return result, cost_curves(resolved, include_tokens_per_month=marks)


def _cost_chart(result, curves) -> ET.Element:
    text = svg.cost_volume_chart(
        list(curves.tokens_per_month),
        {k: list(v) for k, v in curves.monthly_cost.items()},
        current_volume=curves.current_tokens_per_month,
        markers=break_even_markers(result),
    )
    return ET.fromstring(text)


def test_break_even_marker_sits_at_the_computed_volume(analysed):
    result, curves = analysed
    root = _cost_chart(result, curves)
    markers = root.findall("s:circle[@class='break-even']", NS)
    be = result.headline_break_even("Rented GPUs")
    # $2,460 / $0.002 per request = 1.23M requests/month x 1,250 tokens
    assert be.tokens_per_month == pytest.approx(1_230_000 * 1250)
    rented = [m for m in markers if m.get("data-option") == "Rented GPUs"]
    assert len(rented) == 1
    m = rented[0]
    assert float(m.get("data-volume")) == pytest.approx(be.tokens_per_month, rel=1e-12)
    assert float(m.get("cx")) == pytest.approx(_x(root, be.tokens_per_month), abs=0.01)
    # it sits on the API's line: the API costs $0.002 x 1.23M = $2,460 there
    assert float(m.get("data-cost")) == pytest.approx(2460.0)
    assert float(m.get("cy")) == pytest.approx(_y(root, 2460.0), abs=0.01)


def test_todays_volume_is_a_vertical_line(analysed):
    result, curves = analysed
    root = _cost_chart(result, curves)
    line = root.find("s:line[@class='current-volume']", NS)
    v = result.workload.tokens_per_month
    assert float(line.get("data-volume")) == pytest.approx(v)
    assert float(line.get("x1")) == float(line.get("x2")) == pytest.approx(_x(root, v), abs=0.01)


def test_each_option_is_a_polyline_through_its_costs(analysed):
    result, curves = analysed
    root = _cost_chart(result, curves)
    lines = {p.get("data-option"): p for p in root.findall("s:polyline[@class='curve']", NS)}
    assert set(lines) == {o.name for o in result.options}
    pts = [tuple(map(float, p.split(","))) for p in lines["Explicit API"].get("points").split()]
    assert len(pts) == len(curves.tokens_per_month)
    i = len(pts) // 2
    assert pts[i][0] == pytest.approx(_x(root, curves.tokens_per_month[i]), abs=0.01)
    assert pts[i][1] == pytest.approx(_y(root, curves.monthly_cost["Explicit API"][i]), abs=0.01)


def test_never_break_even_has_no_marker(base_scenario, today):
    data = copy.deepcopy(base_scenario)
    data["options"][1]["hardware"]["hourly_usd"] = 500.0
    result = analyze(data, today=today)
    assert all(m.option != "Rented GPUs" for m in break_even_markers(result))


def test_payback_marker_on_the_cumulative_chart():
    months = [1, 2, 3, 4]
    text = svg.cumulative_chart(months, {"API": [10, 20, 30, 40], "Owned": [25, 27, 29, 31]}, paybacks={"Owned": 3})
    root = ET.fromstring(text)
    c = root.find("s:circle[@class='payback']", NS)
    assert c.get("data-month") == "3"
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))
    assert float(c.get("cx")) == pytest.approx(left + 3 / 4 * (right - left), abs=0.01)
    assert float(c.get("cy")) == pytest.approx(_y(root, 29.0), abs=0.01)


def test_breakdown_segments_are_proportional():
    text = svg.breakdown_chart({"A": {"gpu_rental": 300.0, "labour": 100.0}, "B": {"output": 200.0, "discount": -20.0}})
    root = ET.fromstring(text)
    seg = {
        (r.get("data-option"), r.get("data-line")): float(r.get("width"))
        for r in root.findall("s:rect[@class='segment']", NS)
    }
    assert set(seg) == {("A", "gpu_rental"), ("A", "labour"), ("B", "output")}
    assert seg[("A", "gpu_rental")] == pytest.approx(3 * seg[("A", "labour")], abs=0.02)
    assert seg[("B", "output")] == pytest.approx(2 * seg[("A", "labour")], abs=0.02)


def test_log_ticks_and_text_are_escaped():
    scale = svg.LogScale(1e6, 1e9, 0, 300)
    assert scale(1e6) == 0 and scale(1e9) == pytest.approx(300) and scale(1e7) == pytest.approx(100)
    assert svg.LogScale(3e6, 2e7, 0, 1).ticks() == [5e6, 1e7, 2e7]
    text = svg.breakdown_chart({"<b>&</b>": {"labour": 1.0}})
    ET.fromstring(text)  # well-formed even with markup in an option name
    assert "<b>" not in text


def test_terminal_chart_marks_today_and_every_option(analysed):
    from costcalc.render.terminal_chart import LABEL_W, MARKS, render

    result, curves = analysed
    text = render(curves, result, width=120)
    rows = [line for line in text.splitlines() if "┤" in line]
    cols = len(rows[0].split("┤", 1)[1])
    lo, hi = math.log10(curves.tokens_per_month[0]), math.log10(curves.tokens_per_month[-1])
    today_col = round((math.log10(result.workload.tokens_per_month) - lo) / (hi - lo) * (cols - 1))
    assert any(r.split("┤", 1)[1][today_col] == "|" for r in rows)
    plot = "".join(r.split("┤", 1)[1] for r in rows)
    for i, o in enumerate(result.options):
        assert MARKS[i] in plot and f"{MARKS[i]} = {o.name}" in text
    assert all(len(r) == LABEL_W + 2 + cols for r in rows)


def test_no_terminal_chart_when_output_is_not_a_terminal(base_scenario, write_yaml, today):
    from typer.testing import CliRunner

    from costcalc.cli import app

    r = CliRunner().invoke(app, ["report", str(write_yaml(base_scenario)), "--today", today.isoformat()])
    assert r.exit_code == 0 and "Rented GPUs" in r.stdout
    assert "Monthly cost vs tokens/month" not in r.stdout


def test_tornado_bars_run_from_low_to_high_case():
    rows = [("a", 100.0, 300.0), ("b", 250.0, 150.0)]
    root = ET.fromstring(svg.tornado_chart(rows, base=200.0))
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
    assert svg.short_money(-400) == "-$400" and svg.short_money(1500) == "$1.5k"
    long = "options[gpt-oss-120b on owned H100s].operations.engineer_hours_per_month"
    cut = svg.shorten(long)
    assert (
        len(cut) == svg.LABEL_CHARS and cut.startswith("options[gpt-oss") and cut.endswith("engineer_hours_per_month")
    )


def test_tornado_says_which_end_of_a_bar_is_the_inputs_low_case():
    # "a" lowers the result at its low case (100 < base 200), "b" raises it (250); "c" moves it up both ways, its
    # low case less (220) than its high case (260)
    rows = [("a", 100.0, 300.0), ("b", 250.0, 150.0), ("c", 220.0, 260.0)]
    root = ET.fromstring(svg.tornado_chart(rows, base=200.0))
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
    root = ET.fromstring(svg.tornado_chart(rows, base=-215e3, savings=True))
    texts = [t.text for t in root.iter(f"{{{NS['s']}}}text")]
    assert "Llama 3.3 70B: minimum replicas" in texts
    assert "costs $320k to $215k more" in texts  # left to right: the dearer end first
    assert "from costing $9k more to saving $2k" in texts
    assert "saves $84k to $160k" in texts
    assert "base: self-hosting costs $215k more" in texts
    assert not any(t.startswith("-") or " -$" in t for t in texts)  # no signed money left
    assert svg.savings_words(0.2) == "breaks even" and svg.savings_words(1500, "EUR") == "saves €1.5k"


def test_a_long_tornado_label_goes_on_two_lines_on_a_phone_keeping_the_input_whole():
    """At PHONE_WIDTH the label 'gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)' was
    cut in the middle ('gpt-oss-20b on a rente…ainst its estimate (9-in-10 range)'): "throughput" did not show."""
    name = "gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)"
    rows = [(name, 100.0, 300.0), ("Requests per day", 150.0, 250.0)]
    root = ET.fromstring(svg.tornado_chart(rows, base=200.0, width=svg.PHONE_WIDTH))
    texts = [(t.text, float(t.get("y"))) for t in root.iter(f"{{{NS['s']}}}text") if t.get("font-size") == "11"]
    ys = dict(texts)  # each line whole: the option's name, then its input
    assert "gpt-oss-20b on a rented L40S:" in ys and "throughput against its estimate (9-in-10 range)" in ys
    second = ys["throughput against its estimate (9-in-10 range)"]
    assert second > ys["gpt-oss-20b on a rented L40S:"]
    first_bar = root.find("s:rect[@class='bar']", NS)
    assert float(first_bar.get("y")) > second  # the bar sits under both lines
    right = svg.PHONE_WIDTH - svg.PAD_RIGHT
    for text, _ in texts:  # every label fits the chart
        assert svg.text_width(text, 11) <= right, text
    # the wide chart keeps it on one line
    wide = ET.fromstring(svg.tornado_chart(rows, base=200.0))
    assert name in [t.text for t in wide.iter(f"{{{NS['s']}}}text")]


@pytest.mark.parametrize("width", [360, 720])
def test_volume_tick_labels_stay_inside_the_chart(width):
    # the support-assistant example's volume axis ran to 1.08e15 tokens/month after the 402-row refit: its last tick
    # label, '1,000T' centred on the plot's right end, reached 1.7 px past a 360 px (phone) chart
    volumes = [3.27e8, 1.082e15]
    text = svg.cost_volume_chart(volumes, {"A": [30.0, 6.6e8]}, current_volume=1e9, width=width)
    ticks = [t for t in ET.fromstring(text).iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "tick"]
    assert ticks
    for t in ticks:
        left, _, right, _ = text_box(
            float(t.get("x")), float(t.get("y")), t.text, float(t.get("font-size")), t.get("text-anchor")
        )
        assert 0 <= left and right <= width, t.text
