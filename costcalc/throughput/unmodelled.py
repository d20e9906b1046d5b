"""Published runs the estimator does not reproduce yet, which estimates they cover, and the warning they put on one.

A gap covers estimates in one of two ways, stated per row in calibration_unmodelled.csv's `gap_covers` column:
- "architecture" (the default, an empty cell): every estimate of the measured model or of a catalog model with its
  architecture, on any engine and at any load (DeepSeek-R1 on 8 GPUs measured below its estimate on vLLM, SGLang and
  TensorRT-LLM alike, at every load dstack ran).
- "engine_load": only estimates of the measured model itself on one of the engines its rows ran and at one of the
  load classes they ran (factors.scenario_class: offline, server, single). GPUStack's 1000-request bursts on SGLang
  and TensorRT-LLM stalled where vLLM's runs of the same prompts on the same pages did not, and other models'
  SGLang bursts on those pages were not stalled, so the gap is neither the architecture's nor the engine's alone.
- "engine_gpu": only estimates of the measured model itself at the precision its rows ran, on one of their engines
  and on a GPU of the kernel architecture they ran on (architecture.gpu_architecture: MI300X and MI325X are both
  gfx942), at any load. dstack's vLLM runs of Meta's FP8 checkpoint of Llama 3.1 405B on 8x MI300X served 613 output
  tokens/s where AMD's FP8 checkpoint of the same model served 1,540, and dstack's README says Meta's checkpoint is not
  optimized for MI300X: the gap is that checkpoint's on that hardware, and the same model's runs on H100 stay fitted.
Where more than one kind covers an estimate, an engine_load or engine_gpu gap is quoted before an architecture one:
it was measured on that engine at that load or on that hardware.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput.architecture import gpu_architecture
from costcalc.throughput.factors import Factors

# Real, sourced runs kept out of the fit: they show a gap the estimator does not model, and fitting
# them would bend factors every other model shares (closing-note-5: DeepSeek-R1 on 8 GPUs halved the
# MoE expert-read factor and made the other rows' held-out median 3.4 points worse).
UNMODELLED_CSV = Path(__file__).with_name("calibration_unmodelled.csv")
# What those runs measured against the shipped factors; rewritten with factors.json.
UNMODELLED_JSON = Path(__file__).with_name("unmodelled.json")
# Metrics that read as a throughput: actual/estimate for rates, estimate/actual for a step time.
_RATES = ("output_tokens_per_s", "decode_tokens_per_s")
_TIMES = ("tpot_ms",)
# A model shares a gap when its catalog architecture is the measured model's.
_ARCHITECTURE = ("layers", "hidden_size", "experts", "experts_per_token", "kv_lora_rank", "total_params_b")
GapCovers = Literal["architecture", "engine_load", "engine_gpu"]
COVERS: tuple[GapCovers, ...] = ("architecture", "engine_load", "engine_gpu")
# calibration_unmodelled.csv's own columns (after the calibration set's): which estimates a row's gap covers, and
# why the estimator misses those runs, in words a user reads in the warning (empty: the architecture gap's wording)
COVERS_COLUMN, REASON_COLUMN = "gap_covers", "gap_reason"
# a load class (factors.scenario_class) in the warning's words
_LOAD_WORDS = {"offline": "full-load (offline)", "server": "fixed-load (server)", "single": "one-request (single)"}


@dataclass(frozen=True)
class UnmodelledGap:
    """Actual throughput over the estimate across one model's unmodelled runs."""

    model: str  # the catalog id the runs measured
    rows: int  # output-rate rows scored
    low: float  # 5th percentile of actual / estimate
    median: float
    high: float  # 95th percentile
    engines: tuple[str, ...]
    gpus: tuple[str, ...]
    sources: tuple[str, ...]
    source_dates: tuple[str, ...]
    covers: GapCovers = "architecture"  # which estimates it applies to (module docstring)
    scenarios: tuple[str, ...] = ()  # the load classes its rows ran (the ones an engine_load gap covers)
    reason: str = ""  # why the estimator misses these runs ("": not stated)
    architectures: tuple[str, ...] = ()  # the GPUs' kernel architectures (the ones an engine_gpu gap covers)
    precisions: tuple[str, ...] = ()  # the precisions its rows ran (the ones an engine_gpu gap covers)

    def applies_to(
        self, model: ModelSpec, engine: str, scenario: str, gpu: GpuSpec | None = None, precision: str | None = None
    ) -> bool:
        """True when an estimate of `model` on `engine` at load class `scenario` (on `gpu` at `precision`, where
        known) is one this gap covers; an engine_gpu gap covers no estimate whose GPU or precision is not known."""
        if self.covers == "engine_load":
            return model.id == self.model and engine in self.engines and scenario in self.scenarios
        if self.covers == "engine_gpu":
            on_its_gpus = gpu is not None and gpu_architecture(gpu) in self.architectures
            return model.id == self.model and engine in self.engines and on_its_gpus and precision in self.precisions
        from costcalc.catalog import get_model

        return model.id == self.model or _architecture(get_model(self.model)) == _architecture(model)


