"""Estimate published benchmark cases row by row, score the errors, and refit the factors."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import CostcalcError, InputError
from costcalc.throughput.estimate import Estimate, estimate
from costcalc.throughput.factors import (
    ENGINES,
    ClassFactors,
    EngineFactors,
    Factors,
    band_key,
    gpu_class,
)
from costcalc.throughput.protocols import CLOSED_LOOPS, BenchmarkRun, Protocol, run_benchmark
from costcalc.throughput.serving.scheduler import parse_server_args

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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
    # mean request latency, send to last token (the steady state: TTFT plus the decode of the rest)
    "e2e_latency_ms": lambda e: e.ttft_ms + max(e.output_tokens - 1, 0) * e.tpot_ms,
}
# A served benchmark (protocol burst, closed_loop or rate) reports these from its simulated run.
SERVED_METRICS: dict[str, Callable[[BenchmarkRun], float]] = {
    "output_tokens_per_s": lambda r: r.output_tokens_per_s,
    "ttft_ms": lambda r: r.mean_ttft_ms,
    "tpot_ms": lambda r: r.mean_tpot_ms,
    "e2e_latency_ms": lambda r: r.mean_e2e_latency_ms,
}
SCENARIOS: tuple[str, ...] = ("offline", "server", "single")
# The published results the factors are fitted on: one row per figure, each with its source URL,
# the source's date and how that date was established (date_basis: commit, stated, read or handover).
# engine_version is the engine release the source states (blank: today's defaults) and engine_args the
# scheduler flags its server was started with, as stated (serving.scheduler reads vLLM's; blank: none),
# plus --quantization where the checkpoint's own config names the method vLLM loads it with (Meta's FP8
# checkpoints: fbgemm_fp8), which is what vLLM does unasked, --num-gpu-blocks-override where a
# source's own log of that server states the KV block count its memory profiling gave, and
# --kv-cache-dtype where the cache's element type follows from the checkpoint rather than the engine's
# default for its precision (TensorRT-LLM serving a block-scaled FP8 release that names no KV
# quantisation: bfloat16; see serving.scheduler), which is what the engine does unasked; likewise
# --quantization fp8_block_scales on TensorRT-LLM and SGLang rows whose checkpoint scales its FP8
# weights per 128x128 block (Qwen's -FP8 releases, DeepSeek-V3/R1's own weights; timing.BLOCK_SCALED_FP8).
# --enable-chunked-prefill=False where the benchmark script itself passed False to the engine (vLLM's
# benchmark_throughput.py of the 0.6 line: a store_true flag handed to LLM(enable_chunked_prefill=...)).
CALIBRATION_CSV = Path(__file__).with_name("calibration_data.csv")
# Each row's leave-one-source-out estimate from the last refit: the shipped bands' evidence.
HOLDOUT_CSV = Path(__file__).with_name("calibration_holdout.csv")
PERCENTILE_MEDIAN = 50
PERCENTILE_BAND = 90
# Weight of a row in the fit by the CSV's trust column; unknown trust counts as medium.
TRUST_WEIGHT = {"high": 1.0, "medium": 1.0, "low": 0.5}
# Resolves a row's GPU and model names (the catalog's get_gpu and get_model unless a test passes its own).
Lookup = tuple[Callable[[str], GpuSpec], Callable[[str], ModelSpec]]
_Spec = TypeVar("_Spec", GpuSpec, ModelSpec)


class _Shape(TypedDict):
    """The replica and request a row states, as the keyword arguments estimate() and run_benchmark() share."""

    gpu_count: int
    precision: str | None
    engine: str
    input_tokens: int
    output_tokens: int
    factors: Factors | None
    expert_parallel: bool


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


def int_cell(row: dict[str, str], name: str, *, optional: bool = False) -> int | None:
    """A whole-number cell of a row (None for an empty optional one); ValueError naming the column otherwise."""
    raw = (row.get(name) or "").strip()
    if raw == "":
        if optional:
            return None
        raise ValueError(f"{name} is empty")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}: write a plain number (no units or k/M suffixes), not {raw!r}") from None
    if not math.isfinite(value) or value != int(value):
        raise ValueError(f"{name} must be a whole number, got {raw}")
    return int(value)


def row_metric(row: dict[str, str]) -> str:
    """The metric a row measures, as labelled (decode-only rates are labelled decode_tokens_per_s)."""
    return (row.get("metric") or "").strip()


def row_protocol(row: dict[str, str]) -> Protocol:
    """How the row's benchmark loaded the server (no protocol column: in_process)."""
    rate = (row.get("request_rate") or "").strip()
    return Protocol(
        (row.get("protocol") or "").strip() or "in_process",
        num_prompts=int_cell(row, "num_prompts", optional=True),
        concurrency=int_cell(row, "concurrency", optional=True),
        rate_per_s=float(rate) if rate else None,
        dataset=(row.get("dataset") or "").strip() or "fixed",
    )


