"""The diff for a terminal: a rich table of options before and after, changed inputs, guardrails."""

from __future__ import annotations

import io
from collections.abc import Sequence

from costcalc.render.diff_common import (
    guardrail_lines,
    maybe_money,
    month,
    signed_money,
    signed_pct,
    status_word,
    summary_line,
    transition,
    value_text,
    volume,
)
from costcalc.render.escape import rich_markup
from costcalc.report.diff import Diff
from costcalc.report.guardrails import Outcome


def render(diff: Diff, *, outcomes: Sequence[Outcome] = (), width: int = 120, color: bool = False) -> str:
    """Text for a terminal (ANSI colours only when `color`)."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, color_system="auto" if color else None, highlight=False
    )
    console.print(f"[bold]{rich_markup(diff.base_label)} → {rich_markup(diff.head_label)}[/bold]", highlight=False)
    console.print(rich_markup(summary_line(diff)), highlight=False)
    table = Table(header_style="bold")
    for col, justify in (
        ("Option", "left"),
        ("Before", "right"),
        ("After", "right"),
        ("Change", "right"),
        ("%", "right"),
        ("Break-even vs API", "right"),
        ("Payback", "right"),
        ("", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for o in diff.options:
        table.add_row(
            rich_markup(o.name),
            maybe_money(o.monthly_cost_before),
            maybe_money(o.monthly_cost_after),
            signed_money(o.monthly_cost_change),
            signed_pct(o.monthly_cost_change_pct),
            transition(volume(o.break_even_tokens_before), volume(o.break_even_tokens_after)),
            transition(month(o.payback_months_before), month(o.payback_months_after)),
            status_word(o),
        )
    console.print(table)
    console.print("[bold]Changed inputs[/bold]")
    if not diff.inputs:
        console.print("  (none)")
    for c in diff.inputs:
        src = f"  [{c.source}, as of {c.as_of}]" if c.source else ""
        console.print(
            rich_markup(f"  {c.path}: {value_text(c.before)} → {value_text(c.after)}{src}"),
            highlight=False,
            overflow="fold",
        )
    if outcomes:
        console.print("[bold]Guardrails[/bold]")
        for line in guardrail_lines(outcomes):
            console.print(f"  {rich_markup(line)}", highlight=False)
    return buf.getvalue()
