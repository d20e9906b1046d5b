"""What-if evaluation: every option's cost at N points at once, each what-if input an array over the points.

The money arithmetic is costcalc.engine's, which broadcasts over array-valued ApiRates and SelfHostedPlan
fields; this module only maps what-if targets onto those fields and sums the horizon.
Inputs that change what the scenario resolves to (another GPU or model, request lengths that move the
throughput estimate, the horizon) are not vectorised here: the callers re-resolve once per distinct value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike

from costcalc.engine.api import ApiRates, api_cost_lines_per_request
from costcalc.engine.arrays import FloatArray, Floats, replaced
from costcalc.engine.options import (
    ApiCost,
    OptionCost,
    SeatCost,
    SelfHostedCost,
    horizon_total,
    monthly_bill,
    usd_per_request,
)
from costcalc.engine.options import break_even as engine_break_even
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.shape import RequestShape
from costcalc.engine.terms import Terms
from costcalc.models import ApiOption, Scenario, SelfHostedOption, SubscriptionOption, Workload
from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario
from costcalc.units import DAYS_PER_MONTH

WORKLOAD = "workload"
CAPACITY_SCALE = "throughput.scale"  # what-if only: multiplies a self-hosted option's resolved capacity
WORKLOAD_FIELDS = (
    "requests_per_day tokens_per_month growth_per_month peak_to_average cached_input_share cache_write_share users"
).split()
API_PRICE_FIELDS = tuple(
    f"prices.{name}_usd_per_mtok"
    for name in (
        "input output cached_input cache_write batch_input batch_output long_context_input long_context_cached_input"
        " long_context_output off_peak_input off_peak_cached_input off_peak_output"
    ).split()
)
PRICE_CHANGE = "price_change_per_year"  # the option's price path (API, seats; hardware.* for a rental)
RENTAL_PRICE_CHANGE = f"hardware.{PRICE_CHANGE}"
API_FIELDS = (*API_PRICE_FIELDS, "batch_share", "off_peak_share", "discount", PRICE_CHANGE)
SEAT_FIELDS = ("usd_per_seat_month", "seats", PRICE_CHANGE)
PLAN_FIELDS = {  # option path → SelfHostedPlan field
    "hardware.hourly_usd": "usd_per_gpu_hour",
    "hardware.price_usd": "price_usd_per_replica",
    "hardware.min_replicas": "min_replicas",
    "hardware.useful_life_months": "useful_life_months",
    "hardware.residual_value_share": "residual_value_share",
    "hardware.cost_of_capital_per_year": "cost_of_capital_per_year",
    "power.idle_w_per_gpu": "idle_w_per_gpu",
    "power.max_w_per_gpu": "max_w_per_gpu",
    "power.server_overhead_w": "server_overhead_w",
    "power.pue": "pue",
    "power.electricity_usd_per_kwh": "usd_per_kwh",
    "hosting.usd_per_kw_month": "hosting_usd_per_kw_month",
    "hosting.flat_usd_per_month": "hosting_flat_usd_per_month",
}
LABOUR_FIELDS = ("operations.engineer_hours_per_month", "operations.hourly_rate_usd")
SELF_HOSTED_FIELDS = (*PLAN_FIELDS, *LABOUR_FIELDS, CAPACITY_SCALE, RENTAL_PRICE_CHANGE)

Target = tuple[str, str]  # (WORKLOAD or an option name, field path inside it)


def target_for(parts: list[str | int], scenario: Scenario) -> Target | None:
    """The vectorised input a --set path addresses, or None when changing it needs a new resolution."""
    wl = scenario.workload
    if len(parts) == 2 and parts[0] == WORKLOAD and isinstance(wl, Workload) and parts[1] in WORKLOAD_FIELDS:
        name = parts[1]
        if name == "requests_per_day" and wl.requests_per_day is None:
            return None
        if name == "tokens_per_month" and wl.tokens_per_month is None:
            return None
        if name == "peak_to_average" and wl.hourly_profile is not None:
            return None
        return (WORKLOAD, str(name))
    if len(parts) < 3 or parts[0] != "options":
        return None
    opt = _option(scenario, parts[1])
    if opt is None:
        return None
    rest = ".".join(str(p) for p in parts[2:])
    if isinstance(opt, ApiOption) and rest in API_FIELDS:
        return (opt.name, rest)
    if isinstance(opt, SubscriptionOption) and rest in SEAT_FIELDS:
        return (opt.name, rest)
    if isinstance(opt, SelfHostedOption) and rest in SELF_HOSTED_FIELDS and not isinstance(opt.hardware, str):
        return (opt.name, rest)
    return None


def _option(scenario: Scenario, sel: str | int) -> ApiOption | SubscriptionOption | SelfHostedOption | None:
    if isinstance(sel, int):
        return scenario.options[sel] if -len(scenario.options) <= sel < len(scenario.options) else None
    return next((o for o in scenario.options if o.name == sel), None)


@dataclass(frozen=True)
class Evaluation:
    """Costs of every option at N points (arrays of shape (N,)); break-even is vs the cheapest API at each point."""

    option_names: tuple[str, ...]
    kinds: tuple[str, ...]
    requests_per_month: FloatArray
    tokens_per_month: FloatArray
    monthly_usd: dict[str, FloatArray]
    break_even_requests: dict[str, FloatArray]  # self-hosted and seat options; NaN = never
    cumulative_usd: dict[str, FloatArray] | None = None  # over the horizon
    # each option's engine input and the request shape with the what-if values in place (arrays over the points):
    # what a caller sizes or checks the points by (sweep's plausibility warnings, analysis/sweep_warnings)
    costs: dict[str, OptionCost] = field(default_factory=dict)
    request: RequestShape | None = None


def _arr(x: ArrayLike, n: int) -> FloatArray:
    """x (a scalar or an array over the points) as a float array of shape (n,): a read-only view, no copy."""
    return np.broadcast_to(np.asarray(x, dtype=float), (n,)).astype(float, copy=False)


def evaluate(
    resolved: ResolvedScenario,
    values: Mapping[Target, FloatArray],
    n: int,
    *,
    timeline: bool = False,
    break_even: bool = True,
) -> Evaluation:
    """Every option's month-1 cost (and horizon total) at n points; `values` replace resolved inputs per point."""
    wl, shape = resolved.workload, resolved.shape

    def w(name: str, default: Floats) -> Floats:  # an input not varied stays a scalar: less arithmetic
        return _arr(values[(WORKLOAD, name)], n) if (WORKLOAD, name) in values else default

    if (WORKLOAD, "requests_per_day") in values:
        v0 = _arr(values[(WORKLOAD, "requests_per_day")], n) * DAYS_PER_MONTH
    elif (WORKLOAD, "tokens_per_month") in values:
        v0 = _arr(values[(WORKLOAD, "tokens_per_month")], n) / wl.tokens_per_request
    else:
        v0 = _arr(wl.requests_per_month, n)
    growth = _arr(w("growth_per_month", wl.growth_per_month), n)
    request = replace(
        shape,
        cached_input_share=w("cached_input_share", shape.cached_input_share),
        cache_write_share=w("cache_write_share", shape.cache_write_share),
        peak_factor=_arr(w("peak_to_average", shape.peak_factor), n),
    )
    users = values.get((WORKLOAD, "users"))
    months = resolved.scenario.horizon_months

    costs = {
        opt.name: _varied(
            opt, {f: v for (scope, f), v in values.items() if scope == opt.name}, resolved, users, n, request
        )
        for opt in resolved.options
    }
    monthly = {name: _arr(monthly_bill(cost, request, v0).total, n) for name, cost in costs.items()}
    cumulative = (
        {name: _arr(horizon_total(cost, request, v0, growth, months), n) for name, cost in costs.items()}
        if timeline
        else None
    )
    be: dict[str, FloatArray] = {}
    apis = {name: cost for name, cost in costs.items() if isinstance(cost, ApiCost)}
    if break_even and apis:
        names = list(apis)
        best = np.argmin(np.stack([monthly[k] for k in names]), axis=0)
        per_request = np.stack([_arr(usd_per_request(apis[k], request), n) for k in names])
        a = per_request[best, np.arange(n)]
        for name, cost in costs.items():
            found = engine_break_even(cost, request, a)
            if found is not None:
                be[name] = _arr(found.requests_per_month, n)
    return Evaluation(
        option_names=tuple(costs),
        kinds=tuple(cost.kind for cost in costs.values()),
        requests_per_month=v0,
        tokens_per_month=v0 * shape.tokens_per_request,
        monthly_usd=monthly,
        break_even_requests=be,
        cumulative_usd=cumulative,
        costs=costs,
        request=request,
    )


