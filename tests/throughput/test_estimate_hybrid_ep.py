"""Recurrent (Mamba/DeltaNet) layer time in hybrid models and expert-parallel MoE timing."""

from __future__ import annotations

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.timing import (
    RECURRENT_STATE_BYTES_PER_VALUE,
    SCAN_FLOPS_PER_STATE_VALUE,
    _busiest_share,
    _recurrent_s,
    decode_step_s,
    make_rig,
)
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100, mla_moe


def hybrid(**over):
    """The 8B shape with 8 of 32 layers attending and 40 MB of recurrent state per sequence."""
    return dense_8b(**{"id": "test-hybrid", "kv_cache_layers": 8, "recurrent_state_mb": 40.0, **over})


def test_recurrent_state_traffic_worked_by_hand():
    rig = make_rig(gpu_h100(), hybrid(), 1, "bf16", "vllm", factors())
    # decode, 64 sequences: read + write 40 MB each = 5.12 GB at 3350 * 0.5 GB/s = 3.0567 ms;
    # the scan: 64 tokens * 10e6 values * 5 FLOPs = 3.2e9 FLOPs at 494.5e12 = 0.0065 ms
    assert _recurrent_s(rig, 64, 64, 1) == pytest.approx(2 * 64 * 0.04 / (3350 * 0.5))
    # prefill of 8192 tokens of one sequence: compute-bound scan
    values = 40.0 * BYTES_PER_MB / RECURRENT_STATE_BYTES_PER_VALUE
    assert _recurrent_s(rig, 8192, 1, 1) == pytest.approx(
        8192 * values * SCAN_FLOPS_PER_STATE_VALUE / rig.attention_flops
    )
    assert BYTES_PER_GB / BYTES_PER_MB == 1000  # the hand numbers above use decimal MB and GB


def test_recurrent_layers_slow_a_hybrids_decode_and_stay_off_the_kv_cache():
    f = factors()
    with_state = make_rig(gpu_h100(), hybrid(), 1, "bf16", "vllm", f)
    without = make_rig(gpu_h100(), hybrid(recurrent_state_mb=None), 1, "bf16", "vllm", f)
    extra = decode_step_s(with_state, 64, 1000, "single") - decode_step_s(without, 64, 1000, "single")
    # the state is timed once, as recurrent traffic, not a second time as KV-cache reads
    assert extra == pytest.approx(_recurrent_s(with_state, 64, 64, 1))
    assert extra > 0


def test_expert_parallel_waits_for_the_busiest_gpu():
    assert _busiest_share(1, 8) == 1.0  # one expert copy lands on one GPU
    # 8000 copies over 8 GPUs: 1000 + sqrt(2 * 1000 * ln 8) = 1064.5 -> 13.3%
    assert _busiest_share(8000, 8) == pytest.approx((1000 + (2 * 1000 * 2.0794415) ** 0.5) / 8000, rel=1e-6)
    assert _busiest_share(8000, 1) == 1.0


def test_expert_parallel_changes_only_mixtures_of_experts_on_several_gpus():
    f = factors()
    kw = dict(input_tokens=1000, output_tokens=1000, concurrency=64, factors=f)
    dense_tp = estimate(gpu_h100(), dense_8b(), gpu_count=4, **kw)
    dense_ep = estimate(gpu_h100(), dense_8b(), gpu_count=4, expert_parallel=True, **kw)
    assert dense_ep.output_tokens_per_s == dense_tp.output_tokens_per_s
    big = gpu_h100(memory_gb=141)  # 671 GB of fp8 weights need more than 8 x 80 GB
    moe_tp = estimate(big, mla_moe(), gpu_count=8, precision="fp8", **kw)
    moe_ep = estimate(big, mla_moe(), gpu_count=8, precision="fp8", expert_parallel=True, **kw)
    assert moe_tp.fits and moe_ep.fits
    assert moe_ep.output_tokens_per_s != moe_tp.output_tokens_per_s
    assert make_rig(gpu_h100(), mla_moe(), 8, "fp8", "vllm", f, expert_parallel=True).ep == 8
    assert make_rig(gpu_h100(), mla_moe(), 1, "fp8", "vllm", f, expert_parallel=True).ep == 1


def test_the_report_and_estimate_show_the_same_band_for_the_same_configuration():
    """estimated_capacity (the report's path) and estimate at its concurrency pick one band."""
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import estimated_capacity

    f = factors()
    kw = dict(input_tokens=1000, output_tokens=300, factors=f)
    shape = dict(input_tokens=(1000.0,), shares=(1.0,), output_tokens=300, factors=f)
    loose = estimated_capacity(gpu_h100(), dense_8b(), targets=Targets(ttft_p95_ms=1e9), **shape)  # full load
    assert loose.at_capacity is None
    assert loose.error_band == estimate(gpu_h100(), dense_8b(), **kw).error_band == 0.35
    tight = estimated_capacity(gpu_h100(), dense_8b(), targets=Targets(min_output_tokens_per_s_per_user=60), **shape)
    assert tight.at_capacity is not None
    assert 1 < tight.at_capacity.concurrency < tight.full_load.max_concurrency  # the SLO caps the load
    same = estimate(gpu_h100(), dense_8b(), concurrency=tight.at_capacity.concurrency, **kw)
    assert tight.error_band == same.error_band == 0.25
