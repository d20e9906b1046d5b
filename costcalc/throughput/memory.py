"""Memory side of the estimator: bytes per weight by precision, weights, KV cache, what fits."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import InputError, did_you_mean
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB

BITS_PER_BYTE = 8.0
PARAMS_PER_BILLION = 1e9
KV_TENSORS_PER_LAYER = 2  # one key and one value tensor per attention layer

# Stored bits per weight, block scales included:
#   fp4 (NVFP4): 16 four-bit values share one fp8 scale -> 4 + 8/16 = 4.5
#   mxfp4 (OCP MX): 32 four-bit values share one 8-bit exponent -> 4 + 8/32 = 4.25
#   int4 (AWQ/GPTQ/MLX): 4-bit values, a 16-bit scale and bias per group of 64 -> 4 + 32/64 = 4.5
#   q8_0: blocks of 32 int8 + one fp16 scale = 34 bytes / 32 weights -> 8.5
#   q4_0: blocks of 32 int4 + one fp16 scale = 18 bytes / 32 weights -> 4.5
#   q4_k_m: llama.cpp's mixed K-quant (q4_K super-blocks, some tensors q6_K); llama.cpp's
#           quantize tool reports 4.83-4.89 bits per weight for 7-8B models -> 4.85 (whole file)
BITS_PER_WEIGHT: dict[str, float] = {
    "bf16": 16.0,
    "fp16": 16.0,
    "fp8": 8.0,
    "int8": 8.0,
    "fp4": 4.5,
    "mxfp4": 4.25,
    "int4": 4.5,
    "q8_0": 8.5,
    "q4_0": 4.5,
    "q4_k_m": 4.85,
}
PRECISIONS: tuple[str, ...] = tuple(BITS_PER_WEIGHT)
# GGUF files quantise every tensor (embeddings included) and their bits/weight is a file average.
GGUF_PRECISIONS = frozenset({"q8_0", "q4_0", "q4_k_m"})
SIXTEEN_BIT = 16.0
FP8_BYTES = 1.0
FP16_BYTES = 2.0
Q_AND_O_PROJECTIONS = 2  # attention's query and output projections: hidden x (heads x head_dim) each
K_AND_V_PROJECTIONS = 2  # key and value projections: hidden x (kv_heads x head_dim) each
GATED_MLP_MATRICES = 3  # gate, up and down projections of a gated (SwiGLU) feed-forward layer
# Checkpoints that quantise only the feed-forward layers of the inner transformer layers, by the
# quantisation method vLLM loads them with (--quantization, or quant_method in config.json).
# fbgemm_fp8: Meta's FP8 checkpoints of Llama 3.1 (meta-llama/Llama-3.1-405B-FP8, -Instruct-FP8)
# keep the self-attention projections and the first and last transformer layers in bf16 and store
# the other feed-forward weights in fp8 ("The Llama 3 Herd of Models", section 6.2.2, FP8
# quantization: "we do not quantize parameters in the self-attention layers", "we do not perform
# quantization in the first and last Transformer layers"; the checkpoint's modules_to_not_convert).
# For Llama 3.1 405B this is 487 GB, 60.9 GB per GPU on eight: dstack's vLLM log of that checkpoint
# on 8x H100 reads "Loading model weights took 56.7677 GB" (GiB) in each GPU
# (dstackai/benchmarks comparison/h100sxm5_vs_mi300x/raw_data/gpu-usage.md @85a2fe17).
FFN_ONLY_QUANTIZATION = frozenset({"fbgemm_fp8"})
SIXTEEN_BIT_EDGE_LAYERS = 2  # fbgemm_fp8: the first and the last transformer layer stay bf16


def check_precision(precision: str) -> str:
    """Lower-cased precision, or InputError listing the valid values."""
    key = precision.strip().lower()
    if key not in BITS_PER_WEIGHT:
        raise InputError(
            f"unknown precision {precision!r}{did_you_mean(key, PRECISIONS)}; valid: {', '.join(PRECISIONS)}",
            param="precision",
        )
    return key


def is_moe(model: ModelSpec) -> bool:
    """True when the model routes tokens to a subset of experts."""
    return bool(model.experts and model.experts_per_token and model.experts > model.experts_per_token)


@dataclass(frozen=True)
class ParamSplit:
    """A model's parameters (billions) split by how decode reads them."""

    embedding_b: float  # input embedding + output head: kept at 16 bit outside GGUF
    dense_b: float  # attention, norms, shared experts: read every step
    expert_b: float  # one routed expert, summed over all layers (0 for dense models)
    experts: int  # routed experts per layer (0 for dense models)
    experts_per_token: int


