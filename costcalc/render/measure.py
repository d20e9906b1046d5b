"""Render a `costcalc measure` result document as JSON or a summary table (pure, no I/O)."""

from __future__ import annotations

import io
import json
from typing import Any

# (header, level key, stat key or None): the columns of the summary table.
TABLE_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("conc", "concurrency", None),
    ("ok", "requests_completed", None),
    ("failed", "requests_failed", None),
    ("req/s", "requests_per_s", None),
    ("out tok/s", "output_tokens_per_s", None),
    ("in tok", "input_tokens_mean", None),
    ("out tok", "output_tokens_mean", None),
    ("TTFT p50 ms", "ttft_ms", "p50"),
    ("TTFT p95 ms", "ttft_ms", "p95"),
    ("TPOT p50 ms", "tpot_ms", "p50"),
    ("ITL p95 ms", "itl_ms", "p95"),
    ("e2e p95 ms", "e2e_ms", "p95"),
)
SIGNIFICANT_DIGITS = 4


def render_json(result: dict[str, Any]) -> str:
    """The result document as indented JSON, keys in the document's own (stable) order."""
    return json.dumps(result, indent=2) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{SIGNIFICANT_DIGITS}g}" if abs(value) < 10**SIGNIFICANT_DIGITS else f"{value:.0f}"
    return str(value)


def render_table(result: dict[str, Any]) -> str:
    """One row per concurrency level, then one line per error class seen."""
    from rich.console import Console
    from rich.table import Table

    title = f"{result['model']} at {result['base_url']}"
    if result.get("interrupted"):
        title += " (interrupted: partial)"
    table = Table(title=title)
    for header, _, _ in TABLE_COLUMNS:
        table.add_column(header, justify="right")
    for level in result["levels"]:
        cells = []
        for _, key, stat in TABLE_COLUMNS:
            value = level.get(key)
            cells.append(_cell(value.get(stat) if stat and isinstance(value, dict) else value))
        table.add_row(*cells)
    console = Console(file=io.StringIO(), width=160, color_system=None, record=True)
    console.print(table)
    text = console.export_text()
    for level in result["levels"]:
        for name, count in level.get("errors", {}).items():
            example = level.get("error_examples", {}).get(name, "")
            text += f"concurrency {level['concurrency']}: {count} x {name}"
            text += f" ({example})\n" if example else "\n"
    return text
