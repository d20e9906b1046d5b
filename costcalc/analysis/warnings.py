"""The warnings a report must not hide: stale and missing prices, exceeded seat caps, idle replicas, missed SLOs."""

from __future__ import annotations

from costcalc.analysis.payback import life_months
from costcalc.pricing.freshness import stale_summary
from costcalc.report.result import Result
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedScenario, ResolvedSeats
from costcalc.scenario.plausibility import unlikely_values


def warning_lines(result: Result, resolved: ResolvedScenario, *, low_utilisation: float) -> list[str]:
    """Stale prices (one summarised line), exceeded seat caps, idle replicas, missed SLOs."""
    out: list[str] = []
    if result.stale_prices:
        out.append(stale_summary(list(result.stale_prices), resolved.scenario.stale_after_days))
    out.extend(f"missing price: {m}" for m in result.missing_prices)
    out.extend(unlikely_values(resolved.scenario))
    wl = resolved.workload
    for opt, res in zip(resolved.options, result.options):
        if isinstance(opt, ResolvedSelfHosted):
            out.extend(opt.warnings)
            life = life_months(opt)
            if opt.cost.life.at_end_of_life == "retire" and life is not None and life < result.horizon_months:
                out.append(
                    f"{opt.name}: its hardware is retired at the end of its {life}-month life; from month {life + 1}"
                    f" it serves nothing, so its totals cover {life} of {result.horizon_months} months"
                )
        if isinstance(opt, ResolvedSeats) and opt.cap_requests_per_user_per_month is not None and wl.users:
            per_user = wl.requests_per_month / wl.users
            if per_user > opt.cap_requests_per_user_per_month:
                out.append(
                    f"{opt.name}: {per_user:,.0f} requests per user per month exceed the plan's cap of "
                    f"{opt.cap_requests_per_user_per_month:,.0f}"
                )
        if res.utilisation is not None and res.utilisation < low_utilisation:
            out.append(
                f"{res.name}: replicas are {'<0.1%' if res.utilisation < 0.0005 else f'{res.utilisation:.1%}'}"
                " utilised on average; the GPUs mostly idle"
            )
        if res.throughput is not None and not res.throughput.meets_slo:
            out.append(
                f"{res.name}: no operating point meets the latency SLO; costs assume the best available operating point"
            )
    return out
