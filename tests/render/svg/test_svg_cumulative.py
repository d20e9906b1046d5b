"""The cumulative-cash chart marks a payback month where the option's line reaches it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from costcalc.render.svg.cumulative import cumulative_chart
from tests.render.svg.chart_reading import NS, y_at


def test_payback_marker_on_the_cumulative_chart():
    months = [1, 2, 3, 4]
    text = cumulative_chart(months, {"API": [10, 20, 30, 40], "Owned": [25, 27, 29, 31]}, paybacks={"Owned": 3})
    root = ET.fromstring(text)
    c = root.find("s:circle[@class='payback']", NS)
    assert c.get("data-month") == "3"
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))
    assert float(c.get("cx")) == pytest.approx(left + 3 / 4 * (right - left), abs=0.01)
    assert float(c.get("cy")) == pytest.approx(y_at(root, 29.0), abs=0.01)


def test_an_option_spending_as_an_earlier_one_is_drawn_dashed_over_it():
    # qa23: the second of two equal options hid the first (see test_svg_cost_volume)
    text = cumulative_chart([1, 2, 3], {"A": [10, 20, 30], "B": [10, 20, 30], "C": [5, 6, 7]})
    curves = {c.get("data-option"): c for c in ET.fromstring(text).findall("s:polyline[@class='curve']", NS)}
    assert [curves[n].get("stroke-dasharray") for n in "ABC"] == [None, "9 7", None]
