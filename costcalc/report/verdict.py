"""The verdict a lead can read aloud (pure text from a Result), and the money and volume words it uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.report.result import Result


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
            elif result.winning_now(be):
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
            side = "cheaper" if result.winning_now(be) else "dearer"
            lines.append(
                f"Seats ({be.option}) are {side} than {be.versus} at today's usage; they break even at "
                f"{tokens(be.tokens_per_month)} tokens/month."
            )
    return lines
