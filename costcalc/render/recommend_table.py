"""`recommend` for a terminal: the ranked configurations, the verdict, the frontier and the exclusions, fitted to width."""

from __future__ import annotations

import re

from costcalc.analysis.recommend.result import Candidate, Recommendation
from costcalc.render import recommend_cells as cells
from costcalc.render.escape import terminal
from costcalc.render.layout import Column
from costcalc.render.layout import render as table
from costcalc.render.numbers import milliseconds, money, tokens
from costcalc.render.wrapping import wrap
from costcalc.words import counted

CONFIGURATION_WIDTH = 44  # a longer configuration wraps at spaces before a column gives way
NEAREST_RUNS_WIDTH = 16  # 'model+engine: 10', 'exact at bf16: 5' on one line; a longer cell wraps at spaces
EXAMPLE_WIDTH = 60  # an exclusion's example wraps at spaces: it is why (the requests are longer than the context)
ELSEWHERE = "as do --format markdown and json"  # where a column the terminal had no room for is shown


def headline(rec: Recommendation) -> list[str]:
    """Title, workload and SLO, and how big the search was."""
    wl, s = rec.workload, rec.search
    slo = []
    ttft = rec.slo.get("ttft_p95_ms")
    if ttft is not None:
        slo.append(f"TTFT p95 ≤ {milliseconds(ttft)}")
    if rec.slo.get("min_output_tokens_per_s_per_user") is not None:
        slo.append(f"≥ {rec.slo['min_output_tokens_per_s_per_user']:g} tokens/s per user (p95)")
    limits = "; constraints " + " ".join(f"{k} {v}" for k, v in s.constraints.items()) if s.constraints else ""
    how = "every fitting configuration simulated" if s.exhaustive else f"{s.simulated_configurations:,} simulated"
    return [
        f"{rec.scenario}: the cheapest ways to self-host",
        f"{wl.requests_per_month:,.0f} requests/month · {tokens(wl.tokens_per_month)} tokens/month · peak"
        f" {wl.peak_to_average:.3g}x mean · SLO {', '.join(slo) or 'none'} · {rec.currency}",
        f"Searched {', '.join(s.models)} on {counted(s.gpus, 'priced GPU')}:"
        f" {counted(s.configurations, 'configuration')},"
        f" {s.candidates:,} with an offer; {s.fitting_configurations:,} fit; {how}{limits}.",
    ]


def candidates_table(cands: tuple[Candidate, ...], currency: str, width: int, *, title: str, color: bool) -> str:
    """The candidates as a width-fitted table (low-priority columns dropped first)."""
    seats = any(c.gap_to_cheapest_seat is not None for c in cands)
    columns = [
        Column("#", [str(c.rank) for c in cands], "number"),
        Column(
            "Configuration / offer",
            [f"{cells.configuration(c)}\n{cells.offer(c)}" for c in cands],
            "text",
            wrap_at=CONFIGURATION_WIDTH,
        ),
        Column(f"Monthly {currency}", [money(c.monthly_cost, currency) for c in cands], "number"),
        Column(f"{currency}/1M tok", [money(c.cost_per_million_tokens, currency) for c in cands], "number", drop=4),
        Column("Within band", [cells.band_range(c, currency) for c in cands], "number", drop=7),
        Column("Repl./GPUs/util.", [cells.sizing(c, instances_below=True) for c in cands], "text", drop=8),
        Column("Basis", [cells.basis(c, short=True) for c in cands], "id", drop=3),
        # 'model+engine at bf16 or fp8: 11' wraps at spaces onto the offer's line rather than push columns out
        Column("Nearest runs", [cells.nearest_runs(c) for c in cands], "text", drop=5, wrap_at=NEAREST_RUNS_WIDTH),
        Column("vs best API", [cells.gap(c, c.gap_to_cheapest_api, currency) for c in cands], "number", drop=2),
    ]
    if seats:
        columns.append(
            Column("vs seats", [cells.gap(c, c.gap_to_cheapest_seat, currency) for c in cands], "number", drop=6)
        )
    styles = ["bold green" if c.rank == 1 else None for c in cands]
    return table(columns, width, title=title, row_styles=styles, color=color, elsewhere=ELSEWHERE)


def _bullets(lines: list[str] | tuple[str, ...], width: int, mark: str = "•") -> list[str]:
    out = []
    for line in lines:
        out += wrap(terminal(line), width, first=f"  {mark} ", rest="    ")  # never inside an id: 'nvidia-rtx-5090'
    return out


def shell_lines(command: str, width: int, indent: str) -> list[str]:
    """A shell command in lines no wider than `width` where its options allow, each but the last ending in ' \\'
    (so it still pastes into a shell as one command); broken only before an option (' --name', ' -o')."""
    pieces = re.split(r" (?=--?[A-Za-z])", command)
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) + 2 <= width:
            lines[-1] += " " + piece
        else:
            lines.append((indent if not lines else indent + "  ") + piece)
    return [line + " \\" for line in lines[:-1]] + lines[-1:]


def render(rec: Recommendation, *, width: int = 120, color: bool = False) -> str:
    """Text for a terminal no wider than `width`."""
    cur = rec.currency
    parts = ["\n".join("\n".join(wrap(terminal(h), width)) for h in headline(rec)), ""]
    if rec.candidates:
        parts.append(
            candidates_table(rec.candidates, cur, width, title="Cheapest configurations meeting the SLO", color=color)
        )
    parts.append("Verdict")
    parts += _bullets(rec.verdict.lines, width)
    if rec.verdict.tie is not None:
        parts.append("  Measure the leading two (on the hardware, serving the model):")
        for line in rec.verdict.tie.measure:
            parts += shell_lines(terminal(line), width, "    ")
    if rec.pareto:
        pareto = rec.pareto
        columns = [
            Column("#", [str(c.rank) for c in pareto], "number"),
            Column("Configuration / offer", [f"{cells.configuration(c)}\n{cells.offer(c)}" for c in pareto], "text"),
            Column(f"Monthly {cur}", [money(c.monthly_cost, cur) for c in pareto], "number"),
            Column("TTFT p95", [cells.latency(c.throughput.ttft_p95_ms) for c in pareto], "number"),
            Column("TPOT p95", [cells.latency(c.throughput.tpot_p95_ms) for c in pareto], "number", drop=1),
        ]
        parts += [
            "",
            table(
                columns, width, title="Cost versus latency (Pareto frontier)", color=color, elsewhere=ELSEWHERE
            ).rstrip("\n"),
        ]
        parts += ["\n".join(wrap(terminal(rec.pareto_note), width, first="  ", rest="  "))]
    if rec.excluded:
        ex = rec.excluded
        columns = [
            Column("Reason", [e.reason for e in ex], "text"),
            Column("Count", [f"{e.count:,}" for e in ex], "number"),
            Column(
                "For example", [terminal(e.example or "") for e in ex], "text", wrap_at=EXAMPLE_WIDTH
            ),  # wraps: it says why
        ]
        parts += [
            "",
            table(
                columns, width, title="Excluded (configuration × offer pairs)", color=color, elsewhere=ELSEWHERE
            ).rstrip("\n"),
        ]
    if rec.references:
        parts += ["", "The scenario's own APIs and seats"]
        parts += _bullets(
            [
                f"{r.name} ({r.kind}): {money(r.monthly_cost, cur)}/month, {money(r.cost_per_million_tokens, cur)} per 1M tokens"
                for r in rec.references
            ],
            width,
            "-",
        )
    parts += ["", "Notes"]
    parts += _bullets(list(rec.notes), width, "-")
    return "\n".join(parts).rstrip("\n") + "\n"
