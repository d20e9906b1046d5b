"""Estimate published benchmark cases row by row, score the errors, and refit the factors."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import CostcalcError, InputError
from costcalc.throughput.estimate import Estimate, estimate
from costcalc.throughput.factors import (
    ENGINES,
    ClassFactors,
    EngineFactors,
    Factors,
    band_key,
)

CASE_COLUMNS: tuple[str, ...] = (
    "gpu",
    "gpu_count",
    "model",
    "precision",
    "engine",
    "input_tokens",
    "output_tokens",
    "concurrency",
    "metric",
)
METRICS: dict[str, Callable[[Estimate], float]] = {
    "output_tokens_per_s": lambda e: e.output_tokens_per_s,
    "prefill_tokens_per_s": lambda e: e.prefill_tokens_per_s,
    # aggregate decode rate with prefill time excluded (llama-batched-bench's S_TG)
    "decode_tokens_per_s": lambda e: e.decode_tokens_per_s,
    "ttft_ms": lambda e: e.ttft_ms,
    "tpot_ms": lambda e: e.tpot_ms,
}
SCENARIOS: tuple[str, ...] = ("offline", "server", "single")
# The published results the factors are fitted on: one row per figure, each with its source URL,
# the source's date and how that date was established (date_basis: commit, stated, read or handover).
CALIBRATION_CSV = Path(__file__).with_name("calibration_data.csv")
# Each row's leave-one-source-out estimate from the last refit: the shipped bands' evidence.
HOLDOUT_CSV = Path(__file__).with_name("calibration_holdout.csv")
PERCENTILE_MEDIAN = 50
PERCENTILE_BAND = 90
# Weight of a row in the fit by the CSV's trust column; unknown trust counts as medium.
TRUST_WEIGHT = {"high": 1.0, "medium": 1.0, "low": 0.5}


def read_cases(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a cases CSV; InputError naming the file if a needed column is missing."""
    from costcalc.inputs import TABLE_MAX_BYTES, read_csv

    header, rows = read_csv(str(path), limit=TABLE_MAX_BYTES, what="a cases CSV")
    missing = [c for c in CASE_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; a cases CSV needs {', '.join(CASE_COLUMNS)}",
            file=str(path),
            line=1,
        )
    return header, rows


def _int_cell(row: dict[str, str], name: str, *, optional: bool = False) -> int | None:
    raw = (row.get(name) or "").strip()
    if raw == "":
        if optional:
            return None
        raise ValueError(f"{name} is empty")
    value = float(raw)
    if value != int(value):
        raise ValueError(f"{name} must be a whole number, got {raw}")
    return int(value)


def row_metric(row: dict[str, str]) -> str:
    """The metric a row measures, as labelled (decode-only rates are labelled decode_tokens_per_s)."""
    return (row.get("metric") or "").strip()


def _expert_parallel(row: dict[str, str]) -> bool:
    """True where the row's expert_parallel column gives a degree above 1 (experts split over GPUs)."""
    raw = (row.get("expert_parallel") or "").strip()
    return raw not in ("", "0", "1")


def estimate_row(
    row: dict[str, str],
    factors: Factors | None = None,
    lookup: tuple[Callable[[str], GpuSpec], Callable[[str], ModelSpec]] | None = None,
) -> tuple[float | None, str | None]:
    """(estimated value of the row's metric, None) or (None, why it could not be estimated)."""
    if lookup is None:
        from costcalc.catalog import get_gpu, get_model

        lookup = (get_gpu, get_model)
    metric = row_metric(row)
    if metric not in METRICS:
        return None, f"unknown metric {metric!r}; valid: {', '.join(METRICS)}"
    try:
        gpu = lookup[0](row["gpu"])
        model = lookup[1](row["model"])
        est = estimate(
            gpu,
            model,
            gpu_count=_int_cell(row, "gpu_count") or 1,
            precision=(row.get("precision") or "").strip() or None,
            engine=(row.get("engine") or "").strip() or "vllm",
            input_tokens=_int_cell(row, "input_tokens") or 0,
            output_tokens=_int_cell(row, "output_tokens") or 0,
            concurrency=_int_cell(row, "concurrency", optional=True),
            factors=factors,
            expert_parallel=_expert_parallel(row),
        )
    except CostcalcError as exc:
        return None, exc.message
    except ValueError as exc:
        return None, str(exc)
    if not est.fits:
        return None, est.reason
    return METRICS[metric](est), None


def estimate_cases(rows: Iterable[dict[str, str]], factors: Factors | None = None, lookup=None) -> list[dict[str, str]]:
    """Every row back, unchanged, with `estimate` (empty when impossible) and `reason` added."""
    out: list[dict[str, str]] = []
    for row in rows:
        value, reason = estimate_row(row, factors, lookup)
        out.append({**row, "estimate": "" if value is None else f"{value:.6g}", "reason": reason or ""})
    return out