def _varied(
    opt: ResolvedOption,
    mine: Mapping[str, FloatArray],
    resolved: ResolvedScenario,
    users: FloatArray | None,
    n: int,
    request: RequestShape,
) -> OptionCost:
    """The option's engine input with its what-if values (arrays over the points) in place."""
    match opt.cost:
        case ApiCost(rates=rates, terms=terms):
            path = _month_path(getattr(opt, "month_rates", None), rates, mine, request, n)
            return replace(
                opt.cost,
                rates=_rates(rates, mine, n),
                price_path=opt.cost.price_path if path is None else path,
                terms=_terms(terms, mine.get(PRICE_CHANGE), n),
            )
        case SeatCost(usd_per_seat_month=price, seats=seats, terms=terms):
            if "seats" in mine:
                seats = mine["seats"]
            elif users is not None and _seats_follow_users(resolved, opt.name):
                seats = users
            return replace(
                opt.cost,
                usd_per_seat_month=_arr(mine.get("usd_per_seat_month", price), n),
                seats=_arr(seats, n),
                terms=_terms(terms, mine.get(PRICE_CHANGE), n),
            )
        case SelfHostedCost(plan=plan, life=life, terms=terms):
            varied = _plan(plan, mine, _labour_parts(resolved, opt.name), n, life.units_per_replica)
            return SelfHostedCost(varied, life, _terms(terms, mine.get(RENTAL_PRICE_CHANGE), n))


