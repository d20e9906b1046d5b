"""Charts of a Result, drawn by render/svg: for the HTML report, and as standalone SVG or PNG files for slides."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.render.escape import xml as escape
from costcalc.render.svg.breakdown import breakdown_chart
from costcalc.render.svg.canvas import PHONE_WIDTH, WIDTH, fmt, text_element
from costcalc.render.svg.colors import option_colors
from costcalc.render.svg.cost_volume import Marker, cost_volume_chart
from costcalc.render.svg.cumulative import cumulative_chart
from costcalc.render.svg.legends import legend_svg
from costcalc.render.svg.tornado import tornado_chart
from costcalc.render.text_metrics import text_width
from costcalc.report.result import Result
from costcalc.words import counted

if TYPE_CHECKING:
    from costcalc.analysis.curves import CostCurves

KINDS = ("breakeven", "cumulative", "breakdown", "tornado")
SLIDE_WIDTH = 960.0  # px of a chart file; its PNG is drawn at PNG_ZOOM times that
PNG_ZOOM = 2.0
TITLE_SIZE, SUBTITLE_SIZE = 20, 13
MARGIN = 16.0
FONT_FILES = (  # DejaVu Sans, the font render/text_metrics measures, where distributions install it
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)


def break_even_markers(result: Result) -> list[Marker]:
    """Break-even points of every option against the cheapest API, placed on the API's cost line."""
    api = result.best_api
    if api is None:
        return []
    current = result.workload.tokens_per_month
    out = []
    for o in result.options:
        be = result.headline_break_even(o.name)
        if be is None or be.tokens_per_month is None or be.tokens_per_month <= 0:
            continue
        out.append(Marker(o.name, be.versus, be.tokens_per_month, api.monthly_cost * be.tokens_per_month / current))
    return out


def paybacks(result: Result) -> dict[str, int]:
    """Payback month of each bought option against the cheapest API."""
    best = result.best_api
    return {
        b.option: b.payback_months
        for b in result.break_even
        if b.payback_months is not None and best is not None and b.versus == best.name
    }


def chart_svg(
    result: Result,
    kind: str,
    *,
    width: float = WIDTH,
    curves: CostCurves | None = None,
    tornado: Any = None,
    title: str | None = None,
) -> str:
    """One chart (one of KINDS) as an SVG element `width` px wide; `curves` for breakeven, `tornado` rows for tornado."""
    colors = option_colors([o.name for o in result.options])
    named = {"title": title} if title else {}
    if kind == "breakeven":
        if curves is None:
            raise ValueError("the break-even chart needs cost curves")
        return cost_volume_chart(
            [float(v) for v in curves.tokens_per_month],
            {k: [float(c) for c in v] for k, v in curves.monthly_cost.items()},
            current_volume=curves.current_tokens_per_month,
            markers=break_even_markers(result),
            colors=colors,
            currency=result.currency,
            width=width,
            **named,
        )
    if kind == "cumulative":
        if result.timeline is None:
            raise ValueError("the cumulative chart needs the Result's timeline")
        return cumulative_chart(
            result.timeline.months,
            dict(result.timeline.cumulative_cash),
            paybacks=paybacks(result),
            colors=colors,
            width=width,
            currency=result.currency,
            **named,
        )
    if kind == "breakdown":
        ordered = result.ranked
        return breakdown_chart(
            {o.name: dict(o.breakdown) for o in ordered}, width=width, currency=result.currency, **named
        )
    if kind == "tornado":
        if tornado is None:
            raise ValueError("the tornado chart needs sensitivity rows")
        savings = bool(getattr(tornado, "savings", False))
        return tornado_chart(
            tornado.rows, base=tornado.base, width=width, savings=savings, currency=result.currency, **named
        )
    raise ValueError(f"unknown chart kind {kind!r}; one of {', '.join(KINDS)}")


def _tornado_subtitle(metric: str, currency: str) -> str:
    """'What self-hosting saves over 36 months (best API minus best self-hosted), USD, as each input moves ...'."""
    return f"{metric[:1].upper()}{metric[1:]}, {currency}, as each input moves to its low and its high case"


def free(curves: CostCurves | None) -> bool:
    """Whether an option costs $0 somewhere on the cost-versus-volume chart, which draws it on a $0 line under the log
    axis, past a break (render/svg/cost_volume.py): the chart's words then say so."""
    return curves is not None and any(float(c) <= 0 for series in curves.monthly_cost.values() for c in series)


