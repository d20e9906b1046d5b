"""A replica's capacity under a latency SLO: the highest arrival rate whose simulated p95s meet it."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput.estimate import Estimate
from costcalc.throughput.factors import Factors
from costcalc.throughput.serving.batching import DEFAULT_REQUESTS, SimResult, Traffic, simulate
from costcalc.throughput.serving.scheduler import Scheduler, describe
from costcalc.throughput.serving.steps import StepTimes
from costcalc.units import MS_PER_S

RATE_TOLERANCE = 0.01  # the search stops when the passing and failing rates are within 1%
LOWEST_LOAD = 0.02  # a target missed at this share of full-load throughput cannot be met at any load
UNMET_SLACK = 0.10  # ...then capacity is where load adds at most this much to that target's p95
FAILED_EXCESS = 0.01  # log excess given to a run stopped early on misses whose percentiles say less
SEED = 0


@dataclass(frozen=True)
class Targets:
    """The SLO, checked at the 95th percentile: TTFT p95, and per-user speed as 1000 / TPOT p95."""

    ttft_p95_ms: float | None = None
    min_output_tokens_per_s_per_user: float | None = None

    @property
    def tpot_p95_ms(self) -> float | None:
        """Slowest TPOT p95 the per-user speed target allows."""
        speed = self.min_output_tokens_per_s_per_user
        return None if speed is None else MS_PER_S / speed

    @property
    def given(self) -> bool:
        """True when there is any target to meet."""
        return self.ttft_p95_ms is not None or self.min_output_tokens_per_s_per_user is not None

    def misses(self, r: SimResult) -> list[str]:
        """Each target the simulated percentiles miss, in words; empty when all are met."""
        out: list[str] = []
        if self.ttft_p95_ms is not None and not r.ttft_ms.p95 <= self.ttft_p95_ms:
            out.append(f"TTFT p95 {r.ttft_ms.p95:,.0f} ms > {self.ttft_p95_ms:g} ms")
        limit = self.tpot_p95_ms
        if limit is not None and not r.tpot_ms.p95 <= limit:
            out.append(
                f"TPOT p95 {r.tpot_ms.p95:,.1f} ms > {limit:.1f} ms"
                f" ({self.min_output_tokens_per_s_per_user:g} tokens/s per user)"
            )
        if r.stopped_early and not out:
            out.append("more than 5% of requests missed a target")
        return out

    def met(self, r: SimResult) -> str:
        """Which percentile met which target: 'TTFT p95 812 ms <= 1500 ms; TPOT p95 ...'."""
        parts: list[str] = []
        if self.ttft_p95_ms is not None:
            parts.append(f"TTFT p95 {r.ttft_ms.p95:,.0f} ms <= {self.ttft_p95_ms:g} ms")
        limit = self.tpot_p95_ms
        if limit is not None:
            parts.append(
                f"TPOT p95 {r.tpot_ms.p95:,.1f} ms <= {limit:.1f} ms"
                f" ({self.min_output_tokens_per_s_per_user:g} tokens/s per user)"
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class ServingCapacity:
    """Highest Poisson arrival rate one replica serves within the targets, and the run behind it.

    meets_slo False: even at LOWEST_LOAD of full-load throughput a target is missed; `at` is that
    run and `reason` says what it missed. With no target, requests_per_s is the full-load
    throughput given to the search and nothing is simulated (`at` is None).
    """

    requests_per_s: float
    meets_slo: bool
    at: SimResult | None
    targets: Targets
    scheduler: Scheduler
    full_load_requests_per_s: float
    reason: str | None = None

    @property
    def bound_by_slo(self) -> bool:
        """True when a latency target, not full-load throughput, sets the capacity."""
        return self.meets_slo and self.requests_per_s < self.full_load_requests_per_s

    def summary(self) -> str:
        """One line for a report's assumptions: the rate and which percentile met which target."""
        if self.at is None:
            return "no latency target: capacity is the full-load throughput"
        how = f"simulated serving ({describe(self.scheduler)}; Poisson arrivals)"
        if not self.meets_slo:
            return (
                f"{how} cannot meet the SLO: {self.reason}; capacity {self.requests_per_s:.3g} requests/s "
                f"is where load adds at most {UNMET_SLACK:.0%} to the missed p95"
            )
        if not self.bound_by_slo:
            return f"{how}: at full-load throughput {self.targets.met(self.at)}"
        return f"{how}: up to {self.requests_per_s:.3g} requests/s {self.targets.met(self.at)}"


