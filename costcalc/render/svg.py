"""Hand-written inline SVG charts (no JS, no fonts, no network): cost vs volume, cumulative cost, breakdown."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from costcalc.render.numbers import LINE_LABELS, money, tokens

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
LINE_PALETTE = (
    "#4C72B0",
    "#DD8452",
    "#55A868",
    "#C44E52",
    "#8172B3",
    "#937860",
    "#DA8BC3",
    "#8C8C8C",
    "#CCB974",
)
WIDTH, HEIGHT = 720.0, 380.0
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 72.0, 16.0, 16.0, 48.0
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


def _open(kind: str, title: str, width: float = WIDTH, height: float = HEIGHT, extra: str = "") -> list[str]:
    return [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}"'
            f' viewBox="0 0 {fmt(width)} {fmt(height)}" role="img" aria-label="{escape(title)}"'
            f' preserveAspectRatio="xMidYMid meet"{extra}>'
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
) -> str:
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text{klass} x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" {FONT}>'
        f"{escape(text)}</text>"
    )


def short_money(usd: float) -> str:
    """Axis money: $1.2k, $35k, $1.1M, -$400."""
    sign, usd = ("-" if usd < 0 else ""), abs(usd)
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if usd >= scale:
            return f"{sign}${usd / scale:,.3g}{unit}"
    return f"{sign}${usd:,.3g}"


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
) -> str:
    """Log-log chart: one polyline per option, break-even markers, the scenario's volume as a vertical line.

    Every element carries data-* attributes (data-volume, data-option) and the root the plot box and
    ranges (data-x-min, data-x-max, data-plot-left, data-plot-right), so a test can check positions.
    """
    colors = colors or {}
    x_lo, x_hi = float(min(volumes)), float(max(volumes))
    positive = [c for series in costs.values() for c in series if c > 0]
    y_lo = min(positive) / 1.5 if positive else 1.0
    y_hi = max(positive) * 1.5 if positive else 10.0
    left, right, top, bottom = PAD_LEFT, WIDTH - PAD_RIGHT, PAD_TOP, HEIGHT - PAD_BOTTOM
    sx, sy = LogScale(x_lo, x_hi, left, right), LogScale(y_lo, y_hi, bottom, top)
    extra = (
        f' data-x-min="{data_num(x_lo)}" data-x-max="{data_num(x_hi)}" data-y-min="{data_num(y_lo)}"'
        f' data-y-max="{data_num(y_hi)}" data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
        f' data-plot-top="{fmt(top)}" data-plot-bottom="{fmt(bottom)}" data-x-scale="log" data-y-scale="log"'
    )
    out = _open("cost-volume", title, extra=extra)
    out.append(_axes_frame(left, right, bottom, top))
    for v in sx.ticks():
        x = sx(v)
        out.append(f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(bottom)}" stroke="#eee"/>')
        out.append(_text(x, bottom + 16, tokens(v), size=11))
    for v in sy.ticks():
        y = sy(v)
        out.append(f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(right)}" y2="{fmt(y)}" stroke="#eee"/>')
        out.append(_text(left - 6, y + 4, short_money(v), anchor="end", size=11))
    out.append(_text((left + right) / 2, HEIGHT - 8, "tokens per month (log scale)", size=12))
    out.append(
        _text(14, (top + bottom) / 2, f"{currency} per month (log)", size=12).replace(
            "<text ", f'<text transform="rotate(-90 14 {fmt((top + bottom) / 2)})" ', 1
        )
    )
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
    label_anchor = "start" if cx < (left + right) / 2 else "end"
    out.append(
        _text(
            cx + (4 if label_anchor == "start" else -4),
            top + 14,
            f"today: {tokens(current_volume)}",
            anchor=label_anchor,
            size=11,
        )
    )
    # obstacles for labels: (x centre, baseline y, half width); every marker circle first, then labels
    placed: list[tuple[float, float, float]] = [
        (sx(m.volume), sy(max(m.cost, y_lo)) + 5.0, 7.0) for m in markers if x_lo <= m.volume <= x_hi
    ]
    for m in markers:
        if not (x_lo <= m.volume <= x_hi):
            continue
        x, y = sx(m.volume), sy(max(m.cost, y_lo))
        out.append(
            f'<circle class="break-even" data-option="{escape(m.option)}" data-versus="{escape(m.versus)}"'
            f' data-volume="{data_num(m.volume)}" data-cost="{data_num(m.cost)}" cx="{fmt(x)}" cy="{fmt(y)}" r="6"'
            f' fill="#fff" stroke="#111" stroke-width="2"><title>{escape(m.option)} cheaper than {escape(m.versus)}'
            f" above {tokens(m.volume)} tokens/month</title></circle>"
        )
        label = f"break-even {tokens(m.volume)}"
        label_y = _free_label_y(x, y, len(label) * LABEL_CHAR_W / 2, placed)
        placed.append((x, label_y, len(label) * LABEL_CHAR_W / 2))
        out.append(_text(x, label_y, label, size=11, cls="break-even-label"))
    out.append("</svg>")
    return "\n".join(out)


LABEL_CHAR_W = 6.2  # approximate width of one 11 px character, for keeping labels apart
LABEL_LINE_H = 14.0


def _free_label_y(x: float, y: float, half_w: float, placed: list[tuple[float, float, float]]) -> float:
    """A baseline near the marker (above, then below, then further out) where the label overlaps no other."""
    for dy in (-10.0, 22.0, -10.0 - LABEL_LINE_H, 22.0 + LABEL_LINE_H, -10.0 - 2 * LABEL_LINE_H):
        cand = y + dy
        if all(abs(cand - py) >= LABEL_LINE_H or abs(x - px) >= half_w + pw for px, py, pw in placed):
            return cand
    return y - 10.0


def cumulative_chart(
    months: Sequence[int],
    cumulative: dict[str, Sequence[float]],
    *,
    paybacks: dict[str, int] | None = None,
    colors: dict[str, str] | None = None,
    title: str = "Cumulative cash spent over the horizon",
) -> str:
    """Linear chart of cumulative spend per option by month; payback months marked on the bought options."""
    colors = colors or {}
    paybacks = paybacks or {}
    left, right, top, bottom = PAD_LEFT, WIDTH - PAD_RIGHT, PAD_TOP, HEIGHT - PAD_BOTTOM
    y_hi = max((max(s) for s in cumulative.values() if len(s)), default=1.0) * 1.05 or 1.0
    x_hi = float(max(months)) if months else 1.0
    sx, sy = LinearScale(0.0, x_hi, left, right), LinearScale(0.0, y_hi, bottom, top)
    extra = (
        f' data-x-min="0.0" data-x-max="{data_num(x_hi)}" data-y-min="0.0" data-y-max="{data_num(y_hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}" data-plot-top="{fmt(top)}"'
        f' data-plot-bottom="{fmt(bottom)}" data-x-scale="linear" data-y-scale="linear"'
    )
    out = _open("cumulative", title, extra=extra)
    out.append(_axes_frame(left, right, bottom, top))
    for v in sx.ticks(6):
        x = sx(v)
        out.append(f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(bottom)}" stroke="#eee"/>')
        out.append(_text(x, bottom + 16, f"{v:g}", size=11))
    for v in sy.ticks(5):
        y = sy(v)
        out.append(f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(right)}" y2="{fmt(y)}" stroke="#eee"/>')
        out.append(_text(left - 6, y + 4, short_money(v), anchor="end", size=11))
    out.append(_text((left + right) / 2, HEIGHT - 8, "month", size=12))
    for i, (name, series) in enumerate(cumulative.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        pts = " ".join([f"{fmt(sx(0))},{fmt(sy(0))}"] + [f"{fmt(sx(m))},{fmt(sy(c))}" for m, c in zip(months, series)])
        out.append(
            f'<polyline class="curve" data-option="{escape(name)}" points="{pts}" fill="none" stroke="{color}"'
            ' stroke-width="2.2" stroke-linejoin="round"/>'
        )
    for name, month in paybacks.items():
        series = cumulative.get(name)
        if series is None or month not in months:
            continue
        c = series[list(months).index(month)]
        x, y = sx(month), sy(c)
        out.append(
            f'<circle class="payback" data-option="{escape(name)}" data-month="{month}" cx="{fmt(x)}" cy="{fmt(y)}"'
            f' r="6" fill="#fff" stroke="#111" stroke-width="2"><title>{escape(name)} pays back in month {month}'
            "</title></circle>"
        )
        anchor = "end" if x > left + (right - left) * 0.7 else "middle"
        out.append(_text(x, y - 10, f"payback month {month}", anchor=anchor, size=11, cls="payback-label"))
    out.append("</svg>")
    return "\n".join(out)


def breakdown_chart(
    breakdowns: dict[str, dict[str, float]],
    *,
    title: str = "Monthly cost by line, per option",
) -> str:
    """Horizontal stacked bars, one per option (its name above it); positive lines stacked, savings noted."""
    order = list(LINE_LABELS)
    lines = sorted(
        {k for b in breakdowns.values() for k, v in b.items() if v > 0},
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    line_color = {k: LINE_PALETTE[i % len(LINE_PALETTE)] for i, k in enumerate(lines)}
    bar_h, label_h, gap = 24.0, 18.0, 12.0
    per_row = 3
    legend_rows = math.ceil(len(lines) / per_row) if lines else 0
    height = PAD_TOP + len(breakdowns) * (label_h + bar_h + gap) + 10 + legend_rows * 24 + 8
    left, right = PAD_LEFT / 3, WIDTH - 150
    x_hi = max((sum(v for v in b.values() if v > 0) for b in breakdowns.values()), default=1.0) or 1.0
    sx = LinearScale(0.0, x_hi, left, right)
    extra = f' data-x-max="{data_num(x_hi)}" data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
    out = _open("breakdown", title, height=height, extra=extra)
    y = PAD_TOP
    for name, b in breakdowns.items():
        out.append(_text(left, y + 13, name, anchor="start", size=12))
        y += label_h
        x = left
        for k in lines:
            v = b.get(k, 0.0)
            if v <= 0:
                continue
            w = sx(v) - sx(0)
            out.append(
                f'<rect class="segment" data-option="{escape(name)}" data-line="{escape(k)}" data-usd="{data_num(v)}"'
                f' x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(bar_h)}" fill="{line_color[k]}">'
                f"<title>{escape(LINE_LABELS.get(k, k))}: {money(v)}/month</title></rect>"
            )
            x += w
        net = sum(b.values())
        savings = sum(v for v in b.values() if v < 0)
        note = money(net) + (f" ({money(-savings)} off)" if savings < 0 else "")
        out.append(_text(x + 6, y + bar_h / 2 + 4, note, anchor="start", size=12))
        y += bar_h + gap
    y += 6
    for i, k in enumerate(lines):
        lx = left + (i % per_row) * 220
        ly = y + (i // per_row) * 24
        out.append(f'<rect x="{fmt(lx)}" y="{fmt(ly)}" width="12" height="12" fill="{line_color[k]}"/>')
        out.append(_text(lx + 18, ly + 11, LINE_LABELS.get(k, k), anchor="start", size=12))
    out.append("</svg>")
    return "\n".join(out)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut in the middle to at most `limit` characters ('options[gpt-oss…]hourly_rate_usd')."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 5
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def tornado_chart(
    rows: Sequence[tuple[str, float, float]],
    *,
    base: float,
    title: str = "Sensitivity of the monthly result",
) -> str:
    """Tornado: per input (largest swing first) a bar from its low-case to its high-case result around the base.

    The input's name is written above its bar, so long field paths fit on a phone.
    """
    bar_h, label_h, gap = 18.0, 16.0, 10.0
    ordered = sorted(rows, key=lambda r: -abs(r[2] - r[1]))
    height = PAD_TOP + len(ordered) * (label_h + bar_h + gap) + 30
    values = [base] + [v for _, lo, hi in ordered for v in (lo, hi)]
    span = (max(values) - min(values)) or 1.0
    left, right = PAD_LEFT / 3, WIDTH - PAD_RIGHT - 150
    sx = LinearScale(min(values) - 0.02 * span, max(values) + 0.02 * span, left, right)
    extra = (
        f' data-base="{data_num(base)}" data-x-min="{data_num(sx.lo)}" data-x-max="{data_num(sx.hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
    )
    out = _open("tornado", title, height=height, extra=extra)
    y = PAD_TOP
    for name, lo, hi in ordered:
        out.append(_text(left, y + 12, shorten(name), anchor="start", size=11))
        y += label_h
        a, b = sorted((sx(lo), sx(hi)))
        out.append(
            f'<rect class="bar" data-input="{escape(name)}" data-low="{data_num(lo)}" data-high="{data_num(hi)}"'
            f' x="{fmt(a)}" y="{fmt(y)}" width="{fmt(max(b - a, 1))}" height="{fmt(bar_h)}" fill="{PALETTE[0]}">'
            f"<title>{escape(name)}: {money(lo)} to {money(hi)}</title></rect>"
        )
        out.append(
            _text(
                b + 4,
                y + 13,
                f"{short_money(min(lo, hi))} to {short_money(max(lo, hi))}",
                anchor="start",
                size=10,
            )
        )
        y += bar_h + gap
    bx = sx(base)
    out.append(
        f'<line class="base" x1="{fmt(bx)}" y1="{fmt(PAD_TOP)}" x2="{fmt(bx)}" y2="{fmt(y)}" stroke="#111"'
        ' stroke-dasharray="4 3"/>'
    )
    out.append(_text(bx, y + 16, f"base {money(base)}", size=11))
    out.append("</svg>")
    return "\n".join(out)


def legend(names: Sequence[str], colors: dict[str, str]) -> str:
    """An HTML legend (wraps on narrow screens) for the option colours."""
    items = "".join(f'<li><span class="swatch" style="background:{colors[n]}"></span>{escape(n)}</li>' for n in names)
    return f'<ul class="legend">{items}</ul>'


def option_colors(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per option, by its position in the scenario."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
