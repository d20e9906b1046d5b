"""The event loop of a replica mixing prompt chunks with decodes gives the general loop's times, bit for bit."""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.throughput.serving import batching
from costcalc.throughput.serving.batching import Draw, Served, Slowdown, Traffic, draw, serve, simulate
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.steps import StepTimes

times = st.floats(min_value=1e-4, max_value=0.05, allow_nan=False)


@st.composite
def replicas(draw: st.DrawFn) -> tuple[StepTimes, Scheduler]:
    """Step tables and a scheduler, chunked and mixed mostly (mixed_loop's), else just outside (another prefill policy,
    V0 bursts of decode steps, a budget not whole or none): every limit small enough to bind (sequences, the token
    budget, down to steps of a few tokens that repeat, the KV cache), or none."""
    max_batch = draw(st.integers(1, 10))
    decode = [0.0, *draw(st.lists(times, min_size=max_batch, max_size=max_batch))]
    slope = [0.0, *draw(st.lists(st.floats(0, 1e-5), min_size=max_batch, max_size=max_batch))]
    grid = (0.0, 1.0, 50.0, 700.0, 3000.0)
    cost = np.cumsum([draw(st.floats(0, 1e-6)), *draw(st.lists(times, min_size=4, max_size=4))]).tolist()
    alone = draw(st.lists(times, min_size=5, max_size=5))
    slack = tuple(draw(st.lists(times, min_size=max_batch + 1, max_size=max_batch + 1))) if draw(st.booleans()) else ()
    steps = StepTimes(
        decode_s=tuple(decode),
        decode_s_per_context_token=tuple(slope),
        prefill_tokens=grid,
        prefill_cost_s=tuple(cost),
        prefill_alone_s=tuple(alone),
        request_overhead_s=draw(st.sampled_from([0.0, 0.003])),
        decode_weight_slack_s=slack,
        prefill_linear_s_per_token=draw(st.floats(0, 1e-5)),
    )
    kv_per_token = draw(st.sampled_from([None, 1e-4, 3e-4]))
    scheduler = Scheduler(
        max_seqs=draw(st.integers(1, max_batch)),
        tokens_per_step=draw(st.sampled_from([1, 2, 7, 64, 512, 2048, 8192, 100.5, math.inf])),
        prefill=draw(st.sampled_from([Prefill.MIXED_CHUNKED] * 4 + [Prefill.MIXED_WHOLE, Prefill.PREFILL_FIRST])),
        decode_steps_per_call=draw(st.sampled_from([1, 1, 1, 2])),
        kv_gb=math.inf if kv_per_token is None else draw(st.sampled_from([0.05, 0.3, 1.0])),
        kv_need_gb=None if kv_per_token is None else (lambda n, per=kv_per_token: n * per),
    )
    return steps, scheduler


@st.composite
def draws(draw: st.DrawFn) -> tuple[Draw, int]:
    """Requests: arrivals (some at the same instant), whole prompts, one answer length or one each."""
    n = draw(st.integers(1, 40))
    gaps = draw(st.lists(st.sampled_from([0.0, 0.001, 0.02, 0.3, 2.0]), min_size=n, max_size=n))
    prompts = np.array(draw(st.lists(st.integers(1, 3000), min_size=n, max_size=n)), dtype=np.int64)
    output = draw(st.integers(1, 30))
    outputs = np.array(draw(st.lists(st.integers(1, 30), min_size=n, max_size=n))) if draw(st.booleans()) else None
    start = draw(st.integers(0, n - 1))
    stop = draw(st.integers(start + 1, n))
    return Draw(np.cumsum(gaps), prompts, slice(start, stop), outputs), output


