"""Resolve API and seat options to engine rates, remembering which priced rows were used."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from costcalc.engine.api import ApiRates, api_cost_lines_per_request
from costcalc.engine.shape import RequestShape
from costcalc.errors import InputError
from costcalc.models import ApiOption, SubscriptionOption, Workload
from costcalc.pricing.book import PriceBook, Priced, retired_after, valid_on
from costcalc.pricing.schema import ApiPrice, PriceRow
from costcalc.pricing.windows import MINUTES_PER_DAY, MINUTES_PER_WEEK, Windows
from costcalc.pricing.windows import parse as parse_windows

_EXPLICIT_TO_ROW = {
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cached_input_usd_per_mtok": "cached_input",
    "cache_write_usd_per_mtok": "cache_write",
    "batch_input_usd_per_mtok": "batch_input",
    "batch_output_usd_per_mtok": "batch_output",
    "long_context_threshold_tokens": "long_context_threshold_tokens",
    "long_context_input_usd_per_mtok": "long_context_input",
    "long_context_cached_input_usd_per_mtok": "long_context_cached_input",
    "long_context_output_usd_per_mtok": "long_context_output",
    "off_peak_input_usd_per_mtok": "off_peak_input",
    "off_peak_cached_input_usd_per_mtok": "off_peak_cached_input",
    "off_peak_output_usd_per_mtok": "off_peak_output",
}


def api_rates(
    opt: ApiOption, book: PriceBook, workload: Workload
) -> tuple[ApiRates, list[Priced[PriceRow]], list[str]]:
    """Catalog prices valid on the book's day (if a model is named) overlaid with the option's explicit prices.

    Also returns the prices the workload needs but the row lacks (billed at the input price instead).
    """
    priced = book.get("api", opt.model, field=f"options[{opt.name}].model") if opt.model is not None else None
    values = _values(opt, priced.row if priced else None)
    where = f"options[{opt.name}]"
    if priced is not None and opt.service_tier != "standard":
        _check_tier(opt, priced.row, workload)
    if opt.batch_share > 0 and values.get("batch_input") is None and values.get("batch_output") is None:
        raise InputError(
            "batch_share is set but this model has no batch price; set prices.batch_input_usd_per_mtok"
            " and prices.batch_output_usd_per_mtok, or batch_share: 0",
            field=f"{where}.batch_share",
        )
    _check_long_context(values, where)
    if opt.off_peak_share and values.get("off_peak_input") is None:
        raise InputError(
            "off_peak_share is set but this model has no off-peak price; set prices.off_peak_*_usd_per_mtok",
            field=f"{where}.off_peak_share",
        )
    missing = []
    if workload.cached_input_share > 0 and values.get("cached_input") is None:
        missing.append(f"{opt.name}: no cached-input price; cache reads are billed at the input price")
    if workload.cache_write_share > 0 and values.get("cache_write") is None:
        missing.append(f"{opt.name}: no cache-write price; cache writes are billed at the input price")
    share = off_peak_share(opt, priced.row if priced else None, workload, book.on)
    return _rates(opt, values, share), [priced] if priced else [], missing


def _check_long_context(values: dict[str, float | None], where: str) -> None:
    """A long-context tier needs its threshold and its rates, from the row or the option: one without the other was
    billed at the standard rates without a word (a threshold alone changes nothing; rates alone never apply)."""
    tier = ("long_context_input", "long_context_cached_input", "long_context_output")
    rates = [k for k in tier if values.get(k) is not None]
    if values.get("long_context_threshold_tokens") is None and rates:
        raise InputError(
            f"prices.{rates[0]}_usd_per_mtok is set but no long_context_threshold_tokens, so it never applies; set"
            " prices.long_context_threshold_tokens (the input tokens above which a request is billed at it)",
            field=f"{where}.prices.{rates[0]}_usd_per_mtok",
        )
    if values.get("long_context_threshold_tokens") is not None and not any(
        values.get(k) is not None for k in ("long_context_input", "long_context_output")
    ):
        raise InputError(
            "long_context_threshold_tokens is set but no long-context rate, so it changes nothing; set"
            " prices.long_context_input_usd_per_mtok and prices.long_context_output_usd_per_mtok, or drop it",
            field=f"{where}.prices.long_context_threshold_tokens",
        )


def _values(opt: ApiOption, row: ApiPrice | None) -> dict[str, float | None]:
    """The engine's price fields from a row (if any), with the option's explicit prices on top."""
    values: dict[str, float | None] = {}
    if row is not None:
        values = {
            "input": row.input_usd_per_mtok,
            "output": row.output_usd_per_mtok,
            "cached_input": row.cached_input_usd_per_mtok,
            # the provider's default cache lifetime: Anthropic's 5 minutes, else OpenAI's 30
            "cache_write": _first(row.cache_write_5m_usd_per_mtok, row.cache_write_30m_usd_per_mtok),
            "batch_input": row.batch_input_usd_per_mtok,
            "batch_output": row.batch_output_usd_per_mtok,
            "long_context_threshold_tokens": row.long_context_threshold_tokens,
            "long_context_input": row.long_context_input_usd_per_mtok,
            "long_context_cached_input": row.long_context_cached_input_usd_per_mtok,
            "long_context_output": row.long_context_output_usd_per_mtok,
            "off_peak_input": row.off_peak_input_usd_per_mtok,
            "off_peak_cached_input": row.off_peak_cached_input_usd_per_mtok,
            "off_peak_output": row.off_peak_output_usd_per_mtok,
        }
    if row is not None and opt.service_tier != "standard":
        values.update(_tier_prices(opt, row))
    if opt.prices is not None:
        for key, value in opt.prices.model_dump(exclude_none=True).items():
            values[_EXPLICIT_TO_ROW[key]] = value
    return values


def _tier_prices(opt: ApiOption, row: ApiPrice) -> dict[str, float | None]:
    """The row's flex or priority input, cached-input and output prices; an error where the row has none."""
    tier = opt.service_tier
    tier_in = getattr(row, f"{tier}_input_usd_per_mtok")
    tier_out = getattr(row, f"{tier}_output_usd_per_mtok")
    if tier_in is None or tier_out is None:
        raise InputError(
            f"{row.id} has no {tier} price in the table; set service_tier: standard, give the {tier} prices in"
            " prices.input_usd_per_mtok and prices.output_usd_per_mtok, or choose a model with a"
            f" {tier}_input_usd_per_mtok (`costcalc pricing list -f csv`)",
            field=f"options[{opt.name}].service_tier",
        )
    return {"input": tier_in, "output": tier_out, "cached_input": getattr(row, f"{tier}_cached_input_usd_per_mtok")}


