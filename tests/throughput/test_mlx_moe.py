"""Tests of MLX's routed-expert kernels: gather_qmm reads at few decode tokens, sorted prompt GEMMs."""

from __future__ import annotations

import pytest

from costcalc.catalog.lookup import get_gpu, get_model
from costcalc.throughput import memory as mem
from costcalc.throughput.mlx_moe import (
    DENSE_QMM_TFLOPS,
    GATHER_QMM_FOUR_TOKENS_GB_S,
    GATHER_QMM_ONE_TOKEN_GB_S,
    SORTED_GATHER_TFLOPS,
    expert_reads_per_touched,
    gather_read_share,
    takes_rhs_kernel,
)
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors

# gpt-oss-20b: 32 experts, top-4 (catalog), on the M3 Ultra the source measured
GPT_OSS_EXPERTS, GPT_OSS_TOP_K = 32, 4


def _rigs(model_id: str = "gpt-oss-20b", precision: str = "mxfp4"):
    """The same configuration on MLX and on llama.cpp; the test factors give both engines one set."""
    gpu, model, f = get_gpu("apple-m3-ultra"), get_model(model_id), factors()
    return make_rig(gpu, model, 1, precision, "mlx", f), make_rig(gpu, model, 1, precision, "llamacpp", f)


def _expert_read_s(rig, tokens: float) -> float:
    """Seconds the step's distinct routed experts take to read at the rig's MoE read rate."""
    _, expert_gb = mem.weight_bytes_read_split_gb(rig.model, rig.precision, tokens, rig.quantization)
    return expert_gb / (rig.bw_gb_s * rig.moe_bandwidth_efficiency)


def test_one_token_reads_experts_at_387_of_542_gb_s_and_four_tokens_at_the_full_rate():
    assert gather_read_share(1) == pytest.approx(GATHER_QMM_ONE_TOKEN_GB_S / GATHER_QMM_FOUR_TOKENS_GB_S)
    assert gather_read_share(1) == pytest.approx(0.714, abs=1e-3)
    assert gather_read_share(4) == gather_read_share(64) == 1.0
    shares = [gather_read_share(t) for t in (1, 2, 3, 4)]
    assert shares == sorted(shares) and len(set(shares)) == 4


def test_mlx_single_stream_moe_decode_pays_the_slower_expert_reads():
    mlx, llamacpp = _rigs()
    slower = decode_step_s(mlx, 1, 1000, "single") - decode_step_s(llamacpp, 1, 1000, "single")
    # one token: k experts, each read once, at 387/542 of the rate the fitted efficiency stands for
    expected = _expert_read_s(llamacpp, 1) * (GATHER_QMM_FOUR_TOKENS_GB_S / GATHER_QMM_ONE_TOKEN_GB_S - 1)
    assert slower == pytest.approx(expected, rel=1e-9)
    assert slower > 0.1 * decode_step_s(llamacpp, 1, 1000, "single")


def test_mlx_small_batch_decode_reads_an_expert_once_per_routed_pair():
    mlx, llamacpp = _rigs()
    touched = mem.experts_touched(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 8)
    # 8 tokens x top-4 = 32 pairs, 1 per expert on average: gather_qmv, one pass over the weights per pair
    assert not takes_rhs_kernel(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 8)
    assert expert_reads_per_touched(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 8, touched) == pytest.approx(32 / touched)
    slower = decode_step_s(mlx, 8, 1000, "single") - decode_step_s(llamacpp, 8, 1000, "single")
    assert slower == pytest.approx(_expert_read_s(llamacpp, 8) * (32 / touched - 1), rel=1e-9)


def test_sorted_kernel_reads_each_touched_expert_once():
    # 32 tokens x top-4 = 128 pairs, sorted (>= 64), 4 per expert: gather_qmm_rhs
    assert takes_rhs_kernel(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 32)
    assert expert_reads_per_touched(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 32, 31.9) == 1.0
    assert expert_reads_per_touched(GPT_OSS_EXPERTS, GPT_OSS_TOP_K, 1, 4.0) == 1.0


def test_mlx_prompt_expert_gemms_run_at_the_sorted_gather_share_of_dense():
    mlx, llamacpp = _rigs()
    assert mlx.moe_efficiency == pytest.approx(SORTED_GATHER_TFLOPS / DENSE_QMM_TFLOPS)
    assert llamacpp.moe_efficiency == factors().moe_compute_efficiency
    # a long prompt is compute bound: MLX's experts at 0.69 of dense beat the fitted 0.5 of the factors
    assert prefill_s(mlx, 4000, "single")[0] < prefill_s(llamacpp, 4000, "single")[0]


def test_dense_models_and_other_engines_are_unchanged():
    dense_mlx, dense_llamacpp = _rigs("llama-3.1-8b", "int4")
    assert not dense_mlx.gather_expert_reads
    assert decode_step_s(dense_mlx, 1, 1000, "single") == decode_step_s(dense_llamacpp, 1, 1000, "single")
    gpu = get_gpu("apple-m3-ultra")
    assert not make_rig(gpu, get_model("gpt-oss-20b"), 1, "mxfp4", "llamacpp", factors()).gather_expert_reads
    assert not make_rig(gpu, dense_8b(), 1, "bf16", "mlx", factors()).gather_expert_reads
