"""A replica's capacity under a latency SLO: the highest arrival rate whose simulated p95s meet it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from costcalc.throughput.serving.batching import DEFAULT_REQUESTS, SimResult, Traffic, simulate
from costcalc.throughput.serving.scheduler import Scheduler, describe
from costcalc.throughput.serving.steps import StepTimes
from costcalc.units import MS_PER_S
from costcalc.words import milliseconds

RATE_TOLERANCE = 0.01  # the search stops when the passing and failing rates are within 1%
LOWEST_LOAD = 0.02  # a target missed at this share of full-load throughput cannot be met at any load
UNMET_SLACK = 0.10  # ...then capacity is where load adds at most this much to that target's p95
FAILED_EXCESS = 0.01  # log excess given to a run stopped early on misses whose percentiles say less
UNBOUND_EXCESS = -1.0  # log excess of a passing run no target bounds (every p95 is 0): well inside, finite
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
            out.append(f"TTFT p95 {milliseconds(r.ttft_ms.p95)} > {milliseconds(self.ttft_p95_ms)}")
        limit = self.tpot_p95_ms
        if limit is not None and not r.tpot_ms.p95 <= limit:
            out.append(
                f"TPOT p95 {milliseconds(r.tpot_ms.p95)} > {milliseconds(limit)}"
                f" ({self.min_output_tokens_per_s_per_user:g} tokens/s per user)"
            )
        if r.stopped_early and not out:
            out.append("more than 5% of requests missed a target")
        return out

    def met(self, r: SimResult) -> str:
        """Which percentile met which target: 'TTFT p95 812 ms <= 1500 ms; TPOT p95 ...'."""
        parts: list[str] = []
        if self.ttft_p95_ms is not None:
            parts.append(f"TTFT p95 {milliseconds(r.ttft_ms.p95)} <= {milliseconds(self.ttft_p95_ms)}")
        limit = self.tpot_p95_ms
        if limit is not None:
            parts.append(
                self._untimed()
                if _no_gap(r)
                else f"TPOT p95 {milliseconds(r.tpot_ms.p95)} <= {milliseconds(limit)}"
                f" ({self.min_output_tokens_per_s_per_user:g} tokens/s per user)"
            )
        return "; ".join(parts)

    def _untimed(self) -> str:
        """The per-user speed target where no request has a second token: nothing to time, so it holds."""
        return (
            "one-token answers have no time per output token"
            f" (the {self.min_output_tokens_per_s_per_user:g} tokens/s per user target binds nothing)"
        )

    def held(self, r: SimResult) -> str:
        """Every target's p95 in `r` against it, and whether it holds there (what an unmet SLO's capacity is costed
        at): 'TTFT p95 13,784 ms > 10,000 ms (missed) and TPOT p95 29.7 ms <= 33.3 ms (the 30 tokens/s per user
        target holds)'."""
        parts: list[str] = []
        if self.ttft_p95_ms is not None:
            ok = r.ttft_ms.p95 <= self.ttft_p95_ms
            parts.append(
                f"TTFT p95 {milliseconds(r.ttft_ms.p95)} {'<=' if ok else '>'} {milliseconds(self.ttft_p95_ms)}"
                f" ({'met' if ok else 'missed'})"
            )
        limit = self.tpot_p95_ms
        if limit is not None and _no_gap(r):
            parts.append(self._untimed())
        elif limit is not None:
            ok = r.tpot_ms.p95 <= limit
            parts.append(
                f"TPOT p95 {milliseconds(r.tpot_ms.p95)} {'<=' if ok else '>'} {milliseconds(limit)} (the"
                f" {self.min_output_tokens_per_s_per_user:g} tokens/s per user target {'holds' if ok else 'is missed'})"
            )
        return " and ".join(parts)


@dataclass(frozen=True)
class Between:
    """The two capacity searches a capacity is interpolated between (serving/length_grid.py): the request lengths
    they ran at, in tokens of the length that varies, and the capacities they found."""

    along: str  # "input" or "output"
    lengths: tuple[int, int]
    requests_per_s: tuple[float, float]

    def missed(self) -> str:
        """Why an interpolated capacity misses the SLO (ServingCapacity.reason): both searches found it missed."""
        (a, b), along = self.lengths, self.along
        return f"the SLO is missed at every load at both {a:,} and {b:,} {along} tokens"

    def words(self) -> str:
        """'interpolated between the capacity searches at 1,117 and 1,218 input tokens (2.41 and 2.28 requests/s)'."""
        (a, b), (ra, rb) = self.lengths, self.requests_per_s
        return (
            f"interpolated between the capacity searches at {a:,} and {b:,} {self.along} tokens"
            f" ({ra:.3g} and {rb:.3g} requests/s)"
        )


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
    # set where the capacity is read between two searches instead of searched (a what-if asked to interpolate lengths);
    # `at` then holds the two searches' percentiles and load, interpolated alike
    between: Between | None = None

    @property
    def bound_by_slo(self) -> bool:
        """True when a latency target, not full-load throughput, sets the capacity."""
        return self.meets_slo and self.requests_per_s < self.full_load_requests_per_s

    def summary(self) -> str:
        """One line for a report's assumptions: the rate and which percentile met which target."""
        if self.at is None:
            return "no latency target: capacity is the full-load throughput"
        how = f"simulated serving ({describe(self.scheduler)}; Poisson arrivals)"
        if self.between is not None and not self.meets_slo:
            return f"{how} cannot meet the SLO: {self.unmet()}; {self.between.words()}"
        if not self.meets_slo:
            return f"{how} cannot meet the SLO: {self.unmet()}"
        if self.between is not None:
            return f"{how}: about {self.requests_per_s:.3g} requests/s, {self.between.words()}"
        if not self.bound_by_slo:
            return f"{how}: at full-load throughput {self.targets.met(self.at)}"
        return f"{how}: up to {self.requests_per_s:.3g} requests/s {self.targets.met(self.at)}"

    def unmet(self) -> str:
        """Why the SLO cannot be met, where the capacity is put instead and every target there (summary's words after
        'cannot meet the SLO: '): 'TTFT p95 12,575 ms > 10,000 ms even at 2% of full load (0.0132 requests/s);
        capacity 0.236 requests/s is where load adds at most 10% to the missed p95; at that rate TTFT p95 ...'."""
        assert self.at is not None and not self.meets_slo
        return (
            f"{self.reason}; capacity {self.requests_per_s:.3g} requests/s is where load adds at most"
            f" {UNMET_SLACK:.0%} to the missed p95; at that rate {self.targets.held(self.at)}"
        )


