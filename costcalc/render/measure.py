"""Render a `costcalc measure` result document as JSON or a summary table (pure, no I/O)."""

from __future__ import annotations

import json
import textwrap
from typing import Any

# (header, level key, stat key or None, drop): the columns of the summary table; drop 0 stays at any width,
# the highest goes first on a narrow terminal.
TABLE_COLUMNS: tuple[tuple[str, str, str | None, int], ...] = (
    ("conc", "concurrency", None, 0),
    ("rate/s", "request_rate_per_s", None, 0),
    ("ok", "requests_completed", None, 0),
    ("failed", "requests_failed", None, 0),
    ("req/s", "requests_per_s", None, 3),
    ("out tok/s", "output_tokens_per_s", None, 0),
    ("in tok", "input_tokens_mean", None, 5),
    ("out tok", "output_tokens_mean", None, 5),
    ("TTFT p50", "ttft_ms", "p50", 2),
    ("TTFT p95", "ttft_ms", "p95", 0),
    ("TPOT p50", "tpot_ms", "p50", 1),
    ("ITL p95", "itl_ms", "p95", 4),
    ("e2e p95", "e2e_ms", "p95", 3),
)
SIGNIFICANT_DIGITS = 4


def render_json(result: dict[str, Any]) -> str:
    """The result document as indented JSON, keys in the document's own (stable) order."""
    return json.dumps(result, indent=2, allow_nan=False) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{SIGNIFICANT_DIGITS}g}" if abs(value) < 10**SIGNIFICANT_DIGITS else f"{value:.0f}"
    return str(value)


def level_name(level: dict[str, Any]) -> str:
    """'concurrency 4' or 'rate 2/s'."""
    rate = level.get("request_rate_per_s")
    return f"concurrency {level['concurrency']}" if rate is None else f"rate {rate:g}/s"


def render_table(result: dict[str, Any], width: int = 120) -> str:
    """One row per level (the columns that fit `width`), then one line per error class seen."""
    from costcalc.render.layout import Column, render

    title = f"{result['model']} at {result['base_url']}, latency in ms"
    if result.get("interrupted"):
        title += " (interrupted: partial)"
    levels = result["levels"]
    columns = []
    for header, key, stat, drop in TABLE_COLUMNS:
        if key == "request_rate_per_s" and not any(key in level for level in levels):
            continue  # the rate column only for request-rate levels
        cells = []
        for level in levels:
            value = level.get(key)
            cells.append(_cell(value.get(stat) if stat and isinstance(value, dict) else value))
        columns.append(Column(header, cells, kind="number", drop=drop))
    text = render(columns, width, title=title, elsewhere="as does the -o JSON file")
    for level in levels:
        for name, count in level.get("errors", {}).items():
            example = level.get("error_examples", {}).get(name, "")
            line = f"{level_name(level)}: {count} x {name}" + (f" ({example})" if example else "")
            text += textwrap.fill(line, width=width, subsequent_indent="  ") + "\n"
    return text
