"""Data-parallel attention (SGLang's --enable-dp-attention --dp N, TensorRT-LLM's --enable_attention_dp): whose KV each
GPU keeps, what it reads and sends."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec
from costcalc.throughput import memory as mem

# Read in the sglang wheels 0.5.3 (2025-10-06) and 0.5.6.post2 (2025-12-11) on PyPI, the releases
# GPUStack's DeepSeek pages ran, and SGLang's guide docs/advanced_features/dp_dpa_smg_guide.md
# (sgl-project/sglang @0f4513c2); read 2026-12-06:
# - It is on only with --dp-size (--dp) above 1: ServerArgs._handle_data_parallelism sets
#   enable_dp_attention = False when dp_size == 1 and asserts tp_size % dp_size == 0 (the guide: "If
#   dp_size is 1 (default), DPA will be disabled"). Older releases differ (ServerArgs.__post_init__,
#   wheels 0.4.3.post2 of 2025-02-17, 0.4.3.post4, 0.4.4, 0.4.4.post4, 0.4.5, 0.4.6 and 0.4.9 on PyPI,
#   read 2026-12-06): up to 0.4.4 --enable-dp-attention set dp_size = tp_size itself (one rank per
#   GPU, whatever --dp said); 0.4.4.post4 to 0.4.9 refused to start without a dp-size above 1 (and
#   0.4.4.post1 to post3 were not read).
# - The attention runs data-parallel over dp ranks of tp / dp GPUs each: a rank's scheduler keeps
#   its own requests and "maintains its own KV cache (no duplication)" (the guide), where tensor-
#   parallel MLA keeps every request's latent on every GPU (its single KV head). The attention
#   weights are split over the tp / dp GPUs of a rank only (attention tensor-parallel size).
# - The MLP / MoE layers stay tensor-parallel over all tp GPUs (no --ep, no --moe-a2a-backend):
#   LayerCommunicator gathers every rank's hidden states before them and scatters after
#   (layers/communicator.py, ScatterMode.FULL; layers/dp_attention.py). A decode step pads to the
#   longest rank and gathers with all_gather_into_tensor, then reduce-scatters the MLP output
#   (DpPaddingMode.MAX_LEN, the CUDA-graph default): together the traffic of one ring all-reduce,
#   in two collectives; a step with prompt tokens (is_extend_in_batch) uses all-reduces
#   (DpPaddingMode.SUM_LEN), as tensor-parallel attention does.
# - Each rank's worker runs max_total_num_tokens // 2 of its own pool (managers/tp_worker.py; a
#   stated --max-running-requests is divided by dp_size), so the replica holds dp times a rank's
#   sequences; each rank's chunked_prefill_size is the default // dp_size (the step's prompt tokens
#   over all ranks stay the default).
# - The static memory reserve grows by cuda_graph_max_bs x dp_size x 3 MiB, and x 1.5 MiB more
#   where cuda_graph_max_bs > 300 (ServerArgs._handle_gpu_memory_settings; sglang_memory).
DP_ATTENTION_FLAG = "--enable-dp-attention"
# TensorRT-LLM's attention data parallelism (LLM API enable_attention_dp, trtllm-serve --enable_attention_dp) runs one
# rank per GPU of the tensor-parallel group: "DP-8: tensor_parallel_size: 8, enable_attention_dp: true"; "All GEMM
# weights are replicated on every GPU. The KV-cache is partitioned, because different user requests are routed to
# different DP ranks." (NVIDIA/TensorRT-LLM docs/source/1.0/features/parallel-strategy.md @7d1c51a6, "Attention
# Module", read 2026-12-07). Whether its max_batch_size counts per rank was not read: the estimator counts it per rank,
# as for SGLang's ranks (memory_fit, serving.replica); the KV cache, not that cap, bounds the calibration rows that use it.
TRTLLM_DP_ATTENTION_FLAG = "--enable_attention_dp"
DP_SIZE_FLAGS = ("--dp", "--dp-size")
RESERVE_MIB_PER_GRAPH_SEQ_PER_RANK = 3.0
LARGE_GRAPH_SEQS = 300
LARGE_GRAPH_RESERVE_MIB_PER_SEQ_PER_RANK = 1.5
# MLA per head: the query's nope part is as wide as the value head (DeepSeek V2/V3: 128 + 64 rope,
# value 128; catalog head_dim = v_head_dim), so q_b is (nope + rope) and kv_b is (nope + value) wide
MLA_KV_B_WIDTHS_PER_HEAD = 2


LAST_RELEASE_DP_EQUALS_TP = (0, 4, 4)  # and not its .post4 (see above)


def parse_dp_flags(words: list[str]) -> tuple[bool, int]:
    """(--enable-dp-attention given, the --dp / --dp-size value, 1 if none) among a command line's words.

    ValueError on a --dp / --dp-size that is not a positive whole number.
    """
    size = 1
    for i, tok in enumerate(words):
        if tok in DP_SIZE_FLAGS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if not nxt.isdigit() or int(nxt) < 1:
                raise ValueError(f"{tok} needs a positive whole number, got {nxt!r}")
            size = int(nxt)
    return DP_ATTENTION_FLAG in words, size


def attention_ranks(enabled: bool, dp_size: int, tp: int, release: tuple[int, int, int] | None, text: str) -> int:
    """Data-parallel attention ranks SGLang runs (1: tensor-parallel attention) for these flags on tp GPUs.

    release: the SGLang release as (major, minor, patch), text as written (None / "": current); up to 0.4.4 the
    flag alone gave one rank per GPU.
    """
    if not enabled:
        return 1
    if release is not None and (release < LAST_RELEASE_DP_EQUALS_TP or text.strip().lower().lstrip("v") == "0.4.4"):
        return tp
    return dp_size if dp_size > 1 else 1


def attention_tp(n: int, dp: int) -> int:
    """GPUs one attention rank's weights split over (ValueError unless dp divides n, as SGLang asserts)."""
    if dp < 1 or n % dp:
        raise ValueError(f"--dp {dp} must divide the tensor-parallel size {n} (SGLang asserts tp_size % dp_size == 0)")
    return n // dp


