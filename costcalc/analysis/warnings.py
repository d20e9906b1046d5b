"""The warnings a report must not hide: stale prices, seats short of users or over their cap, idle GPUs, missed SLOs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from costcalc.analysis.fewer_gpus import fewer_gpus_lines
from costcalc.analysis.fleet_size import fleet, fleet_size_line
from costcalc.analysis.payback import life_months
from costcalc.pricing.freshness import kept_reason, stale_summary
from costcalc.pricing.schema import ApiPrice
from costcalc.report.result import PriceRef, Result
from costcalc.report.seat_load import seat_share
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedApi, ResolvedScenario, ResolvedSeats
from costcalc.scenario.plausibility import unlikely_values
from costcalc.words import count, counted, fractional_count

# the stale-price line's close; each format says after it where it shows the price dates (render/warning_places)
STALE_KEPT = "the price dates say why each is kept"
# recommend and sweep show no price dates: their stale-price line says where they are, as a report's CSV does
STALE_SHOWN_BY = "`costcalc pricing show ID` says why each is kept"
USERS_PATH = "workload.users"  # a sampled users column


def stale_line(prices: Sequence[PriceRef], override: int | None, kept: str = STALE_KEPT) -> str | None:
    """The one stale-price warning over the priced rows a Result used ('2 prices older than 120 days: a (2026-05-19),
    b (...); ' + `kept` where the shipped tables say why each is kept), or None when none is stale; `override` is the
    scenario's own stale_after_days. report and recommend both say it from here."""
    stale = [p for p in prices if p.stale]
    if not stale:
        return None
    why = f"; {kept}" if all(kept_reason(p) for p in stale) else ""
    return stale_summary(stale, override) + why


def warning_lines(
    result: Result,
    resolved: ResolvedScenario,
    *,
    low_utilisation: float,
    today: dt.date | None = None,
    layout_check: bool = True,
) -> list[str]:
    """Stale prices and prices from after the report day (one line each), fewer seats than users, exceeded seat caps,
    fleets past the largest AI cluster in their busiest month (fleet_size), idle replicas, missed SLOs, each option's
    capacity warnings (bands.range_warnings) and, with `layout_check`, a replica that half its GPUs would beat
    (fewer_gpus); a line that two options share, said once."""
    out: list[str] = []
    # the price dates are in the report's assumptions, which each format shows in its own place (qa17)
    if (stale := stale_line(result.stale_prices, resolved.scenario.stale_after_days)) is not None:
        out.append(stale)
    if today is not None and (later := later_prices(resolved, today)):
        out.append(
            f"{counted(len(later), 'price')} {'is' if len(later) == 1 else 'are'} from after the report day {today}"
            f" and {'stands' if len(later) == 1 else 'stand'} in for that day's (no earlier row is known):"
            f" {', '.join(later)}; to cost that day, set its prices in the scenario's pricing list"
        )
    if today is not None and (dated := later_own_dates(resolved, today)):
        out.append(
            f"{counted(len(dated), 'date')} in the scenario {'is' if len(dated) == 1 else 'are'} after the report day"
            f" {today}: {', '.join(dated)}; an as_of is the day its source was written (a contract, a quote, a"
            " published rate): check the date, or the report day (--today)"
        )
    out.extend(f"missing price: {m}" for m in result.missing_prices)
    out.extend(unlikely_values(resolved.scenario))
    wl = resolved.workload
    for opt, res in zip(resolved.options, result.options):
        if isinstance(opt, ResolvedApi):
            out.extend(opt.warnings)
        if isinstance(opt, ResolvedSelfHosted):
            out.extend(opt.warnings)
            life = life_months(opt)
            if opt.cost.life.at_end_of_life == "retire" and life is not None and life < result.horizon_months:
                out.append(
                    f"{opt.name}: its hardware is retired at the end of its {life}-month life; from month {life + 1}"
                    f" it serves nothing, so its totals cover {life} of {result.horizon_months} months"
                )
        if res.seats and wl.users and unseated(res.seats, wl.users):
            out.append(unseated_line(res.name, res.seats, wl.users, result.workload.tokens_per_month))
        if res.cap_requests_per_seat_month is not None and res.seats and not result.carries(res):
            per = "per user per month" if res.seats == wl.users else "a seat a month"  # seats bought may differ
            out.append(
                f"{opt.name}: {fractional_count(wl.requests_per_month / res.seats)} requests {per} exceed"
                f" the plan's cap of {fractional_count(res.cap_requests_per_seat_month)}"
            )
        if isinstance(opt, ResolvedSelfHosted):
            busiest = fleet(opt, resolved.shape, wl.requests_per_month, wl.growth_per_month, result.horizon_months)
            if (line := fleet_size_line(opt, busiest, growth=wl.growth_per_month)) is not None:
                out.append(line)
        if res.utilisation is not None and res.utilisation < low_utilisation:
            out.append(idle_line(res.name, res.utilisation))
        if isinstance(opt, ResolvedSelfHosted) and res.throughput is not None and not res.throughput.meets_slo:
            out.append(slo_missed_line(opt))
    if layout_check:
        out.extend(fewer_gpus_lines(resolved))
    # once each: options of one model or one GPU share its published runs' and its architecture's warning
    return list(dict.fromkeys(out))


NO_SEAT = "no seat, yet"  # in each fewer-seats line: recommend keeps the line about the scenario's seats by it


def unseated(seats: ArrayLike, users: ArrayLike) -> NDArray[np.bool_]:
    """Where fewer seats are bought than there are users (both above 0; seats or points alike). qa22 finding 18: the
    one test of it, asked by report (warning_lines), sweep at each point (sweep_warnings) and simulate (unseated_lines);
    recommend shows report's line."""
    bought, people = np.asarray(seats, dtype=float), np.asarray(users, dtype=float)
    return np.asarray((bought > 0) & (people > 0) & (bought < people))


def unseated_line(name: str, seats: int, users: int, tokens_per_month: float) -> str:
    """'S: 3 seats for 100 users: 97 have no seat, yet the 3 are costed carrying all 100 users' traffic (243M tokens a
    seat a month); to seat everyone, set seats: 100 or leave it out (it defaults to workload.users)'. qa22 finding 18:
    a plan with fewer seats than users was costed at the seats bought, carrying everyone's traffic, unsaid."""
    short = users - seats
    return (
        f"{name}: {counted(seats, 'seat')} for {counted(users, 'user')}: {count(short)}"
        f" {'has' if short == 1 else 'have'} {NO_SEAT} the {count(seats)} {'is' if seats == 1 else 'are'} costed"
        f" carrying all {count(users)} users' traffic ({seat_share(seats, tokens_per_month)}); to seat everyone, set"
        f" seats: {users} or leave it out (it defaults to workload.users)"
    )


def unseated_lines(resolved: ResolvedScenario) -> list[str]:
    """The fewer-seats line of each seat option of the scenario as written, at its month-1 volume (simulate's)."""
    users = resolved.workload.users
    tokens = resolved.workload.requests_per_month * resolved.shape.tokens_per_request
    return [
        unseated_line(o.name, round(float(np.asarray(o.cost.seats))), users, tokens)
        for o in resolved.options
        if isinstance(o, ResolvedSeats) and users and unseated(o.cost.seats, users)
    ]


def unseated_sample_lines(resolved: ResolvedScenario, columns: Mapping[str, ArrayLike]) -> list[str]:
    """simulate's note on each seat option whose sampled seats or users leave samples with fewer seats than users
    ('S: fewer seats than users in 97 of 200 samples (seats 80; users 81 to 120): ...'); none where its seats
    follow workload.users (not set) or neither is sampled. The stop-37 gap: simulate said it only for the scenario as
    written, so uniform(40, 120) users against 80 seats said nothing of the half of the samples short of seats."""
    written = {o.name: o for o in resolved.scenario.options}
    users = columns.get(USERS_PATH, resolved.workload.users)
    out = []
    for o in resolved.options:
        path = f"options[{o.name}].seats"
        if not isinstance(o, ResolvedSeats) or getattr(written[o.name], "seats", None) is None or users is None:
            continue
        if path not in columns and USERS_PATH not in columns:
            continue
        seats = np.asarray(columns.get(path, o.cost.seats), dtype=float)
        people = np.asarray(users, dtype=float)
        seats, people = np.broadcast_arrays(seats, people)
        short = unseated(seats, people)
        if not short.any():
            continue
        held = f"seats {_spread(seats[short])}; users {_spread(people[short])}"
        out.append(
            f"{o.name}: fewer seats than users in {count(short.sum())} of {counted(short.size, 'sample')} ({held}):"
            f" those samples cost the seats bought carrying every user's traffic; to seat everyone, set seats to"
            f" {count(people.max())} or leave it out (it defaults to workload.users)"
        )
    return out


def _spread(values: NDArray[np.float64]) -> str:
    """'80' or '81 to 120': the range of a sampled count where it falls short."""
    low, high = float(values.min()), float(values.max())
    return count(low) if count(low) == count(high) else f"{count(low)} to {count(high)}"


def slo_missed_line(opt: ResolvedSelfHosted) -> str:
    """'NAME: no operating point meets the latency SLO; costs assume the best available operating point', or where
    its points lack the latency a target needs, that ('NAME: its throughput points give no TTFT, ...')."""
    if opt.throughput.slo_unchecked is not None:
        return f"{opt.name}: {opt.throughput.slo_unchecked}"
    return f"{opt.name}: no operating point meets the latency SLO; costs assume the best available operating point"


IDLE = "utilised on average; the GPUs mostly idle"


def _utilised(share: float) -> str:
    return "<0.1%" if share < 0.0005 else f"{share:.1%}"


def idle_line(name: str, utilisation: float) -> str:
    """'NAME: replicas are 1.7% utilised on average; the GPUs mostly idle'."""
    return f"{name}: replicas are {_utilised(utilisation)} {IDLE}"


def idle_summary(utilisations: Sequence[float], listed: int) -> str:
    """The idle line once for several configurations: '7 of the 10 configurations listed: replicas are 0.6% to 6.3%
    utilised on average; the GPUs mostly idle' ('the 10 configurations listed: ...' when it is all of them)."""
    low, high = _utilised(min(utilisations)), _utilised(max(utilisations))
    n = len(utilisations)
    who = (
        f"the {counted(listed, 'configuration')} listed"
        if n == listed
        else f"{n} of the {counted(listed, 'configuration')} listed"
    )
    return f"{who}: replicas are {low if low == high else f'{low} to {high}'} {IDLE}"


def later_prices(resolved: ResolvedScenario, today: dt.date) -> list[str]:
    """'id (DATE)' for each shipped price used from before it existed: an API series whose first row takes
    effect after `today`, another table's row first recorded after it.

    A report dated before a price existed (a model not yet launched, a rental first seen later) would otherwise
    read as that day's cost: the price book uses the earliest row it has. An API row scheduled to take effect later
    while an earlier row of its series applies today is a scheduled price change, not this.
    """
    found: dict[str, dt.date] = {}
    for opt in resolved.options:
        series: dict[str, list[ApiPrice]] = {}
        for p in opt.prices:
            if p.overridden:
                continue
            if isinstance(p.row, ApiPrice):
                series.setdefault(p.row.series, []).append(p.row)
            elif p.row.as_of > today:
                found[p.row.id] = p.row.as_of
        for rows in series.values():
            first = min(rows, key=lambda r: r.valid_from or dt.date.min)
            if first.valid_from is not None and first.valid_from > today:
                found[first.id] = first.valid_from
    return [f"{row_id} ({day})" for row_id, day in sorted(found.items())]


def later_own_dates(resolved: ResolvedScenario, today: dt.date) -> list[str]:
    """'what (as of DATE)' for each date the scenario itself gives that is after `today`: its currency's rate and the
    rows its `pricing:` changes dated. A source cannot be written after the day it is used on, so such a date is a
    typo (2062 for 2026) or a report dated too early; the shipped tables' later rows are later_prices'."""
    found: dict[str, dt.date] = {}
    currency = resolved.scenario.currency
    as_of = getattr(currency, "as_of", None)
    if isinstance(as_of, dt.date) and as_of > today:
        found[f"currency {getattr(currency, 'code', '')} rate"] = as_of
    for opt in resolved.options:
        for p in opt.prices:
            if p.overridden and p.row.as_of > today:
                found[f"your price {p.row.id}"] = p.row.as_of
    return [f"{what} (as of {day})" for what, day in found.items()]