@dataclass(frozen=True)
class ErrorStats:
    """Absolute percentage errors of one group of rows, as fractions."""

    rows: int
    median: float
    p90: float


def _percentile(values: Sequence[float], pct: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), pct))


def error_table(
    cases: Sequence[dict[str, str]],
    estimates: Sequence[float | None],
    by: Sequence[str] = ("scenario", "engine"),
) -> dict[str, ErrorStats]:
    """{'overall': ..., 'scenario=offline': ..., 'engine=vllm': ...} over rows with an estimate."""
    groups: dict[str, list[float]] = {"overall": []}
    for row, est in zip(cases, estimates, strict=True):
        if est is None:
            continue
        err = abs(est - float(row["value"])) / float(row["value"])
        groups["overall"].append(err)
        for col in by:
            groups.setdefault(f"{col}={row.get(col, '')}", []).append(err)
    return {
        k: ErrorStats(len(v), _percentile(v, PERCENTILE_MEDIAN), _percentile(v, PERCENTILE_BAND))
        for k, v in sorted(groups.items(), key=lambda kv: (kv[0] != "overall", kv[0]))
        if v
    }


# ---- fitting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Knob:
    """One fitted factor: how to read and write it, its bounds, and its prior."""

    name: str
    get: Callable[[Factors], float]
    set: Callable[[Factors, float], Factors]
    low: float
    high: float


def _engine_knob(engine: str, attr: str, low: float, high: float) -> _Knob:
    def get(f: Factors) -> float:
        return getattr(f.engines[engine], attr)

    def set_(f: Factors, v: float) -> Factors:
        engines = dict(f.engines)
        engines[engine] = replace(engines[engine], **{attr: v})
        return replace(f, engines=engines)

    return _Knob(f"{engine}.{attr}", get, set_, low, high)


def _class_knob(cls: str, attr: str) -> _Knob:
    def get(f: Factors) -> float:
        return getattr(f.classes[cls], attr)

    def set_(f: Factors, v: float) -> Factors:
        classes = dict(f.classes)
        classes[cls] = replace(classes.get(cls, ClassFactors()), **{attr: v})
        return replace(f, classes=classes)

    return _Knob(f"class.{cls}.{attr}", get, set_, 0.25, 4.0)


def _engine_class_knob(key: str, attr: str) -> _Knob:
    def get(f: Factors) -> float:
        return getattr(f.engine_classes.get(key, ClassFactors()), attr)

    def set_(f: Factors, v: float) -> Factors:
        extra = dict(f.engine_classes)
        extra[key] = replace(extra.get(key, ClassFactors()), **{attr: v})
        return replace(f, engine_classes=extra)

    return _Knob(f"{key}.{attr}", get, set_, 0.1, 4.0)


def knobs() -> list[_Knob]:
    """The factors the calibration fits (datacenter class is the reference, fixed at 1)."""
    out: list[_Knob] = []
    for e in ENGINES:
        out.append(_engine_knob(e, "bandwidth_efficiency", 0.2, 1.0))
        out.append(_engine_knob(e, "compute_efficiency", 0.05, 1.0))
        out.append(_engine_knob(e, "step_overhead_ms", 0.02, 30.0))
    for cls in ("workstation", "apple"):
        out.append(_class_knob(cls, "bandwidth"))
        out.append(_class_knob(cls, "compute"))
    out.append(_engine_class_knob("llamacpp/datacenter", "compute"))
    out.append(
        _Knob(
            "comm_bandwidth_efficiency",
            lambda f: f.comm_bandwidth_efficiency,
            lambda f, v: replace(f, comm_bandwidth_efficiency=v),
            0.2,
            1.0,
        )
    )
    out.append(
        _Knob(
            "fp4_compute_efficiency",
            lambda f: f.fp4_compute_efficiency,
            lambda f, v: replace(f, fp4_compute_efficiency=v),
            0.2,
            1.0,
        )
    )
    out.append(
        _Knob(
            "moe_bandwidth_efficiency",
            lambda f: f.moe_bandwidth_efficiency,
            lambda f, v: replace(f, moe_bandwidth_efficiency=v),
            0.2,
            1.0,
        )
    )
    out.append(
        _Knob(
            "moe_compute_efficiency",
            lambda f: f.moe_compute_efficiency,
            lambda f, v: replace(f, moe_compute_efficiency=v),
            0.05,
            1.0,
        )
    )
    out.append(
        _Knob(
            "comm_latency_us",
            lambda f: f.comm_latency_us,
            lambda f, v: replace(f, comm_latency_us=v),
            1.0,
            200.0,
        )
    )
    return out


