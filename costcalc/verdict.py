"""The verdict a lead can read aloud, and the warnings a report must not hide (pure text from a Result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.resolve.scenario import ResolvedScenario
    from costcalc.result import Result


CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: float, currency: str = "USD") -> str:
    """$1,234 for large amounts, $12.34 for small ones; other currencies by symbol or code."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ""  # -$2,935 (savings), not $-2,935
    size = abs(amount)
    return f"{sign}{symbol}{size:,.0f}" if size >= 100 else f"{sign}{symbol}{size:,.2f}"


def tokens(count: float) -> str:
    """Token volume in words: 1.2B, 350M, 12k."""
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(count) >= scale:
            return f"{count / scale:,.3g}{unit}"
    return f"{count:,.0f}"


def verdict_lines(result: Result) -> list[str]:
    """Short sentences: cheapest now, when self-hosting wins, when bought hardware pays back."""
    opts = sorted(result.options, key=lambda o: o.monthly_cost)
    best = opts[0]
    lines = [
        f"Cheapest now: {best.name} at {money(best.monthly_cost, result.currency)}/month "
        f"({money(best.cost_per_million_tokens, result.currency)} per 1M tokens) for {tokens(result.workload.tokens_per_month)} tokens/month."
    ]
    if len(opts) > 1:
        runner = opts[1]
        saving = 1 - best.monthly_cost / runner.monthly_cost if runner.monthly_cost > 0 else 0.0
        lines.append(
            f"Next: {runner.name} at {money(runner.monthly_cost, result.currency)}/month; the cheapest saves {saving:.0%}."
        )
    apis = [o for o in result.options if o.kind == "api"]
    best_api = min(apis, key=lambda o: o.monthly_cost) if apis else None
    for be in result.break_even:
        if best_api is None or be.versus != best_api.name:
            continue
        kind = result.option(be.option).kind
        if kind == "self_hosted":
            if be.tokens_per_month is None:
                lines.append(f"{be.option} never stays cheaper than {be.versus}: {be.reason}.")
            elif be.winning_now:
                lines.append(
                    f"{be.option} is cheaper than {be.versus} from {tokens(be.tokens_per_month)} tokens/month;"
                    f" today's volume is above that."
                )
            elif result.option(be.option).monthly_cost <= best_api.monthly_cost:
                lines.append(
                    f"{be.option} is cheaper than {be.versus} at today's volume, but the next replica step makes it"
                    f" dearer again; it stays cheaper only above {tokens(be.tokens_per_month)} tokens/month."
                )
            else:
                factor = be.tokens_per_month / result.workload.tokens_per_month
                lines.append(
                    f"{be.option} becomes and stays cheaper than {be.versus} above "
                    f"{tokens(be.tokens_per_month)} tokens/month ({factor:,.1f}x today's volume)."
                )
            if result.option(be.option).acquisition == "buy":
                if be.payback_months is not None:
                    lines.append(
                        f"Bought hardware for {be.option} pays back in month {be.payback_months} against {be.versus}."
                    )
                else:
                    lines.append(
                        f"Bought hardware for {be.option} does not pay back against {be.versus}"
                        f" within the {result.horizon_months}-month horizon."
                    )
        elif kind == "subscription" and be.tokens_per_month is not None:
            side = "cheaper" if be.winning_now else "dearer"
            lines.append(
                f"Seats ({be.option}) are {side} than {be.versus} at today's usage; they break even at "
                f"{tokens(be.tokens_per_month)} tokens/month."
            )
    return lines


def warning_lines(result: Result, resolved: ResolvedScenario, *, low_utilisation: float) -> list[str]:
    """Stale prices (one summarised line), exceeded seat caps, idle replicas, missed SLOs."""
    out: list[str] = []
    stale = sorted({f"{p.id} ({p.as_of.isoformat()})" for o in result.options for p in o.prices if p.stale})
    if stale:
        out.append(f"{len(stale)} price(s) older than {result.stale_after_days} days: {', '.join(stale)}")
    out.extend(f"missing price: {m}" for m in result.missing_prices)
    wl = resolved.workload
    for opt, res in zip(resolved.options, result.options):
        if opt.self_hosted is not None:
            out.extend(opt.self_hosted.warnings)
        if opt.cap_requests_per_user_per_month is not None and wl.users:
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
            out.append(f"{res.name}: no operating point meets the latency SLO; costs assume the best available")
    return out
