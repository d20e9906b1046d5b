"""llama.cpp's CUDA kernels on NVIDIA parts are bounded per SM: decode by bytes in flight, quantised GEMMs by issue rate."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100

PER_SM_GB_S = 8.0
PER_CLOCK = 512.0


def sm_factors(**over):
    """Round factors with the per-SM limits switched on and no fixed step time (pure kernel time)."""
    return factors(sm_bandwidth_gb_s=PER_SM_GB_S, sm_flops_per_clock=PER_CLOCK, step_overhead_ms=0.0, **over)


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
