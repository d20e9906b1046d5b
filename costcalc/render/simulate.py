"""Monte Carlo results: percentile table, probabilities and break-even spread (table, JSON, CSV of samples); no I/O."""

from __future__ import annotations

import io
import json
import math
from typing import Any

from costcalc.render.escape import csv_frame, rich_markup
from costcalc.render.numbers import money, rounded, share, tokens


def render_table(sim: Any, *, width: int = 120, color: bool = False) -> str:
    """Per-option P10/P50/P90 of monthly and horizon cost, the probability self-hosting is cheaper, break-even spread."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, color_system="auto" if color else None, highlight=False
    )
    cur = sim.currency
    seed = f", seed {sim.seed}" if sim.seed is not None else ", no seed (not reproducible)"
    console.print(f"[bold]Monte Carlo[/bold]: {sim.n:,} samples{seed}; money in {cur}")
    if sim.input_rows:
        table = Table(title="Uncertain inputs", header_style="bold")
        for col in ("Input", "Distribution", "P10", "P50", "P90"):
            table.add_column(
                col,
                justify="left" if col in ("Input", "Distribution") else "right",
                overflow="fold",
            )
        for r in map(_Row, sim.input_rows):
            table.add_row(_e(r.input), r.distribution, f"{r.p10:,.4g}", f"{r.p50:,.4g}", f"{r.p90:,.4g}")
        console.print(table)
    table = Table(title=f"Cost (month 1, and over {sim.horizon_months} months)", header_style="bold")
    for col in (
        "Option",
        "Monthly P10",
        "P50",
        "P90",
        "Horizon P10",
        "P50 ",
        "P90 ",
        "Cheapest in",
    ):
        table.add_column(col, justify="left" if col == "Option" else "right", overflow="fold")
    for r in map(_Row, sim.summary_rows):
        table.add_row(
            _e(r.option),
            money(r.monthly_cost_p10, cur),
            money(r.monthly_cost_p50, cur),
            money(r.monthly_cost_p90, cur),
            money(r.cumulative_cost_p10, cur),
            money(r.cumulative_cost_p50, cur),
            money(r.cumulative_cost_p90, cur),
            share(r.probability_cheapest),
        )
    console.print(table)
    if sim.probability_self_hosting_cheaper is not None:
        console.print(
            f"Self-hosting is cheaper than the best API in {share(sim.probability_self_hosting_cheaper)} of samples"
            f" (month 1), {share(sim.probability_self_hosting_cheaper_over_horizon)} over {sim.horizon_months} months."
        )
    if sim.break_even_rows:
        table = Table(title="Break-even vs the cheapest API (tokens/month)", header_style="bold")
        for col in ("Option", "P10", "P50", "P90", "P(never)"):
            table.add_column(col, justify="left" if col == "Option" else "right")
        for r in map(_Row, sim.break_even_rows):
            table.add_row(
                _e(r.option),
                _tok(r.tokens_per_month_p10),
                _tok(r.tokens_per_month_p50),
                _tok(r.tokens_per_month_p90),
                share(r.share_never),
            )
        console.print(table)
    for note in sim.notes:
        console.print(f"note: {_e(note)}", overflow="fold")
    return buf.getvalue()


class _Row:
    """Attribute access to a summary row (a dict)."""

    def __init__(self, row: dict) -> None:
        self.__dict__.update(row)


def _e(text: object) -> str:
    """User text (paths, option names) shown literally: never rich markup, no control characters."""
    return rich_markup(text)


def _tok(x: float) -> str:
    return "-" if math.isnan(x) else "never" if math.isinf(x) else tokens(x)


def render_json(sim: Any) -> str:
    """The summary (no per-sample rows), stable key order and rounding."""
    return json.dumps(rounded(sim.to_dict()), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_csv(sim: Any) -> str:
    """Every sample: the sampled inputs, each option's monthly and horizon cost, the cheapest, break-even."""
    return csv_frame(sim.samples).to_csv(index=False, lineterminator="\n")
