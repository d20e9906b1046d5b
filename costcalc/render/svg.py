"""Hand-written SVG charts (no JS, no fonts, no network): cost vs volume, cumulative cost, breakdown, tornado.

The same code draws the HTML report's charts and `costcalc chart`'s files. Every label is placed with
text widths from render/text_metrics, so labels do not overlap each other, the markers or the edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from costcalc.render.escape import xml as escape
from costcalc.render.numbers import LINE_LABELS, money, tokens
from costcalc.render.numbers import short_money as currency_money
from costcalc.render.text_metrics import ASCENT_EM, DESCENT_EM, text_box, text_width

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
LINE_PALETTE = (  # cost lines: 15 distinct colours, as many as there are kinds of line (render.numbers.LINE_LABELS)
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#393B79",
    "#AD494A",
    "#637939",
    "#FFBB78",
    "#6B6ECF",
)
WIDTH, HEIGHT = 720.0, 380.0
PHONE_WIDTH = 360.0  # the HTML report's second drawing of each chart, shown on screens up to 600 px wide
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 72.0, 16.0, 16.0, 48.0
TICK_SIZE, LABEL_SIZE, NAME_SIZE = 11, 11, 12  # font sizes (px) of tick labels, marker labels, option names
LABEL_GAP = 3.0  # px kept clear around every label
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\""
LOG_TICK_STEPS = (1.0, 2.0, 5.0)
LABEL_CHARS = 56  # longer labels are cut in the middle (the full text is in each element's <title>)


def fmt(x: float) -> str:
    """A coordinate with at most 2 decimals and no trailing zeros (stable text)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def data_num(x: float) -> str:
    """A value for a data-* attribute: full precision, repr-stable."""
    return repr(float(x))


@dataclass(frozen=True)
class LogScale:
    """Maps [lo, hi] (both > 0) onto pixels [p0, p1] logarithmically."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, v: float) -> float:
        """Pixel of value v."""
        t = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return self.p0 + t * (self.p1 - self.p0)

    def ticks(self) -> list[float]:
        """1-2-5 ticks inside the range (decades only when there are too many)."""
        out = []
        for k in range(math.floor(math.log10(self.lo)), math.ceil(math.log10(self.hi)) + 1):
            for step in LOG_TICK_STEPS:
                v = step * 10.0**k
                if self.lo <= v <= self.hi:
                    out.append(v)
        if len(out) > 8:
            out = [v for v in out if math.isclose(math.log10(v) % 1, 0, abs_tol=1e-9)]
        return out


@dataclass(frozen=True)
class LinearScale:
    """Maps [lo, hi] onto pixels [p0, p1] linearly."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, v: float) -> float:
        """Pixel of value v."""
        span = self.hi - self.lo or 1.0
        return self.p0 + (v - self.lo) / span * (self.p1 - self.p0)

    def ticks(self, n: int = 5) -> list[float]:
        """About n round ticks."""
        span = self.hi - self.lo
        if span <= 0:
            return [self.lo]
        raw = span / n
        mag = 10 ** math.floor(math.log10(raw))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
        first = math.ceil(self.lo / step) * step
        count = math.floor((self.hi - first) / step + 1e-9) + 1
        return [first + i * step for i in range(count)]


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlaps(a: Box, b: Box, gap: float = LABEL_GAP) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _inside(a: Box, bounds: Box) -> bool:
    return a[0] >= bounds[0] and a[2] <= bounds[2] and a[1] >= bounds[1] and a[3] <= bounds[3]


@dataclass
class Labels:
    """Boxes already taken in a chart (labels, markers); finds a free place for the next label."""

    bounds: Box
    taken: list[Box] = field(default_factory=list)

    def free(self, box: Box) -> bool:
        """True when `box` lies inside the bounds and clear of every taken box."""
        return _inside(box, self.bounds) and not any(_overlaps(box, t) for t in self.taken)

    def place(
        self, text: str, size: float, candidates: Sequence[tuple[float, float, str]]
    ) -> tuple[float, float, str] | None:
        """The first (x, baseline y, anchor) among `candidates` where the text fits; None when none does."""
        for x, y, anchor in candidates:
            box = text_box(x, y, text, size, anchor)
            if self.free(box):
                self.taken.append(box)
                return x, y, anchor
        return None


