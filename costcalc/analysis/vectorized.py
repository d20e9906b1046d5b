"""Vectorised engine: every option's cost at N points at once, each what-if input an array over the points.

The arithmetic mirrors costcalc.engine (api.py, self_hosted.py, breakeven.py) operation for operation, with
every plan field allowed to be an array; tests/analysis compare it with the scalar engine on random points.
Inputs that change what the scenario resolves to (another GPU or model, request lengths that move the
throughput estimate, the horizon) are not vectorised here: the callers re-resolve once per distinct value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from costcalc.engine.breakeven import break_even_volume
from costcalc.engine.self_hosted import _CEIL_TOLERANCE, SelfHostedPlan
from costcalc.models import ApiOption, Scenario, SelfHostedOption, SubscriptionOption, Workload
from costcalc.resolve.scenario import ResolvedScenario
from costcalc.units import (
    DAYS_PER_MONTH,
    HOURS_PER_DAY,
    HOURS_PER_MONTH,
    MONTHS_PER_YEAR,
    SECONDS_PER_MONTH,
    TOKENS_PER_MTOK,
    WATTS_PER_KW,
)

WORKLOAD = "workload"
CAPACITY_SCALE = (
    "throughput.scale"  # what-if only: multiplies a self-hosted option's resolved capacity
)
WORKLOAD_FIELDS = (
    "requests_per_day",
    "tokens_per_month",
    "growth_per_month",
    "peak_to_average",
    "cached_input_share",
    "cache_write_share",
    "users",
)
API_PRICE_FIELDS = tuple(
    f"prices.{name}_usd_per_mtok"
    for name in (
        "input",
        "output",
        "cached_input",
        "cache_write",
        "batch_input",
        "batch_output",
        "long_context_input",
        "long_context_cached_input",
        "long_context_output",
        "off_peak_input",
        "off_peak_cached_input",
        "off_peak_output",
    )
)
API_FIELDS = (*API_PRICE_FIELDS, "batch_share", "off_peak_share", "discount")
SEAT_FIELDS = ("usd_per_seat_month", "seats")
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
SELF_HOSTED_FIELDS = (*PLAN_FIELDS, *LABOUR_FIELDS, CAPACITY_SCALE)

Target = tuple[str, str]  # (WORKLOAD or an option name, field path inside it)


def target_for(parts: list[str | int], scenario: Scenario) -> Target | None:
    """The vectorised input a --set path addresses, or None when changing it needs a new resolution."""
    wl = scenario.workload
    if (
        len(parts) == 2
        and parts[0] == WORKLOAD
        and isinstance(wl, Workload)
        and parts[1] in WORKLOAD_FIELDS
    ):
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
    if (
        isinstance(opt, SelfHostedOption)
        and rest in SELF_HOSTED_FIELDS
        and not isinstance(opt.hardware, str)
    ):
        return (opt.name, rest)
    return None


def _option(scenario: Scenario, sel: str | int) -> Any:
    if isinstance(sel, int):
        return (
            scenario.options[sel] if -len(scenario.options) <= sel < len(scenario.options) else None
        )
    return next((o for o in scenario.options if o.name == sel), None)


@dataclass(frozen=True)
class Evaluation:
    """Costs of every option at N points (arrays of shape (N,)); break-even is vs the cheapest API at each point."""

    option_names: tuple[str, ...]
    kinds: tuple[str, ...]
    requests_per_month: np.ndarray
    tokens_per_month: np.ndarray
    monthly_usd: dict[str, np.ndarray]
    break_even_requests: dict[str, np.ndarray]  # self-hosted and seat options; NaN = never
    cumulative_usd: dict[str, np.ndarray] | None = None  # over the horizon


def _arr(x: Any, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float), (n,)).astype(float, copy=False)


def evaluate(
    resolved: ResolvedScenario,
    values: Mapping[Target, np.ndarray],
    n: int,
    *,
    timeline: bool = False,
    break_even: bool = True,
) -> Evaluation:
    """Every option's month-1 cost (and horizon total) at n points; `values` replace resolved inputs per point."""
    wl, shape = resolved.workload, resolved.shape

    def w(name: str, default: float) -> np.ndarray:
        return _arr(values.get((WORKLOAD, name), default), n)

    if (WORKLOAD, "requests_per_day") in values:
        v0 = w("requests_per_day", 0.0) * DAYS_PER_MONTH
    elif (WORKLOAD, "tokens_per_month") in values:
        v0 = w("tokens_per_month", 0.0) / wl.tokens_per_request
    else:
        v0 = _arr(wl.requests_per_month, n)
    growth = w("growth_per_month", wl.growth_per_month)
    peak = w("peak_to_average", shape.peak_factor)
    cached = w("cached_input_share", shape.cached_input_share)
    write = w("cache_write_share", shape.cache_write_share)
    users = values.get((WORKLOAD, "users"))
    months = np.arange(resolved.scenario.horizon_months, dtype=float)

    monthly: dict[str, np.ndarray] = {}
    cumulative: dict[str, np.ndarray] = {}
    per_request: dict[str, np.ndarray] = {}
    volume_sum = _volume_sum(v0, growth, months) if timeline else None
    growth_factors = _growth_factors(growth, months) if timeline else None
    plans: dict[str, dict[str, Any]] = {}
    kinds = []
    for opt in resolved.options:
        kinds.append(opt.kind)
        mine = {f: v for (scope, f), v in values.items() if scope == opt.name}
        if opt.api is not None:
            usd = api_usd_per_request(
                _rates(opt.api, mine, n), shape.buckets, shape.output_tokens, cached, write
            )
            per_request[opt.name] = usd
            monthly[opt.name] = usd * v0
            if timeline:
                cumulative[opt.name] = usd * volume_sum
        elif opt.seat_usd_per_month is not None:
            seats = mine.get("seats")
            if seats is None:
                seats = (
                    users
                    if users is not None and _seats_follow_users(resolved, opt.name)
                    else opt.seats
                )
            cost = _arr(mine.get("usd_per_seat_month", opt.seat_usd_per_month), n) * _arr(seats, n)
            monthly[opt.name] = cost
            if timeline:
                cumulative[opt.name] = cost * len(months)
        else:
            assert opt.self_hosted is not None
            p = _plan(opt.self_hosted.plan, mine, _labour_parts(resolved, opt.name), n)
            plans[opt.name] = p
            monthly[opt.name] = self_hosted_cost(p, v0, peak, shape.hourly_factors)
            if timeline:
                assert growth_factors is not None
                cumulative[opt.name] = _self_hosted_horizon(
                    p, v0, growth_factors, peak, shape.hourly_factors
                )

    be: dict[str, np.ndarray] = {}
    if break_even and per_request:
        names = list(per_request)
        stack = np.stack([monthly[k] for k in names])
        best = np.argmin(stack, axis=0)
        a = np.stack([per_request[k] for k in names])[best, np.arange(n)]
        for opt in resolved.options:
            if opt.name in plans:
                be[opt.name] = break_even_requests(plans[opt.name], a, peak, shape.hourly_factors)
            elif opt.seat_usd_per_month is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    be[opt.name] = np.where(
                        a > 0, monthly[opt.name] / np.where(a > 0, a, 1.0), np.nan
                    )
    return Evaluation(
        option_names=tuple(o.name for o in resolved.options),
        kinds=tuple(kinds),
        requests_per_month=v0,
        tokens_per_month=v0 * shape.tokens_per_request,
        monthly_usd=monthly,
        break_even_requests=be,
        cumulative_usd=cumulative if timeline else None,
    )


