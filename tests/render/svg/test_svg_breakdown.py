"""The breakdown chart's segments are proportional to the cost lines, and names are escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from costcalc.render.svg.breakdown import breakdown_chart
from tests.render.svg.chart_reading import NS


def test_breakdown_segments_are_proportional():
    text = breakdown_chart({"A": {"gpu_rental": 300.0, "labour": 100.0}, "B": {"output": 200.0, "discount": -20.0}})
    root = ET.fromstring(text)
    seg = {
        (r.get("data-option"), r.get("data-line")): float(r.get("width"))
        for r in root.findall("s:rect[@class='segment']", NS)
    }
    assert set(seg) == {("A", "gpu_rental"), ("A", "labour"), ("B", "output")}
    assert seg[("A", "gpu_rental")] == pytest.approx(3 * seg[("A", "labour")], abs=0.02)
    assert seg[("B", "output")] == pytest.approx(2 * seg[("A", "labour")], abs=0.02)


def test_markup_in_an_option_name_is_escaped():
    text = breakdown_chart({"<b>&</b>": {"labour": 1.0}})
    ET.fromstring(text)  # well-formed even with markup in an option name
    assert "<b>" not in text