def _around(x: float, y: float, r: float, size: float) -> list[tuple[float, float, str]]:
    """Label positions around a marker of radius r at (x, y): above, below, right, left, then further out."""
    clear = r + 1 + LABEL_GAP + 1  # just outside the marker's box and the gap kept around it
    up, down = y - clear - DESCENT_EM * size, y + clear + ASCENT_EM * size
    side = y + size * 0.35  # baseline that centres the text on the marker
    out = []
    for step in range(8):
        shift = step * (size + 3)
        out += [
            (x, up - shift, "middle"),
            (x, down + shift, "middle"),
            (x + clear, side - shift, "start"),
            (x - clear, side - shift, "end"),
            (x + clear, side + shift, "start"),
            (x - clear, side + shift, "end"),
        ]
    return out


def _open(kind: str, title: str, width: float = WIDTH, height: float = HEIGHT, extra: str = "") -> list[str]:
    return [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}"'
            f' viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width)}" height="{fmt(height)}" role="img"'
            f' aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet"{extra}>'
        ),
        f"<title>{escape(title)}</title>",
    ]


def _axes_frame(x0: float, x1: float, y0: float, y1: float) -> str:
    return (
        f'<rect class="plot-area" x="{fmt(x0)}" y="{fmt(y1)}" width="{fmt(x1 - x0)}" height="{fmt(y0 - y1)}"'
        ' fill="none" stroke="#bbb"/>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    cls: str = "",
    fill: str = "#333",
    halo: bool = False,
    attrs: str = "",
) -> str:
    klass = f' class="{cls}"' if cls else ""
    klass += f" {attrs}" if attrs else ""
    where = f'x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}" font-size="{size}"'
    under = ""
    if halo:  # a white panel under a label drawn over lines
        left, top, right, bottom = text_box(x, y, text, size, anchor)
        under = (
            f'<rect class="halo" x="{fmt(left - 2)}" y="{fmt(top + 1)}" width="{fmt(right - left + 4)}"'
            f' height="{fmt(bottom - top - 2)}" rx="2" fill="#fff" fill-opacity="0.85"/>'
        )
    return f'{under}<text{klass} {where} fill="{fill}" {FONT}>{escape(text)}</text>'


def short_money(usd: float) -> str:
    """Axis money: $1.2k, $35k, $1.1M, -$400."""
    sign, usd = ("-" if usd < 0 else ""), abs(usd)
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if usd >= scale:
            return f"{sign}${usd / scale:,.3g}{unit}"
    return f"{sign}${usd:,.3g}"


