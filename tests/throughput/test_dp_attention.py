"""SGLang's data-parallel attention: the flags, the KV each rank keeps, the weights it reads, what a step sends."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput import dp_attention
from costcalc.throughput import memory as mem
from costcalc.throughput.factors import load_factors
from costcalc.throughput.memory_fit import kv_room_gb
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.server_args import ServerArgs, parse_server_args
from costcalc.throughput.sglang_memory import static_share
from costcalc.throughput.timing import decode_step_s, prefill_s
from costcalc.throughput.tp_comm import tp_comm_s

# DeepSeek-V3's attention split by tensor parallelism, per layer: q_b 1536 -> 128 x (128 + 64),
# kv_b 512 -> 128 x (128 + 128), o_proj 128 x 128 -> 7168; 61 layers
R1_SPLIT_ATTENTION_B = (1536 * 128 * 192 + 512 * 128 * 256 + 128 * 128 * 7168) * 61 / 1e9


def _r1_rig(dp: int):
    return make_rig(
        get_gpu("h200-sxm-141gb"), get_model("deepseek-r1"), 8, "fp8", "sglang", load_factors(), attention_dp=dp
    )


def _ranks(engine: str, text: str, version: str | None = None) -> int:
    return parse_server_args(engine, text).attention_ranks(8, version)


def test_the_flags_ask_for_ranks_only_with_a_dp_size_above_one():
    assert _ranks("sglang", "--tp-size 8 --enable-dp-attention --dp 8") == 8
    assert _ranks("sglang", "--enable-dp-attention --dp-size=4", "0.5.6.post2") == 4
    # SGLang 0.5 turns it off at dp 1 (its default), and --dp alone is plain data parallelism
    assert _ranks("sglang", "--tp 8 --enable-dp-attention") == 1
    assert _ranks("sglang", "--tp 8 --enable-dp-attention", "0.5.3") == 1
    assert _ranks("sglang", "--dp 8") == 1
    # another engine's flags of the same names are not SGLang's
    assert _ranks("vllm", "--enable-dp-attention --dp 8") == 1
    with pytest.raises(ValueError, match="--dp needs a positive whole number"):
        parse_server_args("sglang", "--enable-dp-attention --dp eight")


def test_releases_up_to_0_4_4_ran_one_rank_per_gpu_on_the_flag_alone():
    # 0.4.3.post2 (dstack's DeepSeek-R1 runs): dp_size = tp_size whatever --dp said
    assert _ranks("sglang", "--tp 8 --trust-remote-code --enable-dp-attention", "0.4.3.post2") == 8
    assert _ranks("sglang", "--enable-dp-attention --dp 2", "0.4.4") == 8
    assert _ranks("sglang", "--tp 8", "0.4.3.post2") == 1
    # 0.4.4.post4 onwards needs --dp above 1
    assert _ranks("sglang", "--enable-dp-attention --dp 2", "0.4.4.post4") == 2


def test_ranks_must_divide_the_tensor_parallel_gpus():
    with pytest.raises(ValueError, match="must divide the tensor-parallel size 8"):
        _r1_rig(3)


def test_deepseek_attention_split_worked_by_hand():
    assert dp_attention.split_attention_params_b(get_model("deepseek-r1")) == pytest.approx(R1_SPLIT_ATTENTION_B)
    # 8 ranks hold the split attention 8 times: 7 copies more than tensor parallelism, at fp8's 1 byte
    assert dp_attention.extra_weights_gb(get_model("deepseek-r1"), "fp8", 8, 8) == pytest.approx(
        R1_SPLIT_ATTENTION_B * 7
    )


def test_each_rank_keeps_only_its_own_requests_latent():
    model = get_model("deepseek-r1")
    # tensor parallelism keeps every request's latent on every GPU: the room counts once
    assert kv_room_gb(1000.0, 700.0, model, 8) == pytest.approx(300.0 / 8)
    assert kv_room_gb(1000.0, 700.0, model, 8, attention_dp=8) == pytest.approx(300.0)
    assert kv_room_gb(1000.0, 700.0, model, 8, attention_dp=4) == pytest.approx(300.0 * 4 / 8)


def test_a_replica_with_ranks_holds_more_requests_and_runs_each_ranks_sequences():
    def replica(args: ServerArgs):
        return build_replica(
            get_gpu("h200-sxm-141gb"),
            get_model("deepseek-r1"),
            gpu_count=8,
            engine="sglang",
            input_tokens=4000,
            output_tokens=200,
            max_prompt_tokens=4000,
            max_context_tokens=4200,
            server_args=args,
        )

    tp, dp = (
        replica(ServerArgs(quantization="fp8_block_scales")),
        replica(ServerArgs(quantization="fp8_block_scales", dp_attention=True, dp_size=8)),
    )
    assert tp.scheduler is not None and dp.scheduler is not None
    assert dp.scheduler.max_seqs == 8 * tp.scheduler.max_seqs
    assert dp.full_load.weights_gb == pytest.approx(tp.full_load.weights_gb + R1_SPLIT_ATTENTION_B * 7)
    assert dp.full_load.max_concurrency > 4 * tp.full_load.max_concurrency


def test_a_decode_step_reads_each_ranks_kv_and_its_whole_attention_weights():
    tp, dp = _r1_rig(1), _r1_rig(8)
    # once a step: the attention weights over one GPU instead of 1/8 of them, at the achieved bandwidth
    extra_gb = R1_SPLIT_ATTENTION_B * 7 / 8
    one = decode_step_s(dp, 1, 0, "tp") - decode_step_s(tp, 1, 0, "tp")
    comm_saved = tp_comm_s(tp, 1, 8) - tp_comm_s(dp, 1, 8, decode=True)
    assert one == pytest.approx(extra_gb / dp.bw_gb_s - comm_saved)
    # a long-context batch: each GPU reads 1/8 of the latents, which outweighs the weights
    assert decode_step_s(dp, 512, 4000, "tp") < decode_step_s(tp, 512, 4000, "tp")


def test_a_decode_step_gathers_and_scatters_instead_of_two_all_reduces():
    tp, dp = _r1_rig(1), _r1_rig(8)
    payload_gb = 256 * 7168 * 2 / 1e9
    ring_gb = 2 * 7 / 8 * payload_gb
    assert tp_comm_s(dp, 256, 8, decode=True) == pytest.approx(61 * (2 * dp.comm_latency_s + ring_gb / dp.link_gb_s))
    assert tp_comm_s(tp, 256, 8, decode=True) == pytest.approx(61 * 2 * (tp.comm_latency_s + ring_gb / tp.link_gb_s))
    # prompt steps gather by all-reduce (DpPaddingMode.SUM_LEN): as tensor parallelism
    assert tp_comm_s(dp, 256, 8) == tp_comm_s(tp, 256, 8)


def test_batched_prompts_cost_the_same_work_per_gpu():
    tp, dp = _r1_rig(1), _r1_rig(8)
    # each GPU runs 1/8 of the prompts through the whole latent projections instead of all through them:
    # their extra time is the weights' read (fp8, 1 byte) in place of 7/8 of their FLOPs
    replicated_b = mem.replicated_latent_projection_b(get_model("deepseek-r1"))
    flops_s = 2 * replicated_b * 1e9 * 2000 * 7 / 8 / tp.flops
    read_s = replicated_b * 7 / 8 / tp.bw_gb_s
    saved_s = flops_s - read_s
    assert prefill_s(tp, 2000, "tp")[1] - prefill_s(dp, 2000, "tp")[1] == pytest.approx(saved_s, rel=1e-6)


def test_sglang_reserves_more_memory_for_ranks():
    # 0.5.6.post2 on a 141 GB GPU at tp 8: cuda_graph_max_bs 512 (> 300), so 512 x 8 x (3 + 1.5) MiB more
    capacity_mib = 141 * 1024
    drop = static_share(141, 8, "0.5.6.post2") - static_share(141, 8, "0.5.6.post2", attention_dp=8)
    assert drop == pytest.approx(512 * 8 * 4.5 / capacity_mib, abs=0.0011)


def test_a_user_states_the_flags_as_engine_arguments():
    from costcalc.throughput.estimate import estimate_ids

    def est(args: str):
        return estimate_ids(
            "h200-sxm-141gb",
            "deepseek-r1",
            gpu_count=8,
            engine="sglang",
            input_tokens=4000,
            output_tokens=200,
            engine_args=f"--quantization fp8_block_scales {args}",
        )

    tp, dp = est(""), est("--enable-dp-attention --dp 8")
    assert dp.engine_args == "--quantization fp8_block_scales --enable-dp-attention --dp 8"
    assert dp.weights_gb == pytest.approx(tp.weights_gb + R1_SPLIT_ATTENTION_B * 7)
    assert dp.max_concurrency > 4 * tp.max_concurrency
    assert dp.output_tokens_per_s > tp.output_tokens_per_s
    # at SGLang 0.5 the flag alone is off
    assert est("--enable-dp-attention").output_tokens_per_s == tp.output_tokens_per_s


def test_tensorrt_llms_flag_runs_one_rank_per_gpu():
    # TensorRT-LLM's enable_attention_dp: DP-8 on tensor_parallel_size 8 (docs/source/features/parallel-strategy.md)
    assert _ranks("trtllm", "--enable_attention_dp") == 8
    assert parse_server_args("trtllm", "--enable_attention_dp").attention_ranks(4, None) == 4
    assert _ranks("trtllm", "--max_batch_size 512") == 1
    # SGLang's spelling is not TensorRT-LLM's, nor the other way round
    assert _ranks("trtllm", "--enable-dp-attention --dp 8") == 1
    assert _ranks("sglang", "--enable_attention_dp") == 1


def test_a_tensorrt_llm_user_states_attention_dp_as_an_engine_argument():
    from costcalc.throughput.estimate import estimate_ids

    def est(args: str):
        return estimate_ids(
            "h200-sxm-141gb",
            "deepseek-r1",
            gpu_count=8,
            engine="trtllm",
            input_tokens=1000,
            output_tokens=1000,
            engine_args=f"--quantization fp8_block_scales {args}".strip(),
        )

    tp, dp = est(""), est("--enable_attention_dp")
    assert dp.engine_args == "--quantization fp8_block_scales --enable_attention_dp"
    # every GPU holds the whole split attention: 7 more copies of it over the 8 GPUs
    assert dp.weights_gb == pytest.approx(tp.weights_gb + R1_SPLIT_ATTENTION_B * 7)
    assert dp.max_concurrency > 4 * tp.max_concurrency
    assert dp.output_tokens_per_s > 1.5 * tp.output_tokens_per_s
