"""Estimate published benchmark cases row by row: read a cases CSV, and each row's metric as its benchmark measured it."""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypedDict, TypeVar
from urllib.parse import urlsplit

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import CostcalcError, InputError
from costcalc.throughput.estimate import Estimate, estimate
from costcalc.throughput.factors import Factors
from costcalc.throughput.load_cycle import MULTI_GPU_LAYOUTS
from costcalc.throughput.protocols import BenchmarkRun, Protocol, run_benchmark
from costcalc.throughput.serving.server_args import parse_server_args

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
# scheduler flags its server was started with, as stated (serving.server_args reads vLLM's; blank: none),
# plus --quantization where the checkpoint's own config names the method vLLM loads it with (Meta's FP8
# checkpoints: fbgemm_fp8), which is what vLLM does unasked, --num-gpu-blocks-override where a
# source's own log of that server states the KV block count its memory profiling gave, and
# --kv-cache-dtype where the cache's element type follows from the checkpoint rather than the engine's
# default for its precision (TensorRT-LLM serving a block-scaled FP8 release that names no KV
# quantisation: bfloat16; see serving.server_args), which is what the engine does unasked; likewise
# --quantization fp8_block_scales on every engine's rows (vLLM too: it loads the scales from the checkpoint's
# quantization_config unasked) whose checkpoint scales its FP8 weights per 128x128 block (Qwen's -FP8 releases,
# DeepSeek-V3/R1's own weights; tensor_tflops.BLOCK_SCALED_FP8).
# --enable-chunked-prefill=False where the benchmark script itself passed False to the engine (vLLM's
# benchmark_throughput.py of the 0.6 line: a store_true flag handed to LLM(enable_chunked_prefill=...)).
# llama-server's --cache-type-k / --cache-type-v are read as recorded (a q8_0 cache: memory.GGML_KV_CACHE_TYPE_BYTES).
# layout: the parallel layout a multi-GPU row's GPUs ran, tp or pp (load_cycle.MULTI_GPU_LAYOUTS), as its source's
# command line or table states it, else as the engine's guide runs one node's GPUs (the row's notes say which); empty
# for one GPU. A cases CSV without the column, or a row with it empty, is estimated at the layout serving more at
# full load (load_cycle.choose_mode).
CALIBRATION_CSV = Path(__file__).with_name("calibration_data.csv")
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
    parallelism: str | None


@functools.cache
def shipped_rows() -> dict[str, dict[str, str]]:
    """The shipped calibration rows by case id, as written (read once a process; callers do not change them)."""
    with CALIBRATION_CSV.open(encoding="utf-8", newline="") as fh:
        return {r["case_id"]: r for r in csv.DictReader(fh)}


def read_cases(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a cases CSV; InputError naming the file if a needed column is missing."""
    from costcalc.inputs import TABLE_MAX_BYTES, read_csv

    header, rows = read_csv(str(path), limit=TABLE_MAX_BYTES, what="a cases CSV")
    missing = [c for c in CASE_COLUMNS if c not in header]
    # a spreadsheet's 'GPU,GPU_count,...': say so, rather than call those columns missing
    capitals = [h for h in header if h.strip().lower() in missing and h != h.strip().lower()]
    if capitals:
        lower = [h.strip().lower() for h in capitals]
        rest = [c for c in missing if c not in lower]
        also = f"; also missing: {', '.join(rest)}" if rest else ""
        raise InputError(
            f"column name(s) {', '.join(capitals)} are not in lower case; write them as {', '.join(lower)}{also}",
            file=str(path),
            line=1,
        )
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; a cases CSV needs {', '.join(CASE_COLUMNS)}",
            file=str(path),
            line=1,
        )
    for line, row in enumerate(rows, start=2):
        if (why := _layout_refusal(row)) is not None:
            raise InputError(why, file=str(path), line=line, field="layout")
    return header, rows


def _layout_refusal(row: dict[str, str]) -> str | None:
    """Why a row's layout cell is not one it can take (None: empty, or tp / pp on more than one GPU)."""
    raw = (row.get("layout") or "").strip()
    name = (row.get("case_id") or row.get("id") or "").strip()
    case = f" (case {name})" if name else ""
    if raw and raw not in MULTI_GPU_LAYOUTS:
        return (
            f"{raw!r}{case} is no layout: write tp (tensor parallel) or pp (pipeline parallel), or leave it empty for"
            " the one serving more at full load"
        )
    if raw and (row.get("gpu_count") or "").strip() in ("1", "1.0"):
        return f"{raw!r}{case} on one GPU: a replica of one GPU has no layout; leave layout empty"
    return None


def row_layout(row: dict[str, str]) -> str | None:
    """The layout a row's GPUs ran, as stated (None where its layout cell is empty or absent)."""
    return (row.get("layout") or "").strip() or None


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
            "parallelism": row_layout(row),
        }
        version = (row.get("engine_version") or "").strip() or None
        stated = parse_server_args(shape["engine"], row.get("engine_args"))
        if protocol.kind != "in_process":
            if metric not in SERVED_METRICS:
                return None, f"a {protocol.kind} benchmark reports {', '.join(SERVED_METRICS)}, not {metric}"
            run, reason = run_benchmark(gpu, model, protocol, engine_version=version, server_args=stated, **shape)
            return (None, reason) if run is None else (SERVED_METRICS[metric](run), None)
        est = estimate(
            gpu,
            model,
            concurrency=int_cell(row, "concurrency", optional=True),
            engine_version=version,
            server_args=stated,
            **shape,
        )
    except InputError as exc:  # a bad argument is named by its parameter, the column of that name (layout: parallelism)
        column = "layout" if exc.param == "parallelism" else exc.param
        return None, exc.message if column is None else f"{column}: {exc.detail}"
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


def source_of(row: dict[str, str]) -> str:
    """The document a row comes from (its source URL without the fragment)."""
    return (row.get("source_url") or "").split("#")[0]


# Hosts whose first path segment names the publisher (a GitHub owner: github.com/dstackai/..., gist.github.com/BenHamm/...).
OWNER_HOSTS: dict[str, str] = {"github.com": "github", "gist.github.com": "github", "huggingface.co": "hf"}


def publisher_of(row: dict[str, str]) -> str:
    """Who published a row's source: a GitHub owner ('github:dstackai') or the web host ('docs.vultr.com').

    Many documents of one publisher (dstack's result files, GPUStack's pages) share its methodology: a factor
    fitted from one publisher's documents and checked on another of them has not shown that it transfers.
    """
    parts = urlsplit(source_of(row))
    host = parts.netloc.lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    if host in OWNER_HOSTS and path:
        return f"{OWNER_HOSTS[host]}:{path[0].lower()}"
    return host
