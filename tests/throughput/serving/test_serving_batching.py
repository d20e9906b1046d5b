"""The continuous-batching simulation: hand-worked steps, queueing theory, determinism, limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from costcalc.throughput.serving import prefill_tables
from costcalc.throughput.serving.batching import Draw, Slowdown, Traffic, draw, serve, simulate
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.steps import measured, tabulate

# A serial server (one sequence at a time, like llama-cpp-python's): a prompt of n tokens takes
# 20 ms + 0.1 ms * n alone, each decode step 5 ms.
SERIAL_STEPS = measured(decode_s_by_batch={1: 0.005}, prefill_s_per_token=0.0001, prefill_fixed_s=0.020)
SERIAL = Scheduler(max_seqs=1, tokens_per_step=math.inf, prefill=Prefill.MIXED_WHOLE)


def batched_steps(max_batch: int = 64):
    """Decode step 10 ms + 0.5 ms per sequence; prompt tokens 0.05 ms each; 20 ms fixed when alone."""
    return measured(
        decode_s_by_batch={1: 0.0105, max_batch: 0.010 + 0.0005 * max_batch},
        prefill_s_per_token=0.00005,
        prefill_fixed_s=0.020,
    )


def test_an_idle_serial_server_gives_the_step_times_exactly():
    # one request every 100 s: no request ever waits
    # TTFT = 20 ms + 500 * 0.1 ms = 70 ms; TPOT = the 5 ms decode step
    r = simulate(SERIAL_STEPS, SERIAL, Traffic(0.01, (500.0,), (1.0,), 50), requests=200)
    assert r.ttft_ms.p50 == pytest.approx(70.0) and r.ttft_ms.p99 == pytest.approx(70.0)
    assert r.tpot_ms.p95 == pytest.approx(5.0)
    assert r.requests == 200 and not r.stopped_early


def test_a_serial_server_is_the_lindley_queue():
    # FCFS single server, service S = 70 ms + 49 * 5 ms = 315 ms: waits follow Lindley's recursion
    # W[n+1] = max(0, W[n] + S - (A[n+1] - A[n])), and TTFT = W + 70 ms, for every request.
    traffic = Traffic(2.5, (500.0,), (1.0,), 50)  # utilisation 2.5 * 0.315 = 0.79
    d = draw(traffic, requests=3000, seed=7)
    served = serve(SERIAL_STEPS, SERIAL, d, traffic.output_tokens)
    service = 0.070 + 49 * 0.005
    wait = np.zeros(len(d.arrivals_s))
    for n in range(1, len(wait)):
        wait[n] = max(0.0, wait[n - 1] + service - (d.arrivals_s[n] - d.arrivals_s[n - 1]))
    c = d.counted
    np.testing.assert_allclose(served.first_token_s[c] - d.arrivals_s[c], wait[c] + 0.070, rtol=1e-9, atol=1e-9)


def test_a_serial_server_matches_the_pollaczek_khinchine_mean_wait():
    # M/D/1: mean wait = rho * S / (2 (1 - rho)). S = 315 ms, rate 1.5/s: rho 0.4725 -> 141 ms
    service, rate = 0.315, 1.5
    rho = rate * service
    expected_ms = (rho * service / (2 * (1 - rho)) + 0.070) * 1000
    r = simulate(SERIAL_STEPS, SERIAL, Traffic(rate, (500.0,), (1.0,), 50), requests=20000, seed=3)
    assert r.ttft_ms.mean == pytest.approx(expected_ms, rel=0.05)


def test_a_lone_long_prompt_is_prefilled_in_chunks_of_the_token_budget():
    # 5000 tokens, 2048 per step: steps of 2048, 2048, 904 tokens, each alone (20 ms + 0.05 ms/token)
    # = 3 * 20 ms + 5000 * 0.05 ms = 310 ms to the first token
    sched = Scheduler(max_seqs=8, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    r = simulate(batched_steps(8), sched, Traffic(0.001, (5000.0,), (1.0,), 10), requests=50)
    assert r.ttft_ms.p50 == pytest.approx(310.0)
    # then 9 decode steps of one sequence: 10.5 ms each
    assert r.tpot_ms.p50 == pytest.approx(10.5)


def test_later_chunks_of_a_prompt_cost_more_as_attention_grows():
    # prefill cost P(n) = 1e-5 n + 1e-9 n^2 s (attention quadratic); alone a step adds 20 ms.
    # A lone 5000-token prompt in 2048-token chunks: chunk [a, b) costs P(b) - P(a), so the three
    # chunks cost P(5000) = 0.05 + 0.025 = 75 ms in all, plus 3 * 20 ms: TTFT 135 ms.
    steps = tabulate(
        decode_step_s=lambda b, ctx: 0.010,
        prefill_s=lambda n: (0.020 + 1e-5 * n + 1e-9 * n * n, 1e-5 * n + 1e-9 * n * n),
        max_batch=4,
        max_prompt_tokens=5000,
        max_context_tokens=5010,
    )
    sched = Scheduler(max_seqs=4, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    r = simulate(steps, sched, Traffic(0.001, (5000.0,), (1.0,), 10), requests=20)
    assert r.ttft_ms.p50 == pytest.approx(135.0, rel=0.002)


def test_running_decodes_take_their_share_of_the_step_token_budget():
    # 40 one-token prompts at t=0 start 1000-token decodes; a 100-token prompt arrives at 0.305 s.
    # Steps: the 40 prompts alone (40 * 0.1 ms = 4 ms), then decode steps of 30 ms at 0.004 + 0.03k.
    # The new prompt is picked up at 0.334 s; each step's budget of 64 tokens less the 40 decodes
    # leaves 24 prompt tokens: chunks 24, 24, 24, 24, 4 in five steps of 30 ms + 0.1 ms per token.
    # TTFT = (0.334 - 0.305) + 5 * 0.030 + 100 * 0.0001 = 0.189 s.
    steps = measured(decode_s_by_batch={1: 0.030, 64: 0.030}, prefill_s_per_token=0.0001, prefill_fixed_s=0.0)
    sched = Scheduler(max_seqs=64, tokens_per_step=64, prefill=Prefill.MIXED_CHUNKED)
    arrivals = np.array([0.0] * 40 + [0.305])
    prompts = np.array([1] * 40 + [100])
    served = serve(steps, sched, Draw(arrivals, prompts, slice(40, 41)), 1000)
    assert served.first_token_s[40] - 0.305 == pytest.approx(0.189, rel=1e-6)


def test_prompts_are_drawn_in_exactly_their_shares():
    d = draw(Traffic(1.0, (100.0, 1000.0, 30000.0), (0.6, 0.35, 0.05), 10), requests=2000, seed=1)
    counted = d.prompts[d.counted]
    assert [int((counted == n).sum()) for n in (100, 1000, 30000)] == [1200, 700, 100]
    assert not np.array_equal(counted[:100], np.sort(counted[:100]))  # shuffled


def test_same_seed_same_result_other_seed_other_result():
    sched = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    traffic = Traffic(20.0, (300.0, 3000.0), (0.8, 0.2), 100)
    a = simulate(batched_steps(), sched, traffic, requests=500, seed=1)
    assert a == simulate(batched_steps(), sched, traffic, requests=500, seed=1)
    assert a != simulate(batched_steps(), sched, traffic, requests=500, seed=2)


def test_latency_percentiles_rise_with_the_arrival_rate():
    # at 9/s: prompts take 9 * 25 ms = 0.225 s/s; 900 tokens/s of decode in the rest need about 28
    # sequences per step (28 / (10 ms + 28 * 0.5 ms) = 1170 tokens/s): loaded, not saturated
    sched = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    runs = [
        simulate(batched_steps(), sched, Traffic(rate, (500.0,), (1.0,), 100), requests=1000)
        for rate in (1.0, 3.0, 6.0, 9.0)
    ]
    assert [r.ttft_ms.p95 for r in runs] == sorted(r.ttft_ms.p95 for r in runs)
    assert [r.tpot_ms.p95 for r in runs] == sorted(r.tpot_ms.p95 for r in runs)
    assert all(r.ttft_ms.p50 <= r.ttft_ms.p95 <= r.ttft_ms.p99 for r in runs)
    assert runs[-1].mean_in_flight > runs[0].mean_in_flight


def test_prefill_first_stalls_decodes_that_mixed_batches_keep_going():
    traffic = Traffic(6.0, (1500.0,), (1.0,), 100)
    mixed = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    first = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.PREFILL_FIRST)
    a = simulate(batched_steps(), mixed, traffic, requests=1000)
    b = simulate(batched_steps(), first, traffic, requests=1000)
    assert b.tpot_ms.p95 > 1.5 * a.tpot_ms.p95  # decodes wait out every prefill step
    assert not (a.stopped_early or b.stopped_early)


def test_the_sequence_limit_caps_the_batch():
    traffic = Traffic(40.0, (200.0,), (1.0,), 200)
    sched = Scheduler(max_seqs=4, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    r = simulate(batched_steps(), sched, traffic, requests=300)
    assert r.mean_in_flight <= 4.0


def test_the_kv_cache_limits_admission():
    # room for 3 requests of 1000 tokens: the batch never holds more than 3
    sched = Scheduler(
        max_seqs=64,
        tokens_per_step=4096,
        prefill=Prefill.MIXED_CHUNKED,
        kv_gb=3.0,
        kv_need_gb=lambda tokens: 0.001 * tokens,
    )
    r = simulate(batched_steps(), sched, Traffic(40.0, (800.0,), (1.0,), 200), requests=300)
    unlimited = Scheduler(max_seqs=64, tokens_per_step=4096, prefill=Prefill.MIXED_CHUNKED)
    free = simulate(batched_steps(), unlimited, Traffic(40.0, (800.0,), (1.0,), 200), requests=300)
    assert r.mean_in_flight <= 3.0 < free.mean_in_flight


def test_a_run_stops_once_the_p95_is_surely_missed():
    sched = Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    overloaded = Traffic(200.0, (500.0,), (1.0,), 100)
    r = simulate(batched_steps(), sched, overloaded, requests=1000, ttft_limit_ms=500)
    full = simulate(batched_steps(), sched, overloaded, requests=1000)
    assert r.stopped_early and r.requests < full.requests
    assert full.ttft_ms.p95 > 500 and not full.stopped_early


def test_each_request_decodes_its_own_output_length():
    # serial server, three prompts of 500 tokens at t=0 with 10, 1 and 50 output tokens:
    # request 0: 70 ms prefill + 9 decode steps of 5 ms -> done at 0.115 s
    # request 1: prefill 0.115-0.185 s, its one token comes with the prefill -> done at 0.185 s
    # request 2: prefill 0.185-0.255 s + 49 * 5 ms -> done at 0.500 s
    d = Draw(np.zeros(3), np.array([500, 500, 500]), slice(0, 3), np.array([10, 1, 50]))
    served = serve(SERIAL_STEPS, SERIAL, d, output_tokens=7)  # output_tokens is overridden per request
    np.testing.assert_allclose(served.finish_s, [0.115, 0.185, 0.500], rtol=1e-9)
    # one request is in flight from 0 to 0.5 s, prefilling or decoding (request 1 never decodes): 0.5 request-seconds
    assert served.in_flight_request_s == pytest.approx(0.5) and served.end_s == pytest.approx(0.5)


def test_per_request_outputs_must_be_one_per_request_and_positive():
    with pytest.raises(ValueError, match="one output length"):
        serve(SERIAL_STEPS, SERIAL, Draw(np.zeros(2), np.array([5, 5]), slice(0, 2), np.array([3, 0])), 1)


def test_a_closed_loop_sends_each_next_request_when_one_finishes():
    # 2 clients, 4 requests of 500 tokens / 10 outputs on a batched server with a 40 ms client gap.
    # Requests 0 and 1 arrive at 0; each later request arrives 40 ms after a finish, so no more
    # than two are ever in flight and the arrivals are the finish times of the earlier ones + 40 ms.
    sched = Scheduler(max_seqs=8, tokens_per_step=math.inf, prefill=Prefill.MIXED_CHUNKED)
    d = Draw(np.zeros(4), np.full(4, 500), slice(0, 4))
    served = serve(batched_steps(8), sched, d, 10, clients=2, client_gap_s=0.040)
    assert served.arrivals_s is not None
    np.testing.assert_allclose(served.arrivals_s[:2], [0.0, 0.0])
    finishes = np.sort(served.finish_s[:2])
    np.testing.assert_allclose(np.sort(served.arrivals_s[2:]), finishes + 0.040)
    # every request waits for its own prefill only: never behind more than one other
    assert np.all(served.first_token_s >= served.arrivals_s)


def test_one_closed_loop_client_serves_its_requests_one_after_another():
    # serial server, one client, 3 requests of 500 tokens / 50 outputs, 10 ms gap:
    # each takes 70 ms + 49 * 5 ms = 315 ms, then 10 ms until the next arrives -> last done at 3*315 + 2*10 ms
    d = Draw(np.zeros(3), np.full(3, 500), slice(0, 3))
    served = serve(SERIAL_STEPS, SERIAL, d, 50, clients=1, client_gap_s=0.010)
    assert float(np.max(served.finish_s)) == pytest.approx(3 * 0.315 + 2 * 0.010)


def test_a_slowdown_stretches_every_step():
    # a machine at half speed throughout: an idle request's TTFT and TPOT double
    traffic = Traffic(0.01, (500.0,), (1.0,), 50)
    slow = simulate(SERIAL_STEPS, SERIAL, traffic, requests=100, slowdown=Slowdown((2.0,), 0.05))
    assert slow.ttft_ms.p50 == pytest.approx(140.0) and slow.tpot_ms.p50 == pytest.approx(10.0)


def test_a_varying_speed_widens_the_tails_not_the_median_speed():
    # four windows in five at full speed, one at a quarter: the same median step, a longer p95
    traffic = Traffic(2.0, (500.0,), (1.0,), 50)
    steady = simulate(SERIAL_STEPS, SERIAL, traffic, requests=2000)
    varying = simulate(SERIAL_STEPS, SERIAL, traffic, requests=2000, slowdown=Slowdown((1.0,) * 4 + (4.0,), 0.3))
    assert varying.tpot_ms.p50 == pytest.approx(steady.tpot_ms.p50)
    assert varying.tpot_ms.p95 > 2 * steady.tpot_ms.p95
    assert varying.ttft_ms.p95 > 1.5 * steady.ttft_ms.p95
    again = simulate(SERIAL_STEPS, SERIAL, traffic, requests=2000, slowdown=Slowdown((1.0,) * 4 + (4.0,), 0.3))
    assert again == varying  # seeded


@pytest.mark.parametrize(
    "sched",
    [
        Scheduler(max_seqs=64, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED),
        Scheduler(max_seqs=64, tokens_per_step=2048.0, prefill=Prefill.PREFILL_FIRST),
        Scheduler(
            max_seqs=16, tokens_per_step=math.inf, prefill=Prefill.PREFILL_FIRST
        ),  # steps past the longest prompt
    ],
)
def test_prefill_tables_change_no_result(monkeypatch, sched):
    steps = tabulate(
        decode_step_s=lambda b, c: 0.01 + 0.0005 * b + 1e-8 * b * c,
        prefill_s=lambda n: (0.02 + 6e-5 * n + 1e-9 * n * n, 5e-5 * n + 1e-9 * n * n),  # alone: + 1e-5 s a token
        max_batch=64,
        max_prompt_tokens=6000,
        max_context_tokens=6200,
    )
    traffic = Traffic(12.0, (300.0, 5000.0), (0.8, 0.2), 100)
    tabled = simulate(steps, sched, traffic, requests=400, seed=3)
    monkeypatch.setattr(prefill_tables, "TABLE_TOKENS", 0)  # every prompt too long to tabulate: the interpolating path
    assert simulate(steps, sched, traffic, requests=400, seed=3) == tabled


def _tiny_budget_steps():
    return tabulate(
        decode_step_s=lambda b, c: 0.01 + 0.0005 * b + 1e-8 * b * c,
        prefill_s=lambda n: (0.02 + 6e-5 * n + 1e-9 * n * n, 5e-5 * n + 1e-9 * n * n),
        max_batch=4,
        max_prompt_tokens=2000,
        max_context_tokens=3000,
    )


@pytest.mark.parametrize(
    "sched",
    [
        Scheduler(max_seqs=2, tokens_per_step=2, prefill=Prefill.MIXED_CHUNKED),  # vLLM --max-num-seqs 2 ... 2
        Scheduler(max_seqs=1, tokens_per_step=1, prefill=Prefill.MIXED_CHUNKED),  # prefill alone, a token a step
        Scheduler(max_seqs=3, tokens_per_step=1, prefill=Prefill.PREFILL_FIRST),  # decodes wait for the prompt
    ],
)
def test_a_run_of_identical_chunk_steps_gives_the_step_by_step_result(monkeypatch, sched):
    """qa14 / qa15: a valid but degenerate server ('--max-num-seqs 1 --max-num-batched-tokens 1', llama-server
    '-b 1') prefilled a 1,000-token prompt in 1,000 simulated steps, one loop iteration each: `costcalc estimate ...
    --engine-args '--max-num-seqs 1 --max-num-batched-tokens 1' --ttft-p95-ms 3000` took 27 s. A run of 256 or more
    identical chunk steps is now one iteration with the same costs summed, and the result is the step-by-step one."""
    import costcalc.throughput.serving.batching as batching

    calls = []  # prefill-cost lookups: two a step that carries a prompt chunk, or a run of identical ones
    lookups = prefill_tables.lookups

    def counting(steps, prompts, whole=False):
        cost, alone = lookups(steps, prompts, whole)
        return (lambda tokens: calls.append(1) or cost(tokens)), alone

    monkeypatch.setattr(prefill_tables, "lookups", counting)
    go = batching._Run.go  # the general loop, whose lookups are counted (mixed_loop's gives its times: test_mixed_loop)
    monkeypatch.setattr(
        batching._Run, "go", lambda self, limits, max_misses: go(self, limits, max_misses, general=True)
    )
    # long answers: a prompt is prefilled a token a step beside a decode that runs on (mixed steps)
    steps, traffic = _tiny_budget_steps(), Traffic(0.05, (1500.0, 600.0), (0.5, 0.5), 1000)
    jumped = simulate(steps, sched, traffic, requests=60, seed=5)
    iterations = len(calls)
    monkeypatch.setattr(batching, "_REPEAT_STEPS", 10**9)  # every step one by one, as before
    calls.clear()
    stepped = simulate(steps, sched, traffic, requests=60, seed=5)
    assert jumped.requests == stepped.requests == 60 and jumped.stopped_early == stepped.stopped_early
    for got, want in ((jumped.ttft_ms, stepped.ttft_ms), (jumped.tpot_ms, stepped.tpot_ms)):
        assert got.p50 == pytest.approx(want.p50, rel=1e-9) and got.p99 == pytest.approx(want.p99, rel=1e-9)
        assert got.mean == pytest.approx(want.mean, rel=1e-9)
    assert jumped.mean_in_flight == pytest.approx(stepped.mean_in_flight, rel=1e-9)
    assert jumped.output_tokens_per_s == pytest.approx(stepped.output_tokens_per_s, rel=1e-9)
    if sched.prefill is Prefill.MIXED_CHUNKED and sched.max_seqs > 1:  # mixed steps: far fewer iterations
        assert iterations < len(calls) / 10, (iterations, len(calls))