def search_capacity(
    steps: StepTimes,
    scheduler: Scheduler,
    *,
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
    full_load_requests_per_s: float,
    requests: int = DEFAULT_REQUESTS,
    seed: int = SEED,
) -> ServingCapacity:
    """The highest rate up to full load whose p95 TTFT and TPOT meet the targets.

    p95 latencies rise with the rate (the runs share their random draws, so they rise smoothly):
    a safeguarded regula falsi on log(p95 / target) over log(rate) closes the passing and failing
    rates to within RATE_TOLERANCE, usually in four to six runs. When a target is missed even at
    LOWEST_LOAD, it cannot be met at any load: capacity is then the highest rate at which load
    adds at most UNMET_SLACK to that target's p95 at LOWEST_LOAD (meets_slo False, reason says so).
    """

    def run(rate: float, limits: Targets) -> SimResult:
        return simulate(
            steps,
            scheduler,
            Traffic(rate, input_tokens, shares, output_tokens),
            requests=requests,
            seed=seed,
            ttft_limit_ms=limits.ttft_p95_ms,
            tpot_limit_ms=limits.tpot_p95_ms,
        )

    full = full_load_requests_per_s
    if not targets.given:
        return ServingCapacity(full, True, None, targets, scheduler, full)
    low_rate = full * LOWEST_LOAD
    low = run(low_rate, Targets())  # in full (no early stop): its p95s set relaxed targets
    missed = targets.misses(low)
    limits = targets if not missed else _relaxed(targets, low)
    rate, at = _highest_passing(lambda r: run(r, limits), limits, low_rate, low, full)
    if not missed:
        return ServingCapacity(rate, True, at, targets, scheduler, full)
    reason = f"{'; '.join(missed)} even at {LOWEST_LOAD:.0%} of full load ({low_rate:.3g} requests/s)"
    return ServingCapacity(rate, False, at, targets, scheduler, full, reason)


def _relaxed(targets: Targets, low: SimResult) -> Targets:
    """Targets missed at the lowest load loosened to UNMET_SLACK above their p95 there."""
    ttft, speed = targets.ttft_p95_ms, targets.min_output_tokens_per_s_per_user
    if ttft is not None and not low.ttft_ms.p95 <= ttft:
        ttft = low.ttft_ms.p95 * (1 + UNMET_SLACK)
    tpot = targets.tpot_p95_ms
    if tpot is not None and not low.tpot_ms.p95 <= tpot:
        speed = MS_PER_S / (low.tpot_ms.p95 * (1 + UNMET_SLACK))
    return Targets(ttft, speed)


def _excess(limits: Targets, r: SimResult) -> float:
    """log(p95 / target) of the worst target, the search's measure of how far a run is from passing."""
    worst = -math.inf
    for p95, limit in ((r.ttft_ms.p95, limits.ttft_p95_ms), (r.tpot_ms.p95, limits.tpot_p95_ms)):
        if limit is None:
            continue
        if not p95 > 0:  # nan: no request got that far before the run stopped
            return FAILED_EXCESS
        worst = max(worst, math.log(p95 / limit))
    return max(worst, FAILED_EXCESS) if r.stopped_early else worst


def _highest_passing(
    run, limits: Targets, low_rate: float, low: SimResult, high_rate: float
) -> tuple[float, SimResult]:  # type: ignore[no-untyped-def]
    """Regula falsi (Illinois) in log rate between a passing low rate and the full-load rate."""
    top = run(high_rate)
    if not limits.misses(top):
        return high_rate, top
    g_hi = max(_excess(limits, top), FAILED_EXCESS)
    lo, hi = math.log(low_rate), math.log(high_rate)
    g_lo = min(_excess(limits, low), 0.0)
    best, best_rate = low, low_rate
    step = math.log1p(RATE_TOLERANCE)
    moved = 0  # +1: the last run moved the low end, -1: the high end
    while hi - lo > step:
        if hi - lo < 2 * step:
            x = (lo + hi) / 2
        else:
            el, eh = math.exp(lo), math.exp(hi)
            x = math.log(el + (eh - el) * g_lo / (g_lo - g_hi)) if g_hi > g_lo else (lo + hi) / 2
            x = min(max(x, lo + step), hi - step)
        r = run(math.exp(x))
        if not limits.misses(r):
            lo, g_lo, best, best_rate = x, min(_excess(limits, r), 0.0), r, math.exp(x)
            if moved == 1:
                g_hi /= 2
            moved = 1
        else:
            hi, g_hi = x, max(_excess(limits, r), FAILED_EXCESS)
            if moved == -1:
                g_lo /= 2
            moved = -1
    return best_rate, best


