"""The headline a lead can read aloud: what is cheapest now, by how much (or a tie and why), what takes over when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from costcalc.report.money_words import growth_words, money, names, percent
from costcalc.report.seat_load import cap_words, carried_at, most_carried, seat_load
from costcalc.report.tie import close_to_cheapest, same_cost
from costcalc.words import tokens

if TYPE_CHECKING:
    from costcalc.report.result import OptionResult, Result, Takeover, Tie


def headline_lines(result: Result, tie: Tie | None, takeover: Takeover | None) -> tuple[str, ...]:
    """Three sentences: what is cheapest now, by how much (or a tie and why), and what takes over when."""
    cur = result.currency
    best, *others = result.ranked
    seats = seat_load(result, best.name, result.workload.tokens_per_month)  # a seat count fixed by headcount
    carries = f", at {seats}" if seats else ""
    rivals = [o for o in others if result.carries(o) or not result.carries(best)]  # seats over their cap are none
    if tie is None:
        first = (
            f"Cheapest now: {best.name} at {money(best.monthly_cost, cur)}/month "
            f"({money(best.cost_per_million_tokens, cur)} per 1M tokens){carries}."
        )
        if not others:
            second = "It is the only option."
        elif not rivals:
            second = "It is the only option that may carry today's volume."
        else:
            runner = rivals[0]
            saved = runner.monthly_cost - best.monthly_cost
            share = saved / runner.monthly_cost if runner.monthly_cost > 0 else 0.0
            second = (
                f"It saves {money(saved, cur)}/month ({percent(share)}) against the next, "
                f"{runner.name} at {money(runner.monthly_cost, cur)}/month."
            )
    elif close := close_to_cheapest(result, tie):
        tied = [best.name, *(o.name for o in close)]
        same = same_cost(best, close)
        at = f"at {money(best.monthly_cost, cur)}/month each" if same else f"from {money(best.monthly_cost, cur)}/month"
        first = f"Cheapest now: a tie between {names(tied)}, {at}."
        if seats:
            first = f"{first[:-1]}; {best.name} at {seats}."
        none = "Neither" if len(tied) == 2 else "None"
        second = f"{none} is cheaper: {tie.reason}." if same else f"Too close to call: {tie.reason}."
    else:  # tied only through an estimate's band: the cheapest at the estimates, and what could overturn it
        first = (
            f"Cheapest now: {best.name} at {money(best.monthly_cost, cur)}/month "
            f"({money(best.cost_per_million_tokens, cur)} per 1M tokens){carries}, but an estimate could overturn it."
        )
        second = f"Not settled: {tie.reason}."
    return (f"{first[:-1]}{_over_cap(result, best)}.", second, _takeover_line(result, takeover))


def _over_cap(result: Result, best: OptionResult) -> str:
    """'; Seats, at $100/month, would be cheaper but cannot carry today's volume: 730k tokens a seat a month (about 24
    requests a day), above the cap of ...' for each seat plan cheaper than `best` that its numeric usage cap holds
    below today's volume (report/ranking.py), or ''."""
    cur, volume = result.currency, result.workload.tokens_per_month
    return "".join(
        f"; {o.name}, at {money(o.monthly_cost, cur)}/month, would be cheaper but cannot carry today's volume:"
        f" {seat_load(result, o.name, volume)}"
        for o in result.ranked
        if o.monthly_cost < best.monthly_cost and not result.carries(o)
    )


def _takeover_line(result: Result, takeover: Takeover | None) -> str:
    wl = result.workload
    growth = wl.growth_per_month
    if takeover is None:
        if growth > 0:
            return (
                f"Nothing takes over: {result.cheapest} stays the cheapest through month {result.horizon_months}"
                f" at {growth_words(growth)} growth a month{_seats_at_horizon(result)}."
            )
        if result.option(result.cheapest).kind == "api":
            return f"Nothing takes over: no option breaks even against {result.cheapest} at a higher volume."
        return "Usage is not set to grow (workload.growth_per_month), so nothing takes over."
    volume = f"{tokens(takeover.tokens_per_month)} tokens/month"
    seats = seat_load(result, takeover.option, takeover.tokens_per_month)
    if takeover.month is not None:
        if not takeover.bought:
            carried = f", when that is {seats}" if seats else ""
            return (
                f"At {growth_words(growth)} growth a month, {takeover.option} takes over from {takeover.versus} "
                f"around month {takeover.month}, at {volume}{carried}."
            )
        be = next((b for b in result.break_even if b.option == takeover.option and b.versus == takeover.versus), None)
        pays = (
            f"pays back in month {takeover.payback_months}"
            if takeover.payback_months is not None
            else (be.payback_reason if be is not None and be.payback_reason else None)
            or f"does not pay back within the {result.horizon_months}-month horizon"
        )
        return (
            f"At {growth_words(growth)} growth a month, {takeover.option} costs less a month than {takeover.versus} "
            f"from around month {takeover.month}, but its hardware {pays}."
        )
    factor = takeover.tokens_per_month / wl.tokens_per_month
    when = (
        f"beyond the {result.horizon_months}-month horizon at {growth_words(growth)} growth a month"
        if growth > 0
        else "usage is not set to grow"
    )
    if seats:  # a seat count fixed by headcount: the volume is each seat's load, which the reader can judge
        return f"{takeover.option} would take over above {volume} ({factor:,.1f}x today's) only at {seats}; {when}."
    return f"{takeover.option} would take over above {volume} ({factor:,.1f}x today's); {when}."


def _seats_at_horizon(result: Result) -> str:
    """', when that is 1.03B tokens a seat a month (about 11,800 requests a day)' where the cheapest is a seat plan
    (its seats fixed by headcount carry the growth), at the horizon's volume; ', above the cap ...' past its cap."""
    option, t = result.option(result.cheapest), result.timeline
    if option.kind != "subscription" or not option.seats or t is None:
        return ""
    volume = t.requests[-1] * result.workload.tokens_per_month / result.workload.requests_per_month
    most = most_carried(result, option)
    above = f", {cap_words(result, option, volume)}" if most is not None and volume > most else ""
    return f", when that is {carried_at(result, option, volume)}{above}"
