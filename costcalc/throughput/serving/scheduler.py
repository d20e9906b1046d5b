"""How each engine's scheduler batches work by default: prefill policy and tokens per step."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from costcalc.words import count, counted


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
    # decode steps per scheduler call (vLLM V0 --num-scheduler-steps): decodes run in bursts of this
    # many steps and waiting requests are admitted only between bursts
    decode_steps_per_call: int = 1
    # where max_seqs and tokens_per_step come from, in words ('as stated', "vllm's default on a GPU of 70 GiB or
    # more", 'as many as the KV cache holds'); '' where not known (a scheduler built by hand). Words only: no part of
    # the simulation
    seqs_from: str = field(default="", compare=False)
    tokens_from: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.max_seqs < 1 or not self.tokens_per_step >= 1 or not self.kv_gb > 0 or self.decode_steps_per_call < 1:
            raise ValueError(f"scheduler limits must be positive: {self}")
        if not math.isinf(self.kv_gb) and self.kv_need_gb is None:
            raise ValueError("a KV cache limit needs kv_need_gb")


# Default token budget per step, by engine (all read 2026-12-05):
# - vllm: chunked prefill is always on in the V1 engine, and one step carries prompt chunks next to
#   every running decode. max_num_batched_tokens for the API server is 8192 where max_num_seqs is
#   1024 (GPUs of 70 GiB or more that are not A100s) and 2048 elsewhere (EngineArgs.get_batch_defaults
#   in vllm/engine/arg_utils.py, vllm-project/vllm@99d7eb5d; docs.vllm.ai "Optimization and Tuning").
# - sglang: chunked_prefill_size 2048 below 35 GiB of GPU memory, 4096 below 60 GiB (A100 40GB, L40S),
#   8192 below 160 GiB, else 16384; enable_mixed_chunk is off, so prefill batches run apart from
#   decode batches (ServerArgs._handle_gpu_memory_settings in sglang/srt/server_args.py of the sglang
#   wheels 0.5.3, built 2025-10-06, through 0.5.6.post2, 2025-12-11, on PyPI; read 2026-12-06. The
#   4096 step for 35-60 GiB is new in 0.5.3: 0.5.3rc0 still used 8192 from 35 GiB up).
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


SGLANG_MID_GPU_MAX_GIB = 60.0


SGLANG_MID_GPU_TOKENS_PER_STEP = 4096


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


# vLLM releases before 0.8.0 ran the V0 engine, whose scheduler defaults differ from today's
# (read 2026-12-05):
# - V1 became the default engine in 0.8.0 (vllm-project/vllm#13726, released 2025-03-18);
# - V0 runs at most max_num_seqs = 256 sequences on every GPU (EngineArgs.max_num_seqs in
#   vllm/engine/arg_utils.py of the 0.6 line; V1 raised it to 1024, as vllm-project/vllm#15357 notes);
# - V0 turns chunked prefill on by default only when the server's max_model_len exceeds 32768
#   (EngineArgs.create_engine_config); decodes then go first and prompt chunks fill the rest of
#   max_num_batched_tokens = 512 (SchedulerConfig in vllm/config.py), raised to 2048 by
#   vllm-project/vllm#10544 (merged 2024-11-21, first released in 0.6.5);
# - without chunked prefill V0 runs prompt batches on their own, ahead of decodes, up to
#   max(max_model_len, 2048) tokens (SchedulerConfig).
# Source of the 0.6-line code read: AmberLJC/vllm-0.6.1 @12985d41 (arg_utils.py) and @42cf3560
# (config.py), a fork of v0.6.1; docs.vllm.ai/en/v0.6.3.post1 engine arguments list the same flags.
VLLM_V1_DEFAULT_VERSION = (0, 8, 0)


VLLM_V0_MAX_SEQS = 256


VLLM_V0_LONG_CONTEXT_TOKENS = 32768


VLLM_V0_CHUNK_TOKENS = 512


VLLM_V0_LARGER_CHUNK_VERSION = (0, 6, 5)


VLLM_V0_LARGER_CHUNK_TOKENS = 2048


VLLM_V0_MIN_PREFILL_TOKENS = 2048


@dataclass(frozen=True)
class ReleaseDefaults:
    """An engine release's scheduler defaults where they differ from the current release's."""

    max_seqs: int
    tokens_per_step: int
    prefill: Prefill


def parse_version(text: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a release string: '0.6.3.post2.dev308' -> (0, 6, 3); ValueError if none."""
    match = re.match(r"\s*v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    if match is None:
        raise ValueError(f"not a release version: {text!r} (expected e.g. 0.6.3)")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def release_defaults(
    engine: str, version: str | None, max_model_len: int, chunked_prefill: bool | None = None
) -> ReleaseDefaults | None:
    """Scheduler defaults of an older engine release (None: the current defaults apply).

    version: the engine release a benchmark ran (None or blank: current). max_model_len: the
    server's context limit, by default the model's own maximum context. chunked_prefill: as the
    server was told (None: the release's default for that context).
    """
    if not version or not version.strip() or engine != "vllm":
        return None
    release = parse_version(version)
    if release >= VLLM_V1_DEFAULT_VERSION:
        return None
    chunked = max_model_len > VLLM_V0_LONG_CONTEXT_TOKENS if chunked_prefill is None else chunked_prefill
    if chunked:
        chunk = VLLM_V0_LARGER_CHUNK_TOKENS if release >= VLLM_V0_LARGER_CHUNK_VERSION else VLLM_V0_CHUNK_TOKENS
        return ReleaseDefaults(VLLM_V0_MAX_SEQS, chunk, Prefill.MIXED_CHUNKED)
    return ReleaseDefaults(VLLM_V0_MAX_SEQS, max(max_model_len, VLLM_V0_MIN_PREFILL_TOKENS), Prefill.PREFILL_FIRST)


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
        if gpu_memory_gib < SGLANG_MID_GPU_MAX_GIB:
            return SGLANG_MID_GPU_TOKENS_PER_STEP
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


STATED = "as stated"
KV_HELD = "as many as the KV cache holds"
CLIENT_HELD = "the client's concurrency"


def default_words(engine: str, version: str | None = None, gpu_words: str = "") -> str:
    """Where an engine's unasked limits come from: "vllm's default on a GPU of 70 GiB or more" (gpu_words: which of
    the engine's GPU rules applied), "vllm 0.6.3's default" (an older release's), "llamacpp b5540's default"."""
    release = f" {version.strip()}" if version and version.strip() else ""
    return f"{engine}{release}'s default{f' {gpu_words}' if gpu_words else ''}"


def describe(s: Scheduler) -> str:
    """The scheduler and where its limits come from: 'chunked prefill mixed with decodes; 2,048 tokens/step and up to
    256 sequences, vllm's defaults on a GPU under 70 GiB' or '...; 8,192 tokens/step, vllm's default on a GPU of 70
    GiB or more; up to 52 sequences, as many as the KV cache holds'; without them (a scheduler built by hand) as
    before: 'chunked prefill mixed with decodes, 2,048 tokens/step, up to 4 sequences'."""
    policy = {
        Prefill.MIXED_CHUNKED: "chunked prefill mixed with decodes",
        Prefill.MIXED_WHOLE: "whole prompts mixed with decodes",
        Prefill.PREFILL_FIRST: "prefill steps before decodes",
    }[s.prefill]
    budget = "no token limit" if math.isinf(s.tokens_per_step) else f"{count(s.tokens_per_step)} tokens/step"
    seqs = f"up to {counted(s.max_seqs, 'sequence')}"
    if not (s.seqs_from or s.tokens_from):  # a scheduler built by hand: no origins known
        return f"{policy}, {budget}, {seqs}"
    if s.seqs_from and s.seqs_from == s.tokens_from:  # one origin for both: said once
        both = s.seqs_from.replace("'s default", "'s defaults", 1)
        return f"{policy}; {budget} and {seqs}, {both}"
    limits = ((budget, s.tokens_from), (seqs, s.seqs_from))
    return "; ".join([policy, *(f"{said}, {origin}" if origin else said for said, origin in limits)])
