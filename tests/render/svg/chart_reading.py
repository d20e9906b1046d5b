"""Reading a chart's SVG back: its namespace, and pixels recomputed from the ranges the chart declares."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

NS = {"s": "http://www.w3.org/2000/svg"}


def x_at(root: ET.Element, value: float) -> float:
    """Recompute a log-scale x from the chart's own declared ranges."""
    lo, hi = float(root.get("data-x-min")), float(root.get("data-x-max"))
    left, right = float(root.get("data-plot-left")), float(root.get("data-plot-right"))
    return left + (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (right - left)


def y_at(root: ET.Element, value: float) -> float:
    """Recompute a y (log or linear, as the chart declares) from its declared ranges."""
    lo, hi = float(root.get("data-y-min")), float(root.get("data-y-max"))
    top, bottom = float(root.get("data-plot-top")), float(root.get("data-plot-bottom"))
    if root.get("data-y-scale") == "log":
        t = (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    else:
        t = (value - lo) / (hi - lo)
    return bottom + t * (top - bottom)