@functools.lru_cache(maxsize=1024)
def split_params(model: ModelSpec) -> ParamSplit:
    """Split total parameters into embeddings, always-read dense part and routed experts.

    For a mixture of experts: total = dense + E * e and active = dense + k * e, so
    e = (total - active) / (E - k). Embeddings (vocab x hidden, input and output) come out of
    the dense part, capped so a small tied-embedding model keeps a positive dense part.
    """
    embed_b = min(2 * model.vocab_size * model.hidden_size / PARAMS_PER_BILLION, 0.5 * model.active_params_b)
    if is_moe(model):
        assert model.experts is not None and model.experts_per_token is not None
        expert_b = (model.total_params_b - model.active_params_b) / (model.experts - model.experts_per_token)
        dense_b = model.active_params_b - model.experts_per_token * expert_b - embed_b
        return ParamSplit(embed_b, max(dense_b, 0.0), expert_b, model.experts, model.experts_per_token)
    return ParamSplit(embed_b, model.total_params_b - embed_b, 0.0, 0, 0)


def attention_params_b(model: ModelSpec) -> float:
    """Billions of parameters in the attention projections (q, k, v, o) of all attention layers.

    MLA (DeepSeek) and hybrid layers are counted as standard grouped-query projections of the
    catalog's head counts; only FFN_ONLY_QUANTIZATION checkpoints use this split, all GQA.
    """
    q_width = model.attention_heads * model.head_dim
    kv_width = model.kv_heads * model.head_dim
    per_layer = model.hidden_size * (Q_AND_O_PROJECTIONS * q_width + K_AND_V_PROJECTIONS * kv_width)
    return per_layer * model.attention_layers / PARAMS_PER_BILLION


def replicated_latent_projection_b(model: ModelSpec) -> float:
    """Billions of parameters every tensor-parallel GPU holds whole: MLA's down-projections.

    MLA (DeepSeek V2/V3) projects the hidden state down to the query latent (q_a_proj, q_lora_rank
    wide) and to the cached KV latent plus its rope key (kv_a_proj_with_mqa, kv_lora_rank +
    qk_rope_head_dim wide). Engines keep both unsplit on every tensor-parallel GPU: vLLM fuses them
    into one linear with tensor parallelism disabled (DeepSeekV2FusedQkvAProjLinear, disable_tp=True;
    ReplicatedLinear kv_a_proj_with_mqa without a query latent: vllm-project/vllm
    vllm/model_executor/models/deepseek_v2.py @002d6073), SGLang likewise (fused_qkv_a_proj_with_mqa,
    a ReplicatedLinear, python/sglang/srt/models/deepseek_v2.py), and TensorRT-LLM's cached latent
    "is produced by a replicated kv_a_proj" (NVIDIA/TensorRT-LLM issue 15162). 0 for other models.
    """
    if not model.kv_lora_rank:
        return 0.0
    width = (model.q_lora_rank or 0) + model.kv_lora_rank + (model.qk_rope_head_dim or 0)
    return model.hidden_size * width * model.attention_layers / PARAMS_PER_BILLION


def sixteen_bit_dense_b(model: ModelSpec, quantization: str | None) -> float:
    """Billions of the dense part's parameters a checkpoint keeps at 16 bit whatever its precision.

    FFN_ONLY_QUANTIZATION: the attention projections, and the feed-forward weights of the first
    and last layers (the dense part less attention, shared evenly over the layers); else none.
    """
    if quantization not in FFN_ONLY_QUANTIZATION:
        return 0.0
    dense = split_params(model).dense_b
    attention = min(attention_params_b(model), dense)
    edge_ffn = (dense - attention) * min(SIXTEEN_BIT_EDGE_LAYERS, model.layers) / model.layers
    return attention + edge_ffn


def _dense_gb_per_b(model: ModelSpec, precision: str, quantization: str | None) -> float:
    """Bytes per parameter of the dense part, averaged over what a checkpoint keeps at 16 bit."""
    dense = split_params(model).dense_b
    at_precision = bytes_per_weight(precision, "dense", model)
    if dense <= 0:
        return at_precision
    kept = sixteen_bit_dense_b(model, quantization)
    sixteen = max(at_precision, SIXTEEN_BIT / BITS_PER_BYTE)
    return (kept * sixteen + (dense - kept) * at_precision) / dense


