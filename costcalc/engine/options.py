"""The one option-kind dispatch: each kind's engine inputs, and its monthly bill, flows, horizon total and break-even.

Every caller that turns an option into money (the report's costing, the cost curves, the what-if grid) goes
through these functions, so a kind is billed in exactly one place. Inputs broadcast: any rate, price, seat
count or plan field may be a numpy array (one value per what-if point or per candidate configuration), and
volumes may carry a trailing months axis. A new cost line is a new key of `Bill.lines`; a new kind is a new
member of `OptionCost` and one `match` arm in each function here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from costcalc.engine.api import api_cost_lines_per_request
from costcalc.engine.arrays import BoolArray, FloatArray, Floats, IntArray, floats, rows_of
from costcalc.engine.breakeven import NEVER, solve_break_even
from costcalc.engine.breakeven import REASONS as SELF_HOSTED_REASONS
from costcalc.engine.costs import ApiCost, OptionCost, SeatCost, SelfHostedCost
from costcalc.engine.flows import Flows, horizon_accrual, option_flows, self_hosted_horizon_accrual
from costcalc.engine.self_hosted import CAPITAL_LINES, self_hosted_bill, self_hosted_sizing, whole_units
from costcalc.engine.shape import RequestShape

REASONS = (  # why a break-even is where it is, indexed by BreakEvens.case
    *SELF_HOSTED_REASONS,
    "seats cost the same whatever each seat carries; above this volume they are cheaper than the API, where the seats"
    " may carry it (the option's cap_requests_per_seat_month and usage_cap)",
    "the API is free at this volume",
    "seats used up to their usage cap cost more per token than the API",
)
SEATS_FLAT, API_FREE, SEATS_CAPPED = (len(SELF_HOSTED_REASONS) + i for i in range(3))


@dataclass(frozen=True)
class Sizing:
    """Self-hosted sizing at each volume: replicas at the peak, replica-hours a month, mean utilisation, and the
    whole units (servers, rented instances, or GPUs) that hold the peak's replicas."""

    replicas: FloatArray
    replica_hours: FloatArray
    utilisation: FloatArray
    units: FloatArray


@dataclass(frozen=True)
class Bill:
    """Monthly cost lines (USD, one array per line, the volumes' shape) and, for self-hosted options, the sizing."""

    lines: dict[str, FloatArray]
    sizing: Sizing | None = None
    capital: tuple[str, ...] = field(default=())  # lines that are accrual, not cash when they accrue (bought hardware)

    @property
    def total(self) -> FloatArray:
        """Sum of the cost lines."""
        out = np.zeros(np.shape(next(iter(self.lines.values()))))
        for usd in self.lines.values():
            out = out + usd
        return out


def monthly_bill(
    cost: OptionCost,
    shape: RequestShape,
    requests_per_month: Floats,
    *,
    owned_replicas: FloatArray | None = None,
) -> Bill:
    """The option's monthly bill at each volume (requests per month); bought replicas never drop below `owned`."""
    volume = floats(requests_per_month)
    match cost:
        case ApiCost(rates=rates):
            per_request = api_cost_lines_per_request(rates, shape)
            return Bill({name: volume * usd for name, usd in per_request.items()})
        case SeatCost(usd_per_seat_month=price, seats=seats):
            return Bill({"seats": np.zeros(volume.shape) + np.multiply(price, seats)})
        case SelfHostedCost(plan=plan, life=life):
            sized = self_hosted_sizing(plan, volume, shape.peak_factor, shape.hourly_factors, owned_replicas)
            lines = self_hosted_bill(plan, **sized)
            capital = tuple(k for k in CAPITAL_LINES if k in lines)
            units = whole_units(sized["replicas"], life.units_per_replica)
            return Bill(lines, Sizing(**sized, units=units), capital)


def flows(cost: OptionCost, shape: RequestShape, requests_per_month: FloatArray) -> Flows:
    """The option's money month by month along volume paths (months on the last axis): accrual lines, cash
    (capital, prepaid, running) and terminal value; see costcalc.engine.flows."""
    return option_flows(cost, shape, requests_per_month)


def usd_per_request(cost: ApiCost, shape: RequestShape) -> Floats:
    """What one mean request costs at an API (USD), the yardstick of break-even."""
    lines = api_cost_lines_per_request(cost.rates, shape)
    out: Floats = 0.0
    for usd in lines.values():
        out = out + usd
    return out


def growth_path(v0: FloatArray, growth: FloatArray, months: int) -> FloatArray:
    """Requests per month along the horizon: v0·(1+growth)^m, months on the last axis.

    One path (1+g)^m is computed per distinct growth rate (often one for every point) and scaled per point.
    """
    v0, growth = floats(v0), floats(growth)
    rates, which = np.unique(growth, return_inverse=True)
    paths = np.exp(np.expand_dims(np.log1p(rates), -1) * np.arange(months))
    return floats(np.expand_dims(v0, -1) * paths[which.reshape(growth.shape)])


HORIZON_CHUNK_CELLS = 1 << 17  # points × months costed at once: ~1 MB arrays stay in cache (4× faster than 64 MB)