def split_attention_params_b(model: ModelSpec) -> float:
    """Billions of attention parameters tensor parallelism splits over GPUs (the latent down-projections excluded).

    MLA: q_b (q_lora_rank to heads x (head_dim + rope)), kv_b (kv_lora_rank to heads x (nope + value))
    and o_proj (heads x head_dim to hidden); other models: memory.attention_params_b.
    """
    if not model.kv_lora_rank:
        return mem.attention_params_b(model)
    heads, rope = model.attention_heads, model.qk_rope_head_dim or 0
    q_b = (model.q_lora_rank or model.hidden_size) * heads * (model.head_dim + rope)
    kv_b = model.kv_lora_rank * heads * MLA_KV_B_WIDTHS_PER_HEAD * model.head_dim
    o = heads * model.head_dim * model.hidden_size
    return (q_b + kv_b + o) * model.attention_layers / mem.PARAMS_PER_BILLION


def extra_weights_gb(model: ModelSpec, precision: str, n: int, dp: int) -> float:
    """GB of attention weights on all n GPUs beyond one split copy: each of dp ranks holds them over tp / dp GPUs."""
    if dp <= 1:
        return 0.0
    return split_attention_params_b(model) * (dp - 1) * mem.bytes_per_weight(precision, "dense", model)


def extra_weight_reads_b(model: ModelSpec, n: int, dp: int) -> float:
    """Billions of weights each GPU reads per step beyond the 1/n share of the split attention it is counted for."""
    return split_attention_params_b(model) * (dp - 1) / n if dp > 1 else 0.0


def reserve_mib(graph_max_seqs: int, dp: int) -> float:
    """MiB SGLang's static reserve adds per GPU for data-parallel attention at this cuda_graph_max_bs."""
    if dp <= 1:
        return 0.0
    extra = RESERVE_MIB_PER_GRAPH_SEQ_PER_RANK * graph_max_seqs * dp
    if graph_max_seqs > LARGE_GRAPH_SEQS:
        extra += LARGE_GRAPH_RESERVE_MIB_PER_SEQ_PER_RANK * graph_max_seqs * dp
    return extra
