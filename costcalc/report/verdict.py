"""The verdict a lead can read aloud: the facts (tie, takeover) and their words, from a Result; one place for every format.

The headline answers in three sentences: what is cheapest now, by how much (or that it is a tie, and
why), and what takes over as usage grows. The details under the table say where each option breaks
even, when bought hardware pays back, and how wide each throughput estimate's band is.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from costcalc.bands import range_long, range_short
from costcalc.report import ranking
from costcalc.report.option_table import option_range
from costcalc.report.result import Takeover, Tie
from costcalc.report.seat_load import cap_words, carried_at, most_carried, per_seat, seat_load
from costcalc.words import counted, fractional_count, half_up, tokens

if TYPE_CHECKING:
    from costcalc.report.result import BreakEvenResult, OptionResult, Result

TIE_SHARE = 0.02  # options within 2% of the cheapest are a tie; so is the margin a takeover must clear
SAME_COST_SHARE = 1e-9  # monthly costs this close are the same (a sum's rounding), not 'within 0.00%' of each other


CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: float, currency: str = "USD", *, decimals: int | None = None) -> str:
    """$1,234 for large amounts, $12.34 for small ones (or `decimals` places); other currencies by symbol or code."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ""  # -$2,935 (savings), not $-2,935
    size = abs(amount)
    places = decimals if decimals is not None else _places(size)
    return f"{sign}{symbol}{half_up(size, places):,.{places}f}"


def _places(amount: float) -> int:
    """The decimals `money` writes an amount with: whole units from 100, cents below."""
    return 0 if abs(amount) >= 100 else 2


def money_change(before: float, after: float, currency: str = "USD", *, signed: bool = True) -> str:
    """`after` minus `before` as the two read where `money` writes them, so a reader's subtraction agrees: '+$685'
    from $232 to $917 (the exact $684.16 reads a dollar off), '+$13' from $12,647 to $12,660 (not '+$13.59' beside
    whole dollars), cents where either amount shows cents; '$0' where they read the same."""
    change = half_up(after, _places(after)) - half_up(before, _places(before))
    places = max(_places(before), _places(after))
    if half_up(change, places) == 0:
        return money(0, currency, decimals=0)
    text = money(change if signed else abs(change), currency, decimals=places)
    return "+" + text if signed and change > 0 else text


MAX_DECIMALS = 6  # money_apart's limit


def money_apart(a: float, b: float, currency: str = "USD") -> tuple[str, str]:
    """`a` and `b` as `money` writes them, with more decimals only where two amounts that differ would read the same
    ('$0.2141' vs '$0.2139', where money says '$0.21' twice)."""
    left, right = money(a, currency), money(b, currency)
    places = 3 if abs(a) < 100 and abs(b) < 100 else 1
    while left == right and a != b and places <= MAX_DECIMALS:
        left, right = money(a, currency, decimals=places), money(b, currency, decimals=places)
        places += 1
    return left, right


def never_words(be: BreakEvenResult, currency: str) -> str:
    """Why an option never stays cheaper, with both costs per 1M tokens when the Result has them: 'a fully used
    replica costs more per token than the API ($0.15 vs $0.07 per 1M tokens)'."""
    full, versus = be.full_use_cost_per_million_tokens, be.versus_cost_per_million_tokens
    if full is None or versus is None:
        return be.reason
    mine, theirs = money_apart(full, versus, currency)
    return f"{be.reason} ({mine} vs {theirs} per 1M tokens)"


class WholeUnits(Protocol):
    """What an option is billed or bought in, whole (an OptionResult, a recommend Candidate)."""

    @property
    def instances(self) -> int | None: ...
    @property
    def servers(self) -> int | None: ...
    @property
    def workstations(self) -> int | None: ...


def whole_units(o: WholeUnits) -> str | None:
    """'3 instances', '1 server', '2 workstations': the whole units a rental bills or a purchase buys, as the Result
    counts them; None for an option counted by the GPU (a card bought alone, a rental by the GPU)."""
    for count, unit in ((o.instances, "instance"), (o.servers, "server"), (o.workstations, "workstation")):
        if count is not None:
            return f"{count:,} {unit}{'' if count == 1 else 's'}"
    return None


def units_bought(o: OptionResult) -> str:
    """'1 server', '2 workstations', or a card bought alone counted in GPUs: '2 GPUs'."""
    return whole_units(o) or f"{o.gpus} GPU{'' if o.gpus == 1 else 's'}"


def percent(share: float) -> str:
    """0.00036 → '0.04%', 0.0021 → '0.2%', 0.86 → '86%', 12.3 → '1,230%'."""
    if abs(share) < 0.001:
        return f"{share:.2%}"
    return f"{share:.1%}" if abs(share) < 0.1 else f"{share:,.0%}"


def growth_words(share: float) -> str:
    """0.05 → '5%', 0.015 → '1.5%'."""
    return f"{share:.0%}" if round(share * 100, 6).is_integer() else f"{share:.1%}"


