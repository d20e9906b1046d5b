"""Benchmark protocols: bursts, closed loops, rates and queued runs through the serving simulation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.protocols import SHAREGPT_LENGTHS, Protocol, request_lengths, run_benchmark
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def _run(protocol: Protocol, inp: int = 500, out: int = 200, **over):
    run, reason = run_benchmark(
        gpu_h100(),
        dense_8b(),
        protocol,
        precision="bf16",
        engine="vllm",
        input_tokens=inp,
        output_tokens=out,
        factors=factors(**over),
    )
    assert reason is None and run is not None
    return run


def test_protocol_needs_what_its_kind_uses():
    with pytest.raises(ValueError, match="num_prompts"):
        Protocol("burst")
    with pytest.raises(ValueError, match="concurrency"):
        Protocol("closed_loop", num_prompts=10)
    with pytest.raises(ValueError, match="request_rate"):
        Protocol("rate", num_prompts=10)
    with pytest.raises(ValueError, match="unknown protocol"):
        Protocol("poisson")
    assert Protocol("closed_loop", concurrency=4).requests() == 40  # 10 per client when unstated


def test_sharegpt_lengths_keep_the_rows_means_and_the_samples_spread():
    ins, outs = request_lengths("sharegpt", 1000, 215, 194)
    assert len(ins) == len(outs) == 1000
    assert ins.mean() == pytest.approx(215, rel=0.01) and outs.mean() == pytest.approx(194, rel=0.01)
    assert outs.min() >= 1 and outs.max() > 3 * outs.mean()  # a long tail of long answers
    fixed_in, fixed_out = request_lengths("fixed", 3, 215, 194)
    assert fixed_in.tolist() == [215] * 3 and fixed_out.tolist() == [194] * 3


def test_a_sharegpt_burst_of_1000_prompts_carries_the_longest_answers_such_a_draw_holds():
    # vLLM's benchmark draws each request from the ShareGPT pairs its rule keeps: 1,000 draws reach the answers at the
    # mix's 99.95th percentile, 100 draws only its 99.5th; the longest answer decodes alone at the end of a burst
    _, outs = request_lengths("sharegpt", 1000, 215, 194)
    _, fewer = request_lengths("sharegpt", 100, 215, 194)
    assert outs.max() > 7 * outs.mean()  # 8.8x; a 200-request sample repeated five times reached 3.7x
    assert 3 * fewer.mean() < fewer.max() < outs.max()
    again, _ = request_lengths("sharegpt", 1000, 215, 194)
    assert not np.all(np.diff(again) >= 0)  # sent in a shuffled order, not sorted by prompt length


def test_the_sharegpt_mix_states_its_source_and_the_rule_that_kept_its_pairs():
    raw = json.loads(SHAREGPT_LENGTHS.read_text(encoding="utf-8"))
    assert raw["source_url"].startswith("https://") and raw["rule_url"].startswith("https://github.com/vllm-project")
    assert raw["source_date"] and raw["date_basis"]
    ins, outs = np.asarray(raw["input_tokens"]), np.asarray(raw["output_tokens"])
    assert len(ins) == len(outs) and np.all(np.diff(outs) >= 0)  # sorted by answer length: ranks are quantiles
    assert ins.min() >= 4 and outs.min() >= 4 and ins.max() <= 1024 and (ins + outs).max() <= 2048


def test_uniform_lengths_spread_from_one_to_twice_the_mean_in_a_shuffled_order():
    # sglang.bench_serving --dataset-name random --random-range-ratio 0: lengths drawn from 1 up to
    # the stated maximum; a row gives the mean (from the run's token totals), so 1 .. 2 x mean - 1
    ins, outs = request_lengths("uniform", 300, 509, 534)
    assert ins.mean() == pytest.approx(509, rel=2e-3) and outs.mean() == pytest.approx(534, rel=2e-3)
    assert ins.min() == outs.min() == 1 and ins.max() == 2 * 509 - 1 and outs.max() == 2 * 534 - 1
    assert not np.all(np.diff(ins) >= 0)  # not sorted: arrivals would otherwise see a ramp
    assert abs(np.corrcoef(ins, outs)[0, 1]) < 0.2  # prompt and answer lengths drawn independently
    again_in, _ = request_lengths("uniform", 300, 509, 534)
    assert again_in.tolist() == ins.tolist()  # seeded: the calibration is reproducible


def test_e2e_latency_is_ttft_plus_the_rest_of_the_decode_for_a_lone_request():
    run = _run(Protocol("burst", num_prompts=1), request_overhead_ms=45.0)
    # one request: its latency from sending to its last token is the whole benchmark
    assert run.mean_e2e_latency_ms == pytest.approx(run.duration_s * 1000, rel=1e-9)
    assert run.mean_e2e_latency_ms == pytest.approx(run.mean_ttft_ms + 199 * run.mean_tpot_ms, rel=1e-9)


def test_a_faster_rate_queues_requests_and_lengthens_their_latency():
    slow = _run(Protocol("rate", num_prompts=200, rate_per_s=0.5))
    fast = _run(Protocol("rate", num_prompts=200, rate_per_s=60.0))
    assert fast.mean_e2e_latency_ms > 1.5 * slow.mean_e2e_latency_ms
    assert fast.output_tokens_per_s > 10 * slow.output_tokens_per_s


def test_one_request_burst_is_one_prefill_then_its_decode_steps():
    # 1 prompt of 500 tokens, 200 output tokens, nothing else running: the duration is the HTTP
    # round trip + the prefill alone + 199 decode steps at batch 1 (the first token ends the prefill)
    f = factors(request_overhead_ms=45.0)
    run = _run(Protocol("burst", num_prompts=1), request_overhead_ms=45.0)
    from costcalc.throughput.rig import make_rig
    from costcalc.throughput.timing import decode_step_s, prefill_s

    rig = make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", f)
    latency, _ = prefill_s(rig, 500, "single")
    # decode steps at mean context grow by the decode slope; the tables interpolate linearly in context
    decode = sum(decode_step_s(rig, 1, 500 + k, "single") for k in range(1, 200))
    assert run.duration_s == pytest.approx(0.045 + latency + decode, rel=2e-3)
    assert run.mean_ttft_ms == pytest.approx((0.045 + latency) * 1000, rel=2e-3)


def test_a_burst_drains_slower_than_the_steady_state():
    # 1000 prompts at t=0: all prefills first, then a batch that empties; the steady state keeps
    # the batch full. The burst's tokens per second is lower, never higher.
    steady = estimate(
        gpu_h100(), dense_8b(), precision="bf16", engine="vllm", input_tokens=500, output_tokens=200, factors=factors()
    )
    burst = _run(Protocol("burst", num_prompts=1000))
    assert burst.output_tokens_per_s < steady.output_tokens_per_s
    assert burst.output_tokens == 1000 * 200


def test_a_sharegpt_burst_drains_longer_than_one_at_fixed_lengths():
    # same mean lengths: the long answers keep a thin batch running after the others finished
    fixed = _run(Protocol("burst", num_prompts=1000, dataset="fixed"), inp=215, out=194)
    sharegpt = _run(Protocol("burst", num_prompts=1000, dataset="sharegpt"), inp=215, out=194)
    assert sharegpt.duration_s > 1.2 * fixed.duration_s


def test_one_client_closed_loop_adds_each_requests_round_trip():
    # C=1: requests run one at a time, each after the previous one's HTTP round trip
    one = _run(Protocol("closed_loop", concurrency=1, num_prompts=1), request_overhead_ms=45.0)
    three = _run(Protocol("closed_loop", concurrency=1, num_prompts=3), request_overhead_ms=45.0)
    assert three.duration_s == pytest.approx(3 * one.duration_s, rel=1e-6)
    assert three.mean_tpot_ms == pytest.approx(one.mean_tpot_ms, rel=1e-9)


def test_more_clients_more_throughput_until_the_replica_saturates():
    rates = [_run(Protocol("closed_loop", concurrency=c, num_prompts=20 * c)).output_tokens_per_s for c in (1, 4, 16)]
    assert rates[0] < rates[1] < rates[2]


def test_queued_is_a_burst_without_the_http_round_trip():
    burst = _run(Protocol("burst", num_prompts=8), request_overhead_ms=45.0)
    queued = _run(Protocol("queued", num_prompts=8), request_overhead_ms=45.0)
    assert burst.duration_s - queued.duration_s == pytest.approx(0.045, rel=1e-6)


def test_a_slow_rate_serves_each_request_alone():
    # one request every 10,000 s on average (a request takes ~2 s): each sees an idle replica, so
    # its TPOT is the batch-1 decode step and its TTFT that of a lone prompt
    lone = _run(Protocol("burst", num_prompts=1))
    slow = _run(Protocol("rate", num_prompts=20, rate_per_s=1e-4))
    assert slow.mean_tpot_ms == pytest.approx(lone.mean_tpot_ms, rel=1e-6)
    assert slow.mean_ttft_ms == pytest.approx(lone.mean_ttft_ms, rel=1e-6)
    assert np.isfinite(slow.duration_s) and slow.duration_s > 20 / 1e-4 * 0.5


def test_a_configuration_that_does_not_fit_says_why():
    run, reason = run_benchmark(
        gpu_h100(memory_gb=8),
        dense_8b(),
        Protocol("burst", num_prompts=10),
        precision="bf16",
        input_tokens=500,
        output_tokens=200,
        factors=factors(),
    )
    assert run is None and "GB of weights" in (reason or "")
