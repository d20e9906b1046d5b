"""Named variants side by side: each option's monthly cost and the cheapest option per variant (table or Markdown)."""

from __future__ import annotations

from collections.abc import Mapping

from costcalc.render.escape import user_markdown
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
    """One row per option, one column per variant (* marks each variant's cheapest), fitted to `width`: rows stack
    when the variants do not fit side by side."""
    from costcalc.render.layout import Column, render

    variants, _, rows = _rows(results)
    columns = [Column("Option", [r[0] for r in rows], kind="text", wrap_at=28)]
    columns += [Column(v, [r[i + 1] for r in rows], kind="number") for i, v in enumerate(variants)]
    return "\n" + render(columns, width, title="Variants side by side (monthly cost; * = cheapest)")


def render_markdown(results: Mapping[str, Result]) -> str:
    """A Markdown table of the same."""
    variants, _, rows = _rows(results)
    out = ["", "**Variants side by side** (monthly cost; * = cheapest)", ""]
    out.append("| Option | " + " | ".join(user_markdown(v) for v in variants) + " |")
    out.append("|---|" + "---:|" * len(variants))
    out += ["| " + " | ".join([user_markdown(row[0]), *row[1:]]) + " |" for row in rows]  # costs are ours, names not
    return "\n".join(out) + "\n"
