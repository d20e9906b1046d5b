"""A prompt's attention runs at its FlashAttention kernel's measured rate where the engine uses a measured kernel."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.attention_flops import attention_flop_count
from costcalc.throughput.flash_attention import flash_attention_tflops
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100, mla_moe

FA3_H100_TFLOPS = 616.0  # FlashAttention-3 paper, Fig. 5(d): causal, head dim 128, 16k
FA2_A100_TFLOPS = 159.41  # liangan1/GPU_travel @07d0469e: causal, one 4096-token sequence, 8 KV heads


def test_measured_rate_by_gpu_engine_kv_dtype_and_head_width():
    h100, a100 = gpu_h100(id="h100-sxm-80gb"), gpu_h100(id="a100-sxm-40gb", bf16_tflops=312, fp8_tflops=None)
    assert flash_attention_tflops(h100, "vllm", 2.0, (128, 128)) == FA3_H100_TFLOPS
    assert flash_attention_tflops(gpu_h100(id="h200-sxm-141gb"), "vllm", 2.0, (128, 128)) == FA3_H100_TFLOPS
    assert flash_attention_tflops(a100, "vllm", 2.0, (128, 128)) == FA2_A100_TFLOPS
    assert flash_attention_tflops(h100, "sglang", 2.0, (128, 128)) is None  # not this kernel's measurement
    assert flash_attention_tflops(h100, "vllm", 1.0, (128, 128)) is None  # fp8 KV cache: other kernels
    assert flash_attention_tflops(h100, "vllm", 2.0, (64, 64)) is None  # head width not measured
    assert flash_attention_tflops(gpu_h100(), "vllm", 2.0, (128, 128)) is None  # GPU not measured


def test_a_long_prompt_spends_its_attention_flops_at_the_measured_rate():
    f = factors()
    rig = make_rig(gpu_h100(id="h100-sxm-80gb"), dense_8b(), 1, "bf16", "vllm", f)
    engine_rate = rig.attention_flops  # 989e12 x 0.5 (the fitted efficiency)
    assert rig.prompt_attention_flops == pytest.approx(FA3_H100_TFLOPS * 1e12)
    tokens = 28650
    flops = attention_flop_count(rig.model, tokens, tokens / 2)  # causal: half the square
    latency, cost = prefill_s(rig, tokens, "single")
    old_latency, old_cost = prefill_s(replace(rig, prompt_attention_flops=None), tokens, "single")
    saved = flops / engine_rate - flops / (FA3_H100_TFLOPS * 1e12)
    assert old_latency - latency == pytest.approx(saved)
    assert old_cost - cost == pytest.approx(saved)


def test_decode_and_unmeasured_configurations_keep_the_engine_rate():
    f = factors()
    rig = make_rig(gpu_h100(id="h100-sxm-80gb"), dense_8b(), 1, "bf16", "vllm", f)
    # decode attention stays on the engine's rate (and is bound by KV reads anyway)
    assert decode_step_s(rig, 64, 30000, "single") == decode_step_s(
        replace(rig, prompt_attention_flops=None), 64, 30000, "single"
    )
    assert make_rig(gpu_h100(id="h100-sxm-80gb"), dense_8b(), 1, "bf16", "sglang", f).prompt_attention_flops is None
    assert make_rig(gpu_h100(id="h100-sxm-80gb"), mla_moe(), 8, "fp8", "vllm", f).prompt_attention_flops is None
    assert make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", f).prompt_attention_flops is None
