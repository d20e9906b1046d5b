"""Break-even: the volume above which self-hosting stays cheaper than an API, and payback on a growth path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc.engine.self_hosted import (
    SelfHostedPlan,
    breakpoints,
    full_use_cost_per_request,
    requests_per_month_per_replica,
    self_hosted_monthly,
    total,
)

MAX_BREAKPOINTS = 2_000_000


@dataclass(frozen=True)
class BreakEven:
    """Requests per month from which self-hosting costs at most the API, at every higher volume.

    requests_per_month is None when self-hosting never stays cheaper; `reason` says why.
    """

    requests_per_month: float | None
    reason: str
    full_use_usd_per_request: float
    api_usd_per_request: float


def break_even_volume(
    plan: SelfHostedPlan,
    api_usd_per_request: float,
    *,
    peak_factor: float,
    hourly_factors: tuple[float, ...],
) -> BreakEven:
    """Smallest volume V* with self_hosted(V) <= api(V) for every V >= V* (not the first crossing).

    Self-hosted cost is a step function (whole replicas) plus, for owned GPUs, energy that rises
    with utilisation; the API bill is linear. Between two replica steps both are linear, so the
    difference is checked at every step and solved exactly inside the last interval where it is
    positive. Past a bound derived from the full-use cost per request no step can be positive.
    """
    a = api_usd_per_request
    m_full = full_use_cost_per_request(plan, peak_factor, hourly_factors)

    def cost(v: np.ndarray) -> np.ndarray:
        return total(self_hosted_monthly(plan, v, peak_factor=peak_factor, hourly_factors=hourly_factors))

    if m_full >= a:
        return BreakEven(None, "a fully used replica costs more per token than the API", m_full, a)
    per_replica = requests_per_month_per_replica(plan, peak_factor)
    one_replica_month = float(cost(np.array([per_replica * max(plan.min_replicas, 1)]))[0])
    # self(V) <= m_full*V + labour + (min_replicas + 2) replica-months: no positive difference past `bound`
    slack = one_replica_month * (plan.min_replicas + 2) + plan.labour_usd_per_month
    bound = slack / (a - m_full)
    # Steps up to two replicas past `bound`: every interval (start, end] below ends at a real step, and
    # the last one starts past `bound`. Inside an interval the replica counts are fixed, so the cost is
    # linear (constant for rented GPUs; energy linear in volume for owned ones) and its value just after
    # the start is 2·cost(middle) − cost(end): no nudge that could miss or overshoot a step.
    steps = breakpoints(plan, peak_factor, hourly_factors, bound + 2 * per_replica)
    if steps.size > MAX_BREAKPOINTS:
        steps = np.linspace(steps[0], steps[-1], MAX_BREAKPOINTS)
    starts = np.concatenate([[0.0], steps[:-1]])
    ends = steps
    end_cost = cost(ends)
    diff_start = 2 * cost((starts + ends) / 2) - end_cost - a * starts
    positive = np.nonzero(diff_start > 0)[0]
    if positive.size == 0:
        return BreakEven(0.0, "self-hosting is cheaper at every volume", m_full, a)
    i = int(positive[-1])
    lo, hi = float(starts[i]), float(ends[i])
    d_lo = float(diff_start[i])
    d_hi = float(end_cost[i] - a * hi)
    if d_hi > 0:
        return BreakEven(hi, "self-hosting stays cheaper from the next replica step", m_full, a)
    root = lo + d_lo * (hi - lo) / (d_lo - d_hi)
    return BreakEven(root, "self-hosting stays cheaper above this volume", m_full, a)


def payback_month(cumulative_self_cash: np.ndarray, cumulative_api: np.ndarray) -> int | None:
    """First month (1-based) from which cumulative self-hosted cash spend stays at or below the API's."""
    cheaper = cumulative_self_cash <= cumulative_api
    if not cheaper[-1]:
        return None
    losing = np.nonzero(~cheaper)[0]
    return 1 if losing.size == 0 else int(losing[-1]) + 2