def bytes_per_weight(precision: str, part: str, model: ModelSpec) -> float:
    """Bytes one parameter of a part ('embedding', 'dense', 'expert') takes at a precision.

    GGUF k-quants of an MXFP4 model keep its experts in MXFP4. Non-GGUF low-bit checkpoints
    keep embeddings and the output head at 16 bit; mxfp4 on a mixture of experts quantises the
    routed experts only (as gpt-oss ships), attention stays bf16.
    """
    bits = BITS_PER_WEIGHT[precision]
    if precision in GGUF_PRECISIONS:
        if part == "expert" and model.native_precision == "mxfp4" and bits > BITS_PER_WEIGHT["mxfp4"]:
            # llama.cpp keeps MXFP4 experts (gpt-oss) as they ship instead of re-quantising them
            return BITS_PER_WEIGHT["mxfp4"] / BITS_PER_BYTE
        return bits / BITS_PER_BYTE
    if part == "embedding":
        return max(bits, SIXTEEN_BIT) / BITS_PER_BYTE
    if precision == "mxfp4" and is_moe(model) and part == "dense":
        return SIXTEEN_BIT / BITS_PER_BYTE
    return bits / BITS_PER_BYTE


def weights_gb(model: ModelSpec, precision: str, quantization: str | None = None) -> float:
    """Decimal GB the whole checkpoint takes in GPU memory at a precision.

    quantization: the method vLLM loads the checkpoint with, where it keeps parts at 16 bit
    (FFN_ONLY_QUANTIZATION); None: every dense weight at the precision.
    """
    s = split_params(model)
    total_bytes = (
        s.embedding_b * bytes_per_weight(precision, "embedding", model)
        + s.dense_b * _dense_gb_per_b(model, precision, quantization)
        + s.experts * s.expert_b * bytes_per_weight(precision, "expert", model)
    ) * PARAMS_PER_BILLION
    return total_bytes / BYTES_PER_GB


def experts_touched(experts: int, experts_per_token: int, tokens: float) -> float:
    """Expected distinct experts one layer reads for a batch of tokens under uniform routing.

    E * (1 - (1 - k/E)^B): 1 token reads k experts; a large batch reads all E.
    """
    if experts <= 0 or tokens <= 0:
        return 0.0
    # float ** float is typed Any (a negative base gives a complex); the base here is in [0, 1]
    untouched: float = (1.0 - experts_per_token / experts) ** tokens
    return experts * (1.0 - untouched)


def weight_bytes_read_split_gb(
    model: ModelSpec, precision: str, batch_tokens: float, quantization: str | None = None
) -> tuple[float, float]:
    """(dense GB, routed-expert GB) of weights one forward step over `batch_tokens` tokens reads.

    The input embedding is a row lookup (not read whole); the output head, the dense part and
    every expert the batch routes to are read once per step. quantization: as for weights_gb.
    """
    s = split_params(model)
    head_b = s.embedding_b / 2
    touched = experts_touched(s.experts, s.experts_per_token, batch_tokens)
    dense = head_b * bytes_per_weight(precision, "embedding", model) + s.dense_b * _dense_gb_per_b(
        model, precision, quantization
    )
    expert = touched * s.expert_b * bytes_per_weight(precision, "expert", model)
    return (dense * PARAMS_PER_BILLION / BYTES_PER_GB, expert * PARAMS_PER_BILLION / BYTES_PER_GB)


def weight_bytes_read_gb(
    model: ModelSpec, precision: str, batch_tokens: float, quantization: str | None = None
) -> float:
    """GB of weights one forward step over `batch_tokens` tokens reads from memory."""
    return sum(weight_bytes_read_split_gb(model, precision, batch_tokens, quantization))


# Activations alive at the peak of a forward pass, per token, in 16-bit values: the residual stream
# and the normalised input of the feed-forward block (hidden_size each) while its gate/up projection
# writes its output (2 x intermediate size, split over tensor-parallel GPUs).
PEAK_HIDDEN_ACTIVATIONS = 2
PEAK_GATE_UP_ACTIVATIONS = 2
ACTIVATION_BYTES = 2.0


