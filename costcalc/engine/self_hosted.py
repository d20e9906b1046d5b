"""Self-hosted bills: replicas sized for the peak, GPU rental or depreciation and capital, energy, hosting, labour."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from costcalc.units import HOURS_PER_DAY, HOURS_PER_MONTH, MONTHS_PER_YEAR, SECONDS_PER_MONTH, WATTS_PER_KW

_CEIL_TOLERANCE = 1e-9  # demand exactly at capacity needs no extra replica


@dataclass(frozen=True)
class SelfHostedPlan:
    """A resolved self-hosted option: capacity of one replica and every price that bills it."""

    capacity_requests_per_s: float  # one replica, at the workload's lengths, within the SLO
    gpus_per_replica: int
    acquisition: Literal["rent", "buy"]
    min_replicas: int = 1
    scaling: Literal["always_on", "follow_profile"] = "always_on"
    usd_per_gpu_hour: float = 0.0  # rent
    price_usd_per_replica: float = 0.0  # buy
    useful_life_months: int = 48
    residual_value_share: float = 0.0
    cost_of_capital_per_year: float = 0.0
    idle_w_per_gpu: float = 0.0  # buy: electricity
    max_w_per_gpu: float = 0.0
    server_overhead_w: float = 0.0
    pue: float = 1.0
    usd_per_kwh: float = 0.0
    hosting_usd_per_kw_month: float = 0.0
    hosting_flat_usd_per_month: float = 0.0
    labour_usd_per_month: float = 0.0

    @property
    def annuity_usd_per_replica_month(self) -> float:
        """Depreciation + cost of capital of one replica per month (capital recovery, residual netted)."""
        price, n = self.price_usd_per_replica, self.useful_life_months
        residual = price * self.residual_value_share
        r = self.cost_of_capital_per_year / MONTHS_PER_YEAR
        if r == 0:
            return (price - residual) / n
        # (1 + r)^-n through log1p/expm1: exact for tiny rates, where 1 - (1 + r)^-n rounds to 0
        growth = n * math.log1p(r)
        return (price - residual * math.exp(-growth)) * r / -math.expm1(-growth)

    @property
    def depreciation_usd_per_replica_month(self) -> float:
        """Straight-line depreciation of one replica per month, net of residual value."""
        return self.price_usd_per_replica * (1 - self.residual_value_share) / self.useful_life_months

    @property
    def max_w_per_replica(self) -> float:
        """Provisioned power of one replica, watts (GPUs at full load + server overhead)."""
        return self.gpus_per_replica * self.max_w_per_gpu + self.server_overhead_w

    def replicas_for(self, rate_per_s: np.ndarray) -> np.ndarray:
        """Replicas needed to carry a request rate within the SLO (never below min_replicas)."""
        needed = np.ceil(rate_per_s / self.capacity_requests_per_s - _CEIL_TOLERANCE)
        return np.maximum(self.min_replicas, np.maximum(needed, 0.0))


def self_hosted_monthly(
    plan: SelfHostedPlan,
    requests_per_month: np.ndarray | float,
    *,
    peak_factor: float,
    hourly_factors: tuple[float, ...],
    owned_replicas: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Monthly cost lines and sizing at each volume.

    Returns cost lines (USD) plus 'replicas' (peak), 'replica_hours' and 'utilisation' (mean load /
    capacity of the replicas running). `owned_replicas` (buy) can hold more replicas than the volume
    needs, e.g. bought earlier on a growth path.
    """
    volume = np.asarray(requests_per_month, dtype=float)
    mean_rate = volume / SECONDS_PER_MONTH
    if plan.scaling == "follow_profile":
        hours = np.asarray(hourly_factors, dtype=float)
        per_hour = plan.replicas_for(mean_rate[..., None] * hours)  # (..., 24)
        replicas = per_hour.max(axis=-1)
        replica_hours = per_hour.sum(axis=-1) * (HOURS_PER_MONTH / HOURS_PER_DAY)
    else:
        replicas = plan.replicas_for(mean_rate * peak_factor)
        if owned_replicas is not None:
            replicas = np.maximum(replicas, owned_replicas)
        replica_hours = replicas * HOURS_PER_MONTH
    running = replica_hours / HOURS_PER_MONTH  # mean replicas up
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(running > 0, mean_rate / (running * plan.capacity_requests_per_s), 0.0)
    utilisation = np.minimum(utilisation, 1.0)
    zero = np.zeros_like(volume)
    lines: dict[str, np.ndarray] = {}
    if plan.acquisition == "rent":
        lines["gpu_rental"] = replica_hours * plan.gpus_per_replica * plan.usd_per_gpu_hour
    else:
        lines["depreciation"] = replicas * plan.depreciation_usd_per_replica_month
        lines["cost_of_capital"] = replicas * (plan.annuity_usd_per_replica_month - plan.depreciation_usd_per_replica_month)
        watts = replicas * (
            plan.gpus_per_replica * (plan.idle_w_per_gpu + (plan.max_w_per_gpu - plan.idle_w_per_gpu) * utilisation)
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
    lines["replicas"] = replicas
    lines["replica_hours"] = replica_hours
    lines["utilisation"] = utilisation
    return lines


COST_LINES = ("gpu_rental", "depreciation", "cost_of_capital", "energy", "hosting", "labour")
SIZING = ("replicas", "replica_hours", "utilisation")


def total(lines: dict[str, np.ndarray]) -> np.ndarray:
    """Sum of the cost lines (sizing entries excluded)."""
    return sum(v for k, v in lines.items() if k not in SIZING)  # type: ignore[return-value]


def requests_per_month_per_replica(plan: SelfHostedPlan, peak_factor: float) -> float:
    """Monthly volume one replica carries when sized for the peak."""
    return plan.capacity_requests_per_s * SECONDS_PER_MONTH / peak_factor


def full_use_cost_per_request(plan: SelfHostedPlan, peak_factor: float, hourly_factors: tuple[float, ...]) -> float:
    """Marginal USD per request when replicas are added as volume grows (the slope at large volume)."""
    per_replica = requests_per_month_per_replica(plan, peak_factor)
    big = max(1e6, 10 * plan.min_replicas) * per_replica
    v = np.array([big, 2 * big])
    cost = total(self_hosted_monthly(plan, v, peak_factor=peak_factor, hourly_factors=hourly_factors))
    return float((cost[1] - cost[0]) / (v[1] - v[0]))


def breakpoints(plan: SelfHostedPlan, peak_factor: float, hourly_factors: tuple[float, ...], upto: float) -> np.ndarray:
    """Volumes (requests/month) in (0, upto] at which the replica count steps up."""
    if plan.scaling == "follow_profile":
        steps = []
        for f in hourly_factors:
            if f <= 0:
                continue
            per = plan.capacity_requests_per_s * SECONDS_PER_MONTH / f
            k = np.arange(1, math.floor(upto / per) + 1)
            steps.append(k * per)
        pts = np.unique(np.concatenate(steps)) if steps else np.array([])
    else:
        per = requests_per_month_per_replica(plan, peak_factor)
        pts = np.arange(1, math.floor(upto / per) + 1) * per
    return pts[pts > 0]

