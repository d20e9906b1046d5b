"""The one option-kind dispatch: each kind's engine inputs, and its monthly bill, cash, horizon total and break-even.

Every caller that turns an option into money (the report's costing, the cost curves, the what-if grid) goes
through these functions, so a kind is billed in exactly one place. Inputs broadcast: any rate, price, seat
count or plan field may be a numpy array (one value per what-if point or per candidate configuration), and
volumes may carry a trailing months axis. A new cost line is a new key of `Bill.lines`; a new kind is a new
member of `OptionCost` and one `match` arm in each function here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from costcalc.engine.api import ApiRates, api_cost_lines_per_request
from costcalc.engine.arrays import FloatArray, Floats, IntArray, rows_of
from costcalc.engine.breakeven import NEVER, solve_break_even
from costcalc.engine.breakeven import REASONS as SELF_HOSTED_REASONS
from costcalc.engine.self_hosted import (
    SelfHostedPlan,
    growth_path_total,
    self_hosted_bill,
    self_hosted_sizing,
)
from costcalc.engine.shape import RequestShape
from costcalc.units import SECONDS_PER_MONTH

REASONS = (  # why a break-even is where it is, indexed by BreakEvens.case
    *SELF_HOSTED_REASONS,
    "seats cost the same at any volume; above this volume they are cheaper than the API",
    "the API is free at this volume",
)
SEATS_FLAT, API_FREE = len(SELF_HOSTED_REASONS), len(SELF_HOSTED_REASONS) + 1


@dataclass(frozen=True)
class ApiCost:
    """An API billed per token at `rates` (month 1's); `price_path` scales later months' bills."""

    rates: ApiRates
    price_path: FloatArray | None = None  # see PRICE_PATH
    kind: ClassVar[str] = "api"


@dataclass(frozen=True)
class SeatCost:
    """A subscription: a price per seat-month times the seats, whatever the volume."""

    usd_per_seat_month: Floats
    seats: Floats
    price_path: FloatArray | None = None  # see PRICE_PATH
    kind: ClassVar[str] = "subscription"


PRICE_PATH = """Each month's bill relative to month 1's at the same volume, one value per month of the horizon
(None: prices stay). Scheduled price changes set it; any other month-by-month price change (a yearly
price drift) multiplies into the same path, so path_bill and horizon_total apply it in one place."""


@dataclass(frozen=True)
class SelfHostedCost:
    """Replicas sized for the peak, billed by `plan` (rented GPU-hours, or owned hardware and its running costs)."""

    plan: SelfHostedPlan
    kind: ClassVar[str] = "self_hosted"


OptionCost = ApiCost | SeatCost | SelfHostedCost


@dataclass(frozen=True)
class Sizing:
    """Self-hosted sizing at each volume: replicas at the peak, replica-hours a month, mean utilisation."""

    replicas: FloatArray
    replica_hours: FloatArray
    utilisation: FloatArray


@dataclass(frozen=True)
class Bill:
    """Monthly cost lines (USD, one array per line, the volumes' shape) and, for self-hosted options, the sizing."""

    lines: dict[str, FloatArray]
    sizing: Sizing | None = None
    capital: tuple[str, ...] = field(default=())  # lines that are accrual, not cash (bought hardware)

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
    volume = np.asarray(requests_per_month, dtype=float)
    match cost:
        case ApiCost(rates=rates):
            per_request = api_cost_lines_per_request(rates, shape)
            return Bill({name: volume * usd for name, usd in per_request.items()})
        case SeatCost(usd_per_seat_month=price, seats=seats):
            return Bill({"seats": np.zeros(volume.shape) + np.multiply(price, seats)})
        case SelfHostedCost(plan=plan):
            sized = self_hosted_sizing(plan, volume, shape.peak_factor, shape.hourly_factors, owned_replicas)
            lines = self_hosted_bill(plan, **sized)
            capital = ("depreciation", "cost_of_capital") if plan.acquisition == "buy" else ()
            return Bill(lines, Sizing(**sized), capital)


def path_bill(cost: OptionCost, shape: RequestShape, requests_per_month: FloatArray) -> Bill:
    """Monthly bills along a growth path (months on the last axis): replicas bought for a busy month are kept,
    and an option's price path scales each month's lines."""
    owned = None
    if isinstance(cost, SelfHostedCost) and cost.plan.acquisition == "buy":
        rate = np.asarray(requests_per_month, dtype=float) / SECONDS_PER_MONTH * shape.peak_factor
        owned = np.maximum.accumulate(cost.plan.replicas_for(rate), axis=-1)
    bill = monthly_bill(cost, shape, requests_per_month, owned_replicas=owned)
    path = _price_path(cost, np.shape(requests_per_month)[-1] if np.ndim(requests_per_month) else 1)
    if path is None:
        return bill
    return Bill({name: usd * path for name, usd in bill.lines.items()}, bill.sizing, bill.capital)


def _price_path(cost: OptionCost, months: int) -> FloatArray | None:
    """The option's price path over `months` months (its last value held beyond its end), or None."""
    path = getattr(cost, "price_path", None)
    if path is None:
        return None
    path = np.asarray(path, dtype=float)
    if len(path) >= months:
        return path[:months]
    return np.concatenate([path, np.full(months - len(path), path[-1])])


def monthly_cash(cost: OptionCost, bill: Bill) -> FloatArray:
    """Cash out each month of a path bill: bought hardware is paid when bought, not depreciated."""
    if not bill.capital or not isinstance(cost, SelfHostedCost) or bill.sizing is None:
        return bill.total
    replicas = bill.sizing.replicas
    bought = np.diff(replicas, axis=-1, prepend=0.0) * cost.plan.price_usd_per_replica
    capital = sum((bill.lines[k] for k in bill.capital), np.zeros(np.shape(replicas)))
    return bill.total - capital + bought


def usd_per_request(cost: ApiCost, shape: RequestShape) -> Floats:
    """What one mean request costs at an API (USD), the yardstick of break-even."""
    lines = api_cost_lines_per_request(cost.rates, shape)
    out: Floats = 0.0
    for usd in lines.values():
        out = out + usd
    return out


def horizon_total(cost: OptionCost, shape: RequestShape, v0: FloatArray, growth: FloatArray, months: int) -> FloatArray:
    """Σ of the monthly bills over `months` months of volume v0·(1+growth)^m, one total per point of v0.

    Closed forms where the bill is linear in volume (API) or flat (seats); bought replicas are kept.
    """
    v0, growth = np.asarray(v0, dtype=float), np.asarray(growth, dtype=float)
    path = _price_path(cost, months)
    match cost:
        case ApiCost():
            if path is not None:  # Σ v0·(1+g)^m·path[m], month by month
                factors = (1.0 + growth[..., None]) ** np.arange(months, dtype=float) * path
                return np.asarray(usd_per_request(cost, shape) * v0 * factors.sum(axis=-1), dtype=float)
            return np.asarray(usd_per_request(cost, shape) * _volume_sum(v0, growth, months), dtype=float)
        case SeatCost(usd_per_seat_month=price, seats=seats):
            total_months = months if path is None else float(path.sum())
            return np.zeros(np.broadcast_shapes(v0.shape, growth.shape)) + np.multiply(price, seats) * total_months
        case SelfHostedCost(plan=plan):
            return _self_hosted_horizon(plan, shape, v0, growth, months)


def _volume_sum(v0: FloatArray, growth: FloatArray, months: int) -> FloatArray:
    """Σ over the horizon of v0·(1+g)^m (geometric series; the horizon's length when g = 0)."""
    h = float(months)
    safe = np.where(growth == 0, 1.0, growth)
    return np.asarray(v0 * np.where(growth == 0, h, np.expm1(h * np.log1p(safe)) / safe), dtype=float)


HORIZON_CHUNK_CELLS = 1 << 17  # points × months sized at once: ~1 MB arrays stay in cache (4× faster than 64 MB)


def _self_hosted_horizon(
    plan: SelfHostedPlan, shape: RequestShape, v0: FloatArray, growth: FloatArray, months: int
) -> FloatArray:
    """Σ over the horizon of monthly cost, in blocks of points (plan fields and peak may hold one value per point)."""
    n = int(np.prod(np.broadcast_shapes(v0.shape, growth.shape, np.shape(shape.peak_factor))))
    v0 = np.broadcast_to(v0, (n,))
    growth_factors = (1.0 + np.broadcast_to(growth, (n,))[:, None]) ** np.arange(months, dtype=float)
    peak = np.broadcast_to(np.asarray(shape.peak_factor, dtype=float), (n,))
    out = np.empty(n)
    step = max(1, HORIZON_CHUNK_CELLS // max(1, months))
    for lo in range(0, n, step):
        sl = slice(lo, lo + step)
        rows = rows_of(plan, sl, n)
        volumes = v0[sl, None] * growth_factors[sl]
        out[sl] = growth_path_total(rows, volumes, peak_factor=peak[sl], hourly_factors=shape.hourly_factors)
    return out


@dataclass(frozen=True)
class BreakEvens:
    """Where an option becomes and stays cheaper than an API: requests per month (NaN: never) and why."""

    requests_per_month: FloatArray
    case: IntArray  # index into REASONS, per point
    full_use_usd_per_request: FloatArray  # self-hosted: a fully used replica's marginal cost; NaN otherwise


def break_even(cost: OptionCost, shape: RequestShape, api_usd_per_request: Floats) -> BreakEvens | None:
    """Volume above which `cost` stays at or below an API costing `api_usd_per_request`; None for an API itself."""
    a = np.asarray(api_usd_per_request, dtype=float)
    match cost:
        case ApiCost():
            return None
        case SeatCost(usd_per_seat_month=price, seats=seats):
            monthly = np.multiply(price, seats) + np.zeros(a.shape)
            free = ~(a > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                volume = np.where(free, np.nan, monthly / np.where(free, 1.0, a))
            case = np.where(free, API_FREE, SEATS_FLAT)
            return BreakEvens(np.asarray(volume, dtype=float), case, np.full(np.shape(volume), np.nan))
        case SelfHostedCost(plan=plan):
            volume, case, full_use = solve_break_even(plan, a, shape.peak_factor, shape.hourly_factors)
            volume = np.where(case == NEVER, np.nan, volume)
            return BreakEvens(volume, np.asarray(case, dtype=np.int64), np.asarray(full_use, dtype=float))
