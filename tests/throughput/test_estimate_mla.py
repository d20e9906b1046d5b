"""MLA (DeepSeek V2/V3): attention's two computing paths, and the down-projections every TP GPU holds whole."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_model
from costcalc.throughput import memory as mem
from costcalc.throughput.linear_time import linear_compute_s
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100, mla_moe

# DeepSeek-V3's shape: hidden 7168, q_lora_rank 1536, kv_lora_rank 512, rope 64, 61 layers
R1_REPLICATED_B = 7168 * (1536 + 512 + 64) * 61 / 1e9


def test_replicated_latent_projections_worked_by_hand():
    assert mem.replicated_latent_projection_b(mla_moe(q_lora_rank=1536)) == pytest.approx(R1_REPLICATED_B)
    # without a query latent only the KV latent's projection is replicated (the query one is split)
    assert mem.replicated_latent_projection_b(mla_moe()) == pytest.approx(7168 * 576 * 61 / 1e9)
    assert mem.replicated_latent_projection_b(dense_8b()) == 0.0


def test_shipped_deepseek_v3_family_states_its_query_latent():
    for model_id in ("deepseek-r1", "deepseek-v3", "deepseek-v3.2"):
        assert mem.replicated_latent_projection_b(get_model(model_id)) == pytest.approx(R1_REPLICATED_B)


def test_each_tensor_parallel_gpu_reads_the_whole_query_latent_projection():
    f = factors()
    with_q = make_rig(gpu_h100(), mla_moe(q_lora_rank=1536), 8, "fp8", "vllm", f)
    without_q = make_rig(gpu_h100(), mla_moe(), 8, "fp8", "vllm", f)
    # one decode token: q_a_proj (7168 x 1536 x 61 fp8 bytes) is read by each of 8 GPUs in full, so
    # each reads 7/8 of it more than its share, at 3350 GB/s x 0.5: memory-bound at one token
    extra_gb = 7168 * 1536 * 61 / 1e9 * 7 / 8
    step_delta = decode_step_s(with_q, 1, 1000, "tp") - decode_step_s(without_q, 1, 1000, "tp")
    assert step_delta == pytest.approx(extra_gb / (3350 * 0.5))
    # a long prompt is compute-bound: every GPU multiplies all its tokens by the whole projection
    extra_flops = 2 * 7168 * 1536 * 61 * 4096 * 7 / 8
    latency_delta = prefill_s(with_q, 4096, "tp")[0] - prefill_s(without_q, 4096, "tp")[0]
    assert latency_delta == pytest.approx(extra_flops / with_q.flops)


def test_one_gpu_has_nothing_replicated():
    f = factors()
    with_q = make_rig(gpu_h100(memory_gb=2000), mla_moe(q_lora_rank=1536), 1, "fp8", "vllm", f)
    without_q = make_rig(gpu_h100(memory_gb=2000), mla_moe(), 1, "fp8", "vllm", f)
    assert decode_step_s(with_q, 4, 1000, "single") == decode_step_s(without_q, 4, 1000, "single")
    assert prefill_s(with_q, 4096, "single") == prefill_s(without_q, 4096, "single")


def test_mla_decode_attention_runs_over_the_latent_and_prompts_over_the_heads():
    # a GPU with little compute, so attention is bound by its FLOPs, not its KV reads
    rig = make_rig(gpu_h100(bf16_tflops=20, fp8_tflops=40, memory_gb=2000), mla_moe(), 1, "fp8", "vllm", factors())
    attention_s = decode_step_s(rig, 16, 4000, "single") - decode_step_s(rig, 16, 0, "single")
    assert attention_s == pytest.approx(2 * 61 * 128 * (576 + 512) * 4000 * 16 / rig.attention_flops)
    # a 2000-token prompt attends to 1000 positions on average, at the prompt path's widths
    _, cost = prefill_s(rig, 2000, "single")
    attention_s = cost - linear_compute_s(rig, 2000, 1) - rig.sequence_overhead_s
    assert attention_s == pytest.approx(2 * 61 * 128 * (192 + 128) * 1000 * 2000 / rig.attention_flops)
