"""Tests of the estimator's precision-dependent math rates and engine batch defaults."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.factors import engine_max_batch
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def gpu_b200(**over):
    """A B200-like GPU: fp4 tensor cores at twice the fp8 rate."""
    base = {
        "id": "test-b200",
        "name": "B200-like",
        "memory_gb": 180,
        "memory_bandwidth_gb_s": 8000,
        "bf16_tflops": 2250,
        "fp8_tflops": 4500,
        "fp4_tflops": 9000,
        "interconnect_gb_s": 900,
    }
    return gpu_h100(**{**base, **over})


def test_long_prompt_prefill_at_fp4_is_slower_than_the_fp4_peak_alone_allows():
    gpu, model, f = gpu_b200(), dense_8b(), factors()
    rig = make_rig(gpu, model, 1, "fp4", "vllm", f)
    as_if_fp4_attention = replace(rig, attention_flops=rig.flops)
    prompt = 32_000  # attention FLOPs grow with the square of the prompt
    slow, _ = prefill_s(rig, prompt, "single")
    fast, _ = prefill_s(as_if_fp4_attention, prompt, "single")
    assert slow > fast * 1.2


def test_vllm_batch_default_depends_on_gpu_memory_like_vllm():
    ef = replace(factors().engines["vllm"], max_batch=1024, max_batch_small_gpu=256)
    assert engine_max_batch(ef, gpu_h100()) == 1024  # 80 GiB
    assert engine_max_batch(ef, gpu_h100(id="test-l40s", memory_gb=48)) == 256
    assert engine_max_batch(ef, gpu_h100(id="test-a100-sxm-80gb")) == 256  # vLLM excludes A100
    no_split = replace(ef, max_batch_small_gpu=None)
    assert engine_max_batch(no_split, gpu_h100(memory_gb=24)) == 1024


def test_small_gpu_caps_a_burst_at_the_engine_default():
    f = factors(max_batch=1024, max_batch_small_gpu=256)
    small = gpu_h100(id="test-48gb", memory_gb=48)
    e = estimate(small, dense_8b(), input_tokens=100, output_tokens=100, concurrency=1000, factors=f)
    assert e.fits and e.concurrency == 256 and e.max_concurrency == 256
    big = estimate(gpu_h100(), dense_8b(), input_tokens=100, output_tokens=100, concurrency=1000, factors=f)
    assert big.concurrency == 1000


def gpu_a100(**over):
    """An A100-like GPU: bf16 and int8 tensor cores, no fp8."""
    base = {"id": "test-a100", "name": "A100-like", "memory_bandwidth_gb_s": 2039, "bf16_tflops": 312}
    return gpu_h100(**{**base, "fp8_tflops": None, "int8_tops": 624, **over})


def test_an_emulated_format_slows_the_gemms_by_the_engines_share_per_missing_level():
    # fp8 weights on an A100: one missing level. At efficiency 0.5 per level the linear layers of a
    # long prefill (compute-bound) take twice as long; on an H100 (native fp8) nothing changes.
    prompt = 8192
    base = make_rig(gpu_a100(), dense_8b(), 1, "fp8", "vllm", factors())
    slow = make_rig(gpu_a100(), dense_8b(), 1, "fp8", "vllm", factors(emulated_format_efficiency=0.5))
    assert slow.dense_format_efficiency == 0.5 and slow.expert_format_efficiency == 0.5
    from costcalc.throughput.linear_time import linear_compute_s

    assert linear_compute_s(slow, prompt, 1) == pytest.approx(2 * linear_compute_s(base, prompt, 1))
    native = make_rig(gpu_h100(), dense_8b(), 1, "fp8", "vllm", factors(emulated_format_efficiency=0.5))
    assert native.dense_format_efficiency == 1.0
    # bf16 weights are never emulated
    assert (
        make_rig(
            gpu_a100(), dense_8b(), 1, "bf16", "vllm", factors(emulated_format_efficiency=0.5)
        ).dense_format_efficiency
        == 1.0
    )


def test_host_time_per_sequence_grows_the_decode_step_with_the_batch():
    from costcalc.throughput.timing import decode_step_s

    plain = make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", factors())
    host = make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", factors(sequence_overhead_us=20.0))
    # 256 sequences x 20 us = 5.12 ms more per step
    assert decode_step_s(host, 256, 1000, "single") - decode_step_s(plain, 256, 1000, "single") == pytest.approx(
        0.00512
    )
    # and one prompt's prefill costs one sequence's host time more
    assert prefill_s(host, 500, "single")[1] - prefill_s(plain, 500, "single")[1] == pytest.approx(20e-6)


def test_moe_layers_add_their_fixed_time_to_every_step():
    from dataclasses import replace as _replace

    from costcalc.throughput.timing import decode_step_s
    from tests.throughput.test_estimate import mla_moe

    f = factors()
    slow = _replace(f, moe_layer_overhead_us=100.0)
    moe, dense = mla_moe(), dense_8b()
    # 61 MoE layers x 100 us = 6.1 ms more per step; a dense model is untouched
    gpu = gpu_h100(memory_gb=800)
    a = decode_step_s(make_rig(gpu, moe, 1, "fp8", "vllm", f), 8, 1000, "single")
    b = decode_step_s(make_rig(gpu, moe, 1, "fp8", "vllm", slow), 8, 1000, "single")
    assert b - a == pytest.approx(61 * 100e-6)
    assert decode_step_s(make_rig(gpu, dense, 1, "bf16", "vllm", slow), 8, 1000, "single") == pytest.approx(
        decode_step_s(make_rig(gpu, dense, 1, "bf16", "vllm", f), 8, 1000, "single")
    )


def test_a_model_whose_prompt_runs_half_its_stack_prefills_in_half_the_time_and_decodes_as_before():
    from costcalc.throughput.timing import decode_step_s, prefill_s
    from tests.throughput.test_estimate import mla_moe

    f = factors()
    gpu = gpu_h100(memory_gb=800)
    for n, mode in ((1, "single"), (2, "tp"), (2, "pp")):
        full = make_rig(gpu, mla_moe(), n, "fp8", "vllm", f)
        half = make_rig(gpu, mla_moe(prefill_active_params_b=18.5), n, "fp8", "vllm", f)
        fixed = full.overhead_s + full.sequence_overhead_s  # step launch and the sequence's host time
        (lat_full, cost_full), (lat_half, cost_half) = prefill_s(full, 4000, mode), prefill_s(half, 4000, mode)
        assert lat_half - fixed == pytest.approx((lat_full - fixed) / 2)
        assert cost_half - full.sequence_overhead_s == pytest.approx((cost_full - full.sequence_overhead_s) / 2)
        assert decode_step_s(half, 8, 5000, mode) == decode_step_s(full, 8, 5000, mode)