def document(
    result: Result,
    kind: str,
    *,
    curves: CostCurves | None = None,
    tornado: Any = None,
    width: float = SLIDE_WIDTH,
) -> str:
    """A standalone SVG file: the scenario's name, what the chart shows, the chart, and its legend below it."""
    subtitle = {
        "breakeven": f"Monthly cost versus monthly volume ({result.currency}, both axes logarithmic"
        + ("; $0 under the axis break)" if free(curves) else ")"),
        "cumulative": f"Cumulative cash spent over {counted(result.horizon_months, 'month')} ({result.currency})",
        "breakdown": f"Monthly cost by line at today's volume ({result.currency})",
        "tornado": _tornado_subtitle(str(getattr(tornado, "metric", "")), result.currency),
    }.get(kind, "")
    body = chart_svg(result, kind, width=width, curves=curves, tornado=tornado)
    title = _cut(result.scenario, width - 2 * MARGIN, TITLE_SIZE)
    subtitle = _cut(subtitle, width - 2 * MARGIN, SUBTITLE_SIZE)
    head_h = MARGIN + TITLE_SIZE + 8 + SUBTITLE_SIZE + 10
    chart_h = float(body.split('height="', 1)[1].split('"', 1)[0])
    legend: list[str] = []
    legend_h = 0.0
    if kind in ("breakeven", "cumulative"):
        colors = option_colors([o.name for o in result.options])
        items = [(o.name, colors[o.name]) for o in result.options]
        legend, legend_h = legend_svg(items, x0=MARGIN, y0=head_h + chart_h + 8, width=width - 2 * MARGIN)
        legend_h += 8
    height = head_h + chart_h + legend_h + MARGIN / 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-file chart-file-{kind}" width="{fmt(width)}"'
        f' height="{fmt(height)}" viewBox="0 0 {fmt(width)} {fmt(height)}">',
        f"<title>{escape(result.scenario)}: {escape(subtitle)}</title>",
        f'<rect width="{fmt(width)}" height="{fmt(height)}" fill="#ffffff"/>',
        text_element(
            MARGIN, MARGIN + TITLE_SIZE, title, anchor="start", size=TITLE_SIZE, cls="chart-title", fill="#111"
        ),
        text_element(MARGIN, MARGIN + TITLE_SIZE + 8 + SUBTITLE_SIZE, subtitle, anchor="start", size=SUBTITLE_SIZE),
        body.replace("<svg ", f'<svg x="0" y="{fmt(head_h)}" ', 1),
        *legend,
        "</svg>",
        "",
    ]
    return "\n".join(out)


def _cut(text: str, room: float, size: float) -> str:
    """`text` cut at the end with an ellipsis until it is at most `room` px wide."""
    while len(text) > 4 and text_width(text, size) > room:
        text = text[:-2] + "…"
    return text


def font_files() -> list[str]:
    """DejaVu Sans where it is installed (COSTCALC_FONT names another TTF); empty: the system's fonts."""
    chosen = os.environ.get("COSTCALC_FONT")
    found = [chosen] if chosen else [p for p in FONT_FILES if Path(p).is_file()][:1]
    return [p for p in found if p and Path(p).is_file()]


def require_png() -> None:
    """An InputError unless resvg-py (the 'chart' extra) is installed, so a caller can refuse before any work."""
    from importlib.util import find_spec

    from costcalc.errors import InputError

    if find_spec("resvg_py") is None:
        raise InputError(
            "PNG charts need resvg-py: pip install 'resvg-py>=0.5'; or write SVG (-o FILE.svg)", field="-o"
        )


def png(document_svg: str, *, zoom: float = PNG_ZOOM) -> bytes:
    """The standalone SVG drawn as a PNG (resvg, the 'chart' extra), on white, `zoom` times its size."""
    require_png()
    import resvg_py

    fonts = font_files()
    options: dict[str, Any] = {"font_files": fonts, "skip_system_fonts": True} if fonts else {}
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=document_svg,
            zoom=zoom,
            background="#ffffff",
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
            **options,
        )
    )


def render(
    result: Result,
    *,
    kind: str,
    image_format: str = "svg",
    curves: CostCurves | None = None,
    tornado: Any = None,
) -> bytes:
    """One chart file as SVG or PNG bytes; deterministic (no dates or random ids)."""
    text = document(result, kind, curves=curves, tornado=tornado)
    if image_format == "png":
        return png(text)
    return text.encode("utf-8")


def figures(result: Result, kind: str, **kwargs: Any) -> str:
    """The HTML report's drawing of a chart: one for wide screens and one PHONE_WIDTH wide, CSS shows one."""
    wide = chart_svg(result, kind, width=WIDTH, **kwargs)
    narrow = chart_svg(result, kind, width=PHONE_WIDTH, **kwargs)
    return f"<div class='wide'>{wide}</div><div class='narrow'>{narrow}</div>"


__all__: Sequence[str] = ("KINDS", "break_even_markers", "chart_svg", "document", "figures", "png", "render")
