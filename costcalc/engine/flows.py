"""Month by month money of one option over a horizon: accrual lines, cash (capital, prepaid, running), terminal value.

One implementation for every kind. Months are on the last axis of the volumes; any leading axes (what-if
points) broadcast with array-valued rates, prices and plan fields. The report's timeline, payback, NPV and
horizon totals, and the what-if horizon totals, are all sums over these arrays.

Conventions: capital and prepaid cash is paid at the start of its month, running cash through the month.
Bought hardware: each purchase depreciates over its useful life only, then is replaced (cash out again, its
residual value back) or retired (the option stops). Whatever was paid for and is not used up by the horizon's
end (hardware at book value, prepaid months not yet used) is the terminal value, stated apart from the cash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from costcalc.engine.api import api_cost_lines_per_request
from costcalc.engine.arrays import BoolArray, FloatArray, Floats, divide, floats, plain, with_trailing_axis
from costcalc.engine.costs import ApiCost, OptionCost, SeatCost, SelfHostedCost
from costcalc.engine.self_hosted import CAPITAL_LINES, SelfHostedPlan, self_hosted_bill, self_hosted_sizing, total
from costcalc.engine.shape import RequestShape
from costcalc.engine.terms import Lifecycle, OneOff, price_factors
from costcalc.units import SECONDS_PER_MONTH

ONE_OFF = "one_off"  # the accrual line of amortised one-off costs


@dataclass(frozen=True)
class Flows:
    """An option's money in each month of the horizon (arrays (..., months)); terminal value per point."""

    lines: dict[str, FloatArray]  # accrual (P&L) cost lines
    capex: FloatArray  # hardware bought (first purchases, replacements, buy-outs) less resale proceeds
    prepaid: FloatArray  # other cash paid at the month's start: annual seats, commitment upfront, one-off costs
    running: FloatArray  # cash paid through the month
    terminal_value: FloatArray  # at the horizon's end: hardware at book value, prepaid months not yet used
    replicas: FloatArray | None = None  # self-hosted: replicas in service
    utilisation: FloatArray | None = None  # self-hosted: mean load / capacity of the replicas in service
    units_bought: FloatArray | None = None  # bought or leased: purchase units (servers or GPUs) acquired

    @property
    def accrual(self) -> FloatArray:
        """Accrual cost of each month: the sum of the lines."""
        return _sum(self.lines.values(), self.running)

    @property
    def cash(self) -> FloatArray:
        """Cash out in each month: capital + prepaid + running."""
        return self.capex + self.prepaid + self.running

    @property
    def opex(self) -> FloatArray:
        """Cash that is not capital: prepaid + running."""
        return self.prepaid + self.running

    @property
    def upfront(self) -> FloatArray:
        """Cash paid at each month's start (capital + prepaid)."""
        return self.capex + self.prepaid


def _sum(values: Iterable[Floats], like: FloatArray) -> FloatArray:
    out = np.zeros(np.shape(like))
    for v in values:
        out = out + v
    return out


def _col(x: Floats) -> Floats:
    """An array input (one value per point) with a trailing months axis; a scalar unchanged."""
    return np.expand_dims(x, -1) if np.ndim(x) > 0 else x


def option_flows(cost: OptionCost, shape: RequestShape, volumes: FloatArray) -> Flows:
    """Month-by-month money of one option along volume paths (requests per month, months on the last axis)."""
    volumes = floats(volumes)
    months = volumes.shape[-1]
    zero = np.zeros(volumes.shape)
    match cost:
        case ApiCost(rates=rates, price_path=scheduled, terms=terms):
            factors = price_factors(months, scheduled=scheduled, change_per_year=terms.price_change_per_year)
            billed = volumes * factors  # requests a month, at month 1's prices
            lines = {k: billed * _col(usd) for k, usd in api_cost_lines_per_request(rates, shape).items()}
            flows = Flows(lines, zero, zero, _sum(lines.values(), zero), np.zeros(volumes.shape[:-1]))
        case SeatCost(price_path=scheduled, terms=terms):
            factors = price_factors(months, scheduled=scheduled, change_per_year=terms.price_change_per_year)
            flows = _seat_flows(cost, factors + zero)
        case SelfHostedCost(plan=plan, life=life, terms=terms):
            if plan.owned:
                flows = _owned_flows(plan, life, shape, volumes)
            else:
                factors = price_factors(months, change_per_year=terms.price_change_per_year)
                flows = _rent_flows(plan, life, factors, shape, volumes)
    return _with_one_offs(flows, cost.terms.one_offs, months)