class _GapJson(TypedDict):
    """One UnmodelledGap as save_gaps writes it to unmodelled.json (tuples become lists)."""

    model: str
    rows: int
    low: float
    median: float
    high: float
    engines: list[str]
    gpus: list[str]
    sources: list[str]
    source_dates: list[str]
    covers: GapCovers
    scenarios: list[str]
    reason: str
    architectures: list[str]
    precisions: list[str]


def read_unmodelled(path: Path = UNMODELLED_CSV) -> list[dict[str, str]]:
    """The unmodelled rows, in the calibration set's columns."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_covers(row: dict[str, str]) -> GapCovers:
    """Which estimates the gap of this unmodelled row covers (its `gap_covers` cell; empty: architecture)."""
    cell = (row.get(COVERS_COLUMN) or "").strip() or "architecture"
    for covers in COVERS:
        if cell == covers:
            return covers
    raise ValueError(f"{row.get('case_id')}: {COVERS_COLUMN} must be one of {', '.join(COVERS)}, not {cell!r}")


def score_gaps(rows: Sequence[dict[str, str]], factors: Factors | None = None) -> list[UnmodelledGap]:
    """Each gap's actual/estimate range over its output-rate rows, with the given (or shipped) factors: one gap per
    model, what it covers and its reason (the rows of one gap state them alike)."""
    from costcalc.catalog import get_gpu
    from costcalc.throughput.calibration import estimate_row, row_metric

    Key = tuple[str, GapCovers, str]
    ratios: dict[Key, list[float]] = {}
    seen: dict[Key, list[dict[str, str]]] = {}
    for row in rows:
        metric = row_metric(row)
        if metric not in _RATES + _TIMES:
            continue
        est, _ = estimate_row(row, factors)
        if not est:
            continue
        value = float(row["value"])
        key = (row["model"], row_covers(row), (row.get(REASON_COLUMN) or "").strip())
        ratios.setdefault(key, []).append(value / est if metric in _RATES else est / value)
        seen.setdefault(key, []).append(row)
    gaps = []
    for (model, covers, reason), values in sorted(ratios.items()):
        low, median, high = (float(round(v, 4)) for v in np.percentile(values, [5, 50, 95]))
        group = seen[(model, covers, reason)]
        gaps.append(
            UnmodelledGap(
                model=model,
                rows=len(values),
                low=low,
                median=median,
                high=high,
                engines=tuple(sorted({r["engine"] for r in group})),
                gpus=tuple(sorted({f"{r['gpu_count']}x {r['gpu']}" for r in group})),
                sources=tuple(sorted({r["source_url"] for r in group})),
                source_dates=tuple(sorted({r["source_date"] for r in group})),
                covers=covers,
                scenarios=tuple(sorted({r["scenario"] for r in group})),
                reason=reason,
                architectures=tuple(sorted({gpu_architecture(get_gpu(r["gpu"])) or r["gpu"] for r in group})),
                precisions=tuple(sorted({r["precision"] for r in group})),
            )
        )
    return gaps


def save_gaps(gaps: Sequence[UnmodelledGap], path: Path = UNMODELLED_JSON) -> None:
    """Write the scored gaps (next to factors.json, which they were scored with)."""
    path.write_text(json.dumps([asdict(g) for g in gaps], indent=2) + "\n", encoding="utf-8")


def load_gaps(path: Path = UNMODELLED_JSON) -> list[UnmodelledGap]:
    """The shipped gaps."""
    data: list[_GapJson] = json.loads(path.read_text(encoding="utf-8"))
    return [
        UnmodelledGap(
            model=d["model"],
            rows=d["rows"],
            low=d["low"],
            median=d["median"],
            high=d["high"],
            engines=tuple(d["engines"]),
            gpus=tuple(d["gpus"]),
            sources=tuple(d["sources"]),
            source_dates=tuple(d["source_dates"]),
            covers=d["covers"],
            scenarios=tuple(d["scenarios"]),
            reason=d["reason"],
            architectures=tuple(d["architectures"]),
            precisions=tuple(d["precisions"]),
        )
        for d in data
    ]


@cache
def _shipped_gaps() -> tuple[UnmodelledGap, ...]:
    """The shipped gaps, read once a process (every estimate of a sweep asks)."""
    return tuple(load_gaps())


def _architecture(model: ModelSpec) -> tuple[object, ...]:
    return tuple(getattr(model, name, None) for name in _ARCHITECTURE)


def gap_for(
    model: ModelSpec, engine: str, scenario: str, gpu: GpuSpec | None = None, precision: str | None = None
) -> UnmodelledGap | None:
    """The scored gap that covers an estimate of `model` on `engine` at load class `scenario` on `gpu` at `precision`
    (module docstring: an engine_load or engine_gpu gap before an architecture one); None: none known."""
    covering = [g for g in _shipped_gaps() if g.applies_to(model, engine, scenario, gpu, precision)]
    covering.sort(key=lambda g: g.covers == "architecture")
    return covering[0] if covering else None


def gap_warning(
    model: ModelSpec, engine: str, scenario: str, gpu: GpuSpec | None = None, precision: str | None = None
) -> str | None:
    """Why an estimate of this model on this engine at this load class (on `gpu` at `precision`) is too optimistic,
    from the published runs that cover it (None: none known)."""
    gap = gap_for(model, engine, scenario, gpu, precision)
    if gap is None:
        return None
    from costcalc.catalog import get_model

    same = "" if get_model(gap.model).id == model.id else f", which has {model.id}'s architecture,"
    runs = f"published runs of {gap.model}{same}"
    if gap.covers == "engine_load":
        loads = "/".join(_LOAD_WORDS.get(s, s) for s in gap.scenarios)
        runs = f"published {loads} runs of {gap.model} on {', '.join(gap.engines)}"
    if gap.covers == "engine_gpu":
        on = f"{', '.join(gap.architectures)} GPUs"
        runs = f"published {'/'.join(gap.precisions)} runs of {gap.model} on {', '.join(gap.engines)} on {on}"
    engines = "" if gap.covers != "architecture" else f" with {', '.join(gap.engines)}"
    why = f": {gap.reason}" if gap.reason else ""
    return (
        f"{model.id}: {runs} measured {gap.low:.2f}x to {gap.high:.2f}x of "
        f"costcalc's throughput estimate in 9 of 10 cases (median {gap.median:.2f}x; {gap.rows} measurements on "
        f"{', '.join(gap.gpus)}{engines}; {', '.join(gap.sources)}){why}; the estimator does "
        "not model this yet, so the capacity is optimistic and its range is widened to these runs: measure before "
        "budgeting"
    )
