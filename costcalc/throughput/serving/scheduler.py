"""How each engine's scheduler batches work by default: prefill policy and tokens per step."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Prefill(str, Enum):
    """How a scheduler fits prompts (prefill) around running decodes."""

    # prompts split into chunks that share each step with every running decode (vLLM V1, llama.cpp)
    MIXED_CHUNKED = "mixed_chunked"
    # whole prompts share a step with running decodes (TensorRT-LLM in-flight batching, no chunked context)
    MIXED_WHOLE = "mixed_whole"
    # prompt chunks run in steps of their own first; decodes wait (SGLang without --enable-mixed-chunk, MLX)
    PREFILL_FIRST = "prefill_first"


@dataclass(frozen=True)
class Scheduler:
    """A scheduler's limits: sequences in flight, tokens per step, KV cache, and its prefill policy.

    A request is admitted when a sequence slot is free and the KV cache has room for its prompt and
    all its output (kv_gb); the first request is admitted whatever its size.
    """

    max_seqs: int  # sequences running at once (decoding or being prefilled)
    tokens_per_step: float  # prefill + decode tokens one step may carry (math.inf: no limit)
    prefill: Prefill
    kv_gb: float = math.inf  # KV cache for all sequences
    # KV cache one request holds at a context of prompt + output tokens (needed when kv_gb is finite)
    kv_need_gb: Callable[[float], float] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_seqs < 1 or not self.tokens_per_step >= 1 or not self.kv_gb > 0:
            raise ValueError(f"scheduler limits must be positive: {self}")
        if not math.isinf(self.kv_gb) and self.kv_need_gb is None:
            raise ValueError("a KV cache limit needs kv_need_gb")


# Default token budget per step, by engine (all read 2026-12-05):
# - vllm: chunked prefill is always on in the V1 engine, and one step carries prompt chunks next to
#   every running decode. max_num_batched_tokens for the API server is 8192 where max_num_seqs is
#   1024 (GPUs of 70 GiB or more that are not A100s) and 2048 elsewhere (EngineArgs.get_batch_defaults
#   in vllm/engine/arg_utils.py, vllm-project/vllm@99d7eb5d; docs.vllm.ai "Optimization and Tuning").
# - sglang: chunked_prefill_size 2048 below 35 GiB of GPU memory, 8192 below 160 GiB, else 16384;
#   enable_mixed_chunk is off, so prefill batches run apart from decode batches
#   (ServerArgs in python/sglang/srt/server_args.py, sgl-project/sglang).
# - trtllm: in-flight batching puts whole prompts (context phase) into the same step as generation;
#   max_num_tokens 8192 and chunked context off by default (TensorRT-LLM docs, "Tuning Max Batch
#   Size and Max Num Tokens"; trtllm-serve --max_num_tokens).
# - llamacpp: llama-server fills each batch with one token per generating slot, then prompt tokens
#   up to --batch-size, default 2048 (ggml-org/llama.cpp tools/server/README.md).
# - mlx: mlx-lm's BatchGenerator processes prompts in their own batches, prefill_step_size 2048
#   tokens per forward pass, before they join the generation batch (ml-explore/mlx-lm
#   mlx_lm/generate.py @0024613, PromptProcessingBatch).
SMALL_GPU_TOKENS_PER_STEP = 2048
LARGE_GPU_TOKENS_PER_STEP = 8192
SGLANG_SMALL_GPU_MAX_GIB = 35.0
SGLANG_MEDIUM_GPU_MAX_GIB = 160.0
SGLANG_LARGE_GPU_TOKENS_PER_STEP = 16384
TRTLLM_TOKENS_PER_STEP = 8192
LLAMACPP_TOKENS_PER_STEP = 2048
MLX_TOKENS_PER_STEP = 2048

PREFILL_POLICY: dict[str, Prefill] = {
    "vllm": Prefill.MIXED_CHUNKED,
    "sglang": Prefill.PREFILL_FIRST,
    "trtllm": Prefill.MIXED_WHOLE,
    "llamacpp": Prefill.MIXED_CHUNKED,
    "mlx": Prefill.PREFILL_FIRST,
}


def tokens_per_step(engine: str, gpu_memory_gib: float, large_batch_default: bool) -> int:
    """The engine's default token budget per step on a GPU of this memory.

    large_batch_default: whether vLLM picks its large-GPU batch defaults on this GPU (the
    estimator's engine_max_batch rule), which also sets its 8192-token budget.
    """
    if engine == "vllm":
        return LARGE_GPU_TOKENS_PER_STEP if large_batch_default else SMALL_GPU_TOKENS_PER_STEP
    if engine == "sglang":
        if gpu_memory_gib < SGLANG_SMALL_GPU_MAX_GIB:
            return SMALL_GPU_TOKENS_PER_STEP
        if gpu_memory_gib < SGLANG_MEDIUM_GPU_MAX_GIB:
            return LARGE_GPU_TOKENS_PER_STEP
        return SGLANG_LARGE_GPU_TOKENS_PER_STEP
    if engine == "trtllm":
        return TRTLLM_TOKENS_PER_STEP
    if engine == "llamacpp":
        return LLAMACPP_TOKENS_PER_STEP
    if engine == "mlx":
        return MLX_TOKENS_PER_STEP
    raise ValueError(f"no scheduler defaults for engine {engine!r}")


def describe(s: Scheduler) -> str:
    """'chunked prefill mixed with decodes, 8192 tokens/step, 256 sequences' and the like."""
    policy = {
        Prefill.MIXED_CHUNKED: "chunked prefill mixed with decodes",
        Prefill.MIXED_WHOLE: "whole prompts mixed with decodes",
        Prefill.PREFILL_FIRST: "prefill steps before decodes",
    }[s.prefill]
    budget = "no token limit" if math.isinf(s.tokens_per_step) else f"{s.tokens_per_step:.0f} tokens/step"
    return f"{policy}, {budget}, up to {s.max_seqs} sequences"
