"""llama.cpp's per-SM limits: mat-vec bandwidth and quantised-GEMM FLOP/s from SM count and clock."""

from __future__ import annotations

import pytest

from costcalc.throughput.rig import make_rig
from costcalc.throughput.sm_bound import sm_bound_bandwidth_gb_s, sm_bound_flops
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100
from tests.throughput.test_estimate_sm_bound import PER_CLOCK, PER_SM_GB_S, sm_factors


def test_mat_vec_bandwidth_is_sms_times_the_per_sm_rate_for_llamacpp_on_nvidia_only():
    gpu = gpu_h100(sm_count=132)
    f = sm_factors()
    assert sm_bound_bandwidth_gb_s(gpu, "llamacpp", f) == pytest.approx(132 * PER_SM_GB_S)
    assert sm_bound_bandwidth_gb_s(gpu, "vllm", f) is None  # other engines: efficiency of the peak
    assert sm_bound_bandwidth_gb_s(gpu_h100(), "llamacpp", f) is None  # no sourced SM count
    assert sm_bound_bandwidth_gb_s(gpu_h100(sm_count=132, vendor="amd"), "llamacpp", f) is None
    assert sm_bound_bandwidth_gb_s(gpu, "llamacpp", factors()) is None  # factor 0: not modelled


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
