"""Render ingested operating points as a table or as JSON (pure functions, no I/O)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from costcalc.throughput.points import LatencyStats, OperatingPoint


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


# 2.0: an object {schema_version, kind, points}, as every JSON costcalc writes is versioned; before, unversioned: a
# bare list of points (as `pricing list` was before its 2.0). A major version: the shape changed.
INGEST_SCHEMA_VERSION = "2.0"


def render_json(points: Sequence[OperatingPoint]) -> str:
    """{'schema_version', 'kind': 'ingest', 'points': [...]}, indented, keys in a fixed order, full precision."""
    doc = {"schema_version": INGEST_SCHEMA_VERSION, "kind": "ingest", "points": [point_to_dict(p) for p in points]}
    return json.dumps(doc, indent=2, allow_nan=False) + "\n"


def _num(value: float | None, digits: int) -> str:
    """A number rounded for display, or '-' when unknown."""
    return "-" if value is None else f"{value:,.{digits}f}"


def render_table(points: Sequence[OperatingPoint], width: int = 120) -> str:
    """One table per file (titled with its tool and path): load, throughput and latency (ms), lengths as room allows."""
    from costcalc.render.layout import Column, render

    def load(p: OperatingPoint) -> str:
        if p.concurrency is not None:
            return _num(p.concurrency, 0)
        return f"rate {p.request_rate_per_s:g}/s" if p.request_rate_per_s is not None else "unbounded"

    parts = []
    for source in dict.fromkeys(p.source for p in points):
        rows = [p for p in points if p.source == source]
        columns = [
            Column("concurrency", [load(p) for p in rows], kind="number"),
            Column("in tok", [_num(p.input_tokens, 0) for p in rows], kind="number", drop=3),
            Column("out tok", [_num(p.output_tokens, 0) for p in rows], kind="number", drop=3),
            Column("req/s", [_num(p.requests_per_s, 3) for p in rows], kind="number", drop=2),
            Column("out tok/s", [_num(p.output_tokens_per_s, 1) for p in rows], kind="number"),
            Column("TTFT p50", [_num(p.ttft_ms.p50, 1) for p in rows], kind="number", drop=4),
            Column("TTFT p95", [_num(p.ttft_ms.p95, 1) for p in rows], kind="number", drop=1),
            Column("TPOT p50", [_num(p.tpot_ms.p50, 2) for p in rows], kind="number", drop=1),
        ]
        parts.append(render(columns, width, title=f"{rows[0].tool}: {source}", elsewhere="as does --format json"))
    return "\n".join(parts)