def _seat_flows(cost: SeatCost, factors: FloatArray) -> Flows:
    """Seats: billed monthly, or `prepay_months` (12: annual) paid up front at the price of the period's start."""
    months = factors.shape[-1]
    per_month = _col(np.multiply(cost.usd_per_seat_month, cost.seats))
    period = cost.prepay_months
    m = np.arange(months)
    start = (m // period) * period
    seats = per_month * factors[..., start]
    zero = np.zeros(seats.shape)
    if period == 1:
        return Flows({"seats": seats}, zero, zero, seats, np.zeros(seats.shape[:-1]))
    prepaid = np.where(m % period == 0, seats * period, 0.0)
    unused_months = start[-1] + period - months  # paid for, beyond the horizon
    return Flows({"seats": seats}, zero, prepaid, zero, seats[..., -1] * unused_months)


def _per_term_max(need: FloatArray, term: int) -> FloatArray:
    """Each month's value replaced by the largest of its term (months 0..T-1, T..2T-1, ...)."""
    months = need.shape[-1]
    terms = -(-months // term)
    pad = np.zeros(need.shape[:-1] + (terms * term - months,))
    blocks = np.concatenate([need, pad], axis=-1).reshape(need.shape[:-1] + (terms, term)).max(axis=-1)
    return np.repeat(blocks, term, axis=-1)[..., :months]


@dataclass(frozen=True)
class _Path:
    """A self-hosted option's sizing in every month, what each month's rental rate is (× month 1's), and when
    it serves: the part of the flows that the month-by-month view and the horizon sums share."""

    sized: dict[str, FloatArray]  # replicas, replica_hours, utilisation (zero once retired)
    rate: FloatArray | None  # rent: each month's rate relative to month 1's (committed: fixed for a term)
    alive: BoolArray | None  # owned: where the hardware still serves (bool per month); None when always
    live: FloatArray | None = None  # owned: replicas held each month


def _path(
    plan: SelfHostedPlan, life: Lifecycle, factors: FloatArray | None, shape: RequestShape, volumes: FloatArray
) -> _Path:
    """The sizing month by month; `factors` (the rental rate's path) only for rented GPUs, None for owned ones."""
    grid, peak = with_trailing_axis(plan), _col(shape.peak_factor)
    months = volumes.shape[-1]
    m = np.arange(months)
    if factors is not None:
        term = life.commitment_months
        if term <= 0:
            return _Path(self_hosted_sizing(grid, volumes, peak, shape.hourly_factors), factors, None)
        committed = _per_term_max(grid.replicas_for(volumes / SECONDS_PER_MONTH * peak), term)
        sized = self_hosted_sizing(grid, volumes, peak, shape.hourly_factors, committed)
        return _Path(sized, factors[..., (m // term) * term], None)  # the rate is fixed for a term
    owned = np.maximum.accumulate(grid.replicas_for(volumes / SECONDS_PER_MONTH * peak), axis=-1)
    if life.at_end_of_life != "retire":
        return _Path(self_hosted_sizing(grid, volumes, peak, shape.hourly_factors, owned), None, None, owned)
    alive = m < _cycle_months(plan, life)
    live = np.where(alive, owned, 0.0)
    sized = self_hosted_sizing(grid, volumes, peak, shape.hourly_factors, live)
    return _Path({k: np.where(alive, v, 0.0) for k, v in sized.items()}, None, alive, live)


def _rent_flows(
    plan: SelfHostedPlan, life: Lifecycle, factors: FloatArray, shape: RequestShape, volumes: FloatArray
) -> Flows:
    """Rented GPUs: on demand month by month, or committed for terms (the term's busiest need, every hour)."""
    months = volumes.shape[-1]
    m = np.arange(months)
    found = _path(plan, life, factors, shape, volumes)
    sized = found.sized
    lines = self_hosted_bill(with_trailing_axis(plan), **sized)
    assert found.rate is not None  # rented: _path always gives a rate
    lines["gpu_rental"] = lines["gpu_rental"] * found.rate
    rental = lines["gpu_rental"]
    zero = np.zeros(rental.shape)
    term = life.commitment_months
    if term <= 0:
        return Flows(
            lines, zero, zero, total(lines), np.zeros(zero.shape[:-1]), sized["replicas"], sized["utilisation"]
        )
    up = life.upfront_share
    prepaid = np.where(m % term == 0, up * term * rental, 0.0)
    start = (months - 1) // term * term
    unused = up * rental[..., -1] * (start + term - months)  # upfront paid for months past the horizon
    return Flows(lines, zero, prepaid, total(lines) - up * rental, unused, sized["replicas"], sized["utilisation"])


def _owned_flows(plan: SelfHostedPlan, life: Lifecycle, shape: RequestShape, volumes: FloatArray) -> Flows:
    """Bought or leased hardware: kept once acquired, each purchase living its cycle, then replaced or retired."""
    found = _path(plan, life, None, shape, volumes)
    sized, live = found.sized, found.live
    assert live is not None
    lines = self_hosted_bill(with_trailing_axis(plan), **sized)
    if found.alive is not None:  # labour and a flat hosting fee stop too
        lines = {k: np.where(found.alive, v, 0.0) for k, v in lines.items()}
    cycle = _cycle_months(plan, life)  # scalar, or (..., 1) when the useful life varies per point
    cohorts = _Cohorts(np.maximum(np.diff(live, prepend=0.0), 0.0), cycle, found.alive is not None)
    buyout = life.lease_buyout_usd_per_replica
    if plan.acquisition == "lease" and buyout is not None:
        # after its term a cohort is bought out: no payment; the buy-out depreciates to the end of its life
        bought_out = cohorts.count(cohorts.phase >= life.lease_term_months)
        lines["lease"] = lines["lease"] - bought_out * plan.lease_usd_per_replica_month
        months_after = np.maximum(cycle - life.lease_term_months, 1)
        lines["depreciation"] = bought_out * buyout * (1 - plan.residual_value_share) / months_after
    zero = np.zeros(volumes.shape)
    capital = sum(lines[k] for k in CAPITAL_LINES if k in lines)  # 0 for a lease
    capex, acquired = _owned_capital(plan, life, cohorts)
    terminal = _terminal_value(plan, life, cohorts)
    return Flows(
        lines, capex, zero, total(lines) - capital, terminal, sized["replicas"], sized["utilisation"], acquired
    )


def self_hosted_horizon_accrual(cost: SelfHostedCost, shape: RequestShape, volumes: FloatArray) -> FloatArray:
    """Σ over the months of option_flows(...).accrual for a self-hosted option, one value per path.

    The bill is affine in the sizing (replicas, replica-hours weighted by the rental rate, replicas × utilisation),
    so the months of a path that serves sum to the bill of their mean sizing times their count: one bill per path
    instead of one a month. A lease bought out (its accrual turns from payments to depreciation by cohort) is
    summed month by month.
    """
    plan, life = cost.plan, cost.life
    months = volumes.shape[-1]
    extra = float(one_off_line(cost.terms.one_offs, months)[1].sum())
    if plan.acquisition == "lease" and life.lease_buyout_usd_per_replica is not None:
        return floats(option_flows(cost, shape, volumes).accrual.sum(axis=-1))
    factors = None if plan.owned else price_factors(months, change_per_year=cost.terms.price_change_per_year)
    found = _path(plan, life, factors, shape, volumes)
    sized = found.sized
    count = np.sum(found.alive, axis=-1) if found.alive is not None else months
    hours = sized["replica_hours"] if found.rate is None else sized["replica_hours"] * found.rate
    replica_months = sized["replicas"].sum(axis=-1)
    busy = (sized["replicas"] * sized["utilisation"]).sum(axis=-1)
    utilisation = busy / np.maximum(replica_months, 1)  # whole replica-months: 0 (and no load) or at least 1
    n = np.maximum(count, 1)
    mean = self_hosted_bill(plan, replica_months / n, hours.sum(axis=-1) / n, utilisation)
    return floats(total(mean) * count + extra)


def _cycle_months(plan: SelfHostedPlan, life: Lifecycle) -> Floats:
    """Months from acquiring a cohort to its end of life (replacement, renewal or retirement)."""
    if plan.acquisition == "lease" and life.lease_buyout_usd_per_replica is None:
        return life.lease_term_months
    return _col(plan.useful_life_months)


class _Cohorts:
    """Replicas acquired each month (cohorts), and per month which of them a rule on their age holds for."""

    def __init__(self, bought: FloatArray, cycle: Floats, retire: bool) -> None:
        months = bought.shape[-1]
        self.months, self.bought, self.retire = months, bought, retire
        self.m = np.arange(months)
        age = self.m[None, :] - self.m[:, None]  # [b, m]: months since cohort b was acquired
        self.valid = age >= 0
        self.age = np.maximum(age, 0)
        self.cycle = cycle  # scalar or (..., 1)
        cyc = np.expand_dims(cycle, -1)  # against [b, m]: (1,) or (..., 1, 1)
        self.phase = self.age % cyc
        self.later = self.age >= cyc  # a second or later cycle of the cohort
        self.inside = (self.m[None, :] < cyc) if retire else True

    def count(self, held: BoolArray) -> FloatArray:
        """Σ over cohorts b <= m of bought[b] where `held` (a [b, m] mask) holds, per month m."""
        mask = floats(self.valid & held & self.inside)
        return floats(np.matmul(self.bought[..., None, :], mask)[..., 0, :])


def _book_value(plan: SelfHostedPlan, life: Lifecycle, age: Floats, cycle: Floats) -> FloatArray:
    """Book value of one replica's hardware `age` months into its cycle (straight line to its residual)."""
    res = plan.residual_value_share
    if plan.acquisition == "buy":
        price = _col(plan.price_usd_per_replica)
        return floats(price - price * (1 - res) * np.minimum(age, cycle) / cycle)
    buyout = life.lease_buyout_usd_per_replica
    if buyout is None:
        return floats(0.0 * age)
    term = life.lease_term_months
    after = age - term  # months owned after the buy-out (read only where positive)
    return floats(np.where(age <= term, 0.0, buyout - buyout * (1 - res) * after / np.maximum(cycle - term, 1)))


def _owned_capital(plan: SelfHostedPlan, life: Lifecycle, c: _Cohorts) -> tuple[FloatArray, FloatArray]:
    """Capital cash of each month (purchases, replacements, buy-outs, less resale) and the replicas acquired."""
    starts = c.count(c.phase == 0)  # a cohort's first acquisition, and each renewal
    renewals = c.count(c.later & (c.phase == 0))
    res = plan.residual_value_share
    if plan.acquisition == "buy":
        price = _col(plan.price_usd_per_replica)
        capex = price * starts - price * res * renewals  # the old one's resale comes back as the new one is bought
    else:
        capex = np.zeros(starts.shape)
        buyout = life.lease_buyout_usd_per_replica
        if buyout is not None:
            capex = buyout * c.count(c.phase == life.lease_term_months) - buyout * res * renewals
    if c.retire:  # the month after the cycle ends, whatever is held is sold at book value
        held = c.m < c.cycle
        sold = np.sum(c.bought * _book_value(plan, life, floats(c.cycle - c.m), c.cycle) * held, axis=-1)
        capex = capex - np.where(c.m == c.cycle, np.expand_dims(sold, -1), 0.0)
    return capex, starts


def _terminal_value(plan: SelfHostedPlan, life: Lifecycle, c: _Cohorts) -> FloatArray:
    """Book value at the horizon's end of the hardware still in service (none once the option has retired)."""
    held = c.months - c.m  # months each cohort has been held at the horizon's end
    in_cycle = held - c.cycle * np.floor((held - 1) / c.cycle)  # retired ones: held <= cycle, or ended below
    value = np.sum(c.bought * _book_value(plan, life, in_cycle, c.cycle), axis=-1)
    if c.retire:  # ended before the horizon's end: sold, nothing left
        value = np.where(c.cycle < c.months, 0.0, value[..., None])[..., 0]
    return floats(value)


def one_off_line(one_offs: tuple[OneOff, ...], months: int) -> tuple[FloatArray, FloatArray]:
    """(cash at each month's start, amortised accrual each month) of one-off costs within the horizon."""
    m = np.arange(months)
    cash, line = np.zeros(months), np.zeros(months)
    for item in one_offs:  # one past the horizon adds nothing: no month m equals or follows it
        cash = cash + np.where(m == item.month, item.usd, 0.0)
        spread = (m >= item.month) & (m < item.month + item.amortise_months)
        line = line + np.where(spread, item.usd / item.amortise_months, 0.0)
    return cash, line


def _with_one_offs(flows: Flows, one_offs: tuple[OneOff, ...], months: int) -> Flows:
    """One-off costs: cash at the start of their month, amortised in accrual over their months (within the horizon)."""
    if not one_offs:
        return flows
    cash, line = one_off_line(one_offs, months)
    shape = np.shape(flows.running)
    return Flows(
        {**flows.lines, ONE_OFF: np.broadcast_to(line, shape)},
        flows.capex,
        flows.prepaid + cash,
        flows.running,
        flows.terminal_value,
        flows.replicas,
        flows.utilisation,
        flows.units_bought,
    )


def horizon_accrual(
    cost: OptionCost, shape: RequestShape, v0: FloatArray, growth: FloatArray, months: int
) -> Floats | None:
    """Σ over the horizon of option_flows(...).accrual for an API or seats, in closed form (None for self-hosted).

    Their bill is linear in volume (API) or flat (seats), so the sum needs no month-by-month array unless a
    price path varies by point. tests/engine/test_options.py checks it against the month-by-month flows.
    """
    extra = float(one_off_line(cost.terms.one_offs, months)[1].sum())
    match cost:
        case ApiCost(price_path=scheduled, terms=terms):
            factors = price_factors(months, scheduled=scheduled, change_per_year=terms.price_change_per_year)
            per_request = sum(api_cost_lines_per_request(cost.rates, shape).values())
            if factors.ndim == 1 and np.all(factors == 1.0):
                volume = _volume_sum(v0, growth, months)
            else:
                m = np.arange(months)
                path = np.exp(np.expand_dims(np.log1p(growth), -1) * m) * factors
                volume = v0 * path.sum(axis=-1)
            return per_request * volume + extra
        case SeatCost(price_path=scheduled, terms=terms):
            factors = price_factors(months, scheduled=scheduled, change_per_year=terms.price_change_per_year)
            m = np.arange(months)
            locked = factors[..., (m // cost.prepay_months) * cost.prepay_months].sum(axis=-1)
            return plain(np.multiply(cost.usd_per_seat_month, cost.seats) * locked + extra)  # the caller broadcasts
    return None


def _volume_sum(v0: FloatArray, growth: FloatArray, months: int) -> FloatArray:
    """Σ over the horizon of v0·(1+g)^m (geometric series; the horizon's length when g = 0)."""
    h = float(months)
    return floats(v0 * divide(np.expm1(h * np.log1p(growth)), growth, fill=h))