def _expert_parallel(row: dict[str, str]) -> bool:
    """True where the row's expert_parallel column gives a degree above 1 (experts split over GPUs)."""
    raw = (row.get("expert_parallel") or "").strip()
    return raw not in ("", "0", "1")


def _looked_up(find: Callable[[str], _Spec], row: dict[str, str], column: str) -> _Spec:
    """The catalog entry the row's `column` names; an id it does not know is refused as that column's, as every
    other bad cell is ('gpu: unknown GPU id ...')."""
    try:
        return find(row[column])
    except InputError as exc:
        if exc.param is None:
            exc.param = column
        raise


def estimate_row(
    row: dict[str, str],
    factors: Factors | None = None,
    lookup: Lookup | None = None,
) -> tuple[float | None, str | None]:
    """(estimated value of the row's metric, None) or (None, why it could not be estimated)."""
    if lookup is None:
        from costcalc.catalog import get_gpu, get_model

        lookup = (get_gpu, get_model)
    metric = row_metric(row)
    if metric not in METRICS:
        return None, f"unknown metric {metric!r}; valid: {', '.join(METRICS)}"
    try:
        gpu = _looked_up(lookup[0], row, "gpu")
        model = _looked_up(lookup[1], row, "model")
        protocol = row_protocol(row)
        shape: _Shape = {
            "gpu_count": int_cell(row, "gpu_count") or 0,  # not optional: empty raised; 0 is refused by estimate
            "precision": (row.get("precision") or "").strip() or None,
            "engine": (row.get("engine") or "").strip() or "vllm",
            "input_tokens": int_cell(row, "input_tokens") or 0,
            "output_tokens": int_cell(row, "output_tokens") or 0,
            "factors": factors,
            "expert_parallel": _expert_parallel(row),
        }
        if protocol.kind != "in_process":
            if metric not in SERVED_METRICS:
                return None, f"a {protocol.kind} benchmark reports {', '.join(SERVED_METRICS)}, not {metric}"
            version = (row.get("engine_version") or "").strip() or None
            stated = parse_server_args(shape["engine"], row.get("engine_args"))
            run, reason = run_benchmark(gpu, model, protocol, engine_version=version, server_args=stated, **shape)
            return (None, reason) if run is None else (SERVED_METRICS[metric](run), None)
        stated = parse_server_args(shape["engine"], row.get("engine_args"))
        est = estimate(
            gpu,
            model,
            concurrency=int_cell(row, "concurrency", optional=True),
            quantization=stated.quantization,
            kv_cache_dtype=stated.kv_cache_dtype,
            **shape,
        )
    except InputError as exc:  # a bad argument is named by its parameter, which is the column of the same name
        return None, exc.message if exc.param is None else f"{exc.param}: {exc.detail}"
    except CostcalcError as exc:
        return None, exc.message
    except ValueError as exc:
        return None, str(exc)
    if not est.fits:
        return None, est.reason
    return METRICS[metric](est), None


def estimate_cases(
    rows: Iterable[dict[str, str]], factors: Factors | None = None, lookup: Lookup | None = None
) -> list[dict[str, str]]:
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
class FitRow:
    """A calibration row resolved once for fitting: what a factor's scope is decided on."""

    row: dict[str, str]
    gpu: GpuSpec
    model: ModelSpec
    engine: str
    gpu_class: str
    gpu_count: int
    precision: str


def _fit_row(row: dict[str, str], lookup: Lookup) -> FitRow | None:
    """The row resolved, or None when it names no known GPU or model (it never has an estimate)."""
    try:
        gpu, model = lookup[0](row["gpu"]), lookup[1](row["model"])
        count = int_cell(row, "gpu_count") or 1
    except (CostcalcError, ValueError):
        return None
    return FitRow(
        row=row,
        gpu=gpu,
        model=model,
        engine=(row.get("engine") or "").strip() or "vllm",
        gpu_class=gpu_class(gpu),
        gpu_count=count,
        precision=(row.get("precision") or "").strip() or model.native_precision,
    )


def _everywhere(_: FitRow) -> bool:
    return True