def _check_tier(opt: ApiOption, row: ApiPrice, workload: Workload) -> None:
    """Prices the table has only at the standard tier must not be billed at another one."""
    where = f"options[{opt.name}]"
    tier = opt.service_tier
    explicit = opt.prices.model_dump(exclude_none=True) if opt.prices is not None else {}
    if opt.batch_share > 0:
        raise InputError(
            f"batch requests are billed at batch prices, not at the {tier} tier; set batch_share: 0 or"
            " service_tier: standard (or make the batch part its own option)",
            field=f"{where}.batch_share",
        )
    if row.peak_hours_utc:
        raise InputError(
            f"{row.series} has off-peak hours but no {tier} tier; set service_tier: standard",
            field=f"{where}.service_tier",
        )
    threshold = row.long_context_threshold_tokens
    if (
        threshold is not None
        and "long_context_input_usd_per_mtok" not in explicit
        and any(tokens > threshold and share > 0 for tokens, share in workload.buckets)
    ):
        raise InputError(
            f"some requests exceed {row.series}'s long-context threshold ({threshold:,} input tokens) and the table"
            f" has its long-context prices at the standard tier only; give the {tier} long-context prices in"
            " prices.long_context_*_usd_per_mtok or set service_tier: standard",
            field=f"{where}.service_tier",
        )
    writes = row.cache_write_5m_usd_per_mtok, row.cache_write_30m_usd_per_mtok
    if (
        workload.cache_write_share > 0
        and any(w is not None for w in writes)
        and "cache_write_usd_per_mtok" not in explicit
    ):
        raise InputError(
            f"the table has {row.series}'s cache-write price at the standard tier only; give the {tier} one in"
            " prices.cache_write_usd_per_mtok, set cache_write_share: 0 or service_tier: standard",
            field=f"{where}.service_tier",
        )


