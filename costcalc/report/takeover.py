"""What becomes and stays cheaper than today's cheapest as usage grows: the month, else the break-even volume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from costcalc.report import ranking
from costcalc.report.result import Takeover
from costcalc.report.tie import TIE_SHARE

if TYPE_CHECKING:
    from costcalc.report.result import Result


def find_takeover(result: Result) -> Takeover | None:
    """Where another option becomes and stays cheaper than today's cheapest by more than TIE_SHARE: the first month
    on the growth path from which it stays so to the horizon, else the lowest break-even volume above today's. Seats
    with a numeric usage cap count only where they may carry the volume (seats x cap)."""
    best = result.cheapest
    per_request = result.workload.tokens_per_month / result.workload.requests_per_month
    t = result.timeline
    if t is not None and result.workload.growth_per_month > 0:
        limit = [cost * (1 - TIE_SHARE) for cost in t.monthly_cost[best]]
        firsts = []
        for name, costs in t.monthly_cost.items():
            most = ranking.most_requests(result.option(name))
            start = len(costs)
            while name != best and start > 0 and costs[start - 1] < limit[start - 1] and t.requests[start - 1] <= most:
                start -= 1  # walk back from the horizon while it stays cheaper (and its seats may carry the volume)
            if start < len(costs):
                firsts.append((start, costs[start], name))
        if firsts:
            i, _, name = min(firsts)
            return _takeover(result, name, t.months[i], t.requests[i] * per_request)
    last = t.requests[-1] if t is not None and result.workload.growth_per_month > 0 else 0.0  # the horizon's volume
    found = [
        b
        for b in result.break_even
        if b.versus == best
        and b.tokens_per_month is not None
        and b.tokens_per_month > result.workload.tokens_per_month
        and ranking.most_requests(result.option(b.option)) >= last  # seats capped below the horizon: not beyond it
    ]
    if not found:
        return None
    first = min(found, key=lambda b: b.tokens_per_month or 0.0)
    return _takeover(result, first.option, None, first.tokens_per_month or 0.0)


def _takeover(result: Result, name: str, month: int | None, volume: float) -> Takeover:
    bought = result.option(name).acquisition == "buy"
    be = next((b for b in result.break_even if b.option == name and b.versus == result.cheapest), None)
    return Takeover(
        option=name,
        versus=result.cheapest,
        month=month,
        tokens_per_month=volume,
        bought=bought,
        payback_months=be.payback_months if bought and be is not None else None,
    )