@dataclass(frozen=True)
class _Knob:
    """One fitted factor: how to read and write it, its bounds, and which rows it can move.

    scope(row) is False only where the factor cannot change the row's estimate (another engine's
    factor, a GPU class the row is not in, communication on one GPU): the fit skips those rows.
    """

    name: str
    get: Callable[[Factors], float]
    set: Callable[[Factors, float], Factors]
    low: float
    high: float
    scope: Callable[[FitRow], bool] = _everywhere


_Dataclass = TypeVar("_Dataclass", bound="DataclassInstance")


def _with_field(obj: _Dataclass, name: str, value: float) -> _Dataclass:
    """`obj` with the float field a knob names set to `value` (dataclasses.replace; unknown names raise TypeError).

    A knob addresses its factor by the field's name, a string known only at run time, so the
    field's type is not checked statically: every knob names a float field.
    """
    return replace(obj, **{name: value})


def _field(obj: DataclassInstance, name: str) -> float:
    """The float field a knob names (getattr is typed Any; test_each_factor_sets_one_float_field checks the type)."""
    value: float = getattr(obj, name)
    return value


def _engine_knob(
    engine: str, attr: str, low: float, high: float, scope: Callable[[FitRow], bool] = _everywhere
) -> _Knob:
    def get(f: Factors) -> float:
        return _field(f.engines[engine], attr)

    def set_(f: Factors, v: float) -> Factors:
        engines = dict(f.engines)
        engines[engine] = _with_field(engines[engine], attr, v)
        return replace(f, engines=engines)

    return _Knob(f"{engine}.{attr}", get, set_, low, high, lambda r: r.engine == engine and scope(r))


def _class_knob(cls: str, attr: str) -> _Knob:
    def get(f: Factors) -> float:
        return _field(f.classes[cls], attr)

    def set_(f: Factors, v: float) -> Factors:
        classes = dict(f.classes)
        classes[cls] = replace(classes.get(cls, ClassFactors()), **{attr: v})
        return replace(f, classes=classes)

    return _Knob(f"class.{cls}.{attr}", get, set_, 0.25, 4.0, lambda r: r.gpu_class == cls)


def _engine_class_knob(key: str, attr: str) -> _Knob:
    def get(f: Factors) -> float:
        return _field(f.engine_classes.get(key, ClassFactors()), attr)

    def set_(f: Factors, v: float) -> Factors:
        extra = dict(f.engine_classes)
        extra[key] = replace(extra.get(key, ClassFactors()), **{attr: v})
        return replace(f, engine_classes=extra)

    engine, cls = key.split("/")
    return _Knob(f"{key}.{attr}", get, set_, 0.1, 4.0, lambda r: r.engine == engine and r.gpu_class == cls)


def _global_knob(name: str, low: float, high: float, scope: Callable[[FitRow], bool] = _everywhere) -> _Knob:
    return _Knob(name, lambda f: getattr(f, name), lambda f, v: _with_field(f, name, v), low, high, scope)


def _multi_gpu(r: FitRow) -> bool:
    return r.gpu_count > 1


def _moe(r: FitRow) -> bool:
    from costcalc.throughput.memory import is_moe

    return is_moe(r.model)


def _fp4_cores(r: FitRow) -> bool:
    from costcalc.throughput.timing import runs_on_fp4_tensor_cores

    return runs_on_fp4_tensor_cores(r.gpu, r.precision, r.engine)


def _emulated(r: FitRow) -> bool:
    from costcalc.throughput.timing import emulated_levels

    return emulated_levels(r.gpu, r.precision, r.engine) > 0


def _sm_bandwidth_bound(r: FitRow) -> bool:
    from costcalc.throughput.timing import SM_BOUND_ENGINES

    return r.engine in SM_BOUND_ENGINES and r.gpu.vendor.lower() == "nvidia" and r.gpu.sm_count is not None


def _sm_flops_bound(r: FitRow) -> bool:
    from costcalc.throughput import memory as mem

    quantised = mem.BITS_PER_WEIGHT.get(r.precision, mem.SIXTEEN_BIT) < mem.SIXTEEN_BIT
    return _sm_bandwidth_bound(r) and r.gpu.boost_clock_mhz is not None and quantised


