"""Tests of llama.cpp's routed-expert reads: its dense kernels' rate, not the fitted MoE share."""

from __future__ import annotations

import dataclasses

import pytest

from costcalc.catalog.lookup import get_gpu, get_model
from costcalc.throughput import memory as mem
from costcalc.throughput.ggml_moe import expert_read_share
from costcalc.throughput.linear_time import linear_s
from costcalc.throughput.rig import make_rig
from tests.throughput.test_estimate import factors


def _half_share():
    return dataclasses.replace(factors(), moe_bandwidth_efficiency=0.5)


def test_llamacpp_reads_routed_experts_at_the_dense_rate_and_the_serving_engines_at_the_fitted_share():
    assert expert_read_share("llamacpp", 0.5) == 1.0
    for engine in ("vllm", "sglang", "trtllm", "mlx"):
        assert expert_read_share(engine, 0.5) == 0.5


@pytest.mark.parametrize("gpu_id", ["dgx-spark-gb10", "apple-m2-ultra"])
def test_a_llamacpp_moe_decode_steps_expert_reads_take_their_bytes_over_the_dense_bandwidth(gpu_id):
    gpu, model = get_gpu(gpu_id), get_model("qwen3-30b-a3b")
    rig = make_rig(gpu, model, 1, "q8_0", "llamacpp", _half_share())
    assert rig.moe_bandwidth_efficiency == 1.0
    tokens = 8.0  # a batched decode step: reads, not FLOPs, bound it
    dense_gb, expert_gb = mem.weight_bytes_read_split_gb(model, "q8_0", tokens, rig.quantization)
    assert linear_s(rig, tokens, 1) == pytest.approx((dense_gb + expert_gb) / rig.bw_gb_s / rig.dense_format_efficiency)


def test_vllm_keeps_the_fitted_moe_read_share():
    rig = make_rig(get_gpu("h100-sxm-80gb"), get_model("qwen3-30b-a3b"), 1, "bf16", "vllm", _half_share())
    assert rig.moe_bandwidth_efficiency == 0.5