def _served(general: bool, *args: object, **kwargs: object) -> Served:
    """serve(), through the general loop or the mixed one."""
    go = batching._Run.go

    def chosen(self: batching._Run, limits: tuple[float | None, float | None], max_misses: int) -> bool:
        return go(self, limits, max_misses, general=general)

    with mock.patch.object(batching._Run, "go", chosen):
        return serve(*args, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(
    replicas(),
    draws(),
    st.sampled_from([None, 30.0, 400.0]),
    st.sampled_from([None, 10.0, 60.0]),
    st.sampled_from([None, None, None, 1, 3]),
    st.sampled_from([None, None, None, Slowdown((1.0, 1.25), 0.05)]),
)
def test_the_mixed_loop_gives_the_general_loop_s_times_bit_for_bit(
    replica, requests, ttft_limit_ms, tpot_limit_ms, clients, slowdown
):
    (steps, scheduler), (drawn, output) = replica, requests
    args = (steps, scheduler, drawn, output)
    limits = {"ttft_limit_ms": ttft_limit_ms, "tpot_limit_ms": tpot_limit_ms, "clients": clients, "slowdown": slowdown}
    general, mixed = _served(True, *args, **limits), _served(False, *args, **limits)
    assert np.array_equal(mixed.first_token_s, general.first_token_s, equal_nan=True)
    assert np.array_equal(mixed.finish_s, general.finish_s, equal_nan=True)
    assert (mixed.end_s, mixed.in_flight_request_s, mixed.stopped_early) == (
        general.end_s,
        general.in_flight_request_s,
        general.stopped_early,
    )


def test_a_capacity_search_s_runs_take_the_mixed_loop_and_match_the_general_one():
    steps = StepTimes(
        decode_s=tuple(0.0 if b == 0 else 0.010 + 0.0004 * b for b in range(65)),
        decode_s_per_context_token=(0.0,) + (2e-7,) * 64,
        prefill_tokens=(0.0, 1.0, 4096.0),
        prefill_cost_s=(0.0, 0.00004, 0.2),
        prefill_alone_s=(0.004, 0.004, 0.006),
        decode_weight_slack_s=(0.0,) + (0.004,) * 64,
        prefill_linear_s_per_token=2e-6,
    )
    scheduler = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    traffic = Traffic(6.0, (1500.0, 2600.0), (0.7, 0.3), 120)
    taken = []
    go_mixed = batching.go_mixed

    def counted(*args: object) -> bool:
        taken.append(True)
        return go_mixed(*args)  # type: ignore[arg-type]

    with mock.patch.object(batching, "go_mixed", counted):
        mixed = simulate(steps, scheduler, traffic, requests=400, ttft_limit_ms=900.0, tpot_limit_ms=40.0)
    go = batching._Run.go
    with mock.patch.object(
        batching._Run, "go", lambda self, limits, max_misses: go(self, limits, max_misses, general=True)
    ):
        general = simulate(steps, scheduler, traffic, requests=400, ttft_limit_ms=900.0, tpot_limit_ms=40.0)
    assert taken  # the mixed loop ran
    assert repr(mixed) == repr(general)  # every figure, to the last bit (repr round-trips a float)


_STEPS = StepTimes(
    decode_s=(0.0, 0.011, 0.012, 0.013, 0.014),
    decode_s_per_context_token=(0.0, 1e-7, 1e-7, 1e-7, 1e-7),
    prefill_tokens=(0.0, 1.0, 4096.0),
    prefill_cost_s=(0.0, 0.00004, 0.2),
    prefill_alone_s=(0.004, 0.004, 0.006),
)
_MIXED = Scheduler(max_seqs=4, tokens_per_step=512, prefill=Prefill.MIXED_CHUNKED)


@pytest.mark.parametrize(
    ("scheduler", "options", "taken"),
    [
        (_MIXED, {}, True),  # vLLM V1, llama.cpp: chunked prompts mixed with decodes, open arrivals
        (_MIXED, {"clients": 2}, False),  # a closed loop (the calibration's benchmarks) releases requests as others end
        (_MIXED, {"slowdown": Slowdown((1.0, 1.3), 0.05)}, False),  # a varying speed
        (Scheduler(max_seqs=4, tokens_per_step=512, prefill=Prefill.MIXED_CHUNKED, decode_steps_per_call=2), {}, False),
        (Scheduler(max_seqs=4, tokens_per_step=512, prefill=Prefill.PREFILL_FIRST), {}, False),  # SGLang, MLX
        (Scheduler(max_seqs=4, tokens_per_step=512, prefill=Prefill.MIXED_WHOLE), {}, False),  # TensorRT-LLM
        (Scheduler(max_seqs=4, tokens_per_step=512.5, prefill=Prefill.MIXED_CHUNKED), {}, False),  # a budget not whole
        (Scheduler(max_seqs=4, tokens_per_step=math.inf, prefill=Prefill.MIXED_CHUNKED), {}, False),  # no budget
    ],
)
def test_only_a_chunked_mixed_replica_under_open_arrivals_takes_the_mixed_loop(scheduler, options, taken):
    requests = draw(Traffic(20.0, (300.0, 900.0), (0.5, 0.5), 20), requests=60, seed=2)
    go_mixed, calls = batching.go_mixed, []

    def counted(*args: object) -> bool:
        calls.append(True)
        return go_mixed(*args)  # type: ignore[arg-type]

    with mock.patch.object(batching, "go_mixed", counted):
        served = serve(_STEPS, scheduler, requests, 20, **options)
    assert bool(calls) is taken
    general = _served(True, _STEPS, scheduler, requests, 20, **options)
    assert np.array_equal(served.finish_s, general.finish_s, equal_nan=True) and served.end_s == general.end_s


def test_prompts_not_whole_take_the_general_loop():
    requests = draw(Traffic(20.0, (300.0,), (1.0,), 20), requests=60, seed=2)
    as_floats = Draw(requests.arrivals_s, requests.prompts.astype(float), requests.counted)
    with mock.patch.object(batching, "go_mixed", side_effect=AssertionError("took the mixed loop")):
        serve(_STEPS, _MIXED, as_floats, 20)
