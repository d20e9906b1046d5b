"""Discrete-event simulation of one replica's continuous batching under Poisson arrivals."""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np

from costcalc.throughput.serving import prefill_tables
from costcalc.throughput.serving.mixed_loop import REPEAT_STEPS as _REPEAT_STEPS
from costcalc.throughput.serving.mixed_loop import go_mixed
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.speed import Slowdown, _Speed
from costcalc.throughput.serving.steps import StepTimes
from costcalc.throughput.serving.unit_draw import unit_draw
from costcalc.units import MS_PER_S

DEFAULT_REQUESTS = 2000  # requests whose latencies count; p99 then rests on 20 of them
WARMUP_SHARE = 0.1  # requests before these count: the replica starts empty
COOLDOWN_SHARE = 0.05  # requests after: the last counted ones still see a loaded replica
SLO_PERCENTILE = 95.0
PERCENTILES = (50.0, 95.0, 99.0)


@dataclass(frozen=True)
class Traffic:
    """Requests arriving at one replica: a Poisson rate, prompt lengths with shares, output tokens."""

    rate_per_s: float
    input_tokens: tuple[float, ...]
    shares: tuple[float, ...]
    output_tokens: int

    def __post_init__(self) -> None:
        if not self.rate_per_s > 0 or self.output_tokens < 1 or not self.input_tokens:
            raise ValueError(f"traffic needs a positive rate, prompts and output tokens >= 1: {self}")
        if len(self.shares) != len(self.input_tokens) or abs(sum(self.shares) - 1.0) > 1e-6:
            raise ValueError("one share per prompt length, summing to 1")


@dataclass(frozen=True)
class Percentiles:
    """p50, p95, p99 and mean of one latency, milliseconds."""

    p50: float
    p95: float
    p99: float
    mean: float

    @classmethod
    def of(cls, values_ms: np.ndarray) -> Percentiles:
        """Linear-interpolated percentiles (numpy's default), as costcalc measure computes them."""
        if values_ms.size == 0:
            return cls(math.nan, math.nan, math.nan, math.nan)
        p50, p95, p99 = np.percentile(values_ms, PERCENTILES)
        return cls(float(p50), float(p95), float(p99), float(values_ms.mean()))

    @classmethod
    def both(cls, first_ms: np.ndarray, second_ms: np.ndarray) -> tuple[Percentiles, Percentiles]:
        """`of` each; two latencies of as many values in one numpy call, row by row (the same floats, sooner)."""
        if first_ms.size != second_ms.size or first_ms.size == 0:
            return cls.of(first_ms), cls.of(second_ms)
        both = np.vstack([first_ms, second_ms])  # a copy: numpy may partition it in place, not the callers' arrays
        (a50, b50), (a95, b95), (a99, b99) = np.percentile(both, PERCENTILES, axis=1, overwrite_input=True)
        return (
            cls(float(a50), float(a95), float(a99), float(first_ms.mean())),
            cls(float(b50), float(b95), float(b99), float(second_ms.mean())),
        )


@dataclass(frozen=True)
class SimResult:
    """Latencies of the counted requests at one arrival rate.

    stopped_early: the run ended as soon as more than 5% of the counted requests had missed a
    limit passed to simulate(), so that limit's p95 is missed; the percentiles cover the requests
    finished by then.
    """

    rate_per_s: float
    ttft_ms: Percentiles
    tpot_ms: Percentiles
    requests: int  # counted requests finished
    output_tokens_per_s: float  # counted requests' output over the time they span
    mean_in_flight: float  # time-averaged requests admitted: prompt in prefill or decoding (holding KV cache)
    stopped_early: bool = False


@dataclass(frozen=True)
class Draw:
    """The requests of one run: arrival times, prompt lengths, and which of them are counted."""

    arrivals_s: np.ndarray
    prompts: np.ndarray  # tokens, integers
    counted: slice
    # output tokens of each request (integers >= 1); None: every request has serve()'s output_tokens
    outputs: np.ndarray | None = None


def draw(traffic: Traffic, requests: int = DEFAULT_REQUESTS, seed: int = 0) -> Draw:
    """Poisson arrivals and prompt lengths for `requests` counted requests plus warm-up and cool-down.

    Arrival gaps are one exponential draw per request scaled by 1/rate, so draws at different
    rates share their randomness (results move smoothly with the rate). Prompt lengths come in
    exactly their shares among the counted requests (and among the others), in random order.
    """
    warm = int(requests * WARMUP_SHARE)
    total = warm + requests + int(requests * COOLDOWN_SHARE)
    at_unit_rate, prompts = unit_draw(traffic.input_tokens, traffic.shares, warm, requests, total, seed)
    return Draw(at_unit_rate / traffic.rate_per_s, prompts, slice(warm, warm + requests))


