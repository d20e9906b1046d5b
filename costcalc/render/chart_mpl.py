"""matplotlib charts for slides (SVG or PNG bytes); matplotlib is imported only here, only when charting."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from costcalc.render.numbers import LINE_LABELS
from costcalc.render.svg import LINE_PALETTE, option_colors, short_money
from costcalc.report.result import Result

if TYPE_CHECKING:
    from costcalc.analysis.curves import CostCurves

FIGSIZE_IN = (10.0, 5.6)  # 16:9 slide
DPI = 150


def figure(result: Result, *, kind: str, curves: CostCurves | None = None, tornado: Any = None):  # type: ignore[no-untyped-def]
    """The matplotlib Figure of one chart (artists carry gids: curve:NAME, break-even:NAME, payback:NAME)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    colors = option_colors([o.name for o in result.options])
    fig, ax = plt.subplots(figsize=FIGSIZE_IN)
    money_axis = FuncFormatter(lambda v, _pos: short_money(v))
    if kind == "breakeven":
        _breakeven(ax, result, curves, colors)
    elif kind == "cumulative":
        _cumulative(ax, result, colors)
    elif kind == "breakdown":
        _breakdown(ax, result)
    elif kind == "tornado":
        _tornado(ax, result, tornado)
    else:
        plt.close(fig)
        raise ValueError(f"unknown chart kind {kind!r}")
    if kind in ("breakdown", "tornado"):
        ax.xaxis.set_major_formatter(money_axis)
    else:
        ax.yaxis.set_major_formatter(money_axis)
    ax.set_title(f"{result.scenario}", loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def render(
    result: Result,
    *,
    kind: str,
    image_format: str = "svg",
    curves: CostCurves | None = None,
    tornado: Any = None,
) -> bytes:
    """One chart as SVG or PNG bytes; deterministic (no dates or random ids in the file)."""
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.hashsalt": "costcalc", "svg.fonttype": "none"}):
        fig = figure(result, kind=kind, curves=curves, tornado=tornado)
        try:
            buf = io.BytesIO()
            metadata = {"Date": None} if image_format == "svg" else {"Software": None}
            fig.savefig(buf, format=image_format, dpi=DPI, metadata=metadata)
        finally:
            plt.close(fig)
    return buf.getvalue()


def _breakeven(ax, result: Result, curves: CostCurves | None, colors: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from costcalc.render.report_html import break_even_markers

    if curves is None:
        raise ValueError("the break-even chart needs cost curves")
    for name, series in curves.monthly_cost.items():
        ax.plot(
            curves.tokens_per_month,
            series,
            label=name,
            color=colors[name],
            linewidth=2,
            gid=f"curve:{name}",
        )
    ax.axvline(
        curves.current_tokens_per_month,
        color="#222",
        linestyle="--",
        linewidth=1.2,
        label="today's volume",
        gid="current-volume",
    )
    for m in break_even_markers(result):
        ax.plot(
            [m.volume],
            [m.cost],
            marker="o",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor="black",
            linestyle="none",
            gid=f"break-even:{m.option}",
        )
        ax.annotate(
            f"{m.option}\nbreak-even",
            (m.volume, m.cost),
            textcoords="offset points",
            xytext=(6, -24),
            fontsize=8,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("tokens per month")
    ax.set_ylabel(f"{result.currency} per month")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def _cumulative(ax, result: Result, colors: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    t = result.timeline
    for name, series in t.cumulative_cash.items():
        ax.plot(
            [0, *t.months],
            [0.0, *series],
            label=name,
            color=colors[name],
            linewidth=2,
            gid=f"curve:{name}",
        )
    best = result.best_api
    for b in result.break_even:
        if b.payback_months is not None and best is not None and b.versus == best.name:
            y = t.cumulative_cash[b.option][b.payback_months - 1]
            ax.plot(
                [b.payback_months],
                [y],
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor="black",
                linestyle="none",
                gid=f"payback:{b.option}",
            )
            ax.annotate(
                f"payback month {b.payback_months}",
                (b.payback_months, y),
                textcoords="offset points",
                xytext=(6, 8),
                fontsize=8,
            )
    ax.set_xlabel("month")
    ax.set_ylabel(f"cumulative {result.currency} spent")
    ax.set_xlim(0, max(t.months))
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def _breakdown(ax, result: Result) -> None:  # type: ignore[no-untyped-def]
    opts = sorted(result.options, key=lambda o: o.monthly_cost, reverse=True)
    lines = [k for k in LINE_LABELS if any(o.breakdown.get(k, 0) > 0 for o in opts)]
    left = [0.0] * len(opts)
    names = [o.name for o in opts]
    for i, k in enumerate(lines):
        widths = [max(o.breakdown.get(k, 0.0), 0.0) for o in opts]
        ax.barh(
            names,
            widths,
            left=left,
            label=LINE_LABELS[k],
            color=LINE_PALETTE[i % len(LINE_PALETTE)],
            gid=f"segment:{k}",
        )
        left = [a + w for a, w in zip(left, widths)]
    ax.set_xlabel(f"{result.currency} per month")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(True, axis="x", alpha=0.3)


def _tornado(ax, result: Result, tornado: Any) -> None:  # type: ignore[no-untyped-def]
    """`tornado`: rows (input, low-case result, high-case result), base and metric (cli.chart.Tornado)."""
    if tornado is None:
        raise ValueError("the tornado chart needs sensitivity rows")
    rows = sorted(tornado.rows, key=lambda r: abs(r[2] - r[1]))  # largest at the top
    names = [r[0] for r in rows]
    lows = [min(r[1], r[2]) for r in rows]
    widths = [abs(r[2] - r[1]) for r in rows]
    ax.barh(names, widths, left=lows, color="#0072B2", gid="tornado-bars")
    ax.axvline(tornado.base, color="#111", linestyle="--", linewidth=1.2, gid="base")
    ax.set_xlabel(f"{tornado.metric}, {result.currency} per month")
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(True, axis="x", alpha=0.3)