@dataclass(frozen=True)
class EstimatedCapacity:
    """The estimator's full-load figures and the simulated capacity under the SLO of one configuration."""

    full_load: Estimate  # the estimator at the workload's mean lengths, as many requests as fit
    serving: ServingCapacity | None  # None when the configuration does not fit
    steps: StepTimes | None
    # the estimator at the simulation's mean concurrency at capacity, when that is below full load
    # (None when capacity is the full-load throughput): its error band is the one for serving at a rate
    at_capacity: Estimate | None = None

    @property
    def error_band(self) -> float | None:
        """The estimator's expected error for this way of serving (p90 of its calibration)."""
        return (self.at_capacity or self.full_load).error_band


def estimated_capacity(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
    factors: Factors | None = None,
) -> EstimatedCapacity:
    """Capacity under the SLO of one replica whose step times come from the estimator.

    Cached per configuration with the shipped factors (sweeps re-resolve the same ones often).

    The estimator gives full-load throughput at the mean lengths (the search's upper end), the
    parallel layout, the memory limits and every step time; the serving simulation finds the
    highest rate meeting the p95 targets. Every caller (report, sweep, simulate, estimate) reads
    capacity under an SLO from here.
    """
    args = (gpu, model, gpu_count, precision, engine, input_tokens, shares, output_tokens, targets)
    if factors is None:
        return _cached_capacity(*args)
    return _estimated_capacity(*args, factors)


@functools.lru_cache(maxsize=256)
def _cached_capacity(
    gpu: GpuSpec,
    model: ModelSpec,
    gpu_count: int,
    precision: str | None,
    engine: str,
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
) -> EstimatedCapacity:
    from costcalc.throughput.factors import load_factors

    return _estimated_capacity(
        gpu, model, gpu_count, precision, engine, input_tokens, shares, output_tokens, targets, load_factors()
    )


def _estimated_capacity(
    gpu: GpuSpec,
    model: ModelSpec,
    gpu_count: int,
    precision: str | None,
    engine: str,
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
    f: Factors,
) -> EstimatedCapacity:
    from costcalc.throughput.estimate import estimate
    from costcalc.throughput.serving.replica import build_replica

    mean_input = round(sum(i * s for i, s in zip(input_tokens, shares, strict=True)))
    replica = build_replica(
        gpu,
        model,
        gpu_count=gpu_count,
        precision=precision,
        engine=engine,
        input_tokens=mean_input,
        output_tokens=output_tokens,
        max_prompt_tokens=max(input_tokens),
        max_context_tokens=max(input_tokens) + output_tokens,
        min_context_tokens=min(input_tokens) + output_tokens,
        factors=f,
    )
    full = replica.full_load
    if replica.scheduler is None or replica.steps is None:
        return EstimatedCapacity(full, None, None)
    scheduler, steps = replica.scheduler, replica.steps
    serving = search_capacity(
        steps,
        scheduler,
        input_tokens=input_tokens,
        shares=shares,
        output_tokens=output_tokens,
        targets=targets,
        full_load_requests_per_s=full.requests_per_s,
    )
    below_full_load = serving.at is not None and serving.requests_per_s < full.requests_per_s
    at_capacity = None
    if below_full_load and serving.at:
        at_capacity = estimate(
            gpu,
            model,
            gpu_count=gpu_count,
            precision=precision,
            engine=engine,
            input_tokens=mean_input,
            output_tokens=output_tokens,
            concurrency=max(1, round(serving.at.mean_running)),
            factors=f,
        )
    return EstimatedCapacity(full, serving, steps, at_capacity)