def horizon_total(cost: OptionCost, shape: RequestShape, v0: FloatArray, growth: FloatArray, months: int) -> FloatArray:
    """Σ of the accrual over `months` months of volume v0·(1+growth)^m, one total per point: the flows' sum.

    Points are costed in blocks; any array field of the cost or of the shape holds one value per point.
    """
    v0, growth = floats(v0), floats(growth)
    closed = horizon_accrual(cost, shape, v0, growth, months)  # API and seats: no month-by-month arrays
    if closed is not None:  # one total per point of the volumes, the growth rates or the cost's arrays
        totals = np.empty(np.broadcast_shapes(np.shape(closed), v0.shape, growth.shape))
        totals[...] = closed
        return totals
    assert isinstance(cost, SelfHostedCost)  # APIs and seats have the closed form above
    n = int(np.prod(np.broadcast_shapes(v0.shape, growth.shape, np.shape(shape.peak_factor))))
    v0, growth = np.broadcast_to(v0, (n,)), np.broadcast_to(growth, (n,))
    out = np.empty(n)
    step = max(1, HORIZON_CHUNK_CELLS // max(1, months))
    for lo in range(0, n, step):
        sl = slice(lo, lo + step)
        part = _rows(cost, sl, n)
        rows_shape = _shape_rows(shape, sl, n)
        out[sl] = self_hosted_horizon_accrual(part, rows_shape, growth_path(v0[sl], growth[sl], months))
    return out


def _rows(cost: SelfHostedCost, rows: slice, n: int) -> SelfHostedCost:
    """The cost with every array field (one value per point) cut to `rows`."""
    return dataclasses.replace(cost, plan=rows_of(cost.plan, rows, n), terms=rows_of(cost.terms, rows, n))


def _shape_rows(shape: RequestShape, rows: slice, n: int) -> RequestShape:
    return rows_of(shape, rows, n)


def most_requests(cost: OptionCost) -> Floats:
    """Requests a month the option may serve: seats times their numeric usage cap (above it a plan throttles), else
    without limit (inf)."""
    match cost:
        case SeatCost(seats=seats, cap_requests_per_seat_month=cap) if cap is not None:
            return np.multiply(seats, cap)
    return np.inf


def carries(most: Floats, requests_per_month: Floats) -> BoolArray:
    """Whether an option that may serve `most` requests a month carries `requests_per_month` (per point)."""
    return np.asarray(np.less_equal(requests_per_month, most))


def cheapest_index(monthly: FloatArray, most: FloatArray, requests_per_month: FloatArray) -> IntArray:
    """Per point (columns of `monthly` and `most`, one row per option), the cheapest option that carries the point's
    requests; where none does, the cheapest of all. The rule of report's `cheapest` (report/ranking.py), per point."""
    fits = carries(most, requests_per_month)
    best = np.argmin(np.where(fits, monthly, np.inf), axis=0)
    return np.asarray(np.where(np.any(fits, axis=0), best, np.argmin(monthly, axis=0)))


@dataclass(frozen=True)
class BreakEvens:
    """Where an option becomes and stays cheaper than an API: requests per month (NaN: never) and why."""

    requests_per_month: FloatArray
    case: IntArray  # index into REASONS, per point
    full_use_usd_per_request: FloatArray  # self-hosted: a fully used replica's marginal cost; NaN otherwise


def break_even(cost: OptionCost, shape: RequestShape, api_usd_per_request: Floats) -> BreakEvens | None:
    """Volume above which `cost` stays at or below an API costing `api_usd_per_request`; None for an API itself."""
    a = floats(api_usd_per_request)
    match cost:
        case SeatCost(usd_per_seat_month=price, seats=seats, cap_requests_per_seat_month=cap):
            monthly = np.multiply(price, seats)
            priced = a > 0  # a free API (or no price) is never dearer than seats
            volume = np.full(np.broadcast_shapes(np.shape(monthly), a.shape), np.nan)
            np.divide(monthly, a, out=volume, where=priced)
            case = np.where(priced, SEATS_FLAT, API_FREE)
            if cap is None:
                return BreakEvens(volume, case, np.full(volume.shape, np.nan))
            # a seat used to its cap: the price over the cap's requests; dearer than the API there, the seats never
            # catch up, because the volume that would match the API is more than they may carry (seats x cap)
            full_use = np.broadcast_to(np.divide(price, cap), volume.shape).astype(float)
            capped = priced & (full_use > a)
            volume = np.where(capped, np.nan, volume)
            return BreakEvens(volume, np.where(capped, SEATS_CAPPED, case), full_use)
        case SelfHostedCost(plan=plan):
            volume, case, full_use = solve_break_even(plan, a, shape.peak_factor, shape.hourly_factors)
            volume = np.where(case == NEVER, np.nan, volume)
            return BreakEvens(volume, case, full_use)
    return None  # an API: no break-even against an API


__all__ = [
    "REASONS",
    "SEATS_CAPPED",
    "ApiCost",
    "Bill",
    "BreakEvens",
    "OptionCost",
    "SeatCost",
    "SelfHostedCost",
    "Sizing",
    "break_even",
    "carries",
    "cheapest_index",
    "flows",
    "growth_path",
    "horizon_total",
    "monthly_bill",
    "most_requests",
    "usd_per_request",
]
