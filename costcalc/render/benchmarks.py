"""Render the held-out benchmarks behind an error band as a table, JSON or CSV (pure functions, no I/O)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from costcalc.analysis.benchmarks import Benchmark, BenchmarkSet
from costcalc.bands import actual_range
from costcalc.render.layout import Column
from costcalc.render.wrapping import wrap

# 1.1: each row's actual_over_estimate and factor_error (the error the band is the p90 of); 1.2: gpu, model and
# precision (the filters, null where not given; quoted and quoted_p90_error are null where one is given)
SCHEMA_VERSION = "1.2"
MODEL_WRAP = 24  # the model column wraps its longer names (at the space before the precision) on a narrow terminal
GPUS = "GPUs"
METRIC_WORDS = {"output_tokens_per_s": "out tok/s", "decode_tokens_per_s": "decode tok/s", "tpot_ms": "TPOT ms"}
FIELDS = [f.name for f in dataclasses.fields(Benchmark)] + ["error", "actual_over_estimate", "factor_error"]


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def summary(found: BenchmarkSet, engine: str | None, load_class: str | None) -> list[str]:
    """What the rows are and the band they give: 'vllm server: 53 held-out benchmarks ...; p90 error 76.9% ...'; rows
    narrowed to a GPU, model or precision say how many published runs they are (a report's count), not a band."""
    from costcalc.analysis.published_runs import runs_of

    what = ", ".join(w for w in (" ".join(w for w in (engine, load_class) if w), *_narrowed(found)) if w)
    lines = [
        f"{what or 'all engines and load classes'}: {len(found.rows):,} held-out"
        f" benchmark{'' if len(found.rows) == 1 else 's'} (output_tokens_per_s, decode_tokens_per_s and tpot_ms rows"
        " of costcalc/throughput/calibration_holdout.csv; each estimate is the fit's without the row's source)."
    ]
    if found.narrowed:
        runs = len(runs_of(found.rows))
        lines.append(
            f"They are {runs:,} published run{'' if runs == 1 else 's'} as a report counts them (a run's output rate and"
            " the TPOT measured with it count once)."
            if found.rows
            else "None ran this configuration: `costcalc estimate` names the published runs nearest it."
        )
    if found.stats is not None:
        low, high = actual_range(found.stats.p90)
        lines.append(
            f"Error: median {found.stats.median:.1%}, p90 {found.stats.p90:.1%}. The error is a factor either way,"
            f" max(estimate / measured, measured / estimate) - 1: 9 in 10 rows lie within {low:.2f}x-{high:.2f}x"
            " the estimate (column actual/est)."
        )
    if found.quoted_p90 is not None and engine and load_class and not found.narrowed:
        if found.quoted == found.key:
            lines.append(f"Estimates of {engine} {load_class} quote this p90 as their band ({found.quoted_p90:.1%}).")
        else:
            lines.append(
                f"Fewer than 20 rows: estimates of {engine} {load_class} quote the overall band ({found.quoted_p90:.1%})."
            )
    return lines


def _narrowed(found: BenchmarkSet) -> list[str]:
    """'h100-sxm-80gb', 'qwen3-32b', 'bf16': the GPU, model and precision the rows were narrowed to."""
    return [v for v in (found.gpu, found.model, found.precision) if v is not None]


def render_table(found: BenchmarkSet, engine: str | None, load_class: str | None, *, width: int) -> str:
    """The rows (id, GPUs, model, lengths, metric, measured, held-out estimate, actual / estimate, source date) and the
    summary; sources in --format csv or json. Where the GPUs column would give way (80 columns), each row's GPUs go
    under its model in one cell: a row never leaves out where it ran."""
    from costcalc.render.layout import dropped, render

    rows = found.rows
    columns = _columns(found, gpus_apart=True)
    if any(c.header == GPUS for c in dropped(columns, width)):
        columns = _columns(found, gpus_apart=False)
    text = render(columns, width, elsewhere="as do --format json and csv") if rows else ""
    notes = [*summary(found, engine, load_class), "Each row's source: --format csv or json."]
    return "\n".join([text.rstrip("\n"), *(line for n in notes for line in wrap(n, width))]).lstrip("\n") + "\n"


def _columns(found: BenchmarkSet, *, gpus_apart: bool) -> list[Column]:
    """The table's columns: the GPUs in a column of their own, or (`gpus_apart` False) on a line under the model."""
    rows = found.rows
    models = [f"{r.model} {r.precision}".strip() for r in rows]
    gpus = [f"{r.gpu_count}x {r.gpu}" for r in rows]
    if gpus_apart:
        placed = [
            Column(GPUS, gpus, kind="id", drop=1),
            Column("model", models, kind="text", wrap_at=MODEL_WRAP),
        ]
    else:
        placed = [
            Column(f"model\n{GPUS}", [f"{m}\n{g}" for m, g in zip(models, gpus)], kind="text", wrap_at=MODEL_WRAP)
        ]
    return [
        Column("id", [r.case_id for r in rows], kind="id"),
        Column("engine", [r.engine for r in rows], kind="id", drop=3),
        Column("class", [r.load_class for r in rows], kind="id", drop=3),
        *placed,
        Column("in/out", [f"{r.input_tokens:,}/{r.output_tokens:,}" for r in rows], kind="number", drop=2),
        Column("in flight", [r.concurrency or "all" for r in rows], kind="number", drop=2),
        Column("metric", [METRIC_WORDS.get(r.metric, r.metric) for r in rows], kind="id"),
        Column("measured", [_number(r.measured) for r in rows], kind="number"),
        Column("held out", [_number(r.held_out_estimate) for r in rows], kind="number"),
        Column("actual/est", [f"{r.actual_over_estimate:.2f}x" for r in rows], kind="number"),
        Column("source date", [r.source_date for r in rows], kind="id", drop=2),
    ]


def _row(r: Benchmark) -> dict[str, object]:
    return {
        **dataclasses.asdict(r),
        "error": r.error,
        "actual_over_estimate": r.actual_over_estimate,
        "factor_error": r.factor_error,
    }


def render_json(found: BenchmarkSet, engine: str | None, load_class: str | None) -> str:
    """{"schema_version", "kind": "catalog_benchmarks", "engine", "class", "band": {...}, "rows": [...]}."""
    stats = found.stats
    band = {
        "key": found.key,
        "rows": len(found.rows),
        "median_error": stats.median if stats else None,
        "p90_error": stats.p90 if stats else None,
        "quoted": found.quoted if engine and load_class and not found.narrowed else None,
        "quoted_p90_error": found.quoted_p90 if engine and load_class and not found.narrowed else None,
    }
    doc = {
        "schema_version": SCHEMA_VERSION,
        "kind": "catalog_benchmarks",
        "engine": engine,
        "class": load_class,
        "gpu": found.gpu,
        "model": found.model,
        "precision": found.precision,
        "band": band,
        "rows": [_row(r) for r in found.rows],
    }
    return json.dumps(doc, indent=2) + "\n"


def render_csv(found: BenchmarkSet) -> str:
    """One row per benchmark, every field and the error, its source_url and source_date included."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for r in found.rows:
        writer.writerow([_row(r)[f] for f in FIELDS])
    return out.getvalue()