def profile_activation_gb(model: ModelSpec, n: int, tokens: float) -> float:
    """GB over n tensor-parallel GPUs that one forward pass over `tokens` tokens holds at its peak.

    vLLM sizes its KV cache by running such a pass at max_num_batched_tokens before allocating it and
    gives the cache what the utilisation budget leaves after that pass's peak (weights included):
    Worker.determine_num_available_blocks, vllm/worker/worker.py (read in AmberLJC/vllm-0.6.1
    @12985d41, the 0.6 line; V1's gpu_worker.determine_available_memory profiles the same way).
    That is why V0 turns chunked prefill on above 32K of context, "to avoid OOM errors in the
    initial memory profiling phase" (EngineArgs.create_engine_config, same file). The feed-forward
    width per token is the dense part less the attention projections, plus the routed experts a
    token visits, over the three matrices of a gated MLP.
    """
    if tokens <= 0 or n < 1:
        return 0.0
    s = split_params(model)
    mlp_b = max(s.dense_b - attention_params_b(model), 0.0) + s.experts_per_token * s.expert_b
    intermediate = mlp_b * PARAMS_PER_BILLION / model.layers / (GATED_MLP_MATRICES * model.hidden_size)
    per_token_values = PEAK_HIDDEN_ACTIVATIONS * model.hidden_size * n + PEAK_GATE_UP_ACTIVATIONS * intermediate
    return tokens * per_token_values * ACTIVATION_BYTES / BYTES_PER_GB


def kv_bytes_per_token_per_layer(model: ModelSpec, kv_bytes: float) -> float:
    """KV-cache bytes one token adds in one attention layer.

    MLA (DeepSeek) caches one latent of kv_lora_rank + qk_rope_head_dim values per token;
    grouped-query attention caches key and value: 2 * kv_heads * head_dim values.
    """
    if model.kv_lora_rank:
        return (model.kv_lora_rank + (model.qk_rope_head_dim or 0)) * kv_bytes
    return KV_TENSORS_PER_LAYER * model.kv_heads * model.head_dim * kv_bytes


def kv_cache_gb(
    model: ModelSpec, context_tokens: float, kv_bytes: float, *, sliding_window_capped: bool = True
) -> float:
    """GB of KV cache one request holds at a context length (sliding-window layers capped).

    Only the model's attention layers (kv_cache_layers on hybrids) cache keys and values; the
    other layers of a hybrid add their fixed-size recurrent state (recurrent_state_mb) once per
    request, whatever the context, where the catalog gives it. Compressed attention (DeepSeek V4)
    adds its compressed rows, compressed_kv_bytes_per_token for every token of the context.
    sliding_window_capped=False: the engine's cache keeps every token of the context in the
    sliding-window layers too (kv_pool_keeps_full_context).
    """
    per_layer = kv_bytes_per_token_per_layer(model, kv_bytes)
    kv_layers = model.attention_layers
    capped = sliding_window_capped and model.sliding_window_tokens
    swa_layers = min(model.sliding_window_layers or 0, kv_layers) if capped else 0
    full_layers = kv_layers - swa_layers
    window = min(context_tokens, model.sliding_window_tokens or 0)
    kv_bytes_total = per_layer * (full_layers * context_tokens + swa_layers * window)
    kv_bytes_total += (model.compressed_kv_bytes_per_token or 0.0) * context_tokens
    return kv_bytes_total / BYTES_PER_GB + (model.recurrent_state_mb or 0.0) * BYTES_PER_MB / BYTES_PER_GB


# SGLang's KV pool gives sliding-window layers a pool of their own (hybrid SWA memory) except for
# the architectures whose model-specific defaults turn it off (disable_hybrid_swa_memory = True in
# ServerArgs' model-specific adjustments, for GptOssForCausalLM and Gemma2/Gemma3/Gemma3n); then one
# pool of KV slots spans every attention layer (model_runner.profile_max_num_token: cell_size counts
# all num_effective_layers), so a request holds its whole context in the sliding-window layers too.
# Read in python/sglang/srt/server_args.py and model_executor/model_runner.py of the sglang wheels on
# PyPI: 0.5.3rc0 (built 2025-09-15), 0.5.3 (2025-10-06), 0.5.4.post2 (2025-11-01) and 0.5.6.post2
# (2025-12-11), the releases GPUStack's performance lab ran; read 2026-12-06. Catalog id prefixes of
# those architectures. The attention math still reads only the window (timing is unchanged).
SGLANG_FULL_CONTEXT_KV_MODEL_PREFIXES: tuple[str, ...] = ("gpt-oss", "gemma-2", "gemma-3")