@dataclass(frozen=True)
class Served:
    """When each request of a draw got its first token and finished (nan: not by the end of the run)."""

    first_token_s: np.ndarray
    finish_s: np.ndarray
    end_s: float
    in_flight_request_s: float  # integral over time of the requests admitted (prefilling or decoding)
    stopped_early: bool
    # when each request reached the replica: the draw's arrivals, or in a closed loop the release times
    arrivals_s: np.ndarray | None = None


def serve(
    steps: StepTimes,
    scheduler: Scheduler,
    requests: Draw,
    output_tokens: int,
    *,
    ttft_limit_ms: float | None = None,
    tpot_limit_ms: float | None = None,
    clients: int | None = None,
    client_gap_s: float = 0.0,
    slowdown: Slowdown | None = None,
    seed: int = 0,
) -> Served:
    """Run the replica over a draw until every counted request finished (or a limit is surely missed).

    Each request emits requests.outputs of its own where the draw has them, else output_tokens.
    clients: a closed loop of that many clients (a benchmark's fixed concurrency) instead of the
    draw's arrivals: the first `clients` requests arrive at 0, and each finish sends the next
    request in draw order client_gap_s later (the client's round trip before the replica sees it).
    With a slowdown, step times vary over time (seeded with `seed`); without, they are the tables'.
    """
    if scheduler.max_seqs > steps.max_batch:
        raise ValueError(f"step tables cover batches up to {steps.max_batch}, scheduler runs {scheduler.max_seqs}")
    limits = (
        _limit_s(ttft_limit_ms, steps.request_overhead_s),
        None if tpot_limit_ms is None else tpot_limit_ms / MS_PER_S,
    )
    counted = requests.counted
    n = len(requests.prompts)
    outputs: np.ndarray | int = int(output_tokens) if requests.outputs is None else requests.outputs
    if isinstance(outputs, int):  # one length: the list at once (numpy's full and tolist take longer)
        short = n > 0 and outputs < 1
        outs = [outputs] * n
    else:
        short = len(outputs) != n or (n > 0 and int(np.min(outputs)) < 1)
        outs = outputs.tolist()
    if short:
        raise ValueError("one output length of at least 1 token per request")
    arrivals = requests.arrivals_s.tolist()
    if clients is not None:
        if clients < 1:
            raise ValueError(f"a closed loop needs at least one client, got {clients}")
        arrivals = [0.0] * min(clients, n) + [math.inf] * max(n - clients, 0)
    run = _Run(
        steps,
        scheduler,
        arrivals,
        requests.prompts.tolist(),
        _kv_need(requests.prompts, outputs, scheduler),
        outs,
        counted.start,
        counted.stop,
        released=None if clients is None else min(clients, n),
        client_gap_s=client_gap_s,
        speed=None if slowdown is None else _Speed(slowdown, seed + 1),
        whole_prompts=n > 0 and np.issubdtype(requests.prompts.dtype, np.integer),
        one_output_length=requests.outputs is None,
    )
    stopped = run.go(limits, max_misses=_max_misses(counted.stop - counted.start))
    arrived = requests.arrivals_s if clients is None else np.array(run.arrivals, dtype=float)  # open: as drawn
    first, finish = np.array(run.first, dtype=float), np.array(run.finish, dtype=float)
    return Served(first, finish, run.t, run.in_flight_s, stopped, arrived)


