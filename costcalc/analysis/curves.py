"""Cost-versus-volume curves: every option's monthly cost over a grid of volumes (pure engine calls, numpy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from costcalc.engine.options import SelfHostedCost, monthly_bill
from costcalc.engine.self_hosted import breakpoints, requests_per_month_per_step
from costcalc.units import SECONDS_PER_MONTH

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from costcalc.engine.arrays import FloatArray, Floats
    from costcalc.engine.self_hosted import SelfHostedPlan
    from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario

GRID_POINTS = 161  # log-spaced volumes between the ends of the chart
SPAN_BELOW = 30.0  # the chart starts at today's volume / SPAN_BELOW ...
SPAN_ABOVE = 30.0  # ... and ends at today's volume × SPAN_ABOVE (widened to show every break-even)
MARGIN = 2.0  # a break-even volume sits at least this factor inside the chart's ends
MAX_STEPS = 400  # replica steps added to the grid per option, so steps are drawn exactly
# relative offset of the points either side of a step: far inside the sizing tolerance (CEIL_TOLERANCE of a replica,
# already in the step's volume), far above float rounding, so each side is billed as sizing rounds there
STEP_SIDE = 1e-12


@dataclass(frozen=True)
class CostCurves:
    """Monthly cost of each option at each volume; volumes in requests and in tokens per month."""

    requests_per_month: FloatArray
    tokens_per_month: FloatArray
    monthly_cost: dict[str, FloatArray]
    current_tokens_per_month: float


def volume_grid(
    resolved: ResolvedScenario,
    *,
    include_tokens_per_month: Sequence[float] = (),
    points: int = GRID_POINTS,
) -> FloatArray:
    """Log-spaced requests per month around today's volume, wide enough to hold the given token volumes."""
    import numpy as np

    tpr = resolved.shape.tokens_per_request
    v0 = resolved.workload.requests_per_month
    low, high = v0 / SPAN_BELOW, v0 * SPAN_ABOVE
    for tokens in include_tokens_per_month:
        if tokens and tokens > 0:
            v = tokens / tpr
            low, high = min(low, v / MARGIN), max(high, v * MARGIN)
    grid = np.geomspace(low, high, points)
    steps = [grid]
    for opt in resolved.options:
        if isinstance(opt.cost, SelfHostedCost):
            shape = resolved.shape
            if _fewest_steps(opt.cost.plan, shape.peak_factor, shape.hourly_factors, low, high) > MAX_STEPS:
                continue  # drawn as a line: listing every step could take more memory than the machine has
            # where sizing adds a replica (or a purchase block), as the engine rounds: the bill steps there
            pts = breakpoints(opt.cost.plan, shape.peak_factor, shape.hourly_factors, high)
            pts = pts[pts >= low]
            if 0 < pts.size <= MAX_STEPS:
                # both sides of each step, so a polyline draws it as a vertical jump at the step
                steps += [pts * (1 - STEP_SIDE), pts * (1 + STEP_SIDE)]
    return np.unique(np.concatenate(steps))


def _fewest_steps(
    plan: SelfHostedPlan, peak_factor: Floats, hourly_factors: tuple[float, ...], low: float, high: float
) -> float:
    """At least how many replica steps of the bill lie between `low` and `high` requests/month, from the smallest
    step without listing them (an interval of L holds at least L / step - 1): where it is above MAX_STEPS, the list
    volume_grid would drop anyway need not be made (a throughput point of 1e-9 requests/s sized 2.3 billion replicas,
    and listing their steps asked numpy for 517 GiB)."""
    per = float(requests_per_month_per_step(plan, peak_factor))
    if plan.scaling == "follow_profile":  # an hour of factor f steps every capacity x month / f
        peak = max((f for f in hourly_factors if f > 0), default=0.0)
        per = float(plan.capacity_requests_per_s) * SECONDS_PER_MONTH / peak if peak else float("inf")
    return (high - low) / per - 1 if per > 0 else float("inf")


def option_curve(opt: ResolvedOption, resolved: ResolvedScenario, requests_per_month: FloatArray) -> FloatArray:
    """Monthly cost of one option at each volume (steady state: replicas sized for that volume)."""
    return monthly_bill(opt.cost, resolved.shape, requests_per_month).total


def cost_curves(
    resolved: ResolvedScenario,
    requests_per_month: ArrayLike | None = None,
    *,
    include_tokens_per_month: Sequence[float] = (),
    per_usd: float = 1.0,
) -> CostCurves:
    """Every option's monthly cost over a volume grid (default: `volume_grid`), in scenario order.

    Money is in the report's currency at `per_usd` units per USD (the engine bills in USD)."""
    import numpy as np

    if requests_per_month is None:
        requests_per_month = volume_grid(resolved, include_tokens_per_month=include_tokens_per_month)
    volumes = np.asarray(requests_per_month, dtype=float)
    tpr = resolved.shape.tokens_per_request
    costs = {
        opt.name: np.asarray(option_curve(opt, resolved, volumes), dtype=float) * per_usd for opt in resolved.options
    }
    return CostCurves(
        requests_per_month=volumes,
        tokens_per_month=volumes * tpr,
        monthly_cost=costs,
        current_tokens_per_month=resolved.workload.requests_per_month * tpr,
    )


__all__ = ["CostCurves", "cost_curves", "option_curve", "volume_grid"]
