"""Dense tensor TFLOPS for an engine's math at a precision: bf16 fallbacks, fp8/fp4 cores, block scales, attention."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput import tensor_tflops
from costcalc.throughput.rig import make_rig
from costcalc.throughput.tensor_tflops import BLOCK_SCALED_FP8, attention_tflops, gemm_tflops, runs_on_fp4_tensor_cores
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100
from tests.throughput.test_estimate_physics import gpu_a100, gpu_b200


def test_missing_bf16_tflops_come_from_the_fp8_or_fp4_rate():
    from costcalc.throughput.tensor_tflops import bf16_tflops, peak_tflops

    assert bf16_tflops(gpu_h100(bf16_tflops=None)) == pytest.approx(1979 / 2)
    assert bf16_tflops(gpu_h100(bf16_tflops=None, fp8_tflops=None, fp4_tflops=2000)) == 500
    # llama.cpp runs 16-bit math whatever the format; vLLM uses fp8 tensor cores for fp8
    assert peak_tflops(gpu_h100(), "fp8", "llamacpp") == 989
    assert peak_tflops(gpu_h100(), "fp8", "vllm") == 1979


def test_attention_runs_at_the_kv_cache_precision_not_the_weights():
    gpu = gpu_b200()
    # 16-bit KV cache: bf16 math even for a 4-bit checkpoint
    assert attention_tflops(gpu, 2.0, "vllm") == 2250
    # fp8 KV cache (TensorRT-LLM serving an fp8/fp4 checkpoint): fp8 math
    assert attention_tflops(gpu, 1.0, "trtllm") == 4500
    rig = make_rig(gpu, dense_8b(), 1, "fp4", "trtllm", factors())
    assert rig.attention_flops == pytest.approx(rig.flops * 4500 / 9000)


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


def test_fp8_weights_without_fp8_cores_run_16_bit_math_not_int8():
    from costcalc.throughput.tensor_tflops import peak_tflops

    assert peak_tflops(gpu_a100(), "fp8", "vllm") == 312  # widened to bf16 (Marlin-style W8A16)
    assert peak_tflops(gpu_a100(), "int8", "vllm") == 624  # real int8 GEMMs keep the int8 rate
    assert peak_tflops(gpu_h100(), "fp8", "vllm") == 1979


def test_emulated_levels_count_the_halvings_the_tensor_cores_lack():
    from costcalc.throughput.tensor_tflops import emulated_levels

    assert emulated_levels(gpu_b200(), "mxfp4", "vllm") == 0  # Blackwell: native fp4
    assert emulated_levels(gpu_h100(), "mxfp4", "vllm") == 1  # Hopper: fp8 cores, no fp4
    assert emulated_levels(gpu_a100(), "mxfp4", "vllm") == 2  # Ampere: neither
    assert emulated_levels(gpu_a100(), "fp8", "sglang") == 1
    assert emulated_levels(gpu_h100(), "fp8", "sglang") == 0
    assert emulated_levels(gpu_a100(), "int4", "vllm") == 0  # weight-only by design
    assert emulated_levels(gpu_a100(), "mxfp4", "llamacpp") == 0  # dequantises by design


def test_hopper_runs_block_scaled_fp8_at_the_bf16_rate_and_per_tensor_fp8_at_the_fp8_rate():
    h100 = gpu_h100()
    assert gemm_tflops(h100, "fp8", "trtllm") == 1979
    assert gemm_tflops(h100, "fp8", "trtllm", BLOCK_SCALED_FP8) == 989
    assert gemm_tflops(h100, "fp8", "sglang", BLOCK_SCALED_FP8) == 989
    # the method names FP8 weights only; other precisions keep their own rate
    assert gemm_tflops(h100, "bf16", "trtllm", BLOCK_SCALED_FP8) == 989
    assert gemm_tflops(h100, "fp8", "trtllm", "fbgemm_fp8") == 1979


def test_blackwell_keeps_the_fp8_rate_for_block_scaled_fp8():
    assert gemm_tflops(gpu_b200(), "fp8", "trtllm", BLOCK_SCALED_FP8) == 4500
    # and GPUs of other vendors are left as they were (no measurement)
    assert gemm_tflops(gpu_h100(vendor="amd"), "fp8", "vllm", BLOCK_SCALED_FP8) == 1979


def test_the_rule_needs_the_stated_method_and_fp8_tensor_cores():
    # without fp8 tensor cores (Ampere) fp8 weights are widened to 16 bit anyway (tensor_tflops.peak_tflops)
    assert tensor_tflops.block_scales_in_software(gpu_h100(), "fp8", "fp8_block_scales")
    assert not tensor_tflops.block_scales_in_software(gpu_h100(), "fp8", None)
    assert not tensor_tflops.block_scales_in_software(
        gpu_h100(bf16_tflops=312, fp8_tflops=None), "fp8", BLOCK_SCALED_FP8
    )