def simulate(
    steps: StepTimes,
    scheduler: Scheduler,
    traffic: Traffic,
    *,
    requests: int = DEFAULT_REQUESTS,
    seed: int = 0,
    ttft_limit_ms: float | None = None,
    tpot_limit_ms: float | None = None,
    slowdown: Slowdown | None = None,
) -> SimResult:
    """Serve Poisson arrivals at traffic.rate_per_s and measure TTFT and TPOT per request.

    Seeded: the same arguments give the same result (see `draw`). TTFT adds
    steps.request_overhead_s to the step that emits the first token; TPOT is
    (finish - first token) / (output tokens - 1), as `costcalc measure` has it. With a limit given,
    the run stops once more than 5% of the counted requests miss it (stopped_early): that p95 is
    missed whatever the rest would show.
    """
    d = draw(traffic, requests, seed)
    out = traffic.output_tokens
    served = serve(
        steps, scheduler, d, out, ttft_limit_ms=ttft_limit_ms, tpot_limit_ms=tpot_limit_ms, slowdown=slowdown, seed=seed
    )
    c = d.counted
    first, finish, arrivals = served.first_token_s[c], served.finish_s[c], d.arrivals_s[c]
    done = ~np.isnan(finish)
    ttft_ms = (first - arrivals + steps.request_overhead_s) * MS_PER_S
    tpot_ms = (finish - first) / (out - 1) * MS_PER_S if out > 1 else np.zeros(len(finish))
    span = float(np.nanmax(finish) - arrivals[0]) if done.any() else 0.0
    ttft, tpot = Percentiles.both(ttft_ms[~np.isnan(first)], tpot_ms[done])
    return SimResult(
        rate_per_s=traffic.rate_per_s,
        ttft_ms=ttft,
        tpot_ms=tpot,
        requests=int(done.sum()),
        output_tokens_per_s=float(done.sum() * out / span) if span > 0 else 0.0,
        mean_in_flight=served.in_flight_request_s / served.end_s if served.end_s > 0 else 0.0,
        stopped_early=served.stopped_early,
    )


def _kv_need(prompts: np.ndarray, outputs: np.ndarray | int, scheduler: Scheduler) -> list[float]:
    """KV cache each request holds (0 when the cache is not a limit), one call per context length."""
    kv_need_gb = scheduler.kv_need_gb
    if math.isinf(scheduler.kv_gb) or kv_need_gb is None:
        return [0.0] * len(prompts)
    lengths, index = np.unique(np.asarray(prompts) + np.asarray(outputs), return_inverse=True)
    per_length = np.array([kv_need_gb(float(n)) for n in lengths])
    need: list[float] = per_length[index].tolist()  # numpy types tolist() as Any
    return need


def _max_misses(requests: int) -> int:
    """Most values above a limit that still leave the p95 of `requests` values at or under it.

    numpy's p95 interpolates between sorted values floor(r) and floor(r) + 1, r = 0.95 (n - 1); it
    exceeds the limit once the value at floor(r) does, that is once n - floor(r) values do.
    """
    return requests - math.floor(SLO_PERCENTILE / 100 * (requests - 1)) - 1


def _limit_s(limit_ms: float | None, overhead_s: float) -> float | None:
    """A TTFT limit as seconds from arrival to the first token's step (the overhead comes off)."""
    return None if limit_ms is None else limit_ms / MS_PER_S - overhead_s


