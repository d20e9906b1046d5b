"""Price table listings for `costcalc pricing list|show`: table, JSON and CSV text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from costcalc.pricing.book import Priced

SUMMARY_COLUMNS = {
    "api": (
        "id",
        "input_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "output_usd_per_mtok",
        "batch_input_usd_per_mtok",
        "long_context_threshold_tokens",
        "as_of",
    ),
    "seats": ("id", "monthly_usd_per_seat", "annual_usd_per_seat_month", "usage_cap", "as_of"),
    "rental": ("id", "gpu", "gpu_count", "usd_per_gpu_hour", "pricing_type", "region", "as_of"),
    "hardware": ("id", "kind", "gpu", "gpu_count", "price_usd", "as_of"),
    "datacenter": ("id", "value", "unit", "as_of"),
    "fx": ("id", "currency", "per_usd", "as_of"),
}


def row_dict(p: Priced) -> dict[str, Any]:
    """All fields of a row plus its origin, JSON-ready."""
    d = p.row.model_dump(mode="json")
    d["origin"] = p.origin
    return d


def render_json(rows: list[tuple[str, Priced]]) -> str:
    """[{table, ...fields, origin}] sorted as given."""
    return json.dumps([{"table": t, **row_dict(p)} for t, p in rows], indent=2, ensure_ascii=False) + "\n"


def render_csv(rows: list[tuple[str, Priced]]) -> str:
    """One CSV with the union of columns; `table` first."""
    cols: list[str] = ["table"]
    for _, p in rows:
        for k in row_dict(p):
            if k not in cols:
                cols.append(k)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for t, p in rows:
        w.writerow({"table": t, **{k: ("" if v is None else v) for k, v in row_dict(p).items()}})
    return out.getvalue()


def render_table(rows: list[tuple[str, Priced]], width: int = 160) -> str:
    """A rich table per price table with its summary columns."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    tables = []
    for t, _ in rows:
        if t not in tables:
            tables.append(t)
    for t in tables:
        table = Table(title=f"{t} ({sum(1 for x, _ in rows if x == t)} rows)", header_style="bold")
        cols = SUMMARY_COLUMNS[t]
        for c in cols:
            table.add_column(c, overflow="fold")
        for x, p in rows:
            if x != t:
                continue
            d = row_dict(p)
            table.add_row(*["" if d.get(c) is None else str(d.get(c)) for c in cols])
        console.print(table)
    return buf.getvalue()


def render_show(table: str, p: Priced) -> str:
    """Every field of one row, one per line."""
    lines = [f"table: {table}"]
    lines += [f"{k}: {v}" for k, v in row_dict(p).items() if v is not None]
    return "\n".join(lines) + "\n"
