"""GPU architectures whose held-out benchmarks the estimate misses one way, and the warning they put on an estimate.

The error band is chosen by engine and load class (factors.error_band_key), so every GPU of an engine and class quotes
the same range. Where one architecture's held-out benchmarks (calibration_holdout.csv: each row estimated with factors
fitted without its source) lie mostly on one side of the estimate, that range hides a known bias: dstack's vLLM runs
of Llama 3.1 405B on 8x MI300X measured 0.27x-1.39x of their held-out estimate, median 0.67x, 16 of 19 below it,
while the vllm server band allows 0.57x-1.77x around 1x. Such an architecture is BIASED when, over its held-out
output-rate rows (the rows a band is taken over, scoring.BAND_METRICS):
- their median actual / estimate lies outside 1 / (1 + m) .. 1 + m, m the median |error| of all held-out output-rate
  rows (0.145 on the 334 rows of the refit of 2026-12-07: 0.873x-1.145x): the typical estimate on that architecture
  is off by more than the typical estimate overall; and
- so many of them lie on that side that chance would put them there less than 1 time in 20 (a one-sided sign test,
  SIGN_TEST_P: 5 of 5, 9 of 10, 12 of 16, 15 of 20), so a handful of rows cannot raise it.
Each is computed from the shipped files at run time, so a refit that fits the architecture away (or adds a publisher)
drops the statement with no edit here. Apple parts have no kernel architecture (architecture.gpu_architecture): their
class factor plays that role, and they get no statement.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput.architecture import ARCHITECTURES, gpu_architecture

# A one-sided sign test at this level: the chance that an unbiased estimate leaves so many rows on one side.
SIGN_TEST_P = 0.05
# The percentiles the range is widened to, as published runs' (unmodelled.score_gaps) and the band's 9 in 10.
PERCENTILE_LOW, PERCENTILE_HIGH = 5, 95

Side = Literal["optimistic", "pessimistic"]


@dataclass(frozen=True)
class ArchitectureBias:
    """Actual throughput over the held-out estimate across one architecture's held-out output-rate rows."""

    architecture: str  # 'gfx942'
    gpus: tuple[str, ...]  # the catalog GPUs those rows ran on
    rows: int
    low: float  # 5th percentile of actual / estimate
    median: float
    high: float  # 95th percentile
    one_side: int  # rows on the median's side of 1 (below it where the estimate is optimistic)
    engines: tuple[str, ...]
    publishers: tuple[str, ...]  # calibration.publisher_of: a GitHub owner or a web host
    overall_median_error: float  # m: the held-out median |error| the median is held against

    @property
    def side(self) -> Side:
        """'optimistic' where the estimate is above the actual throughput (median below 1), else 'pessimistic'."""
        return "optimistic" if self.median < 1 else "pessimistic"


def sign_test_p(one_side: int, rows: int) -> float:
    """The chance that `one_side` or more of `rows` fair coin flips land on one side (a one-sided sign test)."""
    return float(sum(math.comb(rows, k) for k in range(one_side, rows + 1)) / 2**rows)


def _on_median_side(ratios: Sequence[float], median: float) -> int:
    """How many ratios lie on the median's side of 1 (below it where the median is below 1)."""
    return sum(r < 1 for r in ratios) if median < 1 else sum(r > 1 for r in ratios)


def _biased(ratios: list[float], m: float) -> bool:
    """True where the median lies outside 1 / (1 + m) .. 1 + m and the sign test says it is not chance."""
    median = float(np.median(ratios))
    if 1 / (1 + m) <= median <= 1 + m:
        return False
    return sign_test_p(_on_median_side(ratios, median), len(ratios)) < SIGN_TEST_P


@functools.cache
def architecture_biases() -> dict[str, ArchitectureBias]:
    """The biased architectures of the shipped held-out estimates, by architecture (read once a process)."""
    from costcalc.throughput.calibration import shipped_rows
    from costcalc.throughput.holdout import read_holdout

    return score_architectures(list(shipped_rows().values()), *read_holdout())


def score_architectures(
    data: Sequence[dict[str, str]], held: Sequence[dict[str, str]], estimates: Sequence[float | None]
) -> dict[str, ArchitectureBias]:
    """The biased architectures (module docstring) of calibration rows `data` (for their GPU) whose held-out rows
    `held` (holdout.read_holdout: case_id, value) were estimated at `estimates`."""
    from costcalc.throughput.calibration import publisher_of, row_metric
    from costcalc.throughput.scoring import BAND_METRICS

    by_id = {r["case_id"]: r for r in data}
    ratios: dict[str, list[float]] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    errors: list[float] = []
    for h, est in zip(held, estimates, strict=True):
        row = by_id.get(h["case_id"])
        if row is None or est is None or row_metric(row) not in BAND_METRICS:
            continue
        value = float(h["value"])
        errors.append(abs(est - value) / value)
        arch = ARCHITECTURES.get(row["gpu"])
        if arch is None:
            continue
        # actual throughput over the estimate: a step time's ratio is the other way up
        ratios.setdefault(arch, []).append(est / value if row_metric(row) == "tpot_ms" else value / est)
        rows.setdefault(arch, []).append(row)
    if not errors:
        return {}
    m = float(np.median(errors))
    out: dict[str, ArchitectureBias] = {}
    for arch, values in sorted(ratios.items()):
        if not _biased(values, m):
            continue
        low, median, high = (float(round(v, 4)) for v in np.percentile(values, [PERCENTILE_LOW, 50, PERCENTILE_HIGH]))
        group = rows[arch]
        out[arch] = ArchitectureBias(
            architecture=arch,
            gpus=tuple(sorted({r["gpu"] for r in group})),
            rows=len(values),
            low=low,
            median=median,
            high=high,
            one_side=_on_median_side(values, median),
            engines=tuple(sorted({r["engine"] for r in group})),
            publishers=tuple(sorted({publisher_of(r) for r in group})),
            overall_median_error=round(m, 4),
        )
    return out


def bias_for(gpu: GpuSpec) -> ArchitectureBias | None:
    """The bias of the GPU's architecture's held-out benchmarks; None where it has none (or no architecture)."""
    arch = gpu_architecture(gpu)
    return None if arch is None else architecture_biases().get(arch)


def bias_warning(gpu: GpuSpec) -> str | None:
    """What an estimate on this GPU should say of its architecture's held-out benchmarks (None: nothing to say)."""
    bias = bias_for(gpu)
    if bias is None:
        return None
    where = "below" if bias.side == "optimistic" else "above"
    publishers = f"{len(bias.publishers)} publisher{'s' if len(bias.publishers) > 1 else ''}"
    return (
        f"{gpu.id}: held-out benchmarks on its architecture ({bias.architecture}: {', '.join(bias.gpus)}) measured "
        f"{bias.low:.2f}x to {bias.high:.2f}x of costcalc's throughput estimate in 9 of 10 cases (median "
        f"{bias.median:.2f}x, {bias.one_side} of {bias.rows} {where} it; {', '.join(bias.engines)}; {publishers}: "
        f"{', '.join(bias.publishers)}), so on this architecture the capacity is {bias.side} and its range is "
        "widened to these benchmarks: measure before budgeting"
    )
