"""Self-hosted bills: replicas sized for the peak, GPU rental, or owned hardware (depreciation and capital, or a
lease payment), energy, hosting, labour.

Every numeric plan field may be a numpy array (one value per what-if point): the arithmetic broadcasts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from costcalc.engine.arrays import FloatArray, Floats, floats, plain
from costcalc.units import HOURS_PER_DAY, HOURS_PER_MONTH, MONTHS_PER_YEAR, SECONDS_PER_MONTH, WATTS_PER_KW

CEIL_TOLERANCE = 1e-9  # demand exactly at capacity needs no extra replica


@dataclass(frozen=True)
class SelfHostedPlan:
    """A resolved self-hosted option: capacity of one replica and every price that bills it."""

    capacity_requests_per_s: Floats  # one replica, at the workload's lengths, within the SLO
    gpus_per_replica: Floats
    acquisition: Literal["rent", "buy", "lease"]
    min_replicas: Floats = 1
    scaling: Literal["always_on", "follow_profile"] = "always_on"
    usd_per_gpu_hour: Floats = 0.0  # rent
    price_usd_per_replica: Floats = 0.0  # buy: a purchase block's price / the replicas it holds
    lease_usd_per_replica_month: Floats = 0.0  # lease: a block's monthly payment / the replicas it holds
    # replicas acquired together: those one bought server or one rented instance holds (1 = any count); a rental
    # instance is packed hour by hour, so a rented plan runs whole instances every hour
    replica_block: Floats = 1
    # GPUs of the block no replica uses, per replica: idle, but powered and hosted (owned) or billed (rented)
    spare_gpus_per_replica: Floats = 0.0
    useful_life_months: Floats = 48
    residual_value_share: Floats = 0.0
    cost_of_capital_per_year: Floats = 0.0
    idle_w_per_gpu: Floats = 0.0  # buy: electricity
    max_w_per_gpu: Floats = 0.0
    server_overhead_w: Floats = 0.0
    pue: Floats = 1.0
    usd_per_kwh: Floats = 0.0
    hosting_usd_per_kw_month: Floats = 0.0
    hosting_flat_usd_per_month: Floats = 0.0
    labour_usd_per_month: Floats = 0.0

    @property
    def annuity_usd_per_replica_month(self) -> Floats:
        """Depreciation + cost of capital of one replica per month (capital recovery, residual netted)."""
        price, n = self.price_usd_per_replica, self.useful_life_months
        residual = price * self.residual_value_share
        r = np.divide(self.cost_of_capital_per_year, MONTHS_PER_YEAR)
        rate = np.where(r == 0, 1.0, r)  # any non-zero rate where r is 0: that branch is not taken
        # (1 + r)^-n through log1p/expm1: exact for tiny rates, where 1 - (1 + r)^-n rounds to 0
        growth = n * np.log1p(rate)
        recovery = (price - residual * np.exp(-growth)) * rate / -np.expm1(-growth)
        return plain(np.where(r == 0, (price - residual) / n, recovery))

    @property
    def depreciation_usd_per_replica_month(self) -> Floats:
        """Straight-line depreciation of one replica per month, net of residual value."""
        return self.price_usd_per_replica * (1 - self.residual_value_share) / self.useful_life_months

    @property
    def owned(self) -> bool:
        """Bought or leased: hardware kept once acquired, paying for its power and hosting."""
        return self.acquisition != "rent"

    @property
    def max_w_per_replica(self) -> Floats:
        """Provisioned power of one replica, watts (its GPUs and its share of spare ones at full load + overhead)."""
        return (self.gpus_per_replica + self.spare_gpus_per_replica) * self.max_w_per_gpu + self.server_overhead_w

    def replicas_for(self, rate_per_s: FloatArray) -> FloatArray:
        """Replicas needed to carry a request rate within the SLO (never below min_replicas), in whole blocks."""
        needed = np.ceil(rate_per_s / self.capacity_requests_per_s - CEIL_TOLERANCE)
        replicas = np.maximum(self.min_replicas, np.maximum(needed, 0.0))
        if np.any(np.asarray(self.replica_block) > 1):
            replicas = np.ceil(replicas / self.replica_block - CEIL_TOLERANCE) * self.replica_block
        return replicas


def self_hosted_monthly(
    plan: SelfHostedPlan,
    requests_per_month: Floats,
    *,
    peak_factor: Floats,
    hourly_factors: tuple[float, ...],
    owned_replicas: FloatArray | None = None,
) -> dict[str, FloatArray]:
    """Monthly cost lines and sizing at each volume.

    Returns cost lines (USD) plus 'replicas' (peak), 'replica_hours' and 'utilisation' (mean load /
    capacity of the replicas running). `owned_replicas` (buy) can hold more replicas than the volume
    needs, e.g. bought earlier on a growth path. Array-valued plan fields and peak_factor broadcast
    with the volumes (numpy rules).
    """
    sizing = self_hosted_sizing(plan, requests_per_month, peak_factor, hourly_factors, owned_replicas)
    return {**self_hosted_bill(plan, **sizing), **sizing}


def self_hosted_sizing(
    plan: SelfHostedPlan,
    volume: Floats,
    peak_factor: Floats,
    hourly_factors: tuple[float, ...],
    owned_replicas: FloatArray | None = None,
) -> dict[str, FloatArray]:
    """'replicas' (peak), 'replica_hours' and 'utilisation' at each volume: what self_hosted_bill prices."""
    mean_rate = floats(volume) / SECONDS_PER_MONTH  # volume: requests per month
    if plan.scaling == "follow_profile":
        # Any: 0.0 (a float) until the first hour is sized, an array after it; nothing narrower lets the
        # returned entries be typed as the arrays they are whenever hourly_factors is not empty
        replicas: Any = 0.0
        replica_hours: Any = 0.0
        for factor in hourly_factors:  # each hour of the day sized for its own rate
            in_hour = plan.replicas_for(mean_rate * factor)
            replicas = np.maximum(replicas, in_hour)
            replica_hours = replica_hours + in_hour
        replica_hours = replica_hours * (HOURS_PER_MONTH / HOURS_PER_DAY)
    else:
        replicas = plan.replicas_for(mean_rate * peak_factor)
        if owned_replicas is not None:
            replicas = np.maximum(replicas, owned_replicas)
        replica_hours = replicas * HOURS_PER_MONTH
    running = replicas if plan.scaling == "always_on" else replica_hours / HOURS_PER_MONTH  # mean replicas up
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(running > 0, mean_rate / (running * plan.capacity_requests_per_s), 0.0)
    return {"replicas": replicas, "replica_hours": replica_hours, "utilisation": np.minimum(utilisation, 1.0)}


def self_hosted_bill(
    plan: SelfHostedPlan, replicas: FloatArray, replica_hours: FloatArray, utilisation: FloatArray
) -> dict[str, FloatArray]:
    """Monthly cost lines (USD) of the replicas running, from self_hosted_sizing's entries.

    Affine in replicas, replica_hours and replicas × utilisation: the bill of mean sizing (utilisation
    weighted by replicas) is the mean of the bills, so a sum over months needs one call.
    """
    zero = np.zeros(np.shape(replicas))
    lines: dict[str, FloatArray] = {}
    if plan.acquisition == "rent":
        # whole instances: the replicas' GPUs and the idle GPUs of the instances they fill
        lines["gpu_rental"] = (
            replica_hours * (plan.gpus_per_replica + plan.spare_gpus_per_replica) * plan.usd_per_gpu_hour
        )
    else:
        if plan.acquisition == "lease":
            lines["lease"] = replicas * plan.lease_usd_per_replica_month
        else:
            depreciation = plan.depreciation_usd_per_replica_month
            lines["depreciation"] = replicas * depreciation
            lines["cost_of_capital"] = replicas * (plan.annuity_usd_per_replica_month - depreciation)
        watts = replicas * (
            plan.gpus_per_replica * (plan.idle_w_per_gpu + (plan.max_w_per_gpu - plan.idle_w_per_gpu) * utilisation)
            + plan.spare_gpus_per_replica * plan.idle_w_per_gpu
            + plan.server_overhead_w
        )
        kwh = watts / WATTS_PER_KW * HOURS_PER_MONTH * plan.pue
        lines["energy"] = kwh * plan.usd_per_kwh
        lines["hosting"] = (
            replicas * plan.max_w_per_replica / WATTS_PER_KW * plan.hosting_usd_per_kw_month
            + plan.hosting_flat_usd_per_month
            + zero
        )
    lines["labour"] = zero + plan.labour_usd_per_month
    return lines


CAPITAL_LINES = ("depreciation", "cost_of_capital")  # accrual lines of bought hardware: not cash when they accrue
SIZING = ("replicas", "replica_hours", "utilisation")


def total(lines: dict[str, FloatArray]) -> FloatArray:
    """Sum of the cost lines (sizing entries excluded)."""
    return sum(v for k, v in lines.items() if k not in SIZING)  # type: ignore[return-value]


def whole_units(replicas: Floats, units_per_replica: Floats) -> FloatArray:
    """Whole purchase units that hold `replicas`: servers bought or leased, instances rented (GPUs where rented by the
    GPU). A unit holds 1/units_per_replica replicas, or a wide replica spans units_per_replica of them."""
    return np.ceil(floats(replicas) * units_per_replica - CEIL_TOLERANCE)


def requests_per_month_per_replica(plan: SelfHostedPlan, peak_factor: Floats) -> Floats:
    """Monthly volume one replica carries when sized for the peak."""
    return plan.capacity_requests_per_s * SECONDS_PER_MONTH / peak_factor


def requests_per_month_per_step(plan: SelfHostedPlan, peak_factor: Floats) -> Floats:
    """Monthly volume between two steps of the bill: one replica, or one purchase block of replicas."""
    return requests_per_month_per_replica(plan, peak_factor) * plan.replica_block


def step_tolerance_volume(plan: SelfHostedPlan, peak_factor: Floats) -> Floats:
    """Volume (requests/month) past a whole number of steps at which always-on sizing adds the next: CEIL_TOLERANCE
    of a replica's volume, as replicas_for rounds (demand exactly at capacity needs no extra replica)."""
    return CEIL_TOLERANCE * requests_per_month_per_replica(plan, peak_factor)


