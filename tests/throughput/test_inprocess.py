"""In-process benchmark loops: no HTTP round trip, and vLLM V0's first token a decode step late."""

from __future__ import annotations

import pytest

from costcalc.throughput.inprocess import IN_PROCESS_LOOP, delivery_delay_steps
from costcalc.throughput.protocols import Protocol, run_benchmark
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def _run(protocol: Protocol, version: str | None, engine: str = "vllm"):
    run, reason = run_benchmark(
        gpu_h100(),
        dense_8b(),
        protocol,
        precision="bf16",
        engine=engine,
        input_tokens=200,
        output_tokens=100,
        factors=factors(request_overhead_ms=45.0),
        engine_version=version,
    )
    assert reason is None and run is not None
    return run


def test_only_vllm_v0_delivers_a_token_a_step_late():
    assert delivery_delay_steps("vllm", "0.7.3") == 1
    assert delivery_delay_steps("vllm", "0.6.3.post2.dev308") == 1
    assert delivery_delay_steps("vllm", "0.8.0") == 0  # V1 by default from 0.8.0
    assert delivery_delay_steps("vllm", "0.19.1rc1.dev339+gedc364896") == 0
    assert delivery_delay_steps("vllm", None) == 0  # the current release: V1
    assert delivery_delay_steps("sglang", "0.5.6") == 0


def test_an_in_process_loop_pays_no_http_round_trip():
    # one client awaiting the engine's async generate (AccelMark): the same steps as the HTTP closed
    # loop, without the 45 ms request overhead in its TTFT or its duration
    loop = Protocol(IN_PROCESS_LOOP, concurrency=1, num_prompts=3)
    served = _run(Protocol("closed_loop", concurrency=1, num_prompts=3), "0.19.1")
    in_process = _run(loop, "0.19.1")
    assert served.mean_ttft_ms - in_process.mean_ttft_ms == pytest.approx(45.0, rel=1e-6)
    assert served.duration_s - in_process.duration_s == pytest.approx(3 * 0.045, rel=1e-6)
    assert in_process.mean_tpot_ms == pytest.approx(served.mean_tpot_ms, rel=1e-9)


def test_vllm_v0_in_process_ttft_is_the_prefill_then_one_decode_step():
    f = factors(request_overhead_ms=45.0)
    rig = make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", f)
    latency, _ = prefill_s(rig, 200, "single")
    run = _run(Protocol(IN_PROCESS_LOOP, concurrency=1, num_prompts=1), "0.7.3")
    # the step after the prefill is the request's first decode, at about its prompt's context
    expected_ms = (latency + decode_step_s(rig, 1, 200, "single")) * 1000
    assert run.mean_ttft_ms == pytest.approx(expected_ms, rel=2e-3)
    v1 = _run(Protocol(IN_PROCESS_LOOP, concurrency=1, num_prompts=1), "0.8.5")
    assert v1.mean_ttft_ms == pytest.approx(latency * 1000, rel=2e-3)
    assert run.duration_s == pytest.approx(v1.duration_s, rel=1e-9)  # the delay is the client's, not the GPU's


def test_accelmark_loops_are_in_process():
    # AccelMark's harness awaits the engine's async generate in its own process (inprocess.py)
    import csv

    from costcalc.throughput.calibration import CALIBRATION_CSV

    with CALIBRATION_CSV.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if "FreedomIntelligence/AccelMark" in r["source_url"]]
    loops = [r for r in rows if r["concurrency"]]
    assert len(loops) >= 40
    assert {r["protocol"] for r in loops} == {IN_PROCESS_LOOP}


def test_a_served_vllm_v0_closed_loop_sees_its_token_without_the_delay():
    # vllm serve (V0) sends a step's outputs from its engine process as the next step starts: no step
    # late, so an HTTP closed loop is the in-process loop plus the round trip only
    served = _run(Protocol("closed_loop", concurrency=1, num_prompts=1), "0.7.3")
    v1_loop = _run(Protocol(IN_PROCESS_LOOP, concurrency=1, num_prompts=1), "0.8.5")
    assert served.mean_ttft_ms - v1_loop.mean_ttft_ms == pytest.approx(45.0, rel=1e-6)
