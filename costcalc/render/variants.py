"""Named variants side by side: each option's monthly cost and the cheapest option per variant (table or Markdown)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from costcalc.render.numbers import money
from costcalc.report.result import Result


def _rows(results: Mapping[str, Result]) -> tuple[list[str], list[str], list[list[str]]]:
    variants = list(results)
    options = list(dict.fromkeys(o.name for r in results.values() for o in r.options))
    rows = []
    for name in options:
        cells = []
        for v in variants:
            r = results[v]
            found = next((o for o in r.options if o.name == name), None)
            cell = "-" if found is None else money(found.monthly_cost, r.currency)
            cells.append(f"{cell} *" if r.cheapest == name else cell)
        rows.append([name, *cells])
    return variants, options, rows


def render_table(results: Mapping[str, Result], *, width: int = 120) -> str:
    """A rich table: one row per option, one column per variant; * marks each variant's cheapest."""
    from rich.console import Console
    from rich.table import Table

    variants, _, rows = _rows(results)
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    table = Table(title="Variants side by side (monthly cost; * = cheapest)", header_style="bold")
    table.add_column("Option")
    for v in variants:
        table.add_column(v, justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    return buf.getvalue()


def render_markdown(results: Mapping[str, Result]) -> str:
    """A Markdown table of the same."""
    variants, _, rows = _rows(results)
    out = ["", "**Variants side by side** (monthly cost; * = cheapest)", ""]
    out.append("| Option | " + " | ".join(variants) + " |")
    out.append("|---|" + "---:|" * len(variants))
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(out) + "\n"
