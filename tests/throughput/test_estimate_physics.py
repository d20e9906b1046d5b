"""Tests of the estimator's precision-dependent math rates and engine batch defaults."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.factors import engine_max_batch
from costcalc.throughput.timing import (
    attention_tflops,
    make_rig,
    prefill_s,
    runs_on_fp4_tensor_cores,
)
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


def test_attention_runs_at_the_kv_cache_precision_not_the_weights():
    gpu = gpu_b200()
    # 16-bit KV cache: bf16 math even for a 4-bit checkpoint
    assert attention_tflops(gpu, 2.0, "vllm") == 2250
    # fp8 KV cache (TensorRT-LLM serving an fp8/fp4 checkpoint): fp8 math
    assert attention_tflops(gpu, 1.0, "trtllm") == 4500
    rig = make_rig(gpu, dense_8b(), 1, "fp4", "trtllm", factors())
    assert rig.attention_flops == pytest.approx(rig.flops * 4500 / 9000)


def test_long_prompt_prefill_at_fp4_is_slower_than_the_fp4_peak_alone_allows():
    gpu, model, f = gpu_b200(), dense_8b(), factors()
    rig = make_rig(gpu, model, 1, "fp4", "vllm", f)
    as_if_fp4_attention = replace(rig, attention_flops=rig.flops)
    prompt = 32_000  # attention FLOPs grow with the square of the prompt
    slow, _ = prefill_s(rig, prompt, "single")
    fast, _ = prefill_s(as_if_fp4_attention, prompt, "single")
    assert slow > fast * 1.2


def test_fp4_efficiency_applies_only_to_4_bit_tensor_core_math():
    b200, h100 = gpu_b200(), gpu_h100()
    assert runs_on_fp4_tensor_cores(b200, "fp4", "trtllm")
    assert runs_on_fp4_tensor_cores(b200, "mxfp4", "vllm")
    assert not runs_on_fp4_tensor_cores(h100, "mxfp4", "vllm")  # Hopper: weights dequantised
    assert not runs_on_fp4_tensor_cores(b200, "fp8", "trtllm")
    assert not runs_on_fp4_tensor_cores(b200, "fp4", "llamacpp")  # 16-bit math engine
    full, half = factors(), replace(factors(), fp4_compute_efficiency=0.5)
    assert make_rig(b200, dense_8b(), 1, "fp4", "trtllm", half).flops == pytest.approx(
        make_rig(b200, dense_8b(), 1, "fp4", "trtllm", full).flops / 2
    )
    assert (
        make_rig(b200, dense_8b(), 1, "fp8", "trtllm", half).flops
        == make_rig(b200, dense_8b(), 1, "fp8", "trtllm", full).flops
    )


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