def knobs() -> list[_Knob]:
    """The factors the calibration fits (datacenter class is the reference, fixed at 1)."""
    out: list[_Knob] = []
    for e in ENGINES:
        out.append(_engine_knob(e, "bandwidth_efficiency", 0.2, 1.0))
        out.append(_engine_knob(e, "compute_efficiency", 0.05, 1.0))
        out.append(_engine_knob(e, "step_overhead_ms", 0.02, 30.0))
        out.append(_engine_knob(e, "sequence_overhead_us", 0.5, 500.0))
        out.append(_engine_knob(e, "emulated_format_efficiency", 0.05, 1.0, _emulated))
    for cls in ("workstation", "apple"):
        out.append(_class_knob(cls, "bandwidth"))
        out.append(_class_knob(cls, "compute"))
    out.append(_engine_class_knob("llamacpp/datacenter", "compute"))
    out.append(_engine_knob("llamacpp", "sm_bandwidth_gb_s", 1.0, 64.0, _sm_bandwidth_bound))
    out.append(_engine_knob("llamacpp", "sm_flops_per_clock", 32.0, 8192.0, _sm_flops_bound))
    out.append(_global_knob("comm_bandwidth_efficiency", 0.2, 1.0, _multi_gpu))
    out.append(_global_knob("fp4_compute_efficiency", 0.2, 1.0, _fp4_cores))
    out.append(_global_knob("moe_bandwidth_efficiency", 0.2, 1.0, _moe))
    out.append(_global_knob("moe_compute_efficiency", 0.05, 1.0, _moe))
    out.append(_global_knob("comm_latency_us", 1.0, 200.0, _multi_gpu))
    out.append(_global_knob("moe_layer_overhead_us", 1.0, 2000.0, _moe))
    return out


# Step multipliers of the coordinate search, one per round (the last repeats).
FIT_STEPS: tuple[float, ...] = (2.0, 1.5, 1.25, 1.1, 1.05, 1.02)


def fit_factors(
    cases: Sequence[dict[str, str]],
    start: Factors,
    lookup: Lookup | None = None,
    *,
    rounds: int = len(FIT_STEPS),
    prior_weight: float = 0.02,
) -> Factors:
    """Coordinate search in log space minimising the weighted mean |log(estimate/measured)|.

    L1 in log space aims at the median error. A small pull toward the starting (prior) value
    keeps factors that few rows inform (an engine with one row) near physically sensible values.
    A trial value of one factor re-estimates only the rows in that factor's scope; the others
    keep their error. Served rows (bursts, closed loops, rates) are simulated once at the start of
    each round; within the round they move with their steady-state estimate times the ratio the
    simulation gave (the simulation is ~100x slower than the steady-state formula). Each round
    thus starts from the simulated truth, and the errors reported after a fit are simulated.
    """
    import numpy as np

    if lookup is None:
        from costcalc.catalog import get_gpu, get_model

        lookup = (get_gpu, get_model)
    rows = [_fit_row(r, lookup) for r in cases]
    measured = np.array([float(r["value"]) for r in cases])
    weights = np.array([TRUST_WEIGHT.get((r.get("trust") or "").strip(), 1.0) for r in cases])
    total_weight = float(weights.sum())
    # a factor that starts at 0 is switched off in `start` and stays off (it cannot move by ratios)
    all_knobs = [k for k in knobs() if k.get(start) > 0]
    priors = {k.name: k.get(start) for k in all_knobs}
    scopes = {k.name: [i for i, r in enumerate(rows) if r is not None and k.scope(r)] for k in all_knobs}

    served = [i for i, r in enumerate(cases) if row_protocol(r).kind != "in_process"]
    steady_rows = {i: _steady_state_row(cases[i]) for i in served}
    # a served row's simulated value over its steady-state estimate, re-anchored every round
    ratio: dict[int, float] = {}

    def estimate_of(i: int, f: Factors) -> float | None:
        if i in ratio:
            quick, _ = estimate_row(steady_rows[i], f, lookup)
            return None if quick is None else quick * ratio[i]
        return estimate_row(cases[i], f, lookup)[0]

    def row_error(i: int, f: Factors) -> float:
        est = estimate_of(i, f)
        if est is None or est <= 0 or not math.isfinite(est):
            return 0.0
        return float(weights[i] * abs(math.log(est / measured[i])))

    def anchor(f: Factors) -> None:
        ratio.clear()
        for i in served:
            sim, _ = estimate_row(cases[i], f, lookup)
            quick, _ = estimate_row(steady_rows[i], f, lookup)
            if sim is not None and quick and math.isfinite(sim / quick):
                ratio[i] = sim / quick

    def penalty(f: Factors) -> float:
        return prior_weight * sum((math.log(k.get(f) / priors[k.name])) ** 2 for k in all_knobs)

    current = start
    for rnd in range(rounds):
        anchor(current)
        errors = [row_error(i, current) for i in range(len(rows))]
        total = sum(errors)
        best = total / total_weight + penalty(current)
        step = FIT_STEPS[min(rnd, len(FIT_STEPS) - 1)]
        for knob in all_knobs:
            scope = scopes[knob.name]
            if not scope:
                continue
            value = knob.get(current)
            for mult in (1 / step**2, 1 / step, step, step**2):
                trial_value = min(max(value * mult, knob.low), knob.high)
                if trial_value == value:
                    continue
                trial = knob.set(current, trial_value)
                moved = [row_error(i, trial) for i in scope]
                trial_total = total - sum(errors[i] for i in scope) + sum(moved)
                trial_loss = trial_total / total_weight + penalty(trial)
                if trial_loss < best:
                    best, current, value, total = trial_loss, trial, trial_value, trial_total
                    for i, e in zip(scope, moved, strict=True):
                        errors[i] = e
    return current


