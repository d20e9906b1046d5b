"""Memory budgets: a sweep or a simulation is refused before it allocates when its estimated peak exceeds the budget.

The estimate is bytes per point (a sweep row or a simulation sample) = fixed + per option, for the
analysis itself plus what the output format needs to render it. The coefficients are peak-RSS
slopes measured by benchmarks/bench_memory_budget.py (2026-12-05, 2 cores; see its docstring for
the figures), rounded up: the estimate should overshoot the measured peak, never undershoot it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from costcalc.errors import InputError

DEFAULT_BUDGET_MB = 2048
BUDGET_ENV = "COSTCALC_MAX_MEMORY_MB"
BYTES_PER_MB = 1024 * 1024
# (bytes per point, bytes per point and option) of the analysis, before any rendering
SWEEP_BYTES_PER_POINT = (160, 40)
SIMULATE_BYTES_PER_SAMPLE = (60, 80)
MAX_SAMPLES = 1_000_000  # beyond a million samples P10/P50/P90 do not move; the time grows linearly


def default_budget_mb() -> float:
    """$COSTCALC_MAX_MEMORY_MB when set to a positive number, else DEFAULT_BUDGET_MB."""
    raw = os.environ.get(BUDGET_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_BUDGET_MB
    return value if value > 0 else DEFAULT_BUDGET_MB


@dataclass(frozen=True)
class MemoryBudget:
    """How much memory a run may take, and what its output format adds per point (fixed, per option)."""

    limit_mb: float | None = None  # None: default_budget_mb()
    render_bytes: tuple[float, float] = (0.0, 0.0)
    render_label: str = ""  # e.g. "as json", named in the refusal
    raise_with: str = f"${BUDGET_ENV}"  # how the caller raises the budget, named in the refusal

    def check(self, what: str, points: int, options: int, analysis_bytes: tuple[float, float], param: str) -> None:
        """Raise InputError naming the estimate (and `param`, the argument that sets the points) when `points` ×
        `options` would not fit."""
        limit = self.limit_mb if self.limit_mb is not None else default_budget_mb()
        per_point = analysis_bytes[0] + self.render_bytes[0] + options * (analysis_bytes[1] + self.render_bytes[1])
        estimate_mb = points * per_point / BYTES_PER_MB
        if estimate_mb > limit:
            fits = int(limit * BYTES_PER_MB / per_point)
            shown = f" {self.render_label}" if self.render_label else ""
            raise InputError(
                f"{what} of {points:,} × {options} options{shown} needs about {estimate_mb:,.0f} MB, over the"
                f" {limit:,.0f} MB budget; use at most {fits:,} (or raise {self.raise_with})",
                param=param,
            )