def tier_note(opt: ApiOption, row: ApiPrice | None) -> str | None:
    """The assumption line of a flex or priority option: which tier applied and its prices."""
    if row is None or opt.service_tier == "standard":
        return None
    tier = _tier_prices(opt, row)
    cached = f", cached input {_money(tier['cached_input'])}" if tier["cached_input"] is not None else ""
    return (
        f"{opt.name}: billed at {row.series}'s {opt.service_tier} tier (service_tier: {opt.service_tier}):"
        f" input {_money(tier['input'])}{cached}, output {_money(tier['output'])} USD/1M"
    )


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def _rates(opt: ApiOption, values: dict[str, float | None], share: OffPeak) -> ApiRates:
    return ApiRates(
        **{k: v for k, v in values.items() if v is not None},
        batch_share=opt.batch_share,
        off_peak_share=share.share * (1.0 - opt.batch_share) if share.derived else share.share,
        discount=opt.discount,
    )


@dataclass(frozen=True)
class OffPeak:
    """The share of requests billed at off-peak prices, and how it was arrived at."""

    share: float
    derived: bool  # True: from the workload's hours and the provider's windows, else as given (or none)
    note: str | None = None


def off_peak_share(opt: ApiOption, row: ApiPrice | None, workload: Workload, on: dt.date) -> OffPeak:
    """An explicit off_peak_share wins; else the share of the workload's requests outside the row's peak hours."""
    if opt.off_peak_share is not None:
        note = None
        if row is not None and row.peak_hours_utc:
            note = f"{opt.name}: off_peak_share {opt.off_peak_share:g} as given (peak hours {row.peak_hours_utc} UTC)"
        return OffPeak(opt.off_peak_share, False, note)
    if row is None or not row.peak_hours_utc or row.off_peak_input_usd_per_mtok is None:
        return OffPeak(0.0, False)
    windows = parse_windows(row.peak_hours_utc)
    share = 1.0 - peak_share(windows, workload.hourly_profile, workload.timezone, on)
    profile = "the hourly profile" if workload.hourly_profile is not None else "a flat profile"
    batch = f", of the {1 - opt.batch_share:.0%} not sent as batch" if opt.batch_share else ""
    note = (
        f"{opt.name}: {share:.1%} of requests off-peak{batch}, derived from {profile} in {workload.timezone} and "
        f"{row.series}'s peak hours {row.peak_hours_utc} UTC (set off_peak_share to override)"
    )
    return OffPeak(share, True, note)


def peak_share(windows: Windows, hourly_profile: tuple[float, ...] | None, timezone: str, on: dt.date) -> float:
    """Share of a week's requests inside the windows: the profile's local hours placed in UTC on `on`'s offset."""
    return _peak_share_at(windows, hourly_profile or (1.0,) * 24, utc_offset_minutes(timezone, on))


def utc_offset_minutes(timezone: str, on: dt.date) -> int:
    """The zone's offset from UTC at noon on `on`, in minutes (summer time included)."""
    offset = ZoneInfo(timezone).utcoffset(dt.datetime.combine(on, dt.time(12))) or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


@functools.cache
def _peak_share_at(windows: Windows, profile: tuple[float, ...], shift: int) -> float:
    """peak_share with the profile's local hours shifted `shift` minutes east of UTC (cached: a horizon asks a
    zone's two offsets month after month)."""
    mask = windows.minute_mask()
    inside = 0.0
    for day in range(7):
        for hour, weight in enumerate(profile):
            start = day * MINUTES_PER_DAY + hour * 60 - shift
            minutes = [mask[(start + m) % MINUTES_PER_WEEK] for m in range(60)]
            inside += weight * sum(minutes) / 60
    return inside / (7 * sum(profile))