@dataclass(frozen=True)
class LowestLoad:
    """The capacity search's first run: LOWEST_LOAD of full-load throughput, served in full (no early stop).

    A target it misses is missed at every load, so `missed` alone settles "cannot meet the SLO" in one run;
    search_capacity starts from this same run, so the answer is the one the whole search gives.
    """

    requests_per_s: float
    run: SimResult
    missed: tuple[str, ...]

    @property
    def reason(self) -> str | None:
        """What was missed and at which rate, as ServingCapacity.reason says it; None when every target is met."""
        if not self.missed:
            return None
        return f"{'; '.join(self.missed)} even at {LOWEST_LOAD:.0%} of full load ({self.requests_per_s:.3g} requests/s)"


def lowest_load(
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
) -> LowestLoad:
    """The run at LOWEST_LOAD of full load and the targets it misses (search_capacity's first run, alone)."""
    rate = full_load_requests_per_s * LOWEST_LOAD
    run = simulate(
        steps, scheduler, Traffic(rate, input_tokens, shares, output_tokens), requests=requests, seed=seed
    )  # no target limits: its p95s set the relaxed targets of a miss
    return LowestLoad(rate, run, tuple(targets.misses(run)))


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
    first: LowestLoad | None = None,
) -> ServingCapacity:
    """The highest rate up to full load whose p95 TTFT and TPOT meet the targets.

    p95 latencies rise with the rate (the runs share their random draws, so they rise smoothly):
    a safeguarded regula falsi on log(p95 / target) over log(rate) closes the passing and failing
    rates to within RATE_TOLERANCE, in 7 to 14 runs after the lowest-load one, the full-load run
    included (median 9 over the 30 searches of the four examples and a 12-point input_tokens
    sweep, session 20): the runs a search costs. When a target is missed even at
    LOWEST_LOAD, it cannot be met at any load: capacity is then the highest rate at which load
    adds at most UNMET_SLACK to that target's p95 at LOWEST_LOAD (meets_slo False, reason says so).
    `first`: that lowest-load run when the caller already made it with these arguments (lowest_load).
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
    if first is None:
        first = lowest_load(
            steps,
            scheduler,
            input_tokens=input_tokens,
            shares=shares,
            output_tokens=output_tokens,
            targets=targets,
            full_load_requests_per_s=full,
            requests=requests,
            seed=seed,
        )
    elif first.requests_per_s != full * LOWEST_LOAD:
        raise ValueError("`first` was run at another full-load rate")
    low = first.run
    limits = targets if not first.missed else _relaxed(targets, low)
    rate, at = _highest_passing(lambda r: run(r, limits), limits, first.requests_per_s, low, full)
    return ServingCapacity(rate, not first.missed, at, targets, scheduler, full, first.reason)


def _relaxed(targets: Targets, low: SimResult) -> Targets:
    """Targets missed at the lowest load loosened to UNMET_SLACK above their p95 there."""
    ttft, speed = targets.ttft_p95_ms, targets.min_output_tokens_per_s_per_user
    if ttft is not None and not low.ttft_ms.p95 <= ttft:
        ttft = low.ttft_ms.p95 * (1 + UNMET_SLACK)
    tpot = targets.tpot_p95_ms
    if tpot is not None and not low.tpot_ms.p95 <= tpot:
        speed = MS_PER_S / (low.tpot_ms.p95 * (1 + UNMET_SLACK))
    return Targets(ttft, speed)


def _no_gap(r: SimResult) -> bool:
    """True when the run's TPOT p95 is 0: every request's answer was one token, with no gap between tokens to time."""
    return r.tpot_ms.p95 == 0


def _excess(limits: Targets, r: SimResult) -> float:
    """log(p95 / target) of the worst target, the search's measure of how far a run is from passing."""
    worst = -math.inf
    for p95, limit in ((r.ttft_ms.p95, limits.ttft_p95_ms), (r.tpot_ms.p95, limits.tpot_p95_ms)):
        if limit is None:
            continue
        if math.isnan(p95):  # no request got that far before the run stopped
            return FAILED_EXCESS
        if p95 == 0:  # one output token: no gap between tokens to time (_no_gap), so this target binds at no rate
            continue
        worst = max(worst, math.log(p95 / limit))
    if worst == -math.inf:
        worst = UNBOUND_EXCESS
    return max(worst, FAILED_EXCESS) if r.stopped_early else worst


def _highest_passing(
    run: Callable[[float], SimResult], limits: Targets, low_rate: float, low: SimResult, high_rate: float
) -> tuple[float, SimResult]:
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
