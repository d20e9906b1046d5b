"""The cumulative-cash chart: spend per option by month, payback months marked."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.escape import xml as escape
from costcalc.render.numbers import short_money
from costcalc.render.svg.axes import plot_box, x_ticks, y_ticks
from costcalc.render.svg.canvas import (
    HEIGHT,
    LABEL_SIZE,
    WIDTH,
    axes_frame,
    curve,
    data_num,
    fmt,
    open_svg,
    text_element,
)
from costcalc.render.svg.colors import PALETTE
from costcalc.render.svg.labels import MARKER_R, Labels, around, circle_box
from costcalc.render.svg.scales import LinearScale


def cumulative_chart(
    months: Sequence[int],
    cumulative: dict[str, Sequence[float]],
    *,
    paybacks: dict[str, int] | None = None,
    colors: dict[str, str] | None = None,
    title: str = "Cumulative cash spent over the horizon",
    width: float = WIDTH,
    currency: str = "USD",
) -> str:
    """Linear chart of cumulative spend per option by month; payback months marked on the bought options."""
    colors = colors or {}
    paybacks = paybacks or {}
    y_hi = max((max(s) for s in cumulative.values() if len(s)), default=1.0) * 1.05 or 1.0
    left, right, top, bottom = plot_box(width, HEIGHT, money_ticks=(0.0, y_hi), currency=currency)
    x_hi = float(max(months)) if months else 1.0
    sx, sy = LinearScale(0.0, x_hi, left, right), LinearScale(0.0, y_hi, bottom, top)
    extra = (
        f' data-x-min="0.0" data-x-max="{data_num(x_hi)}" data-y-min="0.0" data-y-max="{data_num(y_hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}" data-plot-top="{fmt(top)}"'
        f' data-plot-bottom="{fmt(bottom)}" data-x-scale="linear" data-y-scale="linear"'
    )
    out = open_svg("cumulative", title, width=width, extra=extra)
    out.append(axes_frame(left, right, bottom, top))
    x_ticks(out, sx.ticks(6), sx, lambda v: f"{v:g}", top, bottom, width)
    y_ticks(out, sy.ticks(5), sy, lambda v: short_money(v, currency), left, right)
    out.append(text_element((left + right) / 2, HEIGHT - 8, "month", size=12))
    drawn: set[str] = set()
    for i, (name, series) in enumerate(cumulative.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        pts = " ".join([f"{fmt(sx(0))},{fmt(sy(0))}"] + [f"{fmt(sx(m))},{fmt(sy(c))}" for m, c in zip(months, series)])
        out.append(curve(escape(name), pts, color, drawn))
    marks = []
    for name, month in paybacks.items():
        paid = cumulative.get(name)
        if paid is None or month not in months:
            continue
        marks.append((name, month, sx(month), sy(paid[list(months).index(month)])))
    labels = Labels((left + 2, top + 2, right - 2, bottom - 2), [circle_box(x, y) for _, _, x, y in marks])
    for name, month, x, y in marks:
        out.append(
            f'<circle class="payback" data-option="{escape(name)}" data-month="{month}" cx="{fmt(x)}" cy="{fmt(y)}"'
            f' r="{fmt(MARKER_R)}" fill="#fff" stroke="#111" stroke-width="2"><title>{escape(name)} pays back in'
            f" month {month}</title></circle>"
        )
    for _name, month, x, y in marks:
        for label in (f"payback month {month}", f"month {month}"):
            spot = labels.place(label, LABEL_SIZE, around(x, y, MARKER_R, LABEL_SIZE))
            if spot is not None:
                out.append(
                    text_element(
                        spot[0], spot[1], label, anchor=spot[2], size=LABEL_SIZE, cls="payback-label", halo=True
                    )
                )
                break
    out.append("</svg>")
    return "\n".join(out)
