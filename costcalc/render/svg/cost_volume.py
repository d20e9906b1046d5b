"""The cost-versus-volume chart: a log-log line per option, break-even markers, today's volume."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from costcalc.render.escape import xml as escape
from costcalc.render.numbers import short_money, tokens
from costcalc.render.svg.axes import plot_box, x_ticks, y_ticks, y_title
from costcalc.render.svg.canvas import (
    HEIGHT,
    LABEL_SIZE,
    WIDTH,
    axes_frame,
    axis_break,
    curve,
    data_num,
    fmt,
    open_svg,
    text_element,
)
from costcalc.render.svg.colors import PALETTE, darker
from costcalc.render.svg.labels import MARKER_R, Labels, around, circle_box
from costcalc.render.svg.scales import LogScale

ZERO_BAND = 26.0  # px under the log axis for its $0 line, where an option costs $0 (a free API)
ZERO_LINE_INSET = 8.0  # px from the plot's bottom edge to the $0 line


@dataclass(frozen=True)
class Marker:
    """A break-even point: `option` becomes cheaper than `versus` at `volume` (tokens/month), costing `cost`."""

    option: str
    versus: str
    volume: float
    cost: float


def cost_volume_chart(
    volumes: Sequence[float],
    costs: dict[str, Sequence[float]],
    *,
    current_volume: float,
    markers: Sequence[Marker] = (),
    colors: dict[str, str] | None = None,
    title: str = "Monthly cost versus monthly volume",
    currency: str = "USD",
    width: float = WIDTH,
) -> str:
    """Log-log chart: one polyline per option, break-even markers, the scenario's volume as a vertical line; a cost of
    $0 on a $0 line under the log axis, past a break mark (a log axis has no $0).

    Every element carries data-* attributes (data-volume, data-option) and the root the plot box and
    ranges (data-x-min, data-x-max, data-plot-left, data-plot-right), so a test can check positions.
    A break-even marker and its label take the option's colour; labels sit where they touch nothing.
    """
    colors = colors or {}
    x_lo, x_hi = float(min(volumes)), float(max(volumes))
    positive = [c for series in costs.values() for c in series if c > 0]
    y_lo = min(positive) / 1.5 if positive else 1.0
    y_hi = max(positive) * 1.5 if positive else 10.0
    # a log axis has no $0: a cost of $0 (a free API) is drawn on a $0 line of its own under the log axis, past a break
    free = any(c <= 0 for series in costs.values() for c in series) or any(m.cost <= 0 for m in markers)
    left, right, top, bottom = plot_box(width, HEIGHT, money_ticks=(y_lo, y_hi), currency=currency)
    zero_y = bottom - ZERO_LINE_INSET
    sx, sy = LogScale(x_lo, x_hi, left, right), LogScale(y_lo, y_hi, bottom - ZERO_BAND if free else bottom, top)

    def y_of(cost: float) -> float:
        return sy(cost) if cost > 0 else zero_y if free else sy(y_lo)

    extra = (
        f' data-x-min="{data_num(x_lo)}" data-x-max="{data_num(x_hi)}" data-y-min="{data_num(y_lo)}"'
        f' data-y-max="{data_num(y_hi)}" data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
        f' data-plot-top="{fmt(top)}" data-plot-bottom="{fmt(bottom)}" data-x-scale="log" data-y-scale="log"'
        + (f' data-zero-y="{fmt(zero_y)}" data-log-bottom="{fmt(bottom - ZERO_BAND)}"' if free else "")
    )
    out = open_svg("cost-volume", title, width=width, extra=extra)
    out.append(axes_frame(left, right, bottom, top))
    x_ticks(out, sx.ticks(), sx, tokens, top, bottom, width)
    y_ticks(
        out,
        ([0.0] if free else []) + (sy.ticks() if positive else []),
        y_of,
        lambda v: short_money(v, currency),
        left,
        right,
    )
    if free:
        out.append(axis_break(left, bottom - (ZERO_BAND + ZERO_LINE_INSET) / 2))
    out.append(text_element((left + right) / 2, HEIGHT - 8, "tokens per month (log scale)", size=12))
    out.append(y_title(f"{currency} per month (log)", top, bottom))
    drawn: set[str] = set()
    for i, (name, series) in enumerate(costs.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        pts = " ".join(f"{fmt(sx(v))},{fmt(y_of(c))}" for v, c in zip(volumes, series))
        out.append(curve(escape(name), pts, color, drawn))
    cx = sx(current_volume)
    out.append(
        f'<line class="current-volume" data-volume="{data_num(current_volume)}" x1="{fmt(cx)}" y1="{fmt(top)}"'
        f' x2="{fmt(cx)}" y2="{fmt(bottom)}" stroke="#222" stroke-width="1.5" stroke-dasharray="5 4"/>'
    )
    shown = [m for m in markers if x_lo <= m.volume <= x_hi]
    points = [(sx(m.volume), y_of(m.cost)) for m in shown]
    labels = Labels((left + 2, top + 2, right - 2, bottom - 2), [circle_box(x, y) for x, y in points])
    today = f"today: {tokens(current_volume)}"
    spot = labels.place(
        today,
        LABEL_SIZE,
        [(cx + 4, top + 14 + k * 14, "start") for k in range(6)]
        + [(cx - 4, top + 14 + k * 14, "end") for k in range(6)],
    )
    if spot is not None:
        out.append(text_element(spot[0], spot[1], today, anchor=spot[2], size=LABEL_SIZE, cls="today-label", halo=True))

    def marker_color(name: str) -> str:
        return colors.get(name) or (PALETTE[list(costs).index(name) % len(PALETTE)] if name in costs else "#111")

    for m, (x, y) in zip(shown, points):
        out.append(
            f'<circle class="break-even" data-option="{escape(m.option)}" data-versus="{escape(m.versus)}"'
            f' data-volume="{data_num(m.volume)}" data-cost="{data_num(m.cost)}" cx="{fmt(x)}" cy="{fmt(y)}"'
            f' r="{fmt(MARKER_R)}" fill="#fff" stroke="{marker_color(m.option)}" stroke-width="2.5">'
            f"<title>{escape(m.option)} cheaper than {escape(m.versus)} above {tokens(m.volume)} tokens/month</title>"
            "</circle>"
        )
    for m, (x, y) in zip(shown, points):
        label = f"break-even {tokens(m.volume)}"
        spot = labels.place(label, LABEL_SIZE, around(x, y, MARKER_R, LABEL_SIZE))
        if spot is None:  # crowded: the shorter form
            label = tokens(m.volume)
            spot = labels.place(label, LABEL_SIZE, around(x, y, MARKER_R, LABEL_SIZE))
        if spot is not None:
            out.append(
                text_element(
                    spot[0],
                    spot[1],
                    label,
                    anchor=spot[2],
                    size=LABEL_SIZE,
                    cls="break-even-label",
                    halo=True,
                    fill=darker(marker_color(m.option)),
                    attrs=f'data-option="{escape(m.option)}"',
                )
            )
    out.append("</svg>")
    return "\n".join(out)