def names(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def cost_range(option: OptionResult) -> tuple[float, float]:
    """The option's monthly cost as a (low, high) range: its estimate's band, or the cost itself."""
    return option.monthly_cost_range or (option.monthly_cost, option.monthly_cost)


def band_words(option: OptionResult, currency: str) -> str | None:
    """'Llama on H100s: throughput estimated, actual 0.70x to 1.72x the estimate (vllm server band: 9 in 10 of 53
    held-out benchmarks), so $5,100 to $9,300 a month', or None when not estimated."""
    actual = option_range(option)
    if actual is None or option.monthly_cost_range is None:
        return None
    low, high = option.monthly_cost_range
    said = f"{option.name}: throughput estimated, actual {range_long(actual)}"
    if round(high) > round(low):
        return f"{said}, so {money(low, currency)} to {money(high, currency)} a month"
    return f"{said}, which leaves its cost at {money(low, currency)} a month"


def runs_cost_words(option: OptionResult, currency: str) -> str:
    """', at which it would cost $7,100 to $9,800 a month' (or ', at which its cost holds at $6,732 a month' where it
    reads as the estimate's): the month-1 cost at the range the published runs of the option's own configuration
    measured, where they disagree with its range (monthly_cost_at_runs); '' elsewhere."""
    if option.monthly_cost_at_runs is None:
        return ""
    low, high = (money(c, currency) for c in option.monthly_cost_at_runs)
    if low != high:
        return f", at which it would cost {low} to {high} a month"
    if low == money(option.monthly_cost, currency):
        return f", at which its cost holds at {low} a month"
    return f", at which it would cost {low} a month"


def runs_words(option: OptionResult, currency: str) -> str:
    """' No published run of vllm on l40s-48gb; nearest: ...': where no published run measured an estimated option's
    GPU, engine and model, the summary of the runs nearest it (analysis/published_runs.py) as a sentence after its
    band, the warning an extrapolation deserves; ' But 5 of 5 published runs of ... measured below their held-out
    estimates (...), at which its cost holds at $6,732 a month.' where such runs exist and disagree with the option's
    range (report/run_evidence.py; runs_cost_words); '' where they exist and agree (the details list them, as every
    format's sources do) or it is not estimated."""
    from costcalc.report.run_evidence import beyond_words

    t = option.throughput
    if t is None or t.published_runs is None:
        return ""
    if t.published_runs.exact:
        beyond = beyond_words(t.published_runs, t.allowed_range())
        return f" But {beyond}{runs_cost_words(option, currency)}." if beyond else ""
    summary = t.published_runs.summary
    return f" {summary[:1].upper()}{summary[1:]}."


def find_tie(result: Result) -> Tie | None:
    """The options too close to call against the cheapest: within TIE_SHARE, or overlapping an estimate's band; seats
    over their usage cap tie with nothing that may serve today's volume (report/ranking.py)."""
    volume = result.workload.requests_per_month
    best, *others = ranking.ranked(result.options, volume)  # not Result.ranked: recommend asks of its candidates
    best_low, best_high = cost_range(best)
    close, banded = [], []
    for o in others:
        if ranking.carries(best, volume) and not ranking.carries(o, volume):
            continue
        low, _ = cost_range(o)
        if o.monthly_cost <= best.monthly_cost * (1 + TIE_SHARE):
            close.append(o)
        elif low <= best_high:
            banded.append(o)
    tied = close + banded
    if not tied:
        return None
    cur = result.currency
    spread = (tied[-1].monthly_cost - best.monthly_cost) / best.monthly_cost if best.monthly_cost > 0 else math.inf
    parts = []
    if close:
        within = max(o.monthly_cost for o in close) / best.monthly_cost - 1 if best.monthly_cost > 0 else 0.0
        parts.append("they cost the same" if same_cost(best, close) else f"within {percent(within)} of each other")
        parts += [w for o in [best, *close] if (w := band_words(o, cur))]
    for o in banded:
        if o.monthly_cost_range is not None and (actual := option_range(o)) is not None:
            low, high = o.monthly_cost_range
            parts.append(
                f"{o.name} costs {money(o.monthly_cost, cur)} a month at its estimated throughput, but that estimate"
                f" allows actual throughput {range_long(actual)}, so it could cost {money(low, cur)} to"
                f" {money(high, cur)} a month"
            )
        else:
            parts.append(
                f"{o.name} at {money(o.monthly_cost, cur)} a month is inside the range of {band_words(best, cur)}"
            )
    return Tie(options=tuple(o.name for o in [best, *tied]), spread=spread, reason="; ".join(parts))


def same_cost(best: OptionResult, close: list[OptionResult]) -> bool:
    """Whether each option in `close` costs what `best` does a month (to a part in a billion: float sums), an exact
    tie that 'within 0.00% of each other' said badly (qa22 finding 22: two APIs of one price)."""
    return all(math.isclose(o.monthly_cost, best.monthly_cost, rel_tol=SAME_COST_SHARE) for o in close)


def close_to_cheapest(result: Result, tie: Tie) -> list[OptionResult]:
    """The tied options within TIE_SHARE of the cheapest (the others are tied only through an estimate's band)."""
    best, *others = result.ranked
    return [
        o
        for o in others
        if o.name in tie.options and o.name != best.name and o.monthly_cost <= best.monthly_cost * (1 + TIE_SHARE)
    ]


def tie_notes(result: Result) -> dict[str, str]:
    """A few words per tied option, for a table row, worded as the headline words the tie: 'tie: within 0.2%',
    'could be cheapest: throughput ≥0.45x', 'cheapest on current estimates'."""
    tie = result.tie
    if tie is None:
        return {}
    best = result.ranked[0]
    close = close_to_cheapest(result, tie)
    notes = {
        o.name: "tie: same cost"
        if same_cost(best, [o])
        else f"tie: within {percent(o.monthly_cost / best.monthly_cost - 1)}"
        for o in close
    }
    lowest = "tie: same cost" if same_cost(best, close) else "tie: lowest of the tied"
    notes[best.name] = lowest if close else "cheapest on current estimates"
    for name in tie.options:
        o = result.option(name)
        if name in notes:
            continue
        actual = option_range(o)
        notes[name] = (
            f"could be cheapest: throughput {range_short(actual)}"
            if actual
            else "could be cheapest: inside the cheapest's range"
        )
    return notes


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