def _seats_follow_users(resolved: ResolvedScenario, name: str) -> bool:
    opt = next(o for o in resolved.scenario.options if o.name == name)
    return isinstance(opt, SubscriptionOption) and opt.seats is None


def _labour_parts(resolved: ResolvedScenario, name: str) -> tuple[float, float]:
    opt = next(o for o in resolved.scenario.options if o.name == name)
    assert isinstance(opt, SelfHostedOption)
    return opt.operations.engineer_hours_per_month, opt.operations.hourly_rate_usd


def _growth_factors(growth: np.ndarray, months: np.ndarray) -> np.ndarray:
    """(1+g)^m for every point and month, shape (N, H); shared by every self-hosted option."""
    return (1.0 + growth[:, None]) ** months[None, :]


def _volume_sum(v0: np.ndarray, growth: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Σ over the horizon of v0·(1+g)^m (geometric series; the horizon's length when g = 0)."""
    h = float(months.size)
    safe = np.where(growth == 0, 1.0, growth)
    return v0 * np.where(growth == 0, h, np.expm1(h * np.log1p(safe)) / safe)


# ---- API -----------------------------------------------------------------------------------------------


def _rates(rates: Any, mine: Mapping[str, np.ndarray], n: int) -> dict[str, Any]:
    out = {f.name: getattr(rates, f.name) for f in fields(rates)}
    for path, value in mine.items():
        key = path.removeprefix("prices.").removesuffix("_usd_per_mtok")
        out[key] = _arr(value, n)
    return out


def _ratio(special: Any, standard: Any) -> Any:
    if special is None:
        return 1.0
    standard = np.asarray(standard, dtype=float)
    safe = np.where(standard == 0, 1.0, standard)
    return np.where(standard == 0, 1.0, special / safe)


def api_usd_per_request(
    r: Mapping[str, Any],
    buckets: tuple[tuple[float, float], ...],
    output_tokens: float,
    cached_share: Any,
    write_share: Any,
) -> np.ndarray:
    """USD of one mean request (engine.api.api_cost_lines_per_request summed), every rate an array or scalar."""
    inp, out = r["input"], r["output"]
    cached_price = r["cached_input"] if r["cached_input"] is not None else inp
    write_price = r["cache_write"] if r["cache_write"] is not None else inp
    uncached = np.maximum(0.0, 1.0 - cached_share - write_share)
    full_input: Any = 0.0
    full_cached: Any = 0.0
    full_output: Any = 0.0
    threshold = r["long_context_threshold_tokens"]
    for tokens, share in buckets:
        mtok = tokens * share / TOKENS_PER_MTOK
        if threshold is not None and tokens > threshold:
            in_mult = _ratio(r["long_context_input"], inp)
            lc_cached = (
                r["long_context_cached_input"]
                if r["long_context_cached_input"] is not None
                else cached_price * in_mult
            )
            full_input = full_input + mtok * (
                uncached * inp * in_mult + write_share * write_price * in_mult
            )
            full_cached = full_cached + mtok * cached_share * lc_cached
            out_price = r["long_context_output"] if r["long_context_output"] is not None else out
            full_output = full_output + share * output_tokens / TOKENS_PER_MTOK * out_price
        else:
            full_input = full_input + mtok * (uncached * inp + write_share * write_price)
            full_cached = full_cached + mtok * cached_share * cached_price
            full_output = full_output + share * output_tokens / TOKENS_PER_MTOK * out
    batch = -r["batch_share"] * (
        (full_input + full_cached) * (1 - _ratio(r["batch_input"], inp))
        + full_output * (1 - _ratio(r["batch_output"], out))
    )
    off_in = _ratio(r["off_peak_input"], inp)
    off_cached = (
        _ratio(r["off_peak_cached_input"], cached_price)
        if r["off_peak_cached_input"] is not None
        else off_in
    )
    off_out = _ratio(r["off_peak_output"], out)
    off = -r["off_peak_share"] * (
        full_input * (1 - off_in) + full_cached * (1 - off_cached) + full_output * (1 - off_out)
    )
    return np.asarray(
        (full_input + full_cached + full_output + batch + off) * (1 - r["discount"]), dtype=float
    )


# ---- self-hosted ---------------------------------------------------------------------------------------


def _plan(
    plan: SelfHostedPlan, mine: Mapping[str, np.ndarray], labour: tuple[float, float], n: int
) -> dict[str, Any]:
    p: dict[str, Any] = {f.name: getattr(plan, f.name) for f in fields(plan)}
    for path, value in mine.items():
        if path in PLAN_FIELDS:
            p[PLAN_FIELDS[path]] = _arr(value, n)
    if any(k in mine for k in LABOUR_FIELDS):
        hours = _arr(mine.get(LABOUR_FIELDS[0], labour[0]), n)
        rate = _arr(mine.get(LABOUR_FIELDS[1], labour[1]), n)
        p["labour_usd_per_month"] = hours * rate
    if CAPACITY_SCALE in mine:
        p["capacity_requests_per_s"] = plan.capacity_requests_per_s * _arr(mine[CAPACITY_SCALE], n)
    numeric = [k for k in p if k not in ("acquisition", "scaling")]
    for k in numeric:
        p[k] = _arr(p[k], n)
    return p


def _expand(p: Mapping[str, Any], ndim: int) -> dict[str, Any]:
    """Plan arrays of shape (N,) → (N, 1, ...) to broadcast against volumes of `ndim` dimensions."""
    if ndim <= 1:
        return dict(p)
    idx = (slice(None),) + (None,) * (ndim - 1)
    return {k: (v[idx] if isinstance(v, np.ndarray) else v) for k, v in p.items()}


def _replicas(rate_per_s: np.ndarray, capacity: Any, min_replicas: Any) -> np.ndarray:
    needed = np.ceil(rate_per_s / capacity - _CEIL_TOLERANCE)
    return np.maximum(min_replicas, np.maximum(needed, 0.0))


def _annuity(p: Mapping[str, Any]) -> np.ndarray:
    price, months = p["price_usd_per_replica"], p["useful_life_months"]
    residual = price * p["residual_value_share"]
    r = p["cost_of_capital_per_year"] / MONTHS_PER_YEAR
    safe = np.where(r == 0, 1.0, r)
    growth = months * np.log1p(safe)  # as the engine: exact for tiny rates
    with np.errstate(divide="ignore", invalid="ignore"):
        compound = (price - residual * np.exp(-growth)) * safe / -np.expm1(-growth)
    return np.where(r == 0, (price - residual) / months, compound)


def self_hosted_cost(
    p: Mapping[str, Any],
    volume: np.ndarray,
    peak: Any,
    hourly_factors: tuple[float, ...],
    *,
    owned: np.ndarray | None = None,
) -> np.ndarray:
    """Total monthly USD (engine.self_hosted.self_hosted_monthly summed); p's arrays have shape (N,), volume (N, ...)."""
    volume = np.asarray(volume, dtype=float)
    q = _expand(p, volume.ndim)
    peak = np.asarray(peak, dtype=float)
    if peak.ndim and volume.ndim > 1:
        peak = peak[(slice(None),) + (None,) * (volume.ndim - 1)]
    cap, min_r = q["capacity_requests_per_s"], q["min_replicas"]
    mean_rate = volume / SECONDS_PER_MONTH
    if p["scaling"] == "follow_profile":
        hours = np.asarray(hourly_factors, dtype=float)
        per_hour = _replicas(mean_rate[..., None] * hours, cap[..., None], min_r[..., None])
        replicas = per_hour.max(axis=-1)
        replica_hours = per_hour.sum(axis=-1) * (HOURS_PER_MONTH / HOURS_PER_DAY)
    else:
        replicas = _replicas(mean_rate * peak, cap, min_r)
        if owned is not None:
            replicas = np.maximum(replicas, owned)
        replica_hours = replicas * HOURS_PER_MONTH
    if p["acquisition"] == "rent":
        return (
            replica_hours * q["gpus_per_replica"] * q["usd_per_gpu_hour"]
            + q["labour_usd_per_month"]
        )
    running = replica_hours / HOURS_PER_MONTH
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(running > 0, mean_rate / (running * cap), 0.0)
    utilisation = np.minimum(utilisation, 1.0)
    depreciation_per = (
        q["price_usd_per_replica"] * (1 - q["residual_value_share"]) / q["useful_life_months"]
    )
    annuity = _annuity(q)
    gpus, idle_w, max_w = q["gpus_per_replica"], q["idle_w_per_gpu"], q["max_w_per_gpu"]
    watts = replicas * (gpus * (idle_w + (max_w - idle_w) * utilisation) + q["server_overhead_w"])
    energy = watts / WATTS_PER_KW * HOURS_PER_MONTH * q["pue"] * q["usd_per_kwh"]
    max_w_replica = gpus * max_w + q["server_overhead_w"]
    hosting = (
        replicas * max_w_replica / WATTS_PER_KW * q["hosting_usd_per_kw_month"]
        + q["hosting_flat_usd_per_month"]
    )
    return (
        replicas * depreciation_per
        + replicas * (annuity - depreciation_per)
        + energy
        + hosting
        + q["labour_usd_per_month"]
    )


HORIZON_CHUNK_CELLS = (
    8_000_000  # points × months evaluated at once (bounds memory: ~64 MB an array)
)


def _self_hosted_horizon(
    p: Mapping[str, Any],
    v0: np.ndarray,
    growth_factors: np.ndarray,
    peak: np.ndarray,
    hourly: tuple[float, ...],
) -> np.ndarray:
    """Σ over the horizon of monthly cost; bought replicas are kept once bought (as analyze's timeline).

    Always-on plans are linear in the replica count and in volume, so only Σ replicas (and Σ volume while
    replicas run) are summed over months; follow_profile plans are costed month by month.
    """
    n, months = growth_factors.shape
    out = np.empty(n)
    step = max(1, HORIZON_CHUNK_CELLS // max(1, months))
    for lo in range(0, n, step):
        sl = slice(lo, min(n, lo + step))
        part = {k: (v[sl] if isinstance(v, np.ndarray) else v) for k, v in p.items()}
        q = _expand(part, 2)
        volumes = v0[sl, None] * growth_factors[sl]
        if p["scaling"] == "follow_profile":
            out[sl] = self_hosted_cost(part, volumes, peak[sl], hourly).sum(axis=1)
            continue
        mean_rate = volumes / SECONDS_PER_MONTH
        replicas = _replicas(
            mean_rate * peak[sl, None], q["capacity_requests_per_s"], q["min_replicas"]
        )
        if p["acquisition"] == "buy":
            replicas = np.maximum.accumulate(replicas, axis=1)
            running_rate = np.where(replicas > 0, mean_rate, 0.0).sum(axis=1)
        else:
            running_rate = np.zeros(replicas.shape[0])  # rented bills do not depend on utilisation
        out[sl] = _linear_cost_sum(part, replicas.sum(axis=1), running_rate, months)
    return out


def _linear_cost_sum(
    p: Mapping[str, Any], replica_months: np.ndarray, running_rate: np.ndarray, months: int
) -> np.ndarray:
    """Σ monthly cost of an always-on plan from Σ replicas and Σ mean request rate (while replicas run)."""
    fixed = p["labour_usd_per_month"] * months
    if p["acquisition"] == "rent":
        return (
            replica_months * HOURS_PER_MONTH * p["gpus_per_replica"] * p["usd_per_gpu_hour"] + fixed
        )
    gpus, idle_w, max_w = p["gpus_per_replica"], p["idle_w_per_gpu"], p["max_w_per_gpu"]
    kwh_usd = HOURS_PER_MONTH / WATTS_PER_KW * p["pue"] * p["usd_per_kwh"]
    per_replica = (
        _annuity(p)
        + (gpus * idle_w + p["server_overhead_w"]) * kwh_usd
        + (gpus * max_w + p["server_overhead_w"]) / WATTS_PER_KW * p["hosting_usd_per_kw_month"]
    )
    busy = gpus * (max_w - idle_w) * running_rate / p["capacity_requests_per_s"] * kwh_usd
    return replica_months * per_replica + busy + fixed + p["hosting_flat_usd_per_month"] * months


# ---- break-even ----------------------------------------------------------------------------------------


def break_even_requests(
    p: Mapping[str, Any], a: np.ndarray, peak: np.ndarray, hourly: tuple[float, ...]
) -> np.ndarray:
    """engine.breakeven.break_even_volume at every point (NaN = never), vectorised for always-on plans.

    The engine checks every replica step (k·per, (k+1)·per] up to two steps past its bound. Just after a
    step start the difference is fixed + per-replica·max(min_replicas, k+1) − (API − marginal)·k·per,
    which falls as k grows, so the last positive step is found in closed form (one formula below
    min_replicas, one above) and only those candidates, ± one step, are evaluated with the engine's own
    formulas.
    follow_profile plans go through the scalar engine once per distinct parameter set.
    """
    n = a.shape[0]
    if n > 1 and _constant(p, a, peak):  # e.g. a sweep that moves another option: solve once
        first = {k: (v[:1] if isinstance(v, np.ndarray) else v) for k, v in p.items()}
        return np.full(n, break_even_requests(first, a[:1], peak[:1], hourly)[0])
    if p["scaling"] == "follow_profile":
        return _break_even_scalar(p, a, peak, hourly)

    def cost(v: np.ndarray) -> np.ndarray:
        return self_hosted_cost(p, v, peak, hourly)

    def col(x: np.ndarray) -> np.ndarray:
        return cost(x[:, None])[:, 0]

    def after_start(k: np.ndarray) -> np.ndarray:
        """Cost just after the step start k·per: 2·cost(middle) − cost(end), as the engine (k: (N, K))."""
        starts, ends = k * per[:, None], (k + 1) * per[:, None]
        return 2 * cost((starts + ends) / 2) - cost(ends)

    per = p["capacity_requests_per_s"] * SECONDS_PER_MONTH / peak
    min_r = p["min_replicas"]
    big = np.maximum(1e6, 10 * min_r) * per
    c = cost(np.stack([big, 2 * big], axis=1))
    m_full = (c[:, 1] - c[:, 0]) / (2 * big - big)
    never = m_full >= a
    gap = np.where(never, 1.0, a - m_full)
    one = col(per * np.maximum(min_r, 1))
    slack = one * (min_r + 2) + p["labour_usd_per_month"]
    bound = slack / gap
    intervals = np.floor(
        (bound + 2 * per) / per
    )  # the engine's step count: intervals k = 0 .. intervals-1
    # closed-form guesses of the last interval whose start is dearer than the API, above and below min_replicas
    k0 = np.maximum(min_r, 2) + 1
    k_lin = np.floor((after_start(k0[:, None])[:, 0] - m_full * per * k0) / (per * gap))
    level = after_start(np.zeros((n, 1)))[:, 0]
    slope_in_step = (col(per) - level) / per
    k_const = np.floor(level / (per * np.maximum(a - slope_in_step, 1e-300)))
    offsets = np.arange(-1, 2)  # floor() of the exact crossing, ± one step for rounding
    cands = np.concatenate(
        [
            np.zeros((n, 1)),
            k_lin[:, None] + offsets,
            k_const[:, None] + offsets,
            (min_r - 1)[:, None],
        ],
        axis=1,
    )
    cands = np.clip(
        np.nan_to_num(cands, nan=0.0, posinf=0.0, neginf=0.0), 0, (intervals - 1)[:, None]
    )
    diff = after_start(cands) - a[:, None] * (cands * per[:, None])
    k = np.max(np.where(diff > 0, cands, -1.0), axis=1)
    any_pos = k >= 0
    k = np.maximum(k, 0)
    lo, hi = k * per, (k + 1) * per
    d_lo = after_start(k[:, None])[:, 0] - a * lo
    d_hi = col(hi) - a * hi
    with np.errstate(divide="ignore", invalid="ignore"):
        root = lo + d_lo * (hi - lo) / (d_lo - d_hi)
    out = np.where(d_hi > 0, hi, root)
    out = np.where(any_pos, out, 0.0)
    return np.where(never, np.nan, out)


def _constant(p: Mapping[str, Any], *arrays: np.ndarray) -> bool:
    """True when every array input holds one value at every point."""
    values = [v for v in p.values() if isinstance(v, np.ndarray)] + list(arrays)
    return all(v.size == 0 or (v.min() == v.max()) for v in values)


def _break_even_scalar(
    p: Mapping[str, Any], a: np.ndarray, peak: np.ndarray, hourly: tuple[float, ...]
) -> np.ndarray:
    names = [f.name for f in fields(SelfHostedPlan)]
    numeric = [k for k in names if isinstance(p[k], np.ndarray)]
    table = np.column_stack([p[k] for k in numeric] + [a, peak])
    uniq, inverse = np.unique(table, axis=0, return_inverse=True)
    results = np.empty(len(uniq))
    for i, row in enumerate(uniq):
        kwargs: dict[str, Any] = {k: p[k] for k in names if k not in numeric}
        kwargs.update({k: float(v) for k, v in zip(numeric, row[: len(numeric)])})
        for k in ("gpus_per_replica", "min_replicas", "useful_life_months"):
            kwargs[k] = round(kwargs[k])
        be = break_even_volume(
            SelfHostedPlan(**kwargs),
            float(row[-2]),
            peak_factor=float(row[-1]),
            hourly_factors=hourly,
        )
        results[i] = np.nan if be.requests_per_month is None else be.requests_per_month
    return results[inverse.reshape(-1)]
