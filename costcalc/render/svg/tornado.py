"""The tornado chart: per input, bars from the base to its low-case and high-case results."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.escape import xml as escape
from costcalc.render.numbers import money, short_money
from costcalc.render.svg.canvas import PAD_LEFT, PAD_RIGHT, PAD_TOP, WIDTH, data_num, fmt, open_svg, text_element
from costcalc.render.svg.labels import wrap_label
from costcalc.render.svg.legends import legend_svg
from costcalc.render.svg.savings import savings_range, savings_words
from costcalc.render.svg.scales import LinearScale
from costcalc.render.text_metrics import text_width

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
    labels = [wrap_label(name, width - left - PAD_RIGHT, 11) for name, _, _ in ordered]
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
        ranges = [
            f"{short_money(min(lo, hi), currency)} to {short_money(max(lo, hi), currency)}" for _, lo, hi in ordered
        ]
    widest = max((text_width(r, 10) for r in ranges), default=0.0)
    right = width - PAD_RIGHT - widest - 8
    sx = LinearScale(min(values) - 0.02 * span, max(values) + 0.02 * span, left, right)
    extra = (
        f' data-base="{data_num(base)}" data-x-min="{data_num(sx.lo)}" data-x-max="{data_num(sx.hi)}"'
        f' data-plot-left="{fmt(left)}" data-plot-right="{fmt(right)}"'
    )
    out = open_svg("tornado", title, width=width, height=height, extra=extra)
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
            out.append(text_element(left, y + 12, line, anchor="start", size=11, halo=True))
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
        out.append(text_element(end + 4, y + 13, span_text, anchor="start", size=10, halo=True))
        y += bar_h + gap
    base_text = f"base: self-hosting {savings_words(base, currency)}" if savings else f"base {money(base, currency)}"
    base_w = text_width(base_text, 11)
    out.append(
        text_element(min(max(bx, left + base_w / 2), width - PAD_RIGHT - base_w / 2), y + 16, base_text, size=11)
    )
    out.append("</svg>")
    return "\n".join(out)


def _case_words(value: float, savings: bool, currency: str) -> str:
    """One case's result in a tornado's tooltip: 'saves $12k' (savings) or '$12k'."""
    return savings_words(value, currency) if savings else short_money(value, currency)
