"""Monte Carlo results: percentile table, probabilities and break-even spread (table, JSON, CSV of samples); no I/O."""

from __future__ import annotations

import json
import math
from typing import Any

from costcalc.render.escape import csv_frame, terminal
from costcalc.render.numbers import money, rounded, share, tokens
from costcalc.render.sensitivity import input_values
from costcalc.words import counted

ELSEWHERE = "as does --format json"  # where a column the terminal had no room for is shown


def render_table(sim: Any, *, width: int = 120, color: bool = False) -> str:
    """Per-option P10/P50/P90 of monthly and horizon cost, the probability self-hosting is cheaper, break-even spread;
    every table fitted to `width`, names and values shown as written."""
    from costcalc.render.layout import Column, render
    from costcalc.render.wrapping import wrap

    cur = sim.currency
    seed = f", seed {sim.seed}" if sim.seed is not None else ", no seed (not reproducible)"
    parts = ["\n".join(wrap(f"Monte Carlo: {counted(sim.n, 'sample')}{seed}; money in {cur}", width)) + "\n"]
    if sim.input_rows:
        rows = list(map(_Row, sim.input_rows))
        said = [input_values((r.p10, r.p50, r.p90), r.input) for r in rows]
        columns = [
            Column("Input", [str(r.label) for r in rows], kind="text", wrap_at=40),
            Column("Distribution", [str(r.distribution) for r in rows], kind="text", drop=1),
            *(
                Column(p.upper(), [values[i] for values in said], kind="number")
                for i, p in enumerate(("p10", "p50", "p90"))
            ),
        ]
        parts.append(render(columns, width, title="Uncertain inputs", color=color, elsewhere=ELSEWHERE))
    rows = list(map(_Row, sim.summary_rows))
    columns = [
        Column("Option", [str(r.option) for r in rows], kind="text", wrap_at=28),
        *(
            Column(head, [money(getattr(r, key), cur) for r in rows], kind="number", drop=drop)
            for head, key, drop in (
                ("Month P10", "monthly_cost_p10", 2),
                ("Month P50", "monthly_cost_p50", 0),
                ("Month P90", "monthly_cost_p90", 2),
                (f"{sim.horizon_months} mo P10", "cumulative_cost_p10", 3),
                (f"{sim.horizon_months} mo P50", "cumulative_cost_p50", 1),
                (f"{sim.horizon_months} mo P90", "cumulative_cost_p90", 3),
            )
        ),
        Column("Cheapest in", [share(r.probability_cheapest) for r in rows], kind="number"),
    ]
    parts.append(
        render(
            columns,
            width,
            title=f"Cost (month 1, and accrued over {counted(sim.horizon_months, 'month')})",
            color=color,
            elsewhere=ELSEWHERE,
        )
    )
    if sim.probability_self_hosting_cheaper is not None:
        parts.append(
            "\n".join(
                wrap(
                    f"Self-hosting is cheaper than the best API in {share(sim.probability_self_hosting_cheaper)} of"
                    f" samples (month 1), {share(sim.probability_self_hosting_cheaper_over_horizon)} accrued over"
                    f" {counted(sim.horizon_months, 'month')} (bought hardware as depreciation, not up-front cash).",
                    width,
                )
            )
            + "\n"
        )
    if sim.break_even_rows:
        rows = list(map(_Row, sim.break_even_rows))
        columns = [
            Column("Option", [str(r.option) for r in rows], kind="text", wrap_at=28),
            Column("P10", [_tok(r.tokens_per_month_p10) for r in rows], kind="number"),
            Column("P50", [_tok(r.tokens_per_month_p50) for r in rows], kind="number"),
            Column("P90", [_tok(r.tokens_per_month_p90) for r in rows], kind="number"),
            Column("P(never)", [share(r.share_never) for r in rows], kind="number"),
        ]
        parts.append(
            render(
                columns,
                width,
                title="Break-even vs the cheapest API (tokens/month)",
                color=color,
                elsewhere=ELSEWHERE,
            )
        )
    for note in sim.notes:  # notes carry option names and paths: no control characters
        parts.append("\n".join(wrap(terminal(f"note: {note}"), width, rest="  ")) + "\n")
    return "".join(parts)


class _Row:
    """Attribute access to a summary row (a dict)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return self._row[name]


def _tok(x: float) -> str:
    return "-" if math.isnan(x) else "never" if math.isinf(x) else tokens(x)


def render_json(sim: Any) -> str:
    """The summary (no per-sample rows), stable key order and rounding."""
    return json.dumps(rounded(sim.to_dict()), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_csv(sim: Any) -> str:
    """Every sample: the sampled inputs, each option's monthly and horizon cost, the cheapest, break-even."""
    frame: Any = csv_frame(sim.samples)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text


# Peak memory each output format adds per sample (bytes: fixed, per option), measured by
# benchmarks/bench_memory_budget.py and rounded up: only CSV writes every sample.
RENDER_BYTES_PER_POINT = {"table": (0.0, 0.0), "json": (0.0, 0.0), "csv": (500.0, 160.0)}


def render_bytes_per_point(format_name: str) -> tuple[float, float]:
    """What rendering one simulation sample in this format costs in peak memory (fixed, per option)."""
    return RENDER_BYTES_PER_POINT.get(format_name, (0.0, 0.0))
