"""Render ingested operating points as a table or as JSON (pure functions, no I/O)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from costcalc.throughput.points import LatencyStats, OperatingPoint

TABLE_WIDTH = 160


def _stats_dict(stats: LatencyStats) -> dict[str, float | None]:
    """LatencyStats as a dict in a fixed key order."""
    return {
        "mean": stats.mean,
        "p50": stats.p50,
        "p90": stats.p90,
        "p95": stats.p95,
        "p99": stats.p99,
    }


def point_to_dict(point: OperatingPoint) -> dict[str, Any]:
    """One point as a JSON-ready dict with stable keys (units in the names; lengths are means)."""
    return {
        "tool": point.tool,
        "source": point.source,
        "model": point.model,
        "concurrency": point.concurrency,
        "request_rate_per_s": point.request_rate_per_s,
        "input_tokens": point.input_tokens,
        "output_tokens": point.output_tokens,
        "requests_per_s": point.requests_per_s,
        "output_tokens_per_s": point.output_tokens_per_s,
        "output_tokens_per_s_per_user": point.output_tokens_per_s_per_user,
        "completed": point.completed,
        "failed": point.failed,
        "ttft_ms": _stats_dict(point.ttft_ms),
        "tpot_ms": _stats_dict(point.tpot_ms),
        "itl_ms": _stats_dict(point.itl_ms),
        "e2e_ms": _stats_dict(point.e2e_ms),
    }


def render_json(points: Sequence[OperatingPoint]) -> str:
    """A JSON list of points, indented, keys in a fixed order, full precision."""
    return json.dumps([point_to_dict(p) for p in points], indent=2) + "\n"


def _num(value: float | None, digits: int) -> str:
    """A number rounded for display, or '-' when unknown."""
    return "-" if value is None else f"{value:,.{digits}f}"


def render_table(points: Sequence[OperatingPoint]) -> str:
    """One row per point: tool, file, load, lengths, throughput and latency (ms)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    for header in (
        "tool",
        "file",
        "concurrency",
        "in tok",
        "out tok",
        "req/s",
        "out tok/s",
        "TTFT p50",
        "TTFT p95",
        "TPOT p50",
    ):
        left = header in ("tool", "file")
        table.add_column(header, justify="left" if left else "right", overflow="fold" if left else "ellipsis")
    for p in points:
        load = (
            _num(p.concurrency, 0)
            if p.concurrency is not None
            else (f"rate {p.request_rate_per_s:g}/s" if p.request_rate_per_s is not None else "unbounded")
        )
        table.add_row(
            p.tool,
            p.source,
            load,
            _num(p.input_tokens, 0),
            _num(p.output_tokens, 0),
            _num(p.requests_per_s, 3),
            _num(p.output_tokens_per_s, 1),
            _num(p.ttft_ms.p50, 1),
            _num(p.ttft_ms.p95, 1),
            _num(p.tpot_ms.p50, 2),
        )
    buffer = io.StringIO()
    Console(file=buffer, width=TABLE_WIDTH, color_system=None, force_terminal=False).print(table)
    return buffer.getvalue()