def kv_pool_keeps_full_context(engine: str, model: ModelSpec) -> bool:
    """Whether the engine's KV pool holds the whole context in a model's sliding-window layers."""
    return engine == "sglang" and model.id.startswith(SGLANG_FULL_CONTEXT_KV_MODEL_PREFIXES)


# Bytes per cached element of the KV-cache dtypes a server can be told or a checkpoint can name
# (vLLM's and SGLang's --kv-cache-dtype choices; TensorRT-LLM's KvCacheConfig.dtype). "auto" means the
# engine's default for the checkpoint (kv_bytes_per_value without a stated dtype).
KV_CACHE_DTYPE_BYTES: dict[str, float] = {
    "bfloat16": FP16_BYTES,
    "bf16": FP16_BYTES,
    "float16": FP16_BYTES,
    "fp16": FP16_BYTES,
    "half": FP16_BYTES,
    "fp8": FP8_BYTES,
    "fp8_e4m3": FP8_BYTES,
    "fp8_e5m2": FP8_BYTES,
}
KV_CACHE_DTYPE_AUTO = "auto"
# llama.cpp's KV cache types (llama-server -ctk / --cache-type-k and -ctv / --cache-type-v: common/arg.cpp's
# kv_cache_types, f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1; default f16) and their bytes per element: a
# quantised type stores blocks of 32 values (ggml/src/ggml-common.h, ggml-org/llama.cpp @01243c58, read 2026-12-07:
# block_q8_0 = one fp16 scale + 32 int8 = 34 bytes; block_q4_0 = fp16 scale + 16 bytes of nibbles = 18; block_q4_1
# adds an fp16 min = 20; block_q5_0 = fp16 scale + 4 bytes of fifth bits + 16 = 22; block_q5_1 adds an fp16 min = 24;
# block_iq4_nl = fp16 scale + 16 = 18).
GGML_BLOCK_VALUES = 32
GGML_KV_CACHE_TYPE_BYTES: dict[str, float] = {
    "f32": 4.0,
    "f16": FP16_BYTES,
    "bf16": FP16_BYTES,
    "q8_0": 34 / GGML_BLOCK_VALUES,
    "q4_0": 18 / GGML_BLOCK_VALUES,
    "q4_1": 20 / GGML_BLOCK_VALUES,
    "iq4_nl": 18 / GGML_BLOCK_VALUES,
    "q5_0": 22 / GGML_BLOCK_VALUES,
    "q5_1": 24 / GGML_BLOCK_VALUES,
}
GGML_KV_CACHE_DEFAULT = "f16"
# llama.cpp's K and V types as one kv_cache_dtype: 'q8_0/f16' (K first, as its log prints type_k then type_v)
GGML_KV_PAIR_SEPARATOR = "/"


def kv_bytes_per_value(precision: str, engine: str, kv_cache_dtype: str | None = None) -> float:
    """Bytes per cached key/value element.

    kv_cache_dtype: the cache dtype the server ran with where a source states it or the checkpoint
    fixes it (KV_CACHE_DTYPE_BYTES), or llama.cpp's K and V types ('q8_0/q8_0', GGML_KV_CACHE_TYPE_BYTES); None or
    "auto": fp8 where TensorRT-LLM serves an fp8/fp4 checkpoint (NVIDIA's ModelOpt checkpoints carry an FP8 KV
    cache), else 16 bit.
    """
    if kv_cache_dtype is not None and engine == "llamacpp":
        k_type, _, v_type = kv_cache_dtype.partition(GGML_KV_PAIR_SEPARATOR)
        # a layer caches as many keys as values (MLA's latent aside), so a value costs their mean
        return (GGML_KV_CACHE_TYPE_BYTES[k_type] + GGML_KV_CACHE_TYPE_BYTES[v_type or k_type]) / 2
    if kv_cache_dtype is not None and kv_cache_dtype != KV_CACHE_DTYPE_AUTO:
        return KV_CACHE_DTYPE_BYTES[kv_cache_dtype]
    if engine == "trtllm" and precision in {"fp8", "fp4"}:
        return FP8_BYTES
    return FP16_BYTES


def describe_gpus(gpu: GpuSpec, gpu_count: int) -> str:
    """'2x h100-sxm-80gb' for messages."""
    return f"{gpu_count}x {gpu.id}"