PATH_KEEPING = ("discount", PRICE_CHANGE)  # scale every month alike: the path stays as it is


def _month_path(
    months: tuple[ApiRates, ...] | None,
    first: ApiRates,
    mine: Mapping[str, FloatArray],
    request: RequestShape,
    n: int,
) -> FloatArray | None:
    """An API's month-by-month path (points x months) with its what-if prices, shares and the request's cache shares,
    where its months are priced by their own rows (a scheduled change; summer time against off-peak hours); None where
    the base path stands (nothing that moves it varies).

    A price moves each month's by the share it moves month 1's: a price the scenario gives is the same in every month
    (report --set holds it there), a table price beside a scheduled change keeps the schedule's ratio. A share is the
    same in every month, as report --set gives it."""
    shares_vary = np.ndim(request.cached_input_share) > 0 or np.ndim(request.cache_write_share) > 0
    if months is None or (all(path in PATH_KEEPING for path in mine) and not shares_vary):
        return None
    cost: dict[int, FloatArray] = {}
    for rates in months:
        if id(rates) in cost:
            continue
        fields: dict[str, Floats] = {}
        for path, value in mine.items():
            if path in PATH_KEEPING:
                continue
            name = path.removeprefix("prices.").removesuffix("_usd_per_mtok")
            own, base = getattr(rates, name), getattr(first, name)
            moved = _arr(value, n)
            if path.startswith("prices.") and own is not None and base is not None and float(np.min(base)) != 0:
                moved = moved * (float(own) / float(base))  # a table price beside a schedule keeps its ratio
            fields[name] = moved
        lines = api_cost_lines_per_request(replaced(rates, fields), request)
        cost[id(rates)] = _arr(sum(lines.values()), n)
    month_1 = cost[id(months[0])]
    ratio = [np.divide(cost[id(r)], month_1, out=np.ones(n), where=month_1 != 0) for r in months]
    return np.stack(ratio, axis=-1)


def _terms(terms: Terms, change: FloatArray | None, n: int) -> Terms:
    """The option's terms with a what-if price change per year (one value per point) in place."""
    if change is None:
        return terms
    return replace(terms, price_change_per_year=_arr(change, n))


def _seats_follow_users(resolved: ResolvedScenario, name: str) -> bool:
    opt = next(o for o in resolved.scenario.options if o.name == name)
    return isinstance(opt, SubscriptionOption) and opt.seats is None


def _labour_parts(resolved: ResolvedScenario, name: str) -> tuple[float, float]:
    opt = next(o for o in resolved.scenario.options if o.name == name)
    assert isinstance(opt, SelfHostedOption)
    return opt.operations.engineer_hours_per_month, opt.operations.hourly_rate_usd


def _rates(rates: ApiRates, mine: Mapping[str, FloatArray], n: int) -> ApiRates:
    """The option's rates with its what-if prices and shares (arrays over the points) in place."""
    varied = {
        path.removeprefix("prices.").removesuffix("_usd_per_mtok"): _arr(value, n)
        for path, value in mine.items()
        if path != PRICE_CHANGE
    }
    return replaced(rates, varied)


def _plan(
    plan: SelfHostedPlan,
    mine: Mapping[str, FloatArray],
    labour: tuple[float, float],
    n: int,
    units_per_replica: float = 1.0,
) -> SelfHostedPlan:
    """The plan with the option's what-if values (arrays over the points) in place of its fields.

    hardware.price_usd is per purchase unit (a server, or a GPU): a replica's share is `units_per_replica` of it.
    """
    p: dict[str, FloatArray] = {}
    for path, value in mine.items():
        if path in PLAN_FIELDS:
            p[PLAN_FIELDS[path]] = _arr(value, n)
    if "hardware.price_usd" in mine:
        p["price_usd_per_replica"] = _arr(mine["hardware.price_usd"], n) * units_per_replica
    if any(k in mine for k in LABOUR_FIELDS):
        hours = _arr(mine.get(LABOUR_FIELDS[0], labour[0]), n)
        rate = _arr(mine.get(LABOUR_FIELDS[1], labour[1]), n)
        p["labour_usd_per_month"] = hours * rate
    if CAPACITY_SCALE in mine:
        p["capacity_requests_per_s"] = plan.capacity_requests_per_s * _arr(mine[CAPACITY_SCALE], n)
    return replaced(plan, p)
