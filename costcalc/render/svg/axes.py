"""A plotted chart's axes: the plot box, grid lines with tick labels that never touch, the titles."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from costcalc.render.numbers import short_money
from costcalc.render.svg.canvas import (
    LABEL_GAP,
    PAD_BOTTOM,
    PAD_LEFT,
    PAD_RIGHT,
    PAD_TOP,
    TICK_SIZE,
    WIDTH,
    fmt,
    text_element,
)
from costcalc.render.text_metrics import text_box, text_width


def x_ticks(
    out: list[str],
    ticks: Sequence[float],
    at: Callable[[float], float],
    label: Callable[[float], str],
    top: float,
    bottom: float,
    width: float,
) -> None:
    """Vertical grid lines and their labels under the plot, leaving out labels that would touch the previous one
    or reach past the chart's edges (0 to `width`)."""
    last_right = -math.inf
    for v in ticks:
        x = at(v)
        out.append(f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(bottom)}" stroke="#eee"/>')
        box = text_box(x, bottom + 16, label(v), TICK_SIZE, "middle")
        if box[0] >= max(last_right + 2 * LABEL_GAP, 0.0) and box[2] <= width:
            out.append(text_element(x, bottom + 16, label(v), size=TICK_SIZE, cls="tick"))
            last_right = box[2]


def y_ticks(
    out: list[str],
    ticks: Sequence[float],
    at: Callable[[float], float],
    label: Callable[[float], str],
    left: float,
    right: float,
) -> None:
    """Horizontal grid lines and money labels left of the plot, leaving out labels that would touch the previous one."""
    last_top = math.inf
    for v in ticks:
        y = at(v)
        out.append(f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(right)}" y2="{fmt(y)}" stroke="#eee"/>')
        box = text_box(left - 6, y + 4, label(v), TICK_SIZE, "end")
        if box[3] <= last_top - LABEL_GAP:
            out.append(text_element(left - 6, y + 4, label(v), anchor="end", size=TICK_SIZE, cls="tick"))
            last_top = box[1]


def y_title(text: str, top: float, bottom: float) -> str:
    """The y axis's title, turned to read upwards at the chart's left edge."""
    mid = (top + bottom) / 2
    return text_element(14, mid, text, size=12).replace("<text ", f'<text transform="rotate(-90 14 {fmt(mid)})" ', 1)


def plot_box(
    width: float, height: float, *, money_ticks: tuple[float, float], currency: str = "USD"
) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the plot: room on the left for the widest money tick label (render/numbers'
    short_money, as the ticks are written)."""
    widest = max(text_width(short_money(v, currency), TICK_SIZE) for v in money_ticks)
    left = max(PAD_LEFT if width >= WIDTH else 56.0, 30 + widest + 6)
    return left, width - PAD_RIGHT, PAD_TOP, height - PAD_BOTTOM
