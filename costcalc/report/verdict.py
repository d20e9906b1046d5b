"""The details under the table, one line each: where each option breaks even, payback, estimate bands, capex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from costcalc.report.estimate_words import band_words, never_words, runs_words
from costcalc.report.money_words import money, units_bought
from costcalc.report.seat_load import cap_words, most_carried, per_seat
from costcalc.words import counted, fractional_count, tokens

if TYPE_CHECKING:
    from costcalc.report.result import BreakEvenResult, Result


def verdict_lines(result: Result) -> list[str]:
    """The details under the table: where each option breaks even, payback of bought hardware, estimate bands."""
    lines: list[str] = []
    apis = [o for o in result.options if o.kind == "api"]
    best_api = min(apis, key=lambda o: o.monthly_cost) if apis else None
    for be in result.break_even:
        if best_api is None or be.versus != best_api.name:
            continue
        kind = result.option(be.option).kind
        if kind == "self_hosted":
            if be.tokens_per_month is None:
                lines.append(f"{be.option} never stays cheaper than {be.versus}: {never_words(be, result.currency)}.")
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
            if be.payback_months is not None and be.payback_months_exact is not None:
                lines.append(
                    f"{_paid_for(result, be.option)} pays back in month {be.payback_months}"
                    f" ({be.payback_months_exact:.1f} months) against {be.versus}."
                )
            elif (
                be.payback_reason
                and not be.payback_reason.startswith("does not apply")
                and be.tokens_per_month is not None  # after 'never stays cheaper', no payback goes without saying
            ):
                lines.append(f"{_paid_for(result, be.option)} {be.payback_reason}, against {be.versus}.")
        elif kind == "subscription":
            lines.extend(_seat_lines(result, be))
    bands = [(o, w) for o in result.options if (w := band_words(o, result.currency))]
    lines += [f"{w}.{runs_words(o, result.currency)}" for o, w in bands]
    if bands:
        lines.append(
            "Measured throughput narrows these bands: `costcalc measure`, or benchmark results, as `throughput.measured`."
        )
    lines.extend(capex_lines(result))
    return lines


def _seat_lines(result: Result, be: BreakEvenResult) -> list[str]:
    """Where seats break even with an API and what each seat would carry there; or why they never do (their numeric
    usage cap holds them below that volume)."""
    option = result.option(be.option)
    seats = be.option if "seat" in be.option.lower() else f"Seats ({be.option})"  # not 'Seats (Team seats)'
    if be.tokens_per_month is None:
        most = most_carried(result, option)
        if be.full_use_cost_per_million_tokens is None or most is None:
            return []  # a free API: no volume makes seats cheaper
        return [
            f"{seats} never break even with {be.versus}: {never_words(be, result.currency)}; at"
            f" {fractional_count(option.cap_requests_per_seat_month or 0)} requests a seat a month, their"
            f" {option.seats or 0:,} seats carry at most {tokens(most)} tokens/month."
        ]
    at = tokens(be.tokens_per_month)
    even = f"{at} tokens/month, {per_seat(option, be.tokens_per_month)}"
    if result.winning_now(be):  # each seat's load today, beside the break-even's: the reader judges whether it is real
        today = per_seat(option, result.workload.tokens_per_month)
        return [f"{seats} are cheaper than {be.versus} today, at {today}; they break even at {even}."]
    capped = f", {cap_words(result, option, be.tokens_per_month)}" if most_carried(result, option) is not None else ""
    return [  # the headline, or --details' assumptions, say what the plan publishes where it has no numeric cap
        f"{seats} break even with {be.versus} at {even}{capped}."
    ]


def _paid_for(result: Result, name: str) -> str:
    """What is paid for up front: bought or leased hardware, or a committed rental."""
    acquisition = result.option(name).acquisition
    what = {"buy": "Bought hardware", "lease": "Leased hardware"}.get(acquisition or "", "The commitment")
    return f"{what} for {name}"


def capex_lines(result: Result) -> list[str]:
    """What every owned option costs up front and to run: the capex a budget must find."""
    out = []
    for o in result.options:
        if o.acquisition not in ("buy", "lease"):
            continue
        run = f"then {money(o.opex_monthly, result.currency)}/month to run"
        if o.acquisition == "lease":
            out.append(f"{o.name} is leased: nothing up front, {money(o.opex_monthly, result.currency)}/month.")
            continue
        out.append(
            f"{o.name} needs {money(o.capex_upfront, result.currency)} of capex up front ({units_bought(o)}), {run};"
            f" {money(o.horizon_cash_total, result.currency)} cash over {counted(result.horizon_months, 'month')}."
        )
    return out
