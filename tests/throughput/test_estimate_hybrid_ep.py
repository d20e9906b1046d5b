"""Recurrent (Mamba/DeltaNet) layer time in hybrid models and expert-parallel MoE timing."""

from __future__ import annotations

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.recurrent_time import recurrent_s
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100, mla_moe


def hybrid(**over):
    """The 8B shape with 8 of 32 layers attending and 40 MB of recurrent state per sequence."""
    return dense_8b(**{"id": "test-hybrid", "kv_cache_layers": 8, "recurrent_state_mb": 40.0, **over})


def test_recurrent_layers_slow_a_hybrids_decode_and_stay_off_the_kv_cache():
    f = factors()
    with_state = make_rig(gpu_h100(), hybrid(), 1, "bf16", "vllm", f)
    without = make_rig(gpu_h100(), hybrid(recurrent_state_mb=None), 1, "bf16", "vllm", f)
    extra = decode_step_s(with_state, 64, 1000, "single") - decode_step_s(without, 64, 1000, "single")
    # the state is timed once, as recurrent traffic, not a second time as KV-cache reads
    assert extra == pytest.approx(recurrent_s(with_state, 64, 64, 1))
    assert extra > 0


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