def fit_factors(
    cases: Sequence[dict[str, str]],
    start: Factors,
    lookup=None,
    *,
    rounds: int = 6,
    prior_weight: float = 0.02,
) -> Factors:
    """Coordinate search in log space minimising the weighted mean |log(estimate/measured)|.

    L1 in log space aims at the median error. A small pull toward the starting (prior) value
    keeps factors that few rows inform (an engine with one row) near physically sensible values.
    """
    import numpy as np

    measured = np.array([float(r["value"]) for r in cases])
    weights = np.array([TRUST_WEIGHT.get((r.get("trust") or "").strip(), 1.0) for r in cases])
    priors = {k.name: k.get(start) for k in knobs()}

    def loss(f: Factors) -> float:
        total = 0.0
        for row, value, w in zip(cases, measured, weights, strict=True):
            est, _ = estimate_row(row, f, lookup)
            if est is None or est <= 0 or not math.isfinite(est):
                continue
            total += w * abs(math.log(est / value))
        penalty = sum((math.log(k.get(f) / priors[k.name])) ** 2 for k in knobs())
        return total / float(weights.sum()) + prior_weight * penalty

    current = start
    best = loss(current)
    steps = [2.0, 1.5, 1.25, 1.1, 1.05, 1.02]
    for rnd in range(rounds):
        step = steps[min(rnd, len(steps) - 1)]
        for knob in knobs():
            value = knob.get(current)
            for mult in (1 / step**2, 1 / step, step, step**2):
                trial_value = min(max(value * mult, knob.low), knob.high)
                if trial_value == value:
                    continue
                trial = knob.set(current, trial_value)
                trial_loss = loss(trial)
                if trial_loss < best:
                    best, current, value = trial_loss, trial, trial_value
    return current


def source_of(row: dict[str, str]) -> str:
    """The document a row comes from (its source URL without the fragment)."""
    return (row.get("source_url") or "").split("#")[0]


def _held_out(args: tuple) -> list[tuple[int, float | None]]:
    """Estimates of one source's rows from factors fitted on every other source (a worker's task)."""
    cases, src, lookup, rounds = args
    train = [r for r in cases if source_of(r) != src]
    f_cv = fit_factors(train, prior_factors(), lookup, rounds=rounds)
    return [(i, estimate_row(r, f_cv, lookup)[0]) for i, r in enumerate(cases) if source_of(r) == src]


def leave_one_source_out(
    cases: Sequence[dict[str, str]], lookup=None, *, rounds: int = 4, workers: int = 1
) -> list[float | None]:
    """Each row estimated with factors fitted from the priors on every other source's rows.

    The errors of these estimates are what a user should expect on hardware, models and
    benchmarks the calibration has not seen; they set the shipped error bands. `workers` > 1
    fits the sources in that many processes (the result does not depend on it).
    """
    tasks = [(list(cases), src, lookup, rounds) for src in sorted({source_of(r) for r in cases})]
    out: dict[int, float | None] = {}
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_held_out, tasks):
                out.update(part)
    else:
        for task in tasks:
            out.update(_held_out(task))
    return [out[i] for i in range(len(cases))]


# The band is quoted on an estimate's output tokens/s, so it is taken from the rows that measure
# an output rate (TTFT and prompt-processing rows have their own, larger, errors).
BAND_METRICS = frozenset({"output_tokens_per_s", "decode_tokens_per_s", "tpot_ms"})
# An engine and scenario class gets its own band only with at least this many held-out rows;
# below it the p90 of so few errors is noise, and the overall band applies.
BAND_MIN_ROWS = 20


def band_table(cases: Sequence[dict[str, str]], estimates: Sequence[float | None]) -> dict[str, ErrorStats]:
    """Error of the output-rate rows: 'overall' and one 'engine/scenario' group per class."""
    groups: dict[str, list[float]] = {"overall": []}
    for row, est in zip(cases, estimates, strict=True):
        if est is None or row_metric(row) not in BAND_METRICS:
            continue
        err = abs(est - float(row["value"])) / float(row["value"])
        groups["overall"].append(err)
        groups.setdefault(band_key(row.get("engine", ""), row.get("scenario", "")), []).append(err)
    return {
        k: ErrorStats(len(v), _percentile(v, PERCENTILE_MEDIAN), _percentile(v, PERCENTILE_BAND))
        for k, v in sorted(groups.items(), key=lambda kv: (kv[0] != "overall", kv[0]))
        if v
    }


def with_error_bands(f: Factors, table: dict[str, ErrorStats], fitted_on: str) -> Factors:
    """Factors carrying the overall p90 error and that of every class with BAND_MIN_ROWS rows.

    Pass band_table of the leave-one-source-out estimates: in-sample errors understate the
    error on unseen GPUs and models.
    """
    bands = {"overall": table["overall"].p90}
    for key, stats in table.items():
        if key != "overall" and stats.rows >= BAND_MIN_ROWS:
            bands[key] = stats.p90
    return replace(f, error_bands=bands, fitted_on=fitted_on)


