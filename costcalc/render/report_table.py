"""The report for a terminal: a rich table of options, the verdict, and the assumptions."""

from __future__ import annotations

import io

from costcalc.render.numbers import money, share, tokens, top_lines
from costcalc.report.result import Result


def render(result: Result, *, width: int = 120, color: bool = False) -> str:
    """Text for a terminal (ANSI colours only when `color`)."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, color_system="auto" if color else None)
    wl = result.workload
    console.print(f"[bold]{result.scenario}[/bold]")
    users = f", {wl.users:,} users" if wl.users else ""
    console.print(
        f"{wl.requests_per_month:,.0f} requests/month · {tokens(wl.tokens_per_month)} tokens/month"
        f" ({tokens(wl.input_tokens_per_month)} in, {tokens(wl.output_tokens_per_month)} out){users}"
        f" · growth {wl.growth_per_month:.1%}/month · {result.currency}"
    )
    table = Table(show_lines=False, header_style="bold")
    table.add_column("Option")
    table.add_column("Kind")
    table.add_column(f"Monthly {result.currency}", justify="right")
    table.add_column(f"{result.currency}/1M tok", justify="right")
    table.add_column("Largest cost lines")
    table.add_column("Replicas / GPUs / util.", justify="right")
    table.add_column("Break-even vs API", justify="right")
    for o in sorted(result.options, key=lambda o: o.monthly_cost):
        sizing = f"{o.replicas} / {o.gpus} / {share(o.utilisation)}" if o.kind == "self_hosted" else "-"
        be = result.headline_break_even(o.name)
        if be is None:
            be_text = "-"
        elif be.tokens_per_month is None:
            be_text = "never"
        else:
            be_text = f"{tokens(be.tokens_per_month)} tok/mo"
            if be.payback_months is not None:
                be_text += f", payback m{be.payback_months}"
        name = f"[bold green]{o.name}[/bold green]" if o.name == result.cheapest else o.name
        table.add_row(
            name,
            o.kind.replace("_", "-"),
            money(o.monthly_cost, result.currency),
            money(o.cost_per_million_tokens, result.currency),
            top_lines(o.breakdown, currency=result.currency),
            sizing,
            be_text,
        )
    console.print(table)
    console.print("[bold]Verdict[/bold]")
    for line in result.verdict:
        console.print(f"  • {line}")
    console.print("[bold]Assumptions[/bold]")
    for line in result.assumptions:
        console.print(f"  - {line}", overflow="fold")
    asof = result.pricing_as_of
    if asof:
        console.print(f"Oldest price used is as of {asof.isoformat()}.")
    return buf.getvalue()