def _x_ticks(
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
            out.append(_text(x, bottom + 16, label(v), size=TICK_SIZE, cls="tick"))
            last_right = box[2]


def _y_ticks(
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
            out.append(_text(left - 6, y + 4, label(v), anchor="end", size=TICK_SIZE, cls="tick"))
            last_top = box[1]


def _y_title(text: str, top: float, bottom: float) -> str:
    mid = (top + bottom) / 2
    return _text(14, mid, text, size=12).replace("<text ", f'<text transform="rotate(-90 14 {fmt(mid)})" ', 1)


@dataclass(frozen=True)
class Marker:
    """A break-even point: `option` becomes cheaper than `versus` at `volume` (tokens/month), costing `cost`."""

    option: str
    versus: str
    volume: float
    cost: float


MARKER_R = 6.0


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
    """Log-log chart: one polyline per option, break-even markers, the scenario's volume as a vertical line.

    Every element carries data-* attributes (data-volume, data-option) and the root the plot box and
    ranges (data-x-min, data-x-max, data-plot-left, data-plot-right), so a test can check positions.
    A break-even marker and its label take the option's colour; labels sit where they touch nothing.
    """
    colors = colors or {}
    x_lo, x_hi = float(min(volumes)), float(max(volumes))
    positive = [c for series in costs.values() for c in series if c > 0]
    y_lo = min(positive) / 1.5 if positive else 1.0
    y_hi = max(positive) * 1.5 if positive else 10.0
    left, right, top, bottom = _plot_box(width, HEIGHT, money_ticks=(y_lo, y_hi))
    sx, sy = LogScale(x_lo, x_hi, left, right), LogScale(y_lo, y_hi, bottom, top)
    extra = (
        f' data-x-min="{data_num(x_lo)}" data-x-max="{data_num(x_hi)}" data-y-min="{data_num(y_lo)}"'
        f' data-y-max="{data_num(y_hi)}" data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
        f' data-plot-top="{fmt(top)}" data-plot-bottom="{fmt(bottom)}" data-x-scale="log" data-y-scale="log"'
    )
    out = _open("cost-volume", title, width=width, extra=extra)
    out.append(_axes_frame(left, right, bottom, top))
    _x_ticks(out, sx.ticks(), sx, tokens, top, bottom, width)
    _y_ticks(out, sy.ticks(), sy, short_money, left, right)
    out.append(_text((left + right) / 2, HEIGHT - 8, "tokens per month (log scale)", size=12))
    out.append(_y_title(f"{currency} per month (log)", top, bottom))
    for i, (name, series) in enumerate(costs.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        pts = " ".join(f"{fmt(sx(v))},{fmt(sy(max(c, y_lo)))}" for v, c in zip(volumes, series))
        out.append(
            f'<polyline class="curve" data-option="{escape(name)}" points="{pts}" fill="none"'
            f' stroke="{color}" stroke-width="2.2" stroke-linejoin="round"/>'
        )
    cx = sx(current_volume)
    out.append(
        f'<line class="current-volume" data-volume="{data_num(current_volume)}" x1="{fmt(cx)}" y1="{fmt(top)}"'
        f' x2="{fmt(cx)}" y2="{fmt(bottom)}" stroke="#222" stroke-width="1.5" stroke-dasharray="5 4"/>'
    )
    shown = [m for m in markers if x_lo <= m.volume <= x_hi]
    points = [(sx(m.volume), sy(max(m.cost, y_lo))) for m in shown]
    labels = Labels((left + 2, top + 2, right - 2, bottom - 2), [_circle_box(x, y) for x, y in points])
    today = f"today: {tokens(current_volume)}"
    spot = labels.place(
        today,
        LABEL_SIZE,
        [(cx + 4, top + 14 + k * 14, "start") for k in range(6)]
        + [(cx - 4, top + 14 + k * 14, "end") for k in range(6)],
    )
    if spot is not None:
        out.append(_text(spot[0], spot[1], today, anchor=spot[2], size=LABEL_SIZE, cls="today-label", halo=True))

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
        spot = labels.place(label, LABEL_SIZE, _around(x, y, MARKER_R, LABEL_SIZE))
        if spot is None:  # crowded: the shorter form
            label = tokens(m.volume)
            spot = labels.place(label, LABEL_SIZE, _around(x, y, MARKER_R, LABEL_SIZE))
        if spot is not None:
            out.append(
                _text(
                    spot[0],
                    spot[1],
                    label,
                    anchor=spot[2],
                    size=LABEL_SIZE,
                    cls="break-even-label",
                    halo=True,
                    fill=_darker(marker_color(m.option)),
                    attrs=f'data-option="{escape(m.option)}"',
                )
            )
    out.append("</svg>")
    return "\n".join(out)


def _circle_box(x: float, y: float) -> Box:
    return (x - MARKER_R - 1, y - MARKER_R - 1, x + MARKER_R + 1, y + MARKER_R + 1)


def _plot_box(width: float, height: float, *, money_ticks: tuple[float, float]) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the plot: room on the left for the widest money tick label."""
    widest = max(text_width(short_money(v), TICK_SIZE) for v in money_ticks)
    left = max(PAD_LEFT if width >= WIDTH else 56.0, 30 + widest + 6)
    return left, width - PAD_RIGHT, PAD_TOP, height - PAD_BOTTOM


def cumulative_chart(
    months: Sequence[int],
    cumulative: dict[str, Sequence[float]],
    *,
    paybacks: dict[str, int] | None = None,
    colors: dict[str, str] | None = None,
    title: str = "Cumulative cash spent over the horizon",
    width: float = WIDTH,
) -> str:
    """Linear chart of cumulative spend per option by month; payback months marked on the bought options."""
    colors = colors or {}
    paybacks = paybacks or {}
    y_hi = max((max(s) for s in cumulative.values() if len(s)), default=1.0) * 1.05 or 1.0
    left, right, top, bottom = _plot_box(width, HEIGHT, money_ticks=(0.0, y_hi))
    x_hi = float(max(months)) if months else 1.0
    sx, sy = LinearScale(0.0, x_hi, left, right), LinearScale(0.0, y_hi, bottom, top)
    extra = (
        f' data-x-min="0.0" data-x-max="{data_num(x_hi)}" data-y-min="0.0" data-y-max="{data_num(y_hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}" data-plot-top="{fmt(top)}"'
        f' data-plot-bottom="{fmt(bottom)}" data-x-scale="linear" data-y-scale="linear"'
    )
    out = _open("cumulative", title, width=width, extra=extra)
    out.append(_axes_frame(left, right, bottom, top))
    _x_ticks(out, sx.ticks(6), sx, lambda v: f"{v:g}", top, bottom, width)
    _y_ticks(out, sy.ticks(5), sy, short_money, left, right)
    out.append(_text((left + right) / 2, HEIGHT - 8, "month", size=12))
    for i, (name, series) in enumerate(cumulative.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        pts = " ".join([f"{fmt(sx(0))},{fmt(sy(0))}"] + [f"{fmt(sx(m))},{fmt(sy(c))}" for m, c in zip(months, series)])
        out.append(
            f'<polyline class="curve" data-option="{escape(name)}" points="{pts}" fill="none" stroke="{color}"'
            ' stroke-width="2.2" stroke-linejoin="round"/>'
        )
    marks = []
    for name, month in paybacks.items():
        paid = cumulative.get(name)
        if paid is None or month not in months:
            continue
        marks.append((name, month, sx(month), sy(paid[list(months).index(month)])))
    labels = Labels((left + 2, top + 2, right - 2, bottom - 2), [_circle_box(x, y) for _, _, x, y in marks])
    for name, month, x, y in marks:
        out.append(
            f'<circle class="payback" data-option="{escape(name)}" data-month="{month}" cx="{fmt(x)}" cy="{fmt(y)}"'
            f' r="{fmt(MARKER_R)}" fill="#fff" stroke="#111" stroke-width="2"><title>{escape(name)} pays back in'
            f" month {month}</title></circle>"
        )
    for _name, month, x, y in marks:
        for label in (f"payback month {month}", f"month {month}"):
            spot = labels.place(label, LABEL_SIZE, _around(x, y, MARKER_R, LABEL_SIZE))
            if spot is not None:
                out.append(
                    _text(spot[0], spot[1], label, anchor=spot[2], size=LABEL_SIZE, cls="payback-label", halo=True)
                )
                break
    out.append("</svg>")
    return "\n".join(out)


def line_colors(breakdowns: dict[str, dict[str, float]]) -> dict[str, str]:
    """A distinct colour per cost line drawn (positive in some option), in LINE_LABELS order."""
    order = list(LINE_LABELS)
    lines = sorted(
        {k for b in breakdowns.values() for k, v in b.items() if v > 0},
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    return {k: LINE_PALETTE[i % len(LINE_PALETTE)] for i, k in enumerate(lines)}


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
        label = _fit(text, width - x - 18, NAME_SIZE)
        out.append(_text(x0 + x + 18, y + 11, label, anchor="start", size=NAME_SIZE, cls="legend-label"))
    rows = (max(r for _, r in spots) + 1) if spots else 0
    return out, rows * LEGEND_ROW_H


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
    out = _open("breakdown", title, width=width, height=height, extra=extra)
    y = PAD_TOP
    for name, b in breakdowns.items():
        out.append(_text(left, y + 13, _fit(name, width - left - PAD_RIGHT, NAME_SIZE), anchor="start", size=NAME_SIZE))
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
            _text(
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


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut in the middle to at most `limit` characters ('options[gpt-oss…]hourly_rate_usd')."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 5
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def _fit(text: str, room: float, size: float) -> str:
    """`text`, cut in the middle (shorten) until it is at most `room` px wide at `size`."""
    limit = len(text)
    while limit > 8 and text_width(shorten(text, limit), size) > room:
        limit -= 1
    return shorten(text, limit)


def _wrap(text: str, room: float, size: float) -> list[str]:
    """`text` on one line when it fits `room` px at `size`, else on two: split after its last ': ' (an option's name,
    then its input: 'gpt-oss-20b on a rented L40S:' / 'throughput against its estimate'), or without one at the last
    word that fits; a line still too wide is cut in the middle (`_fit`)."""
    if text_width(text, size) <= room:
        return [text]
    head, colon, tail = text.rpartition(": ")
    if colon and tail:
        lines = [head + ":", tail]
    else:
        words = text.split(" ")
        fits = [i for i in range(1, len(words)) if text_width(" ".join(words[:i]), size) <= room]
        cut = fits[-1] if fits else 1
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    return [_fit(line, room, size) for line in lines if line]


VERBS = ("saves", "costs", "breaks even")  # what self-hosting does: saves $X, costs $X more


def savings_words(value: float, currency: str = "USD", *, verb: tuple[str, str, str] = VERBS) -> str:
    """What self-hosting does at `value` (best API minus best self-hosted): 'saves $12k', 'costs $4.1k more'."""
    saves, costs, even = verb
    if abs(value) < 0.5:
        return even
    amount = currency_money(abs(value), currency)
    return f"{saves} {amount}" if value > 0 else f"{costs} {amount} more"


def savings_range(low: float, high: float, currency: str = "USD") -> str:
    """A range of savings in words, left to right: 'saves $84k to $160k', 'costs $160k to $84k more',
    'from costing $20k more to saving $30k'."""
    a, b = sorted((low, high))
    if a >= 0.5:
        return f"saves {currency_money(a, currency)} to {currency_money(b, currency)}"
    if b <= -0.5:
        return f"costs {currency_money(-a, currency)} to {currency_money(-b, currency)} more"
    ing = ("saving", "costing", "breaking even")
    return f"from {savings_words(a, currency, verb=ing)} to {savings_words(b, currency, verb=ing)}"


CASE_COLORS = ("#E69F00", "#0072B2")  # the tornado's low-case and high-case segments (Okabe-Ito orange, blue)
CASE_NAMES = ("Input at its low case", "Input at its high case")


def tornado_chart(
    rows: Sequence[tuple[str, float, float]],
    *,
    base: float,
    title: str = "Sensitivity of the monthly result",
    width: float = WIDTH,
    savings: bool = False,
    currency: str = "USD",
) -> str:
    """Tornado: per input (largest swing first) a bar from the base to its low-case result and one to its high-case
    result, each in its case's colour, with a legend of the two cases above the bars.

    The input's name is written above its bar (on two lines where one is too narrow, the option's name on the first
    and its input on the second, each cut in the middle only if still too wide; the full name in the bar's tooltip),
    and the range at the bar's end; both always fit inside the chart. With `savings` the
    results are what self-hosting saves, said in words ("saves $84k to $160k", "costs $160k to $84k more").
    """
    bar_h, label_h, line_h, gap = 18.0, 16.0, 13.0, 10.0
    ordered = sorted(rows, key=lambda r: -abs(r[2] - r[1]))
    left = PAD_LEFT / 3
    labels = [_wrap(name, width - left - PAD_RIGHT, 11) for name, _, _ in ordered]
    rows_h = sum(label_h + line_h * (len(lines) - 1) + bar_h + gap for lines in labels)
    legend, legend_h = legend_svg(
        list(zip(CASE_NAMES, CASE_COLORS)), x0=left, y0=PAD_TOP, width=width - left - PAD_RIGHT
    )
    top = PAD_TOP + legend_h + 4
    height = top + rows_h + 30
    values = [base] + [v for _, lo, hi in ordered for v in (lo, hi)]
    span = (max(values) - min(values)) or 1.0
    if savings:
        ranges = [savings_range(lo, hi, currency) for _, lo, hi in ordered]
    else:
        ranges = [f"{short_money(min(lo, hi))} to {short_money(max(lo, hi))}" for _, lo, hi in ordered]
    widest = max((text_width(r, 10) for r in ranges), default=0.0)
    right = width - PAD_RIGHT - widest - 8
    sx = LinearScale(min(values) - 0.02 * span, max(values) + 0.02 * span, left, right)
    extra = (
        f' data-base="{data_num(base)}" data-x-min="{data_num(sx.lo)}" data-x-max="{data_num(sx.hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
    )
    out = _open("tornado", title, width=width, height=height, extra=extra)
    out += legend
    bx = sx(base)
    bottom = top + rows_h
    out.append(
        f'<line class="base" x1="{fmt(bx)}" y1="{fmt(top)}" x2="{fmt(bx)}" y2="{fmt(bottom)}" stroke="#111"'
        ' stroke-dasharray="4 3"/>'
    )
    y = top
    for (name, lo, hi), span_text, lines in zip(ordered, ranges, labels, strict=True):
        for line in lines:
            out.append(_text(left, y + 12, line, anchor="start", size=11, halo=True))
            y += line_h
        y += label_h - line_h
        tip = f"{name}: {span_text} (low case: {_case_words(lo, savings, currency)};"
        tip += f" high case: {_case_words(hi, savings, currency)})"
        # each case from the base to its result; the longer first, so a shorter one on the same side shows on top
        cases = sorted(((lo, "low"), (hi, "high")), key=lambda c: -abs(sx(c[0]) - bx))
        for value, case in cases:
            a, b = sorted((bx, sx(value)))
            color = CASE_COLORS[case == "high"]
            out.append(
                f'<rect class="case case-{case}" data-input="{escape(name)}" data-value="{data_num(value)}"'
                f' x="{fmt(a)}" y="{fmt(y)}" width="{fmt(max(b - a, 1))}" height="{fmt(bar_h)}" fill="{color}"/>'
            )
        a, b = sorted((sx(lo), sx(hi)))
        out.append(  # the span from one case to the other: the tooltip and the figures for readers and tests
            f'<rect class="bar" data-input="{escape(name)}" data-low="{data_num(lo)}" data-high="{data_num(hi)}"'
            f' x="{fmt(a)}" y="{fmt(y)}" width="{fmt(max(b - a, 1))}" height="{fmt(bar_h)}" fill="none">'
            f"<title>{escape(tip)}</title></rect>"
        )
        end = max(b, bx)
        out.append(_text(end + 4, y + 13, span_text, anchor="start", size=10, halo=True))
        y += bar_h + gap
    base_text = f"base: self-hosting {savings_words(base, currency)}" if savings else f"base {money(base)}"
    base_w = text_width(base_text, 11)
    out.append(_text(min(max(bx, left + base_w / 2), width - PAD_RIGHT - base_w / 2), y + 16, base_text, size=11))
    out.append("</svg>")
    return "\n".join(out)


def _case_words(value: float, savings: bool, currency: str) -> str:
    """One case's result in a tornado's tooltip: 'saves $12k' (savings) or '$12k'."""
    return savings_words(value, currency) if savings else short_money(value)


def legend(names: Sequence[str], colors: dict[str, str]) -> str:
    """An HTML legend (wraps on narrow screens) for the option colours."""
    items = "".join(f'<li><span class="swatch" style="background:{colors[n]}"></span>{escape(n)}</li>' for n in names)
    return f'<ul class="legend">{items}</ul>'


def option_colors(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per option, by its position in the scenario."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}


def _darker(color: str, factor: float = 0.75) -> str:
    """A darker shade of a #RRGGBB colour, for text in that colour on white."""
    if not (color.startswith("#") and len(color) == 7):
        return color
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02X}" for c in (r, g, b))
