"""Check the serving simulation against a real llama.cpp server: measured step times in, p95s compared.

Used by tests/throughput/test_serving_vs_llama.py (short, loose bound) and
benchmarks/sim_vs_llama.py (longer runs, the error table of the report).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig, measure
from costcalc.throughput.serving.batching import Draw, Slowdown, serve
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.steps import StepTimes, measured

# llama-cpp-python's server runs one request at a time (a lock around the model): a batch of one,
# the whole prompt before the first token.
SERIAL = Scheduler(max_seqs=1, tokens_per_step=math.inf, prefill=Prefill.MIXED_WHOLE)
SHORT_PROMPT_SHARE = 0.25  # calibration's second prompt length, as a share of the workload's
REPLICATIONS = 25  # simulated runs of the measured length; their median p95 is the prediction


@dataclass(frozen=True)
class Calibration:
    """Step times measured at concurrency 1 on the server, and how much its speed varied.

    prefill = fixed + per token (TTFT p50 at two prompt lengths), one decode step (TPOT p50; the
    server never batches, so batch size 1 is the only one), and the slowdown factors: each
    request's TPOT over the median, over windows of one request's decode time.
    """

    prefill_fixed_ms: float
    prefill_ms_per_token: float
    decode_step_ms: float
    slowdown_factors: tuple[float, ...]
    window_ms: float

    def steps(self) -> StepTimes:
        """The simulation's step tables (batch size 1 only)."""
        return measured(
            decode_s_by_batch={1: self.decode_step_ms / 1000},
            prefill_s_per_token=self.prefill_ms_per_token / 1000,
            prefill_fixed_s=self.prefill_fixed_ms / 1000,
            source="llama.cpp server, measured at concurrency 1",
        )

    def slowdown(self) -> Slowdown:
        """The server's measured speed variation, for the simulation."""
        return Slowdown(self.slowdown_factors, self.window_ms / 1000)

    def service_ms(self, input_tokens: float, output_tokens: int) -> float:
        """One request's time on the server at median speed: prefill, then a decode step per later token."""
        return (
            self.prefill_fixed_ms + self.prefill_ms_per_token * input_tokens + (output_tokens - 1) * self.decode_step_ms
        )


def _tpots(level: dict[str, Any]) -> list[float]:
    return [
        (r["e2e_ms"] - r["ttft_ms"]) / (r["output_tokens"] - 1)
        for r in level["requests"]
        if r["error"] is None and r["output_tokens"] > 1
    ]


def calibrate(url: str, model: str, input_tokens: int, output_tokens: int, requests: int) -> Calibration:
    """Run concurrency 1 at a quarter of the prompt length and at the full one; derive the step times."""
    short = max(4, round(input_tokens * SHORT_PROMPT_SHARE))
    levels = [
        measure(
            MeasureConfig(Target(url, model, n, output_tokens), (1,), requests_per_level=requests, save_requests=True)
        ).levels[0]
        for n in (short, input_tokens)
    ]
    (n0, t0), (n1, t1) = ((lv["input_tokens_mean"], lv["ttft_ms"]["p50"]) for lv in levels)
    per_token = max(0.0, (t1 - t0) / (n1 - n0))
    factors: list[float] = []
    for lv in levels:
        tpots = _tpots(lv)
        factors += [t / statistics.median(tpots) for t in tpots]
    decode_ms = statistics.median(statistics.median(_tpots(lv)) for lv in levels)
    return Calibration(
        prefill_fixed_ms=max(0.0, t1 - per_token * n1),
        prefill_ms_per_token=per_token,
        decode_step_ms=decode_ms,
        slowdown_factors=tuple(factors),
        window_ms=(output_tokens - 1) * decode_ms,
    )


