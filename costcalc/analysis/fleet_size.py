"""A self-hosted option sized past the largest AI cluster reported in its busiest month: said, with the input behind it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc.analysis.payback import life_months
from costcalc.engine.arrays import BoolArray, FloatArray, Floats, IntArray, floats
from costcalc.engine.costs import SelfHostedCost
from costcalc.engine.self_hosted import self_hosted_sizing
from costcalc.engine.shape import RequestShape
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.words import fractional_count

# xAI's Colossus (Memphis), "the biggest AI supercomputer ever", 200,000 NVIDIA H100 GPUs:
# https://www.newsbytesapp.com/news/business/elon-musks-xai-builds-worlds-largest-ai-supercomputer/tldr (2025-10-06).
# The tool's plausibility limit for one option's fleet: past it a throughput or volume typo is far likelier than a plan
# (a point of 1e-9 requests/s sized 4,629,629,630 GPUs, qa18), so it is warned about; larger clusters are planned, so
# it is not refused.
LARGEST_CLUSTER_GPUS = 200_000
LARGEST_CLUSTER = "xAI's Colossus, reported 2025-10-06"
PAST_LARGEST = f"more than the {LARGEST_CLUSTER_GPUS:,} of the largest AI cluster reported"  # in every fleet line


@dataclass(frozen=True)
class Fleet:
    """An option's replicas and GPUs in month 1 and in the horizon's busiest month (1-based), one value per point;
    `requests_per_s` is one replica's capacity as the bill sizes it (a what-if's throughput.scale included)."""

    gpus: FloatArray
    replicas: FloatArray
    month: IntArray
    gpus_month_1: FloatArray
    requests_per_s: FloatArray


def busiest_month(growth: Floats, horizon_months: int, in_service_months: int | None = None) -> IntArray:
    """The month of the horizon with the most requests served: the last (or the hardware's last month in service,
    when it retires sooner) where usage grows, else month 1. Usage v0·(1+growth)^m is monotone in m and sizing is
    monotone in usage, so no other month holds more replicas."""
    last = horizon_months if in_service_months is None else min(horizon_months, in_service_months)
    return np.where(floats(growth) > 0, max(last, 1), 1).astype(np.int64)


def fleet(
    opt: ResolvedSelfHosted,
    shape: RequestShape,
    requests_per_month: Floats,
    growth: Floats,
    horizon_months: int,
    cost: SelfHostedCost | None = None,
) -> Fleet:
    """The option's fleet in month 1 and in its busiest month, sized as its bill is (engine.self_hosted_sizing, which
    engine.options.monthly_bill prices); `cost` is the option's cost with a what-if's values in place (default: its
    own)."""
    cost = cost or opt.cost
    retires = opt.cost.life.at_end_of_life == "retire"
    month = busiest_month(growth, horizon_months, life_months(opt) if retires else None)
    v0 = floats(requests_per_month)
    plan = cost.plan
    first = self_hosted_sizing(plan, v0, shape.peak_factor, shape.hourly_factors)["replicas"]
    grows = month > 1
    busiest = first
    if np.any(grows):  # usage grows at some point: size those at their busiest month's volume
        later = self_hosted_sizing(
            plan, v0 * (1.0 + floats(growth)) ** (month - 1), shape.peak_factor, shape.hourly_factors
        )
        busiest = np.where(grows, later["replicas"], first)
    gpus = opt.plan.gpus_per_replica
    rate = np.broadcast_to(floats(plan.capacity_requests_per_s), np.shape(busiest))
    return Fleet(busiest * gpus, busiest, np.broadcast_to(month, np.shape(busiest)), first * gpus, rate)


def too_large(gpus: Floats) -> BoolArray:
    """Where a fleet is past the largest AI cluster reported (a boolean per point)."""
    return floats(gpus) > LARGEST_CLUSTER_GPUS


def fleet_size_line(opt: ResolvedSelfHosted, found: Fleet, at: int = 0, growth: float = 0.0) -> str | None:
    """'NAME: sized at N GPUs (R replicas of G)[ by month M (K in month 1, usage growing X a month)], more than the
    200,000 of the largest AI cluster reported (...); a replica serves X requests/s (Y output tokens/s) by its points:
    check options[NAME].throughput.points ...' for point `at` of `found`, or None where its busiest month holds
    LARGEST_CLUSTER_GPUS or fewer."""
    gpus, replicas = round(float(found.gpus.flat[at])), round(float(found.replicas.flat[at]))
    if not replicas or gpus <= LARGEST_CLUSTER_GPUS:
        return None
    t = opt.throughput
    per_s = float(found.requests_per_s.flat[at])
    tokens_per_s = per_s * t.output_tokens_per_s / t.requests_per_s if t.requests_per_s else 0.0
    where = f"options[{opt.name}].throughput"
    rates = f"{_rate(per_s)} requests/s ({_rate(tokens_per_s)} output tokens/s)"
    month = int(found.month.flat[at])
    if t.kind == "given":
        why = f"by its points: check {where}.points (requests_per_s, output_tokens_per_s: one replica's, per second)"
    elif t.kind == "measured":
        why = f"by its benchmark files: check those {where}.measured names (their rates are one replica's)"
    else:
        volume = "workload.requests_per_day" + (", workload.growth_per_month" if month > 1 else "")
        why = f"as estimated, so the volume drives it: check {volume} and the tokens per request"
    size = f"{gpus:,} GPUs ({replicas:,} replicas of {gpus // replicas:,})"
    if month > 1:
        first = round(float(found.gpus_month_1.flat[at]))
        size += f" by month {month} ({first:,} in month 1, usage growing {growth * 100:.3g}% a month)"
    return f"{opt.name}: sized at {size}, {PAST_LARGEST} ({LARGEST_CLUSTER}); a replica serves {rates} {why}"


def _rate(per_s: float) -> str:
    """A replica's rate as a count reads ('8.65', '1,730'; it read '1.73e+03'), a vanishing one in powers of ten
    ('2e-10', the points' own slip)."""
    return fractional_count(per_s) if per_s >= 1e-3 else f"{per_s:.3g}"
