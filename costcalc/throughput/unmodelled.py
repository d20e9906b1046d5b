"""Published runs the estimator does not reproduce yet, and the warning they put on an estimate."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict

import numpy as np

from costcalc.catalog.specs import ModelSpec
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


def read_unmodelled(path: Path = UNMODELLED_CSV) -> list[dict[str, str]]:
    """The unmodelled rows, in the calibration set's columns."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def score_gaps(rows: Sequence[dict[str, str]], factors: Factors | None = None) -> list[UnmodelledGap]:
    """Each model's actual/estimate range over its output-rate rows, with the given (or shipped) factors."""
    from costcalc.throughput.calibration import estimate_row, row_metric

    ratios: dict[str, list[float]] = {}
    seen: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        metric = row_metric(row)
        if metric not in _RATES + _TIMES:
            continue
        est, _ = estimate_row(row, factors)
        if not est:
            continue
        value = float(row["value"])
        ratios.setdefault(row["model"], []).append(value / est if metric in _RATES else est / value)
        seen.setdefault(row["model"], []).append(row)
    gaps = []
    for model, values in sorted(ratios.items()):
        low, median, high = (float(round(v, 4)) for v in np.percentile(values, [5, 50, 95]))
        group = seen[model]
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
        )
        for d in data
    ]


@cache
def _shipped_gaps() -> tuple[UnmodelledGap, ...]:
    """The shipped gaps, read once a process (every estimate of a sweep asks)."""
    return tuple(load_gaps())


def _architecture(model: ModelSpec) -> tuple[object, ...]:
    return tuple(getattr(model, name, None) for name in _ARCHITECTURE)


def gap_for(model: ModelSpec) -> UnmodelledGap | None:
    """The scored gap of published runs of this model or of a model with its architecture (None: none known)."""
    from costcalc.catalog import get_model

    for gap in _shipped_gaps():
        measured = get_model(gap.model)
        if measured.id == model.id or _architecture(measured) == _architecture(model):
            return gap
    return None


def gap_warning(model: ModelSpec) -> str | None:
    """Why an estimate for this model is too optimistic, from published runs of its architecture (None: none known)."""
    gap = gap_for(model)
    if gap is None:
        return None
    from costcalc.catalog import get_model

    same = "" if get_model(gap.model).id == model.id else f", which has {model.id}'s architecture,"
    return (
        f"{model.id}: published runs of {gap.model}{same} measured {gap.low:.2f}x to {gap.high:.2f}x of "
        f"costcalc's throughput estimate in 9 of 10 cases (median {gap.median:.2f}x; {gap.rows} measurements on "
        f"{', '.join(gap.gpus)} with {', '.join(gap.engines)}; {', '.join(gap.sources)}); the estimator does "
        "not model this yet, so the capacity is optimistic and its range is widened to these runs: measure before "
        "budgeting"
    )