def in_run_calibration(level: dict[str, Any], per_token_ms: float, output_tokens: int) -> Calibration:
    """Step times measured during a rate level, from its own saved requests.

    On a CPU shared with other work the server's speed drifts twofold within a minute, so step
    times measured a minute earlier describe another machine. Here: prefill at the level's prompt
    length is the median TTFT of the requests that found the server idle (arrived after every
    earlier request had finished), the decode step the median TPOT, the slowdown factors each
    request's TPOT over that median (a serial server's TPOT never includes queueing); the
    per-token prefill time comes from the concurrency-1 calibration.
    """
    rows = sorted((r for r in level["requests"] if r["error"] is None), key=lambda r: r["start_ms"])
    idle_ttfts, busy_until = [], -math.inf
    for r in rows:
        if r["start_ms"] >= busy_until:
            idle_ttfts.append(r["ttft_ms"])
        busy_until = max(busy_until, r["start_ms"] + r["e2e_ms"])
    tpots = _tpots(level)
    decode_ms = statistics.median(tpots)
    prefill_ms = statistics.median(idle_ttfts)
    per_token = min(per_token_ms, prefill_ms / level["input_tokens_mean"])
    return Calibration(
        prefill_fixed_ms=prefill_ms - per_token * level["input_tokens_mean"],
        prefill_ms_per_token=per_token,
        decode_step_ms=decode_ms,
        slowdown_factors=tuple(t / decode_ms for t in tpots),
        window_ms=(output_tokens - 1) * decode_ms,
    )


@dataclass(frozen=True)
class Prediction:
    """The simulation's p95s at one rate with one calibration."""

    calibration: Calibration
    ttft_p95_ms: float
    tpot_p95_ms: float


def simulate_level(
    cal: Calibration, rate_per_s: float, requests: int, input_tokens: float, output_tokens: int, seed: int
) -> Prediction:
    """The measured level's counterpart: `requests` Poisson arrivals at the rate into an idle server,
    every one counted, like the measurement. A short run near saturation ends with its queue still
    growing, so its p95 is not the long run's; the median p95 over REPLICATIONS runs is the prediction."""
    ttfts, tpots = [], []
    for k in range(REPLICATIONS):
        rng = np.random.default_rng([seed, k])
        arrivals = np.cumsum(rng.standard_exponential(requests)) / rate_per_s
        prompts = np.full(requests, max(1, round(input_tokens)))
        served = serve(
            cal.steps(),
            SERIAL,
            Draw(arrivals, prompts, slice(0, requests)),
            output_tokens,
            slowdown=cal.slowdown(),
            seed=seed * REPLICATIONS + k,
        )
        ttfts.append(np.percentile((served.first_token_s - arrivals) * 1000, 95))
        tpots.append(np.percentile((served.finish_s - served.first_token_s) / (output_tokens - 1) * 1000, 95))
    return Prediction(cal, float(np.median(ttfts)), float(np.median(tpots)))


@dataclass(frozen=True)
class RateCheck:
    """Measured p95s at one Poisson request rate, and the simulation's with step times measured
    before the level (an independent calibration at concurrency 1) and during it (the same machine
    speed; see in_run_calibration), each on Poisson arrivals of its own at the same rate."""

    rate_per_s: float
    load: float  # rate x the calibrated median service time
    requests: int
    measured_ttft_p95_ms: float
    measured_tpot_p95_ms: float
    before: Prediction
    during: Prediction

    def errors(self, p: Prediction) -> tuple[float, float]:
        """(TTFT p95, TPOT p95) errors of a prediction: simulated / measured - 1."""
        return p.ttft_p95_ms / self.measured_ttft_p95_ms - 1, p.tpot_p95_ms / self.measured_tpot_p95_ms - 1


def check_rate(
    url: str,
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    load: float,
    requests: int,
    calibration_requests: int,
    seed: int,
) -> RateCheck:
    """Calibrate at concurrency 1, run `costcalc measure --rate` at `load` x that capacity (Poisson
    arrivals, open loop), and simulate the same rate with step times measured before and during it."""
    cal = calibrate(url, model, input_tokens, output_tokens, calibration_requests)
    rate = load / (cal.service_ms(input_tokens, output_tokens) / 1000)
    config = MeasureConfig(
        Target(url, model, input_tokens, output_tokens),
        request_rates=(rate,),
        requests_per_level=requests,
        seed=seed,
        save_requests=True,
    )
    level = measure(config).levels[0]

    def predict(c: Calibration) -> Prediction:
        return simulate_level(c, rate, level["requests_completed"], level["input_tokens_mean"], output_tokens, seed)

    during = in_run_calibration(level, cal.prefill_ms_per_token, output_tokens)
    return RateCheck(
        rate_per_s=rate,
        load=load,
        requests=level["requests_completed"],
        measured_ttft_p95_ms=level["ttft_ms"]["p95"],
        measured_tpot_p95_ms=level["tpot_ms"]["p95"],
        before=predict(cal),
        during=predict(during),
    )