def api_price_path(
    opt: ApiOption, book: PriceBook, workload: Workload, shape: RequestShape, months: int
) -> tuple[np.ndarray | None, list[Priced[PriceRow]], list[str]]:
    """Month-by-month cost multiplier of an API option whose price is scheduled to change over the horizon.

    Month m is priced with the row valid on the report day plus m months; the multiplier is that bill over
    month 1's for the same request (API bills are linear in volume). None when nothing changes.
    """
    found = _month_rows(opt, book, workload, months)
    if found is None:
        return None, [], []
    days, rows, shares = found
    cost: dict[tuple[str, float], float] = {}
    for priced, share in zip(rows, shares):
        key = (priced.row.id, share.share)
        if key not in cost:
            rates = _rates(opt, _values(opt, priced.row), share)
            cost[key] = float(sum(api_cost_lines_per_request(rates, shape).values()))
    base = cost[(rows[0].row.id, shares[0].share)]
    path = np.array([cost[(p.row.id, sh.share)] / base if base else 1.0 for p, sh in zip(rows, shares)])
    used: list[Priced[PriceRow]] = []
    notes: list[str] = []
    for m, (day, priced) in enumerate(zip(days, rows)):
        if m and priced is not rows[m - 1]:
            used.append(priced)
            before = rows[m - 1].row
            start = priced.row.valid_from or day
            notes.append(
                f"{opt.name}: {opt.model} price changes on {start.isoformat()} (from month {m + 1}): "
                f"input {_money(before.input_usd_per_mtok)} → {_money(priced.row.input_usd_per_mtok)}, "
                f"output {_money(before.output_usd_per_mtok)} → {_money(priced.row.output_usd_per_mtok)} USD/1M; "
                f"the bill follows month by month (×{path[m]:.2f} of month 1)"
            )
    if any(sh.share != shares[0].share for sh in shares):
        notes.append(_summer_time_note(opt, workload, days, [sh.share for sh in shares]))
    return path, used, notes


def api_month_rates(opt: ApiOption, book: PriceBook, workload: Workload, months: int) -> tuple[ApiRates, ...] | None:
    """Each month's rates of an API option with a price path (api_price_path), the option's own prices on top of that
    month's row; None where its prices hold all horizon. A what-if that varies a price re-prices the months from
    these (costcalc.analysis.vectorized), as report does for the changed scenario."""
    found = _month_rows(opt, book, workload, months)
    if found is None:
        return None
    _, rows, shares = found
    made: dict[tuple[str, float], ApiRates] = {}
    for priced, share in zip(rows, shares):
        made.setdefault((priced.row.id, share.share), _rates(opt, _values(opt, priced.row), share))
    return tuple(made[(p.row.id, sh.share)] for p, sh in zip(rows, shares))


def _month_rows(
    opt: ApiOption, book: PriceBook, workload: Workload, months: int
) -> tuple[list[dt.date], list[Priced[ApiPrice]], list[OffPeak]] | None:
    """(days, rows, off-peak shares) of each month of the horizon; None where one row and one share hold it all."""
    if opt.model is None:
        return None
    series = book.series(opt.model)
    if not series:
        return None
    days = [add_months(book.on, m) for m in range(months)]
    valid = [valid_on(series, day) for day in days] if len(series) > 1 else [valid_on(series, book.on)] * months
    rows = [r for r in valid if r is not None]
    if len(rows) < months:
        return None
    # month 1 at the report day's offset (as the rates are); each later month at its first day's: a zone with summer
    # time moves the profile's local hours against a provider's UTC peak hours (Berlin's office day: 76.8% off-peak
    # in winter, 74.1% in summer against DeepSeek's)
    shares = [off_peak_share(opt, p.row, workload, day) for p, day in zip(rows, days)]
    if all(r is rows[0] for r in rows) and all(sh.share == shares[0].share for sh in shares):
        return None
    return days, rows, shares


