"""llama.cpp's CUDA kernels on NVIDIA parts are bounded per SM: decode by bytes in flight, quantised GEMMs by issue rate."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu
from costcalc.throughput.timing import (
    decode_step_s,
    make_rig,
    prefill_s,
    sm_bound_bandwidth_gb_s,
    sm_bound_flops,
)
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100

PER_SM_GB_S = 8.0
PER_CLOCK = 512.0


def sm_factors(**over):
    """Round factors with the per-SM limits switched on and no fixed step time (pure kernel time)."""
    return factors(sm_bandwidth_gb_s=PER_SM_GB_S, sm_flops_per_clock=PER_CLOCK, step_overhead_ms=0.0, **over)


def test_mat_vec_bandwidth_is_sms_times_the_per_sm_rate_for_llamacpp_on_nvidia_only():
    gpu = gpu_h100(sm_count=132)
    f = sm_factors()
    assert sm_bound_bandwidth_gb_s(gpu, "llamacpp", f) == pytest.approx(132 * PER_SM_GB_S)
    assert sm_bound_bandwidth_gb_s(gpu, "vllm", f) is None  # other engines: efficiency of the peak
    assert sm_bound_bandwidth_gb_s(gpu_h100(), "llamacpp", f) is None  # no sourced SM count
    assert sm_bound_bandwidth_gb_s(gpu_h100(sm_count=132, vendor="amd"), "llamacpp", f) is None
    assert sm_bound_bandwidth_gb_s(gpu, "llamacpp", factors()) is None  # factor 0: not modelled


def test_decode_rate_follows_sm_count_not_peak_bandwidth_once_latency_bound():
    """Two GPUs with the same SMs and 2x apart in peak bandwidth decode alike when the SMs bind."""
    f = sm_factors()
    model = dense_8b()
    slow_mem = make_rig(gpu_h100(sm_count=100, memory_bandwidth_gb_s=2000), model, 1, "q4_0", "llamacpp", f)
    fast_mem = make_rig(gpu_h100(sm_count=100, memory_bandwidth_gb_s=4000), model, 1, "q4_0", "llamacpp", f)
    more_sms = make_rig(gpu_h100(sm_count=150, memory_bandwidth_gb_s=4000), model, 1, "q4_0", "llamacpp", f)
    assert slow_mem.bw_gb_s == fast_mem.bw_gb_s == pytest.approx(100 * PER_SM_GB_S)
    step = decode_step_s(slow_mem, 1, 128, "single")
    assert decode_step_s(fast_mem, 1, 128, "single") == pytest.approx(step)
    assert step / decode_step_s(more_sms, 1, 128, "single") == pytest.approx(1.5, rel=0.02)
    # vLLM on the same parts keeps its share of the peak
    vllm = make_rig(gpu_h100(sm_count=100, memory_bandwidth_gb_s=4000), model, 1, "q4_0", "vllm", f)
    assert vllm.bw_gb_s == pytest.approx(4000 * 0.5)


def test_the_lower_limit_wins_so_a_part_with_few_bytes_per_sm_stays_bandwidth_bound():
    f = sm_factors()
    # 300 GB/s over 100 SMs: the peak x efficiency (150 GB/s) is below the SMs' 800 GB/s
    rig = make_rig(gpu_h100(sm_count=100, memory_bandwidth_gb_s=300), dense_8b(), 1, "q4_0", "llamacpp", f)
    assert rig.bw_gb_s == pytest.approx(300 * 0.5)


def test_quantised_gemm_rate_is_sms_times_clock_times_flops_per_clock():
    gpu = gpu_h100(sm_count=108, boost_clock_mhz=1410)
    f = sm_factors()
    assert sm_bound_flops(gpu, "q4_0", "llamacpp", f) == pytest.approx(108 * 1410e6 * PER_CLOCK)
    assert sm_bound_flops(gpu, "bf16", "llamacpp", f) is None  # 16-bit weights: cuBLAS, the tensor peak
    assert sm_bound_flops(gpu_h100(sm_count=108), "q4_0", "llamacpp", f) is None  # no sourced clock
    assert sm_bound_flops(gpu, "q4_0", "mlx", f) is None
    rig = make_rig(gpu, dense_8b(), 1, "q4_0", "llamacpp", f)
    assert rig.flops == pytest.approx(108 * 1410e6 * PER_CLOCK)
    # MMQ's issue rate replaces the tensor peak x efficiency, above it or below it; cuBLAS keeps it
    slow_tensor = gpu_h100(sm_count=108, boost_clock_mhz=1410, bf16_tflops=100, fp8_tflops=None)
    assert make_rig(slow_tensor, dense_8b(), 1, "q4_0", "llamacpp", f).flops == pytest.approx(108 * 1410e6 * PER_CLOCK)
    assert make_rig(slow_tensor, dense_8b(), 1, "bf16", "llamacpp", f).flops == pytest.approx(100e12 * 0.5)


def test_without_a_published_tensor_rate_the_sm_issue_rate_replaces_the_bandwidth_guess():
    """RTX 3090-like: no tensor TFLOPS in the catalog, so prefill ran at the bandwidth x 30 guess."""
    f = sm_factors()
    bare = gpu_h100(bf16_tflops=None, fp8_tflops=None, memory_bandwidth_gb_s=936, interconnect_gb_s=32)
    known = bare.model_copy(update={"sm_count": 82, "boost_clock_mhz": 1695})
    guessed = make_rig(bare, dense_8b(), 1, "q4_0", "llamacpp", f)
    counted = make_rig(known, dense_8b(), 1, "q4_0", "llamacpp", f)
    assert counted.flops == pytest.approx(82 * 1695e6 * PER_CLOCK)
    fast, _ = prefill_s(counted, 512, "single")
    slow, _ = prefill_s(guessed, 512, "single")
    assert fast < slow / 2


def test_shipped_catalog_counts_sms_of_the_parts_llamacpp_rows_run_on():
    counts = {g: get_gpu(g).sm_count for g in ("h100-sxm-80gb", "a100-sxm-80gb", "rtx-3090-24gb", "rtx-5090-32gb")}
    assert counts == {"h100-sxm-80gb": 132, "a100-sxm-80gb": 108, "rtx-3090-24gb": 82, "rtx-5090-32gb": 170}
    assert get_gpu("apple-m2-ultra").sm_count is None  # Apple: no SMs; the efficiency of the peak applies
