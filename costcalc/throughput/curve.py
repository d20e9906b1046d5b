"""Choose an operating point from a measured curve under a latency SLO, and adapt it to other lengths."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from costcalc.errors import ThroughputError
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.units import MS_PER_S

# Shape of a replica's capacity: requests/s as a function of (input_tokens, output_tokens).
Shape = Callable[[float, float], float]

# First-order model when no estimator shape is given: at a fixed concurrency, replica time per
# request is proportional to PREFILL_TOKEN_WEIGHT * input_tokens + output_tokens.
# Why 0.1: a prefill token costs about one token's FLOPs at full compute throughput, while a decode
# step is bound by reading the weights once for the whole batch of B requests. So one prefill token
# costs about B * (memory bandwidth / compute) decode tokens. On an H100 SXM (3.35 TB/s HBM3,
# 989 dense BF16 TFLOPS; NVIDIA H100 Tensor Core GPU datasheet) that is B / 295; at the 16-64
# concurrent requests where throughput-optimal points usually sit, 0.05-0.2. We take 0.1.
# The estimator's shape (costcalc.throughput.estimate) replaces this when available.
PREFILL_TOKEN_WEIGHT = 0.1
SLO_PERCENTILE = 95  # the workload SLO is stated on TTFT p95


@dataclass(frozen=True)
class Rejection:
    """A point that failed the SLO, and why (in words a reader can check)."""

    point: OperatingPoint
    reason: str


@dataclass(frozen=True)
class PickResult:
    """The chosen operating point and the reasoning behind the choice.

    meets_slo is False when no point meets the SLO; `point` is then the least-bad one (the
    smallest relative SLO violation), so a report can still show a number, flagged.
    """

    point: OperatingPoint
    meets_slo: bool
    reason: str
    rejected: tuple[Rejection, ...] = ()


def per_user_tokens_per_s(point: OperatingPoint) -> float | None:
    """Decode speed one user sees: 1000 / median TPOT, else 1000 / median ITL (llmperf has no TPOT)."""
    speed = point.output_tokens_per_s_per_user
    if speed is not None:
        return speed
    itl = point.itl_ms.p50 if point.itl_ms.p50 is not None else point.itl_ms.mean
    return MS_PER_S / itl if itl else None


def _ttft_used(stats: LatencyStats) -> tuple[float | None, str]:
    """(TTFT to check against the p95 SLO, its name): p95, else the next higher reported."""
    value = stats.at_or_above(SLO_PERCENTILE)
    for name in ("p95", "p99", "p90", "p50", "mean"):
        if value is not None and getattr(stats, name) == value:
            return value, "p95" if name == "p95" else f"{name} (p95 not reported)"
    return value, "p95"


def _violations(
    point: OperatingPoint, ttft_p95_ms: float | None, min_per_user: float | None
) -> tuple[float, list[str]]:
    """(worst ratio of measured to allowed, reasons); no reasons means the point meets the SLO."""
    worst: float = 0.0
    reasons: list[str] = []
    if ttft_p95_ms is not None:
        ttft, used = _ttft_used(point.ttft_ms)
        if ttft is None:
            worst = math.inf
            reasons.append("TTFT not reported, so the TTFT SLO cannot be checked")
        else:
            worst = max(worst, ttft / ttft_p95_ms)
            if ttft > ttft_p95_ms:
                reasons.append(f"TTFT {used} {ttft:.0f} ms > {ttft_p95_ms:g} ms")
    if min_per_user is not None:
        speed = per_user_tokens_per_s(point)
        if speed is None:
            worst = math.inf
            reasons.append("TPOT/ITL not reported, so per-user speed cannot be checked")
        else:
            worst = max(worst, min_per_user / speed if speed > 0 else math.inf)
            if speed < min_per_user:
                reasons.append(f"{speed:.1f} output tokens/s per user < {min_per_user:g}")
    return worst, reasons


def load_label(point: OperatingPoint) -> str:
    """'concurrency 16' / 'rate 4 req/s' / 'unbounded load'."""
    if point.concurrency is not None:
        return f"concurrency {point.concurrency:g}"
    if point.request_rate_per_s is not None:
        return f"rate {point.request_rate_per_s:g} req/s"
    return "unbounded load"


def pick_operating_point(
    points: Sequence[OperatingPoint],
    *,
    ttft_p95_ms: float | None,
    min_output_tokens_per_s_per_user: float | None,
) -> PickResult:
    """The highest-output_tokens_per_s point that meets the SLO (ties: the lower load).

    An SLO of None is not checked. TTFT p95 falls back to the next higher percentile reported
    (conservative); per-user speed is 1000 / median TPOT (or ITL). A point whose report lacks the
    metric an SLO needs does not meet it.
    """
    if not points:
        raise ThroughputError("no operating points to choose from; pass at least one benchmark result")
    assessed = [(p, *_violations(p, ttft_p95_ms, min_output_tokens_per_s_per_user)) for p in points]
    rejected = tuple(Rejection(p, "; ".join(r)) for p, _, r in assessed if r)
    passing = [p for p, _, r in assessed if not r]
    if passing:
        # Highest throughput; on a tie the lower load (shorter queues for the same capacity).
        best = max(passing, key=lambda p: (p.output_tokens_per_s, -_load(p)))
        no_slo = ttft_p95_ms is None and min_output_tokens_per_s_per_user is None
        checked = "no SLO given" if no_slo else f"{len(passing)} of {len(points)} point(s) meet the SLO"
        reason = f"{load_label(best)}: highest output throughput ({best.output_tokens_per_s:.1f} tokens/s); {checked}"
        return PickResult(point=best, meets_slo=True, reason=reason, rejected=rejected)
    least_bad, _, reasons = min(assessed, key=lambda a: (a[1], -a[0].output_tokens_per_s))
    reason = f"no point meets the SLO; least-bad is {load_label(least_bad)}: {'; '.join(reasons)}"
    return PickResult(point=least_bad, meets_slo=False, reason=reason, rejected=rejected)


def _load(point: OperatingPoint) -> float:
    """Concurrency, else offered rate, else infinity (unbounded)."""
    if point.concurrency is not None:
        return point.concurrency
    return point.request_rate_per_s if point.request_rate_per_s is not None else math.inf


def _scaled(stats: LatencyStats, factor: float) -> LatencyStats:
    """Every known statistic multiplied by factor."""
    return LatencyStats(
        **{f.name: (None if (v := getattr(stats, f.name)) is None else v * factor) for f in dataclasses.fields(stats)}
    )


def first_order_shape(input_tokens: float, output_tokens: float) -> float:
    """Relative requests/s at fixed concurrency: 1 / (PREFILL_TOKEN_WEIGHT * input + output)."""
    return 1.0 / (PREFILL_TOKEN_WEIGHT * input_tokens + output_tokens)


def scale_to_lengths(
    point: OperatingPoint,
    *,
    input_tokens: float,
    output_tokens: float,
    shape: Shape | None = None,
) -> OperatingPoint:
    """The measured point adapted to other mean lengths, at the same concurrency.

    requests/s scales by shape(new) / shape(measured) (`first_order_shape` when no shape is
    given); output tokens/s = requests/s * output_tokens. Latencies, first order: e2e scales by
    the inverse of the requests/s factor (Little's law at a fixed concurrency), TTFT by the prompt
    length ratio (prefill time is proportional to the prompt), TPOT and ITL are unchanged.
    """
    if input_tokens <= 0 or output_tokens <= 0:
        raise ThroughputError(
            f"cannot scale to input_tokens={input_tokens:g}, output_tokens={output_tokens:g}: "
            "mean lengths must be positive"
        )
    if point.input_tokens <= 0 or point.output_tokens <= 0:
        raise ThroughputError(f"{point.source}: the measured point has no token lengths to scale from")
    shape = shape or first_order_shape
    measured, target = (
        shape(point.input_tokens, point.output_tokens),
        shape(input_tokens, output_tokens),
    )
    if not (measured > 0 and target > 0):
        raise ThroughputError(
            f"the throughput shape gave {measured:g} and {target:g} requests/s; expected positive values"
        )
    factor = target / measured
    requests_per_s = point.requests_per_s * factor
    return dataclasses.replace(
        point,
        requests_per_s=requests_per_s,
        output_tokens_per_s=requests_per_s * output_tokens,
        input_tokens=float(input_tokens),
        output_tokens=float(output_tokens),
        ttft_ms=_scaled(point.ttft_ms, input_tokens / point.input_tokens),
        e2e_ms=_scaled(point.e2e_ms, 1.0 / factor),
    )


def pick_for_workload(
    points: Sequence[OperatingPoint],
    *,
    input_tokens: float,
    output_tokens: float,
    ttft_p95_ms: float | None,
    min_output_tokens_per_s_per_user: float | None,
    shape: Shape | None = None,
) -> PickResult:
    """Scale every measured point to the workload's mean lengths, then pick under the SLO.

    Scaling first matters: a point that meets the TTFT SLO at the benchmark's short prompts may
    miss it at the workload's longer ones. The returned point is the scaled one.
    """
    scaled = [scale_to_lengths(p, input_tokens=input_tokens, output_tokens=output_tokens, shape=shape) for p in points]
    return pick_operating_point(
        scaled,
        ttft_p95_ms=ttft_p95_ms,
        min_output_tokens_per_s_per_user=min_output_tokens_per_s_per_user,
    )