class _Run:
    """State of one simulation; `go` advances it step by step (decode-only stretches at once)."""

    def __init__(
        self,
        steps: StepTimes,
        sched: Scheduler,
        arrivals: list[float],
        prompts: list[int],
        kv_need: list[float],
        outs: list[int],
        first_counted: int,
        end_counted: int,
        released: int | None = None,
        client_gap_s: float = 0.0,
        speed: _Speed | None = None,
        whole_prompts: bool = False,
        one_output_length: bool = False,
    ) -> None:
        self.steps, self.sched = steps, sched
        self.whole_prompts = whole_prompts  # every prompt is known to be an int (an integer array's), unchecked
        self.one_output_length = one_output_length  # every request is known to emit outs[0] tokens
        # closed loop: requests before `released` have arrival times; each finish releases the next
        self.released, self.client_gap_s = released, client_gap_s
        self.arrivals, self.prompts, self.kv_need, self.outs = arrivals, prompts, kv_need, outs
        self.first_counted, self.end_counted = first_counted, end_counted
        self.speed = speed
        n = len(arrivals)
        self.first = [math.nan] * n
        self.finish = [math.nan] * n
        self.t = 0.0
        self.in_flight_s = 0.0  # integral over time of the requests admitted (prefilling or decoding)

    def go(self, limits: tuple[float | None, float | None], max_misses: int, *, general: bool = False) -> bool:
        """Run until every counted request finished; True if stopped early on a missed limit.

        A replica mixing prompt chunks with decodes under open arrivals at a steady speed (vLLM V1, llama.cpp: the
        capacity searches' usual one) runs mixed_loop.go_mixed, the same steps in fewer operations; general: this loop
        all the same (the tests compare the two). The loop writes min(a, b) as `b if b < a else a` and max(1, k) as
        `k if k > 1 else 1`: the values min and max return (the first unless the second is strictly less, or
        greater), without a call a step."""
        steps, sched = self.steps, self.sched
        arrivals, prompts, outs = self.arrivals, self.prompts, self.outs
        first, finish = self.first, self.finish
        lo, hi = self.first_counted, self.end_counted
        ttft_limit, tpot_limit = limits
        ttft_misses = tpot_misses = 0
        to_finish = hi - lo
        n = len(arrivals)
        max_seqs, budget_per_step, kv_cap = sched.max_seqs, sched.tokens_per_step, sched.kv_gb
        whole_budget = math.isinf(budget_per_step) or budget_per_step == int(budget_per_step)
        if not math.isinf(budget_per_step) and whole_budget:
            budget_per_step = int(budget_per_step)  # whole token counts throughout, so the tables apply
        # Prompt token counts are typed float (a budget may be fractional or inf); under a whole or no budget
        # they are ints at run time (prompts are; min() of an int and inf is the int), as the tables need.
        mixed_only = sched.prefill is Prefill.MIXED_CHUNKED and sched.decode_steps_per_call == 1
        if mixed_only and isinstance(budget_per_step, int) and self.speed is None and self.released is None:
            tables = None if general else prefill_tables.whole_tables(steps, prompts, self.whole_prompts)
            if tables is not None:
                return go_mixed(self, limits, max_misses, budget_per_step, tables[0], tables[1])
        lookups = (
            prefill_tables.lookups(steps, prompts, self.whole_prompts)
            if whole_budget
            else (steps.prefill_cost, steps.prefill_alone)
        )
        cost, alone = cast("tuple[Callable[[float], float], Callable[[float], float]]", lookups)
        decode_s, decode_slope = steps.decode_s, steps.decode_s_per_context_token
        slack, linear = steps.decode_weight_slack_s, steps.prefill_linear_s_per_token  # steps.mixed_step_saving's
        kv_need = self.kv_need
        speed = self.speed
        policy = sched.prefill
        chunked = policy is not Prefill.MIXED_WHOLE
        mixed = policy is not Prefill.PREFILL_FIRST
        burst = sched.decode_steps_per_call  # decode steps per scheduler call (vLLM V0 multi-step)
        burst_left = 0  # decode steps left in the current burst; nothing is admitted until it ends

        t = 0.0
        nxt = 0  # next request to arrive
        waiting: deque[int] = deque()  # arrived, not admitted
        filling: list[int] = []  # admitted, prompt partly processed (FCFS order)
        filled: list[float] = [0] * n  # prompt tokens processed per request
        running: list[tuple[int, int]] = []  # heap of (decode step at which it finishes, id)
        joined = [0] * n  # decode step at which each sequence started decoding
        dstep = 0  # decode steps so far (every running sequence emits one token per decode step)
        sum_prompt = 0  # prompt tokens of the running sequences
        sum_start = 0  # dstep at which each running sequence joined, summed
        kv_used = 0.0
        busy = 0.0
        heappop, heappush, ceil, inf = heapq.heappop, heapq.heappush, math.ceil, math.inf  # looked up once

        while to_finish > 0:
            while nxt < n and arrivals[nxt] <= t:
                waiting.append(nxt)
                nxt += 1
            b = len(running)
            # --- choose prompt work for this step
            room = budget_per_step - b if mixed else budget_per_step
            chunks = 0.0
            tokens: float = 0
            completed: list[int] = []
            if b == 0:
                burst_left = 0
            repeat = 1  # identical prefill-chunk steps this iteration runs (_REPEAT_STEPS)
            if room > 0 and burst_left == 0 and len(filling) == 1 and chunked and burst == 1 and not speed:
                rid = filling[0]
                # steps that each take `room` tokens of the one prompt in prefill, leave it unfinished and admit
                # nothing (the chunk fills the step), while no decode finishes: the same step but for its costs
                repeat = int((prompts[rid] - filled[rid] - 1) // room) if whole_budget else 1
                if b and mixed:
                    left = running[0][0] - dstep
                    repeat = left if left < repeat else repeat  # min(repeat, left)
                repeat = repeat if repeat >= _REPEAT_STEPS else 1
            if repeat > 1:
                rid = filling[0]
                done = filled[rid]
                chunks = cost(done + repeat * room) - cost(done)
                filled[rid] = done + repeat * room
                tokens = room
            elif room > 0 and burst_left == 0:
                for rid in filling:
                    if room <= 0:
                        break
                    done = filled[rid]
                    rest = prompts[rid] - done
                    take = room if room < rest else rest  # min(rest, room)
                    chunks += cost(done + take) - cost(done)
                    filled[rid] = done + take
                    room -= take
                    tokens += take
                    if filled[rid] == prompts[rid]:
                        completed.append(rid)
                while room > 0 and waiting and b + len(filling) < max_seqs:
                    rid = waiting[0]
                    need = kv_need[rid]
                    if kv_used + need > kv_cap and (b or filling):
                        break
                    size = prompts[rid]
                    if not chunked and size > room and tokens > 0:
                        break  # a whole prompt waits for a step with room (an oversized one runs alone)
                    waiting.popleft()
                    kv_used += need
                    filling.append(rid)
                    take = size if not chunked or not room < size else room  # min(size, room) when chunked
                    chunks += cost(take)
                    filled[rid] = take
                    room -= take
                    tokens += take
                    if take == size:
                        completed.append(rid)
            if tokens == 0 and b == 0:
                if nxt >= n or arrivals[nxt] == inf:
                    break  # nothing left to serve (only when the counted requests cannot finish)
                t = arrivals[nxt]
                continue
            ctx = (sum_prompt + b * (1 + dstep) - sum_start) / b if b else 0.0
            if tokens and (b == 0 or not mixed):
                dt = repeat * alone(tokens) + chunks  # prefill steps without decodes
                decoded = 0
            elif tokens:
                # one forward over decodes and prompt chunks: the chunks' GEMM FLOPs use the decodes' spare weight reads
                # (repeated: each step's decodes one token of context further)
                # steps.mixed_step_saving(b, tokens) (b > 0 here): min(slack[b], tokens * linear)
                hidden = tokens * linear
                saving = (hidden if hidden < slack[b] else slack[b]) if slack else 0.0
                if repeat == 1:
                    dt = decode_s[b] + decode_slope[b] * ctx + chunks - saving
                else:
                    dt = repeat * (decode_s[b] - saving) + decode_slope[b] * repeat * (ctx + (repeat - 1) / 2) + chunks
                decoded = repeat
            else:
                # decode-only: jump to the next finish, or to the next arrival that could be admitted (with
                # multi-step scheduling, to the end of the burst: nothing is admitted inside it)
                k = running[0][0] - dstep
                if burst > 1:
                    # a burst runs to its end (or to the next finish, which admits nothing either)
                    burst_left = burst_left or burst
                    k = min(k, burst_left)
                else:
                    if b < max_seqs and not waiting and nxt < n and arrivals[nxt] < inf:  # one could be admitted
                        dt1 = (decode_s[b] + decode_slope[b] * ctx) * (speed(t) if speed else 1.0)
                        until = ceil((arrivals[nxt] - t) / dt1)
                        k = until if until < k else k  # max(1, min(k, until))
                        k = k if k > 1 else 1
                dt = k * (decode_s[b] + decode_slope[b] * (ctx + (k - 1) / 2))
                decoded = k
                if burst > 1:
                    burst_left -= k
            if speed:
                dt *= speed(t)
            t += dt
            # every admitted request is in flight: decoding, or with its prompt in prefill (a one-token answer never
            # decodes; counting decodes alone read a classifier's server as idle)
            busy += (b + len(filling)) * dt
            if decoded:
                dstep += decoded
                while running and running[0][0] <= dstep:
                    _, rid = heappop(running)
                    finish[rid] = t
                    if self.released is not None and self.released < n:
                        arrivals[self.released] = t + self.client_gap_s
                        self.released += 1
                    kv_used -= kv_need[rid]
                    sum_prompt -= prompts[rid]
                    sum_start -= joined[rid]
                    if lo <= rid < hi:
                        to_finish -= 1
                        out = outs[rid]
                        if tpot_limit is not None and out > 1 and (t - first[rid]) / (out - 1) > tpot_limit:
                            tpot_misses += 1
            for rid in completed:
                filling.remove(rid)
                first[rid] = t
                if lo <= rid < hi and ttft_limit is not None and t - arrivals[rid] > ttft_limit:
                    ttft_misses += 1
                out = outs[rid]
                if out == 1:
                    finish[rid] = t
                    if self.released is not None and self.released < n:
                        arrivals[self.released] = t + self.client_gap_s
                        self.released += 1
                    kv_used -= kv_need[rid]
                    if lo <= rid < hi:
                        to_finish -= 1
                    continue
                joined[rid] = dstep
                heappush(running, (dstep + out - 1, rid))
                sum_prompt += prompts[rid]
                sum_start += dstep
            if ttft_misses > max_misses or tpot_misses > max_misses:
                self.t, self.in_flight_s = t, busy
                return True
        self.t, self.in_flight_s = t, busy
        return False