def _summer_time_note(opt: ApiOption, workload: Workload, days: list[dt.date], shares: list[float]) -> str:
    """'X: 74.1% of requests off-peak in the 21 of 36 months that start in Europe/Berlin's summer time (UTC+02:00,
    month 1 UTC+01:00), 76.8% in the others; the bill follows month by month'."""
    first, zone = shares[0], workload.timezone
    other = [(day, share) for day, share in zip(days, shares) if share != first]
    month_1 = utc_offset_minutes(zone, days[0])
    offsets = sorted({utc_offset_minutes(zone, day) for day, _ in other})
    season = "summer" if offsets[0] > month_1 else "standard"
    values = sorted({share for _, share in other})
    share_words = f"{values[0]:.1%}" if len(values) == 1 else f"{values[0]:.1%} to {values[-1]:.1%}"
    return (
        f"{opt.name}: {share_words} of requests off-peak in the {len(other)} of {len(days)} months that start in"
        f" {zone}'s {season} time ({', '.join(_utc(o) for o in offsets)}, month 1 {_utc(month_1)}), {first:.1%} in"
        " the others; the bill follows month by month"
    )


def _utc(minutes: int) -> str:
    """'UTC+02:00', 'UTC-03:30'."""
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def retirement_in_horizon(opt: ApiOption, book: PriceBook, months: int) -> list[str]:
    """A model that retires before the horizon ends: no price exists after it (the last one is carried on)."""
    if opt.model is None or opt.prices is not None and opt.prices.input_usd_per_mtok is not None:
        return []
    end = retired_after(book.series(opt.model))
    if end is None or end.overridden or end.row.valid_until is None:
        return []
    last = end.row.valid_until
    retires = last + dt.timedelta(days=1)
    month = next((m for m in range(months) if add_months(book.on, m + 1) > retires), None)
    if month is None:
        return []
    successor = f"; upstream's successor is {end.row.successor}" if end.row.successor else ""
    return [
        f"{opt.name}: {opt.model} retires on {retires.isoformat()}, in month {month + 1} of {months}; from then it is"
        f" billed at its last price, which no provider charges any more{successor}"
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _money(value: float | None) -> str:
    return "not in the table" if value is None else f"{value:g}"


def seat_price(
    opt: SubscriptionOption, workload: Workload, book: PriceBook
) -> tuple[float, int, float | None, list[Priced[PriceRow]], str]:
    """(USD per seat-month, seats, cap in requests per user-month or None, rows used, billing: monthly | annual)."""
    where = f"options[{opt.name}]"
    used: list[Priced[PriceRow]] = []
    price = opt.usd_per_seat_month
    cap = opt.cap_requests_per_user_per_month
    billing = opt.billing or "monthly"
    if opt.plan is not None:
        priced = book.get("seats", opt.plan, field=f"{where}.plan")
        used.append(priced)
        row = priced.row
        if price is None and opt.billing is None:
            annual = row.annual_usd_per_seat_month is not None
            price = row.annual_usd_per_seat_month if annual else row.monthly_usd_per_seat
            billing = "annual" if annual else "monthly"
        elif price is None:
            price = row.annual_usd_per_seat_month if opt.billing == "annual" else row.monthly_usd_per_seat
            if price is None:
                other = "monthly" if opt.billing == "annual" else "annual"
                raise InputError(
                    f"plan {opt.plan!r} publishes no {opt.billing} price; set billing: {other} or usd_per_seat_month",
                    field=f"{where}.billing",
                )
        if cap is None:
            cap = row.cap_requests_per_user_per_month
    seats = opt.seats if opt.seats is not None else workload.users
    if seats is None:  # before the plan's minimum: 'needs at least 2 seats; raise seats' when none were given
        raise InputError("a subscription needs seats, or workload.users to derive them", field=f"{where}.seats")
    if opt.plan is not None and row.min_seats and seats < row.min_seats:
        given = "raise seats" if opt.seats is not None else f"its seats are workload.users ({seats:,}): set seats"
        raise InputError(
            f"plan {opt.plan!r} needs at least {row.min_seats} seats; {given} or choose another plan",
            field=f"{where}.seats",
        )
    if opt.plan is not None and row.max_seats and seats > row.max_seats:  # qa24: 2,000 Claude Team seats were costed
        given = "lower seats" if opt.seats is not None else f"its seats are workload.users ({seats:,}): set seats"
        raise InputError(
            f"plan {opt.plan!r} sells at most {row.max_seats:,} seats; {given} or choose another plan",
            field=f"{where}.seats",
        )
    assert price is not None
    return price, seats, cap, used, billing