def _steady_state_row(row: dict[str, str]) -> dict[str, str]:
    """A served row as the estimator's steady state sees it: the closed loop at its concurrency,
    a burst or rate at as many requests as fit (the fit's fast stand-in between simulations)."""
    closed = row_protocol(row).kind in CLOSED_LOOPS
    return {**row, "protocol": "in_process", "concurrency": row.get("concurrency", "") if closed else ""}


def source_of(row: dict[str, str]) -> str:
    """The document a row comes from (its source URL without the fragment)."""
    return (row.get("source_url") or "").split("#")[0]


def _held_out(args: tuple[list[dict[str, str]], str, Lookup | None, int]) -> list[tuple[int, float | None]]:
    """Estimates of one source's rows from factors fitted on every other source (a worker's task)."""
    cases, src, lookup, rounds = args
    train = [r for r in cases if source_of(r) != src]
    f_cv = fit_factors(train, prior_factors(), lookup, rounds=rounds)
    return [(i, estimate_row(r, f_cv, lookup)[0]) for i, r in enumerate(cases) if source_of(r) == src]


def leave_one_source_out(
    cases: Sequence[dict[str, str]],
    lookup: Lookup | None = None,
    *,
    rounds: int = len(FIT_STEPS),
    workers: int = 1,
    sources: Sequence[str] | None = None,
) -> list[float | None]:
    """Each row estimated with factors fitted from the priors on every other source's rows.

    The errors of these estimates are what a user should expect on hardware, models and
    benchmarks the calibration has not seen; they set the shipped error bands. Each fold runs the
    shipped fit's rounds (every step of FIT_STEPS, down to 2%): with 4 rounds the last step was 10%,
    and two folds that differ by one source's rows could stop a factor 10% apart. `workers` > 1
    fits the sources in that many processes (the result does not depend on it). `sources`
    holds out only the sources whose URL contains one of those strings (a quick check of a few
    sources while developing); every other row's entry is None.
    """
    held = sorted({source_of(r) for r in cases})
    if sources is not None:
        held = [src for src in held if any(part in src for part in sources)]
    tasks = [(list(cases), src, lookup, rounds) for src in held]
    out: dict[int, float | None] = dict.fromkeys(range(len(cases)))
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
# sequence_overhead_us starts at 10 us of host time per sequence per step for every engine (no
# source gives it; the fit moves it) and emulated_format_efficiency at 1 (no penalty), so only the
# data can lower them. moe_layer_overhead_us starts at 20 us per MoE layer per step (a handful of
# routing and permutation kernels of a few microseconds each).
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
PRIOR_FACTORS: dict[str, object] = {
    "comm_latency_us": 10.0,
    "moe_layer_overhead_us": 20.0,
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
            "sequence_overhead_us": 10.0,
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
            "sequence_overhead_us": 10.0,
        },
        "sglang": {
            "request_overhead_ms": 45.0,
            "bandwidth_efficiency": 0.75,
            "compute_efficiency": 0.5,
            "step_overhead_ms": 0.5,
            "memory_utilization": 0.88,
            "runtime_overhead_gb": 2.0,
            "max_batch": 1024,
            "sequence_overhead_us": 10.0,
        },
        "llamacpp": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.95,
            "runtime_overhead_gb": 0.5,
            "max_batch": 64,
            "sequence_overhead_us": 10.0,
            # order-of-magnitude starts of the per-SM limits (timing.SM_BOUND_ENGINES): 8 GB/s per SM
            # is ~4 KiB in flight per SM over ~0.5 us of DRAM latency; 512 FLOP per SM per clock is a
            # quarter of an Ampere GA102 SM's dense int8 MMA rate (284 TOPS / 82 SMs / 1.695 GHz)
            "sm_bandwidth_gb_s": 8.0,
            "sm_flops_per_clock": 512.0,
        },
        "mlx": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.8,
            "runtime_overhead_gb": 0.5,
            "max_batch": 32,
            "sequence_overhead_us": 10.0,
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
    "row_protocol",
    "source_of",
    "with_error_bands",
]
