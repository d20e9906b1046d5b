"""Sensitivity results as a tornado table (text bars), CSV or JSON; no I/O."""

from __future__ import annotations

import io
import json
import math
from typing import Any

from costcalc.render.numbers import money, rounded

BAR_WIDTH = 24  # characters for the largest swing
METRIC_LABELS = {
    "self_hosted_savings": "monthly savings of the best self-hosted option vs the best API",
    "cheapest_monthly_cost": "monthly cost of the cheapest option",
}


def _e(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def _v(x: float) -> str:
    return "-" if isinstance(x, float) and math.isnan(x) else f"{x:,.4g}"


def render_table(frame: Any, *, width: int = 120, color: bool = False, limit: int = 30) -> str:
    """A tornado: each input's low and high value and the metric there, bars scaled to the largest swing."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, color_system="auto" if color else None)
    base = frame.attrs.get("base_metric", 0.0)
    cur = frame.attrs.get("currency", "USD")
    label = METRIC_LABELS.get(frame.attrs.get("metric", ""), frame.attrs.get("metric", "metric"))
    console.print(f"Sensitivity of the {label}, each input ±{frame.attrs.get('delta', 0):.0%}; base {money(base, cur)}")
    table = Table(header_style="bold")
    table.add_column("Input", overflow="fold")
    table.add_column("Low → high", justify="right")
    table.add_column("At low", justify="right")
    table.add_column("At high", justify="right")
    table.add_column("Swing", justify="right")
    table.add_column("Effect (− low | + high)")
    top = float(frame["swing"].max()) if len(frame) else 0.0
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(
            _e(row.input),
            f"{_v(row.low)} → {_v(row.high)}",
            money(row.metric_low, cur),
            money(row.metric_high, cur),
            money(row.swing, cur),
            _bar(row.metric_low - base, row.metric_high - base, top, color),
        )
    console.print(table)
    if len(frame) > limit:
        console.print(f"{len(frame) - limit} smaller swings not shown; --format csv lists all")
    for line in frame.attrs.get("skipped", []):
        console.print(f"skipped: {_e(line)}", overflow="fold")
    return buf.getvalue()


def _bar(low: float, high: float, top: float, color: bool) -> str:
    """Two bars around the base: the effect at the low value, then at the high value."""

    def cells(x: float) -> int:
        return 0 if top <= 0 else round(abs(x) / top * BAR_WIDTH / 2)

    def one(x: float) -> str:
        mark = "+" if x > 0 else "−"
        text = mark + "█" * cells(x) if cells(x) else "·"
        if color:
            return f"[{'green' if x > 0 else 'red'}]{text}[/]"
        return text

    return f"{one(low)} | {one(high)}"


def render_csv(frame: Any) -> str:
    """Every input, full precision."""
    return frame.to_csv(index=False, lineterminator="\n")


def render_json(frame: Any) -> str:
    """{'schema_version', 'kind': 'sensitivity', 'metric', 'base_metric', 'delta', 'inputs': [...], 'skipped'}."""
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]
    doc = {
        "schema_version": "1.0",
        "kind": "sensitivity",
        "metric": frame.attrs.get("metric"),
        "base_metric": frame.attrs.get("base_metric"),
        "delta": frame.attrs.get("delta"),
        "currency": frame.attrs.get("currency", "USD"),
        "inputs": rows,
        "skipped": list(frame.attrs.get("skipped", [])),
    }
    return json.dumps(rounded(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
