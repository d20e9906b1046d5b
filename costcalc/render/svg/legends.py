"""Legends: swatch-and-text rows flowing inside an SVG, and the HTML list of option colours."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.escape import xml as escape
from costcalc.render.svg.canvas import NAME_SIZE, fmt, text_element
from costcalc.render.svg.labels import fit
from costcalc.render.text_metrics import text_width


def flow(
    items: Sequence[str], width: float, *, size: float = NAME_SIZE, swatch: float = 12.0
) -> list[tuple[float, int]]:
    """(x, row) of each legend item (swatch + text) flowing left to right in rows no wider than `width`."""
    out, x, row = [], 0.0, 0
    for text in items:
        w = swatch + 6 + text_width(text, size) + 18
        if x > 0 and x + w - 18 > width:
            x, row = 0.0, row + 1
        out.append((x, row))
        x += w
    return out


LEGEND_ROW_H = 22.0


def legend_svg(items: Sequence[tuple[str, str]], *, x0: float, y0: float, width: float) -> tuple[list[str], float]:
    """SVG legend rows (swatch, text) for (text, colour) items, starting at (x0, y0); returns the elements and height."""
    spots = flow([t for t, _ in items], width)
    out = []
    for (text, color), (x, row) in zip(items, spots):
        y = y0 + row * LEGEND_ROW_H
        out.append(f'<rect class="swatch" x="{fmt(x0 + x)}" y="{fmt(y)}" width="12" height="12" fill="{color}"/>')
        label = fit(text, width - x - 18, NAME_SIZE)
        out.append(text_element(x0 + x + 18, y + 11, label, anchor="start", size=NAME_SIZE, cls="legend-label"))
    rows = (max(r for _, r in spots) + 1) if spots else 0
    return out, rows * LEGEND_ROW_H


def legend(names: Sequence[str], colors: dict[str, str]) -> str:
    """An HTML legend (wraps on narrow screens) for the option colours."""
    items = "".join(f'<li><span class="swatch" style="background:{colors[n]}"></span>{escape(n)}</li>' for n in names)
    return f'<ul class="legend">{items}</ul>'
