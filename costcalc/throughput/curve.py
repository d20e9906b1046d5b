"""Choose an operating point from a measured curve under a latency SLO, and adapt it to other lengths."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from costcalc.errors import ThroughputError
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.units import MS_PER_S
from costcalc.words import milliseconds

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
SLO_PERCENTILE = 95  # both SLO targets are checked at the 95th percentile: TTFT p95, 1000 / TPOT p95


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
    # how the chosen point met each target: 'TTFT p95 800 ms <= 1500 ms', ...
    checks: tuple[str, ...] = ()
    # targets checked on the chosen point against another statistic than p95, named:
    # ('TTFT', 'p99'), ('TPOT', 'p50'), ('ITL', 'mean') ...
    fallbacks: tuple[tuple[str, str], ...] = ()


def per_user_tokens_per_s(point: OperatingPoint) -> tuple[float | None, str, str | None]:
    """(speed, metric, statistic): 1000 / TPOT at the SLO percentile, else 1000 / ITL (llmperf has no TPOT).

    The statistic is 'p95' when reported, else the nearest one LatencyStats.nearest finds; (None,
    'TPOT', None) when neither TPOT nor ITL is known.
    """
    for metric, stats in (("TPOT", point.tpot_ms), ("ITL", point.itl_ms)):
        value, name = stats.nearest(SLO_PERCENTILE)
        if value is not None:
            return (MS_PER_S / value if value > 0 else math.inf), metric, name
    return None, "TPOT", None


@dataclass(frozen=True)
class _Assessment:
    """One point against the SLO: worst ratio of measured to allowed, misses, checks, fallbacks."""

    worst: float
    reasons: tuple[str, ...]
    checks: tuple[str, ...]
    fallbacks: tuple[tuple[str, str], ...]


def _named(metric: str, stat: str) -> str:
    """'TTFT p95', or 'TTFT p99 (p95 not reported)' when another statistic stands in."""
    return f"{metric} {stat}" if stat == "p95" else f"{metric} {stat} (p95 not reported)"


def _assess(point: OperatingPoint, ttft_p95_ms: float | None, min_per_user: float | None) -> _Assessment:
    worst: float = 0.0
    reasons: list[str] = []
    checks: list[str] = []
    fallbacks: list[tuple[str, str]] = []
    if ttft_p95_ms is not None:
        ttft, stat = point.ttft_ms.nearest(SLO_PERCENTILE)
        if ttft is None or stat is None:
            worst = math.inf
            reasons.append("TTFT not reported, so the TTFT SLO cannot be checked")
        else:
            used = _named("TTFT", stat)
            if stat != "p95":
                fallbacks.append(("TTFT", stat))
            worst = max(worst, ttft / ttft_p95_ms)
            if ttft > ttft_p95_ms:
                reasons.append(f"{used} {milliseconds(ttft)} > {milliseconds(ttft_p95_ms)}")
            else:
                checks.append(f"{used} {milliseconds(ttft)} <= {milliseconds(ttft_p95_ms)}")
    if min_per_user is not None:
        speed, metric, stat = per_user_tokens_per_s(point)
        if speed is None or stat is None:
            worst = math.inf
            reasons.append("TPOT/ITL not reported, so per-user speed cannot be checked")
        else:
            used = _named(metric, stat)
            if stat != "p95":
                fallbacks.append((metric, stat))
            worst = max(worst, min_per_user / speed if speed > 0 else math.inf)
            if speed < min_per_user:
                reasons.append(f"{speed:.1f} output tokens/s per user at {used} < {min_per_user:g}")
            else:
                checks.append(f"{speed:.1f} output tokens/s per user at {used} >= {min_per_user:g}")
    return _Assessment(worst, tuple(reasons), tuple(checks), tuple(fallbacks))


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

    An SLO of None is not checked. Both targets are checked at the 95th percentile: TTFT p95, and
    per-user speed as 1000 / TPOT p95 (ITL p95 where TPOT is not reported). A report without the
    p95 is checked against its nearest statistic (the next higher percentile first, conservative),
    and PickResult.fallbacks names it. A point whose report lacks the metric does not meet the SLO.
    """
    if not points:
        raise ThroughputError("no operating points to choose from; pass at least one benchmark result")
    assessed = [(p, _assess(p, ttft_p95_ms, min_output_tokens_per_s_per_user)) for p in points]
    rejected = tuple(Rejection(p, "; ".join(a.reasons)) for p, a in assessed if a.reasons)
    passing = [(p, a) for p, a in assessed if not a.reasons]
    if passing:
        # Highest throughput; on a tie the lower load (shorter queues for the same capacity).
        best, how = max(passing, key=lambda pa: (pa[0].output_tokens_per_s, -_load(pa[0])))
        no_slo = ttft_p95_ms is None and min_output_tokens_per_s_per_user is None
        checked = "no SLO given" if no_slo else f"{len(passing)} of {len(points)} point(s) meet the SLO"
        reason = f"{load_label(best)}: highest output throughput ({best.output_tokens_per_s:.1f} tokens/s); {checked}"
        return PickResult(best, True, reason, rejected, how.checks, how.fallbacks)
    least_bad, how = min(assessed, key=lambda pa: (pa[1].worst, -pa[0].output_tokens_per_s))
    reason = f"no point meets the SLO; least-bad is {load_label(least_bad)}: {'; '.join(how.reasons)}"
    return PickResult(least_bad, False, reason, rejected, how.checks, how.fallbacks)


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
