"""`recommend` as CSV: one row per ranked candidate (then the frontier's others), units in the column names."""

from __future__ import annotations

import csv
import io

from costcalc.analysis.published_runs import nearest_cell
from costcalc.analysis.recommend.result import Candidate, Recommendation
from costcalc.render.escape import csv_cell
from costcalc.report.result import rounded
from costcalc.report.run_evidence import runs_said

COLUMNS = (
    "rank",
    "name",
    "model",
    "gpu",
    "gpus_per_replica",
    "precision",
    "engine",
    "offer",
    "provider",
    "pricing_type",
    "acquisition",
    "monthly_cost",
    "cost_per_million_tokens",
    "monthly_cost_low",
    "monthly_cost_high",
    "replicas",
    "gpus",
    "utilisation",
    "basis",
    "error_band",
    "requests_per_s_per_replica",
    "ttft_p95_ms",
    "tpot_p95_ms",
    "published_runs_nearest",
    "published_runs_summary",
    "gap_to_cheapest_api",
    "gap_to_cheapest_seat",
    "pareto",
)


def _row(c: Candidate, pareto: bool) -> list[object]:
    t = c.throughput
    values = {
        **c.model_dump(),
        "basis": t.basis,
        "error_band": t.error_band,
        "requests_per_s_per_replica": t.requests_per_s_per_replica,
        "ttft_p95_ms": t.ttft_p95_ms,
        "tpot_p95_ms": t.tpot_p95_ms,
        "published_runs_nearest": nearest_cell(t.published_runs),
        # the runs in words: where those of its own configuration disagree with its range, that (as report -f csv's
        # published_runs and the verdict's 'Published runs:' line say it: report/run_evidence.runs_said); else the summary
        "published_runs_summary": None if t.published_runs is None else runs_said(t.published_runs, t.allowed_range()),
        "pareto": pareto,
    }
    return [
        "" if values[k] is None else csv_cell(v) if isinstance(v := rounded(values[k]), str) else v for k in COLUMNS
    ]


def render(rec: Recommendation) -> str:
    """CSV text; money columns are in the recommendation's currency (named in the header)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    money = {"monthly_cost", "cost_per_million_tokens", "monthly_cost_low", "monthly_cost_high"}
    writer.writerow([f"{k}_{rec.currency.lower()}" if k in money or k.startswith("gap_") else k for k in COLUMNS])
    on_frontier = {c.name for c in rec.pareto}
    shown = {c.name for c in rec.candidates}
    for c in rec.candidates:
        writer.writerow(_row(c, c.name in on_frontier))
    for c in rec.pareto:
        if c.name not in shown:
            writer.writerow(_row(c, True))
    return buf.getvalue()
