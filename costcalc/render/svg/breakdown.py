"""The breakdown chart: a stacked bar of cost lines per option, its total at the end, the lines' legend."""

from __future__ import annotations

from costcalc.render.escape import xml as escape
from costcalc.render.numbers import LINE_LABELS, money
from costcalc.render.svg.canvas import (
    NAME_SIZE,
    PAD_LEFT,
    PAD_RIGHT,
    PAD_TOP,
    WIDTH,
    data_num,
    fmt,
    open_svg,
    text_element,
)
from costcalc.render.svg.colors import line_colors
from costcalc.render.svg.labels import fit
from costcalc.render.svg.legends import legend_svg
from costcalc.render.svg.scales import LinearScale
from costcalc.render.text_metrics import text_width


def breakdown_chart(
    breakdowns: dict[str, dict[str, float]],
    *,
    title: str = "Monthly cost by line, per option",
    width: float = WIDTH,
    currency: str = "USD",
) -> str:
    """Horizontal stacked bars, one per option (its name above it) with its monthly total at the end; the legend
    of cost lines below the bars, outside the data."""
    line_color = line_colors(breakdowns)
    bar_h, label_h, gap = 24.0, 18.0, 12.0
    left = PAD_LEFT / 3
    notes = {name: _total_note(b, currency) for name, b in breakdowns.items()}
    widest_note = max((text_width(n, NAME_SIZE) for n in notes.values()), default=0.0)
    right = width - PAD_RIGHT - widest_note - 6
    legend, legend_h = legend_svg(
        [(LINE_LABELS.get(k, k), c) for k, c in line_color.items()],
        x0=left,
        y0=PAD_TOP + len(breakdowns) * (label_h + bar_h + gap) + 10,
        width=width - left - PAD_RIGHT,
    )
    height = PAD_TOP + len(breakdowns) * (label_h + bar_h + gap) + 10 + legend_h + 8
    x_hi = max((sum(v for v in b.values() if v > 0) for b in breakdowns.values()), default=1.0) or 1.0
    sx = LinearScale(0.0, x_hi, left, right)
    extra = f' data-x-max="{data_num(x_hi)}" data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
    out = open_svg("breakdown", title, width=width, height=height, extra=extra)
    y = PAD_TOP
    for name, b in breakdowns.items():
        out.append(
            text_element(left, y + 13, fit(name, width - left - PAD_RIGHT, NAME_SIZE), anchor="start", size=NAME_SIZE)
        )
        y += label_h
        x = left
        for k in line_color:
            v = b.get(k, 0.0)
            if v <= 0:
                continue
            w = sx(v) - sx(0)
            out.append(
                f'<rect class="segment" data-option="{escape(name)}" data-line="{escape(k)}" data-usd="{data_num(v)}"'
                f' x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(bar_h)}" fill="{line_color[k]}">'
                f"<title>{escape(LINE_LABELS.get(k, k))}: {money(v, currency)}/month</title></rect>"
            )
            x += w
        out.append(
            text_element(
                x + 6,
                y + bar_h / 2 + 4,
                notes[name],
                anchor="start",
                size=NAME_SIZE,
                cls="total",
                attrs=f'data-option="{escape(name)}" data-usd="{data_num(sum(b.values()))}"',
            )
        )
        y += bar_h + gap
    out += legend
    out.append("</svg>")
    return "\n".join(out)


def _total_note(b: dict[str, float], currency: str) -> str:
    net = sum(b.values())
    savings = sum(v for v in b.values() if v < 0)
    return money(net, currency) + (f" after {money(-savings, currency)} off" if savings < 0 else "")
