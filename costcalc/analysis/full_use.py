"""The assumption line behind 'a fully used replica costs more per token than the API ($X vs $Y per 1M tokens)': what
one replica carries when full and what it costs, so the figure multiplies out from the report."""

from __future__ import annotations

from costcalc.report.money_words import money
from costcalc.report.result import Result
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedScenario
from costcalc.units import SECONDS_PER_HOUR, SECONDS_PER_MONTH, TOKENS_PER_MTOK
from costcalc.words import tokens


def full_use_lines(result: Result, resolved: ResolvedScenario) -> list[str]:
    """One line per option whose break-even is never for cost per token: the volume a fully used replica carries
    (sized for the peak, or hour by hour where replicas follow the profile), its cost over that volume (the cost the
    option adds per replica; labour, the same at any volume, is not in it) and the cost per 1M tokens it gives."""
    lines: list[str] = []
    for be in result.break_even:
        full = be.full_use_cost_per_million_tokens
        opt = resolved.option(be.option)
        if (
            full is None
            or not isinstance(opt, ResolvedSelfHosted)
            or any(line.startswith(f"{be.option}: ") for line in lines)
        ):
            continue
        capacity = float(opt.plan.capacity_requests_per_s)
        per_request = resolved.shape.tokens_per_request
        if opt.plan.scaling == "follow_profile":
            carried = capacity * SECONDS_PER_HOUR * per_request  # tokens an hour, each hour's replicas full
            period, sized = "an hour", "started hour by hour as the load needs them"
        else:
            peak = float(resolved.shape.peak_factor)
            carried = capacity * SECONDS_PER_MONTH / peak * per_request  # tokens a month at its peak's capacity
            period, sized = "a month", f"sized for the peak (peak/mean {peak:.2f})"
        cost = full * carried / TOKENS_PER_MTOK
        lines.append(
            f"{be.option}: a fully used replica, {sized}, serves {capacity:,.3g} requests/s at its busiest,"
            f" {tokens(carried)} tokens {period}, and adds {money(cost, result.currency)} {period} to the bill"
            f" (labour, the same at any volume, aside): {money(full, result.currency)} per 1M tokens."
        )
    return lines