def min_steps(plan: SelfHostedPlan) -> FloatArray:
    """min_replicas in whole steps (purchase blocks)."""
    return np.ceil(floats(plan.min_replicas) / plan.replica_block - CEIL_TOLERANCE)


def full_use_cost_per_request(plan: SelfHostedPlan, peak_factor: Floats, hourly_factors: tuple[float, ...]) -> Floats:
    """Marginal USD per request when replicas are added as volume grows (the slope at large volume)."""
    big = np.maximum(1e6, 10 * plan.min_replicas) * requests_per_month_per_replica(plan, peak_factor)
    low, high = (
        total(self_hosted_monthly(plan, v, peak_factor=peak_factor, hourly_factors=hourly_factors))
        for v in (big, 2 * big)
    )
    return plain((high - low) / (2 * big - big))


def breakpoints(
    plan: SelfHostedPlan, peak_factor: Floats, hourly_factors: tuple[float, ...], upto: float
) -> FloatArray:
    """Volumes (requests/month) in (0, upto] at which the replica count steps up."""
    return step_intervals(plan, peak_factor, hourly_factors, upto)[1]


def step_intervals(
    plan: SelfHostedPlan, peak_factor: Floats, hourly_factors: tuple[float, ...], upto: float, start: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """(starts, ends) of the volume intervals of fixed sizing that end in (0, upto]: every one from the interval
    holding `start`, or one a little before it, on (the first starts at 0), each end placed as in the full list.

    Each end is where replicas_for adds a step, exactly as it rounds. always_on: k × per + step_tolerance_volume
    (k = 0, 1, ...; per: a replica's or a purchase block's volume). follow_profile: an hour of factor f needs k + 1
    replicas above (k + CEIL_TOLERANCE) × per (k = 0, 1, ...); the tolerance matters for a nearly idle hour, whose
    per is huge.
    """
    complete_from: Floats  # per is Floats as typed (one value here: math.floor takes it)
    if plan.scaling == "follow_profile":
        steps, complete_from = [], 0.0
        for f in hourly_factors:
            if f <= 0:
                continue
            per = plan.capacity_requests_per_s * SECONDS_PER_MONTH / f
            first = max(0, math.floor(start / per - CEIL_TOLERANCE) - 1)  # below start, one step to spare
            k = np.arange(first, math.floor(upto / per - CEIL_TOLERANCE) + 1)
            steps.append((k + CEIL_TOLERANCE) * per)
            if first > 0 and k.size:  # this hour's steps below its first are left out
                complete_from = max(complete_from, float(steps[-1][0]))
        pts = np.unique(np.concatenate(steps)) if steps else np.array([])
        pts = pts[pts >= complete_from]  # every step (k + CEIL_TOLERANCE) × per is above 0
    else:
        per = requests_per_month_per_step(plan, peak_factor)
        tol = step_tolerance_volume(plan, peak_factor)
        below = math.floor((start - tol) / per)  # the last step at or below start (-1: none)
        pts = floats(np.arange(max(0, below), math.floor((upto - tol) / per) + 1) * per + tol)
        complete_from = float(pts[0]) if below >= 0 and pts.size else 0.0
    if complete_from > 0:
        return pts[:-1], pts[1:]
    return np.concatenate([[0.0], pts[:-1]]), pts


def follow_profile_bill_ceiling(
    plan: SelfHostedPlan, hourly_factors: tuple[float, ...]
) -> tuple[FloatArray, FloatArray]:
    """(high0, high1): a follow_profile plan's monthly bill is at most high0 + high1·x at every volume, x in
    replica-months of capacity (requests per month / (capacity × seconds per month)).

    An hour of factor f runs max(min_replicas, ceil(x·f − CEIL_TOLERANCE)) <= x·f + max(min_replicas, 1)
    replicas, rounded up to whole purchase blocks (at most replica_block − 1 more), the peak likewise with
    the largest f, and the utilisation lies in [0, 1]. The bill is affine in these and rises with replicas
    (non-negative prices), so it is at most the bill of that sizing.
    """
    factors = floats(hourly_factors)
    f_sum, f_max = float(factors[factors > 0].sum()), float(factors.max())  # a profile has 24 factors
    slots = HOURS_PER_MONTH / HOURS_PER_DAY  # replica-hours of one replica in one hour of every day, for a month
    spare = np.maximum(plan.min_replicas, 1) + np.asarray(plan.replica_block) - 1
    busiest = floats(np.asarray(plan.max_w_per_gpu) >= plan.idle_w_per_gpu)  # the dearer utilisation: 1 or 0

    def bill(replicas: FloatArray, hourly_replicas: FloatArray) -> FloatArray:
        return total(self_hosted_bill(plan, replicas, hourly_replicas * slots, busiest))

    high0 = bill(spare, factors.size * spare)
    return high0, bill(spare + f_max, factors.size * spare + f_sum) - high0
