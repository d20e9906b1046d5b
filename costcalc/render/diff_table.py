"""The diff for a terminal: options before and after (fitted to the width), changed inputs, guardrails."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.diff_common import (
    GUARDRAILS_ON_BASE,
    change_money,
    guardrail_lines,
    maybe_money,
    month,
    shown_variants,
    signed_pct,
    status_word,
    summary_line,
    transition,
    value_text,
    variants_unchanged_line,
    volume,
)
from costcalc.render.escape import terminal
from costcalc.report.diff import Diff
from costcalc.report.guardrails import Outcome


def render(diff: Diff, *, outcomes: Sequence[Outcome] = (), width: int = 120, color: bool = False) -> str:
    """Text for a terminal fitted to `width` (ANSI styles only when `color`); names and values shown as written."""
    from costcalc.render.layout import Column, linked_note
    from costcalc.render.layout import render as render_columns
    from costcalc.render.wrapping import wrap

    def say(text: str, indent: str = "") -> list[str]:  # labels, paths and sources: no control characters
        return wrap(terminal(text), width, first=indent, rest=indent + "  ")

    lines = [*say(f"{diff.base_label} → {diff.head_label}"), *say(summary_line(diff))]
    opts, cur = diff.options, diff.head.currency
    columns = [
        Column("Option", [o.name for o in opts], kind="text", wrap_at=28),
        Column("Before", [maybe_money(o.monthly_cost_before, cur) for o in opts], kind="number"),
        Column("After", [maybe_money(o.monthly_cost_after, cur) for o in opts], kind="number"),
        Column("Change", [change_money(o, cur) for o in opts], kind="number", drop=3),
        Column("%", [signed_pct(o.monthly_cost_change_pct) for o in opts], kind="number", drop=2),
        Column(
            "Break-even vs API",
            [transition(volume(o.break_even_tokens_before), volume(o.break_even_tokens_after)) for o in opts],
            kind="text",
            drop=4,
        ),
        Column(
            "Payback",
            [transition(month(o.payback_months_before), month(o.payback_months_after)) for o in opts],
            kind="text",
            drop=5,
        ),
        Column("", [status_word(o) for o in opts], kind="id", drop=1, name="Status"),
    ]
    text = (
        "\n".join(lines)
        + "\n"
        + render_columns(columns, width, color=color, elsewhere="as do --format markdown and json")
    )
    out = _variants(diff, width, color) if diff.variants else []
    out.append("Changed inputs")
    if not diff.inputs:
        out.append("  (none)")
    for c in diff.inputs:
        src = f" ({c.source}, as of {c.as_of})" if c.source else ""
        said = f"{c.path}: {value_text(c.before)} → {value_text(c.after)}{src}"
        if color and src:  # on a terminal each piece of a folded source URL links (OSC 8) to the whole address
            out.append(linked_note(said, width, color=True, first="  ", rest="    ").rstrip("\n"))
        else:
            out += say(said, indent="  ")
    if outcomes:
        out.append(f"Guardrails ({GUARDRAILS_ON_BASE})" if diff.variants else "Guardrails")
        for line in guardrail_lines(outcomes):
            out += say(line, indent="  ")
    return text + "\n".join(out) + "\n"


def _variants(diff: Diff, width: int, color: bool) -> list[str]:
    """'Variants (monthly cost)': each variant's option whose cost moved, before and after, then those unchanged."""
    from costcalc.render.layout import Column
    from costcalc.render.layout import render as render_columns

    cur, shown = diff.head.currency, shown_variants(diff)
    out = ["Variants (monthly cost)"]
    if shown:
        columns = [
            Column("Variant", [v.variant for v in shown], kind="text", wrap_at=20),
            Column("Option", [v.option for v in shown], kind="text", wrap_at=28),
            Column("Before", [maybe_money(v.monthly_cost_before, cur) for v in shown], kind="number"),
            Column("After", [maybe_money(v.monthly_cost_after, cur) for v in shown], kind="number"),
            Column("%", [signed_pct(v.monthly_cost_change_pct) for v in shown], kind="number", drop=1),
            Column("", [v.status if v.status != "changed" else "" for v in shown], kind="id", drop=2, name="Status"),
        ]
        out += render_columns(columns, width, color=color).rstrip("\n").split("\n")
    if line := variants_unchanged_line(diff):
        out.append(f"  {terminal(line)}")
    return out
