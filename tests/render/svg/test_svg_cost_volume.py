"""The cost-volume chart holds its data: markers at the computed volumes, lines at the computed costs, ticks inside."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from costcalc.api import analyze
from costcalc.render.report_html import break_even_markers
from costcalc.render.svg.cost_volume import cost_volume_chart
from costcalc.render.text_metrics import text_box
from tests.render.svg.chart_reading import NS, x_at, y_at


def _cost_chart(result, curves) -> ET.Element:
    text = cost_volume_chart(
        list(curves.tokens_per_month),
        {k: list(v) for k, v in curves.monthly_cost.items()},
        current_volume=curves.current_tokens_per_month,
        markers=break_even_markers(result),
    )
    return ET.fromstring(text)


def test_break_even_marker_sits_at_the_computed_volume(base_analysed):
    result, curves = base_analysed
    root = _cost_chart(result, curves)
    markers = root.findall("s:circle[@class='break-even']", NS)
    be = result.headline_break_even("Rented GPUs")
    # $2,460 / $0.002 per request = 1.23M requests/month x 1,250 tokens
    assert be.tokens_per_month == pytest.approx(1_230_000 * 1250)
    rented = [m for m in markers if m.get("data-option") == "Rented GPUs"]
    assert len(rented) == 1
    m = rented[0]
    assert float(m.get("data-volume")) == pytest.approx(be.tokens_per_month, rel=1e-12)
    assert float(m.get("cx")) == pytest.approx(x_at(root, be.tokens_per_month), abs=0.01)
    # it sits on the API's line: the API costs $0.002 x 1.23M = $2,460 there
    assert float(m.get("data-cost")) == pytest.approx(2460.0)
    assert float(m.get("cy")) == pytest.approx(y_at(root, 2460.0), abs=0.01)


def test_todays_volume_is_a_vertical_line(base_analysed):
    result, curves = base_analysed
    root = _cost_chart(result, curves)
    line = root.find("s:line[@class='current-volume']", NS)
    v = result.workload.tokens_per_month
    assert float(line.get("data-volume")) == pytest.approx(v)
    assert float(line.get("x1")) == float(line.get("x2")) == pytest.approx(x_at(root, v), abs=0.01)


def test_each_option_is_a_polyline_through_its_costs(base_analysed):
    result, curves = base_analysed
    root = _cost_chart(result, curves)
    lines = {p.get("data-option"): p for p in root.findall("s:polyline[@class='curve']", NS)}
    assert set(lines) == {o.name for o in result.options}
    pts = [tuple(map(float, p.split(","))) for p in lines["Explicit API"].get("points").split()]
    assert len(pts) == len(curves.tokens_per_month)
    i = len(pts) // 2
    assert pts[i][0] == pytest.approx(x_at(root, curves.tokens_per_month[i]), abs=0.01)
    assert pts[i][1] == pytest.approx(y_at(root, curves.monthly_cost["Explicit API"][i]), abs=0.01)


def test_never_break_even_has_no_marker(base_scenario, today):
    data = copy.deepcopy(base_scenario)
    data["options"][1]["hardware"]["hourly_usd"] = 500.0
    result = analyze(data, today=today)
    assert all(m.option != "Rented GPUs" for m in break_even_markers(result))


@pytest.mark.parametrize("width", [360, 720])
def test_volume_tick_labels_stay_inside_the_chart(width):
    # the support-assistant example's volume axis ran to 1.08e15 tokens/month after the 402-row refit: its last tick
    # label, '1,000T' centred on the plot's right end, reached 1.7 px past a 360 px (phone) chart
    volumes = [3.27e8, 1.082e15]
    text = cost_volume_chart(volumes, {"A": [30.0, 6.6e8]}, current_volume=1e9, width=width)
    ticks = [t for t in ET.fromstring(text).iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "tick"]
    assert ticks
    for t in ticks:
        left, _, right, _ = text_box(
            float(t.get("x")), float(t.get("y")), t.text, float(t.get("font-size")), t.get("text-anchor")
        )
        assert 0 <= left and right <= width, t.text


def test_an_option_of_the_same_cost_as_an_earlier_one_is_drawn_dashed_over_it():
    # qa23: two options of equal cost (init's GPT-6 Luna and Claude Haiku 5.5) drew B's line exactly over A's: the
    # legend named A, the chart never showed it; the second is now dashed, so A's colour shows in its gaps
    volumes = [1e6, 1e7, 1e8]
    text = cost_volume_chart(
        volumes, {"A": [1.0, 10.0, 100.0], "B": [1.0, 10.0, 100.0], "C": [5.0, 6.0, 7.0]}, current_volume=1e7
    )
    curves = {c.get("data-option"): c for c in ET.fromstring(text).findall("s:polyline[@class='curve']", NS)}
    assert curves["A"].get("stroke-dasharray") is None and curves["C"].get("stroke-dasharray") is None
    assert curves["B"].get("stroke-dasharray") == "9 7"
    assert curves["B"].get("points") == curves["A"].get("points")


def _ticks(root: ET.Element) -> dict[str, float]:
    """Each y tick label and its baseline (the y axis's labels sit left of the plot, anchored at their end)."""
    return {t.text: float(t.get("y")) for t in root.iter(f"{{{NS['s']}}}text") if t.get("text-anchor") == "end"}


def test_a_free_option_is_drawn_on_a_zero_line_under_the_log_axis():
    # qa23 finding 12: a $0 option (a free API) was drawn at the log axis's floor, beside a tick that read more than
    # $0; it now lies on a line labelled $0 under the log axis, past a break mark, and the paid line stays above it
    text = cost_volume_chart([1e6, 1e7, 1e8], {"Free": [0.0, 0.0, 0.0], "Paid": [2.0, 20.0, 200.0]}, current_volume=1e7)
    root = ET.fromstring(text)
    zero_y = float(root.get("data-zero-y"))
    free = root.find("s:polyline[@data-option='Free']", NS)
    assert {float(p.split(",")[1]) for p in free.get("points").split()} == {zero_y}
    ticks = _ticks(root)
    assert ticks["$0"] == pytest.approx(zero_y + 4)  # the label's baseline, 4 px under its line
    assert all(y < float(root.get("data-log-bottom")) + 4 for label, y in ticks.items() if label != "$0")
    paid = root.find("s:polyline[@data-option='Paid']", NS)
    assert max(float(p.split(",")[1]) for p in paid.get("points").split()) <= float(root.get("data-log-bottom"))
    assert root.findall("s:path[@class='axis-break']", NS)


def test_when_every_option_is_free_the_only_money_tick_is_zero():
    # every option free: the log axis had no data and its ticks read $1 $2 $5 $10 beside lines costing $0
    root = ET.fromstring(cost_volume_chart([0.01, 0.1, 1.0], {"A": [0.0] * 3, "B": [0.0] * 3}, current_volume=0.1))
    assert list(_ticks(root)) == ["$0"]


def test_volumes_below_one_token_and_past_ten_thousand_trillion_read_as_their_values():
    # qa23 findings 12 and 13: the volume ticks under one token read '0 0 0 0 1'; at 3e18 tokens a month the money
    # ticks read '$1,000,000,000B' and the volumes '3,040,000T'
    tiny = ET.fromstring(cost_volume_chart([0.002, 2.0], {"A": [1.0, 5.0]}, current_volume=0.06))
    below = [
        t.text for t in tiny.iter(f"{{{NS['s']}}}text") if t.get("class") == "tick" and t.get("text-anchor") != "end"
    ]
    assert below == ["0.01", "0.1", "1"]
    huge = ET.fromstring(cost_volume_chart([1e17, 1e20], {"A": [1e9, 1e18]}, current_volume=3e18))
    said = [t.text for t in huge.iter(f"{{{NS['s']}}}text")]
    assert "$1e18" in said and "1e18" in said and "$1,000T" in said  # named sizes up to 9,999T
    assert not any(s.count(",") > 1 for s in said)  # no '$1,000,000,000B'