def write_holdout(cases: Sequence[dict[str, str]], estimates: Sequence[float | None], path: Path = HOLDOUT_CSV) -> None:
    """Write case_id, engine, scenario, metric, value and held-out estimate, one row per case."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case_id", "engine", "scenario", "metric", "value", "held_out_estimate"])
        for row, est in zip(cases, estimates, strict=True):
            w.writerow(
                [
                    row["case_id"],
                    row["engine"],
                    row["scenario"],
                    row["metric"],
                    row["value"],
                    "" if est is None else f"{est:.6g}",
                ]
            )


def read_holdout(path: Path = HOLDOUT_CSV) -> tuple[list[dict[str, str]], list[float | None]]:
    """The rows and held-out estimates write_holdout wrote."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows, [float(r["held_out_estimate"]) if r["held_out_estimate"] else None for r in rows]


# Where a refit starts, and what it is pulled toward: physically plausible values, stated once.
# fp4_compute_efficiency starts at 1 (no penalty) so only the data can lower it.
# max_batch, memory_utilization and runtime_overhead_gb are engine defaults and are not fitted
# (vLLM's max_batch is 1024 on GPUs of 70 GiB or more except A100s, else 256: factors.py):
# vLLM and SGLang reserve ~0.9 of GPU memory (gpu_memory_utilization / mem_fraction_static),
# TensorRT-LLM gives 0.9 of free memory to its KV cache, llama.cpp maps all layers to the GPU,
# and macOS lets the GPU wire about 0.75-0.8 of unified memory. request_overhead_ms (not fitted:
# the CSV's TTFT rows are in-process benchmarks) is the gap between a served TTFT and its
# compute: GPUStack's vLLM run of Qwen3-8B on one H100 (233-token prompts) reports a mean TTFT
# of 59 ms where the prefill itself takes ~12 ms; SGLang is assumed alike. In-process benchmarks
# (trtllm-bench, llama-bench, mlx_lm) have none.
PRIOR_FACTORS: dict = {
    "comm_latency_us": 10.0,
    "moe_compute_efficiency": 0.5,
    "moe_bandwidth_efficiency": 1.0,
    "comm_bandwidth_efficiency": 0.8,
    "fp4_compute_efficiency": 1.0,
    "engine_classes": {"llamacpp/datacenter": {"bandwidth": 1.0, "compute": 1.0}},
    "engines": {
        "trtllm": {
            "bandwidth_efficiency": 0.8,
            "compute_efficiency": 0.6,
            "step_overhead_ms": 0.3,
            "memory_utilization": 0.9,
            "runtime_overhead_gb": 2.0,
            "max_batch": 2048,
        },
        "vllm": {
            "request_overhead_ms": 45.0,
            "bandwidth_efficiency": 0.75,
            "compute_efficiency": 0.5,
            "step_overhead_ms": 0.5,
            "memory_utilization": 0.9,
            "runtime_overhead_gb": 2.0,
            "max_batch": 1024,
            "max_batch_small_gpu": 256,
        },
        "sglang": {
            "request_overhead_ms": 45.0,
            "bandwidth_efficiency": 0.75,
            "compute_efficiency": 0.5,
            "step_overhead_ms": 0.5,
            "memory_utilization": 0.88,
            "runtime_overhead_gb": 2.0,
            "max_batch": 1024,
        },
        "llamacpp": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.95,
            "runtime_overhead_gb": 0.5,
            "max_batch": 64,
        },
        "mlx": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.8,
            "runtime_overhead_gb": 0.5,
            "max_batch": 32,
        },
    },
    "classes": {
        "datacenter": {"bandwidth": 1.0, "compute": 1.0},
        "workstation": {"bandwidth": 1.0, "compute": 1.0},
        "apple": {"bandwidth": 1.0, "compute": 1.0},
    },
}


def prior_factors() -> Factors:
    """The starting point of every refit, so a refit does not depend on the last one."""
    return Factors.from_dict({**PRIOR_FACTORS, "fitted_on": "priors"})


__all__ = [
    "BAND_METRICS",
    "BAND_MIN_ROWS",
    "CALIBRATION_CSV",
    "CASE_COLUMNS",
    "METRICS",
    "EngineFactors",
    "band_table",
    "ErrorStats",
    "HOLDOUT_CSV",
    "read_holdout",
    "write_holdout",
    "error_table",
    "estimate_cases",
    "estimate_row",
    "fit_factors",
    "leave_one_source_out",
    "prior_factors",
    "read_cases",
    "row_metric",
    "source_of",
    "with_error_bands",
]
