"""Render a throughput Estimate (table, JSON) and estimated cases (CSV, JSON); pure, no I/O."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import asdict

from costcalc.bands import band_short
from costcalc.render.escape import csv_cell
from costcalc.throughput.estimate import Estimate
from costcalc.throughput.serving.estimated import EstimatedCapacity
from costcalc.throughput.serving.scheduler import describe

ESTIMATE_SCHEMA_VERSION = 1

# (field, label, format) rows of the table view.
TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("concurrency", "concurrency (requests in flight)", "{:,.0f}"),
    ("max_concurrency", "max concurrency that fits", "{:,.0f}"),
    ("output_tokens_per_s", "output tokens/s (replica)", "{:,.1f}"),
    ("requests_per_s", "requests/s", "{:,.3f}"),
    ("prefill_tokens_per_s", "input tokens/s (replica)", "{:,.1f}"),
    ("decode_tokens_per_s", "decode-only output tokens/s", "{:,.1f}"),
    ("ttft_ms", "TTFT ms (mean)", "{:,.1f}"),
    ("tpot_ms", "TPOT ms (mean)", "{:,.2f}"),
    ("output_tokens_per_s_per_user", "output tokens/s per user", "{:,.1f}"),
    ("weights_gb", "weights GB", "{:,.1f}"),
    ("kv_cache_gb_per_request", "KV cache GB per request", "{:,.3f}"),
    ("memory_used_gb", "memory used GB", "{:,.1f}"),
    ("memory_total_gb", "memory total GB", "{:,.1f}"),
)


def _band_text(e: Estimate) -> str:
    """'≥0.49x' / '0.70x-1.72x': actual throughput as factors of the estimate (p90 of calibration)."""
    return band_short(e.error_band) if e.error_band is not None else "unknown"


def render_table(e: Estimate, serving: EstimatedCapacity | None = None, *, width: int = 100) -> str:
    """A two-column table of one estimate no wider than `width`, titled with its configuration; with `serving`,
    the simulated capacity under the SLO and its latency percentiles below."""
    from rich.console import Console
    from rich.table import Table

    title = (
        f"estimated: {e.model} ({e.precision}) on {e.gpu_count}x {e.gpu}, {e.engine}, "
        f"{e.input_tokens} in / {e.output_tokens} out"
    )
    table = Table(show_header=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, label, fmt in TABLE_ROWS:
        table.add_row(label, fmt.format(getattr(e, name)))
    table.add_row("parallelism", e.parallelism)
    table.add_row("actual / estimate (9 in 10 calibration cases)", _band_text(e))
    if not e.meets_slo and e.reason:
        table.add_row("SLO", e.reason)
    if serving is not None and serving.serving is not None:
        for label, value in _serving_rows(serving):
            table.add_row(label, value)
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(table)
    return title + "\n" + out.getvalue()


def _serving_rows(cap: EstimatedCapacity) -> list[tuple[str, str]]:
    """Rows of the simulated capacity: the rate, p50/p95/p99 latencies there, what met the SLO."""
    s = cap.serving
    assert s is not None
    band = band_short(cap.error_band) if cap.error_band is not None else "unknown"
    rows = [("capacity under the SLO, requests/s", f"{s.requests_per_s:,.3f}"), ("its actual / estimate", band)]
    if s.at is not None:
        t, p = s.at.ttft_ms, s.at.tpot_ms
        rows += [
            ("TTFT ms p50 / p95 / p99 (simulated)", f"{t.p50:,.0f} / {t.p95:,.0f} / {t.p99:,.0f}"),
            ("TPOT ms p50 / p95 / p99 (simulated)", f"{p.p50:,.1f} / {p.p95:,.1f} / {p.p99:,.1f}"),
            ("requests in flight (simulated mean)", f"{s.at.mean_running:,.1f}"),
            ("simulated scheduler", describe(s.scheduler)),
        ]
    if s.meets_slo and s.at is not None:
        rows.append(("SLO met", s.targets.met(s.at)))
    elif not s.meets_slo:
        rows.append(("SLO NOT met", s.reason or ""))
    return rows


def serving_dict(cap: EstimatedCapacity) -> dict[str, object]:
    """The simulated capacity as a JSON-ready dict."""
    s = cap.serving
    assert s is not None
    at = s.at
    return {
        "requests_per_s": s.requests_per_s,
        "error_band": cap.error_band,
        "meets_slo": s.meets_slo,
        "ttft_p95_ms_target": s.targets.ttft_p95_ms,
        "min_output_tokens_per_s_per_user_target": s.targets.min_output_tokens_per_s_per_user,
        "ttft_ms": None if at is None else {k: _json_value(v) for k, v in asdict(at.ttft_ms).items()},
        "tpot_ms": None if at is None else {k: _json_value(v) for k, v in asdict(at.tpot_ms).items()},
        "mean_requests_in_flight": None if at is None else at.mean_running,
        "summary": s.summary(),
        "reason": s.reason,
    }


def _json_value(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def estimate_dict(e: Estimate) -> dict[str, object]:
    """The estimate as a JSON-ready dict (infinite latencies of a non-fit become null)."""
    body = {k: _json_value(v) for k, v in asdict(e).items()}
    return {"schema_version": ESTIMATE_SCHEMA_VERSION, "kind": "estimate", **body}


def render_json(e: Estimate, serving: EstimatedCapacity | None = None) -> str:
    """One estimate as indented JSON, keys in field order; `serving` adds the simulated capacity."""
    body = estimate_dict(e)
    if serving is not None and serving.serving is not None:
        body["serving"] = serving_dict(serving)
    return json.dumps(body, indent=2, allow_nan=False) + "\n"


def render_cases_csv(header: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """Cases back as CSV: the input columns in their order, then `estimate` and `reason`."""
    columns = list(header) + [c for c in ("estimate", "reason") if c not in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    return out.getvalue()


def render_cases_json(header: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """Cases as a JSON list of objects in column order; `estimate` a number or null."""
    columns = list(header) + [c for c in ("estimate", "reason") if c not in header]
    items = []
    for row in rows:
        item: dict[str, object] = {c: row.get(c, "") for c in columns}
        item["estimate"] = float(row["estimate"]) if row.get("estimate") else None
        item["reason"] = row.get("reason") or None
        items.append(item)
    return json.dumps(items, indent=2, allow_nan=False) + "\n"
