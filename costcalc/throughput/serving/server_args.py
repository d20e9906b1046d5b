"""The scheduler flags a benchmark's or a user's server command states, read into ServerArgs (None: the default)."""

from __future__ import annotations

import math
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from costcalc.throughput.dp_attention import TRTLLM_DP_ATTENTION_FLAG, attention_ranks, parse_dp_flags
from costcalc.throughput.memory import (
    GGML_KV_CACHE_DEFAULT,
    GGML_KV_CACHE_TYPE_BYTES,
    GGML_KV_PAIR_SEPARATOR,
    KV_CACHE_DTYPE_AUTO,
    KV_CACHE_DTYPE_BYTES,
)
from costcalc.throughput.serving.llamacpp_slots import Slots, parse_batch_size, parse_slots
from costcalc.throughput.serving.scheduler import parse_version


@dataclass(frozen=True)
class ServerArgs:
    """The scheduler flags a benchmark's server was started with (None: not stated, the default applies)."""

    max_seqs: int | None = None
    tokens_per_step: int | None = None
    chunked_prefill: bool | None = None
    max_model_len: int | None = None
    quantization: str | None = None  # --quantization: the method the checkpoint is loaded with
    scheduler_steps: int | None = None  # --num-scheduler-steps: forward steps per scheduler call (V0)
    gpu_blocks: int | None = None  # --num-gpu-blocks-override: KV cache blocks, instead of the profiled count
    block_size: int | None = None  # --block-size: tokens per KV cache block
    # --kv-cache-dtype: the KV cache's element type (any engine); llama-server's -ctk / -ctv as 'q8_0/f16' (K/V)
    kv_cache_dtype: str | None = None
    llamacpp_slots: Slots | None = None  # llama-server's -np / -c / -kvu (its max_seqs is the slot count)
    # SGLang's --enable-dp-attention and --dp N: data-parallel attention (dp_attention.attention_ranks)
    dp_attention: bool = False
    dp_size: int = 1
    # TensorRT-LLM's --enable_attention_dp: one data-parallel attention rank per GPU (dp_attention)
    dp_attention_per_gpu: bool = False
    # the share of each GPU's memory for weights and KV cache, used as given in place of the engine's (estimate.
    # usable_memory_gb's memory_share): SGLang's --mem-fraction-static, in place of the share ServerArgs computes when
    # it is not given (sglang_memory.static_share); vLLM's --gpu-memory-utilization, in place of its default
    memory_fraction: float | None = None
    # the tensor- and pipeline-parallel sizes stated (vLLM -tp / -pp, SGLang --tp-size / --pp-size, TensorRT-LLM
    # --tp_size / --pp_size; None: not stated) and those flags as written ('-tp 8'), which the layout's words quote
    tp_size: int | None = None
    pp_size: int | None = None
    parallel_said: str = ""

    def layout(self, gpus: int) -> str | None:
        """The parallel layout the flags state on `gpus` GPUs ('tp', 'pp', 'single' on one; None: no size stated, the
        estimator chooses); ValueError where they cannot run on them: sizes whose product is not the replica's GPUs
        (an unstated size is 1, the engines' default), or tensor and pipeline parallel mixed, which is not modelled."""
        if self.tp_size is None and self.pp_size is None:
            return None
        tp, pp = self.tp_size or 1, self.pp_size or 1
        if tp > 1 and pp > 1:
            raise ValueError(
                f"{self.parallel_said} mixes tensor and pipeline parallel ({tp} x {pp} GPUs), which the estimator does"
                f" not model; state the tensor-parallel size {gpus} alone (tensor parallel over all {gpus}) or the"
                f" pipeline-parallel size {gpus} alone"
            )
        if tp * pp != gpus:
            unstated = "" if self.tp_size is not None and self.pp_size is not None else ", the other size unstated: 1"
            raise ValueError(
                f"{self.parallel_said} runs the model on {tp * pp} GPU{'s' if tp * pp > 1 else ''}{unstated}, but the"
                f" replica has {gpus}; state the tensor-parallel or the pipeline-parallel size as {gpus}, or give the"
                f" replica {tp * pp}"
            )
        return "single" if gpus == 1 else "pp" if pp > 1 else "tp"

    def attention_ranks(self, gpus: int, engine_version: str | None) -> int:
        """Data-parallel attention ranks on these GPUs with these flags at this release (1: none): TensorRT-LLM's one
        per GPU, SGLang's as its release reads --enable-dp-attention and --dp."""
        if self.dp_attention_per_gpu:
            return gpus
        text = (engine_version or "").strip()
        try:
            release = parse_version(text) if text else None
        except ValueError:
            release = None
        return attention_ranks(self.dp_attention, self.dp_size, gpus, release, text)


# vLLM V0 multi-step scheduling (--num-scheduler-steps N, vllm-project/vllm#7000, RFC #6854): the
# engine calls the scheduler again only when the current batch has run all its N steps
# (LLMEngine.step and _has_remaining_steps in vllm/engine/llm_engine.py), so a request that arrives
# during a decode burst waits for the burst to end. Without chunked prefill a prompt batch runs as
# one step of its own (Scheduler._schedule_prefills gives prefills no lookahead slots,
# vllm/core/scheduler.py). Read at vllm-project/vllm@cb3b2b9b (2024-10-06), the commit of the
# ghcr.io/embeddedllm/vllm-rocm:cb3b2b9 image dstack's MI300X runs used.
# vLLM's KV cache block holds 16 tokens unless --block-size says otherwise (CacheConfig.block_size,
# EngineArgs.block_size = 16 in vllm/engine/arg_utils.py, same commit); --num-gpu-blocks-override
# replaces the block count the memory profiling gives.
VLLM_BLOCK_TOKENS = 16


# vLLM's flags for the limits the simulation models (vllm serve --help; the same names in V0 and
# V1). Other flags a row states are kept as data and do not change the simulation.
_VLLM_INT_FLAGS = {
    "--max-num-seqs": "max_seqs",
    "--max-num-batched-tokens": "tokens_per_step",
    "--max-model-len": "max_model_len",
    "--num-scheduler-steps": "scheduler_steps",
    # argparse accepts an unambiguous prefix; dstack's commands spell it this way
    "--num-scheduler-step": "scheduler_steps",
    "--num-gpu-blocks-override": "gpu_blocks",
    "--block-size": "block_size",
}


# SGLang's flags for the same limits (python -m sglang.launch_server --help; sglang/srt/server_args.py of the sglang
# 0.5.4.post2 wheel: "--max-running-requests": "The maximum number of running requests."; "--context-length": "The
# model's maximum context length. Defaults to None (will use the value from the model's config.json instead).")
# TensorRT-LLM's (trtllm-serve, tensorrt_llm/commands/serve.py, NVIDIA/TensorRT-LLM @00209af1, read 2026-12-06):
# "--max_batch_size: Maximum number of requests that the engine can schedule."; "--max_num_tokens: Maximum number of
# batched input tokens after padding is removed in each batch."; "--max_seq_len: Maximum total length of one request,
# including prompt and outputs."
_LIMIT_FLAGS: dict[str, dict[str, str]] = {
    "sglang": {"max_seqs": "--max-running-requests", "max_model_len": "--context-length"},
    "trtllm": {"max_seqs": "--max_batch_size", "tokens": "--max_num_tokens", "max_model_len": "--max_seq_len"},
}


# the flag that states each limit, by engine, as a message names it (vLLM's for any other engine)
MAX_SEQS_FLAG = {engine: flags["max_seqs"] for engine, flags in _LIMIT_FLAGS.items()}


CONTEXT_FLAG = {engine: flags["max_model_len"] for engine, flags in _LIMIT_FLAGS.items()}


_VLLM_CHUNKED_FLAG = "--enable-chunked-prefill"


_VLLM_QUANTIZATION_FLAG = "--quantization"


_TRUE_WORDS = {"true", "1", "yes"}


_FALSE_WORDS = {"false", "0", "no"}


# The KV cache's element type, read for every engine: vLLM and SGLang take it as --kv-cache-dtype;
# TensorRT-LLM as its LLM API's kv_cache_config.dtype, whose default "auto" takes the checkpoint's own
# KV-cache quantisation, so a checkpoint without one (block-scaled FP8 releases such as
# Qwen/Qwen3-32B-FP8 or deepseek-ai's DeepSeek-R1-0528) caches keys and values in bf16, and an FP8
# cache must be asked for ("TensorRT LLM allows you to enable the FP8 KV cache manually, even for
# checkpoints that do not have it enabled by default": NVIDIA/TensorRT-LLM
# docs/source/features/quantization.md @09d4c79b, read 2026-12-05). A row states the dtype the
# engine resolved when the source did not pass it (calibration.CALIBRATION_CSV). DeepSeek-V3.2's
# sparse-attention kernels use a custom fp8 cache by default in vLLM (vllm-project/recipes
# DeepSeek/DeepSeek-V3_2.md), and TensorRT-LLM's choice for it was not established: its rows state none.
_KV_CACHE_DTYPE_FLAG = "--kv-cache-dtype"


def _stated(tokens: list[str], *flags: str | None) -> Iterator[tuple[str, str]]:
    """(flag, the word after it, '' at the end) for each time one of `flags` is stated, in order: a reader checks
    every one and keeps the last, as vLLM's and SGLang's argparse, trtllm-serve's click and llama-server keep it."""
    for i, tok in enumerate(tokens):
        if tok in flags:
            yield tok, tokens[i + 1] if i + 1 < len(tokens) else ""


def _whole(tokens: list[str], *flags: str | None) -> int | None:
    """The positive whole number after one of `flags` among a command line's tokens (None: not stated, or no flag;
    ValueError if not one); the last one where it is stated twice."""
    value = None
    for tok, nxt in _stated(tokens, *flags):
        if not nxt.isdigit() or int(nxt) < 1:
            raise ValueError(f"{tok} needs a positive whole number, got {nxt!r}")
        value = int(nxt)
    return value


def _kv_cache_dtype(tokens: list[str]) -> str | None:
    """The value of --kv-cache-dtype among a command line's tokens (None: not stated); the last where it is stated
    twice, as the servers keep it."""
    value = None
    for tok, nxt in _stated(tokens, _KV_CACHE_DTYPE_FLAG):
        word = nxt.lower()
        known = (*KV_CACHE_DTYPE_BYTES, KV_CACHE_DTYPE_AUTO)
        if word not in known:
            raise ValueError(f"{tok} takes one of {', '.join(known)}, got {word!r}")
        value = word
    return value


# llama-server's K and V cache types (memory.GGML_KV_CACHE_TYPE_BYTES): -ctk / --cache-type-k, -ctv / --cache-type-v
_GGML_K_FLAGS = ("-ctk", "--cache-type-k")


_GGML_V_FLAGS = ("-ctv", "--cache-type-v")


def _ggml_kv_types(tokens: list[str]) -> str | None:
    """llama-server's K and V cache types as one kv_cache_dtype ('q8_0/f16'; the unstated one f16, its default), None
    when neither is stated; ValueError on a type llama-server does not take."""
    stated: dict[tuple[str, ...], str] = {}
    for tok, word in _stated(tokens, *_GGML_K_FLAGS, *_GGML_V_FLAGS):
        flags = _GGML_K_FLAGS if tok in _GGML_K_FLAGS else _GGML_V_FLAGS
        if word not in GGML_KV_CACHE_TYPE_BYTES:
            raise ValueError(f"{tok} takes one of {', '.join(GGML_KV_CACHE_TYPE_BYTES)}, got {word!r}")
        stated[flags] = word
    if not stated:
        return None
    _check_v_cache(tokens, stated.get(_GGML_V_FLAGS))
    k_type = stated.get(_GGML_K_FLAGS, GGML_KV_CACHE_DEFAULT)
    return f"{k_type}{GGML_KV_PAIR_SEPARATOR}{stated.get(_GGML_V_FLAGS, GGML_KV_CACHE_DEFAULT)}"


# llama.cpp stores a quantised V cache only with flash attention: llama_init_from_model refuses the context, "if
# (ggml_is_quantized(params.type_v) && params.flash_attn_type == LLAMA_FLASH_ATTN_TYPE_DISABLED) { LLAMA_LOG_ERROR("%s:
# V cache quantization requires flash_attn\n", __func__); return nullptr; }", and llama_context's constructor throws
# "quantized V cache was requested, but this requires Flash Attention" where -fa auto resolves to off (a backend without
# the kernel) (src/llama-context.cpp, ggml-org/llama.cpp @4c7103b9, read 2026-12-07); llama-server then does not
# start. Of its cache types f32, f16 and bf16 are not block-quantised. Flash attention off: -fa's falsey words
# (common_arg_utils is_falsey: off, disabled, false, 0). Not refused: -ctv q8_0 without -fa, which builds since "llama:
# use FA + max. GPU layers by default" (ggml-org/llama.cpp#15434, 2025-08) serve with -fa auto, on where the GPU has the
# kernel; older builds, whose default was off, refuse it, and the build that changed it is not known here.
_FLASH_ATTENTION_FLAGS = ("-fa", "--flash-attn")


_FLASH_ATTENTION_OFF = frozenset({"off", "disabled", "false", "0"})


_UNQUANTISED_CACHE_TYPES = frozenset({"f32", "f16", "bf16"})


def _check_v_cache(tokens: list[str], v_type: str | None) -> None:
    """ValueError where a quantised llama-server V cache (-ctv q8_0) meets flash attention stated off, as llama.cpp
    refuses it."""
    v_said = [f"{tok} {word}" for tok, word in _stated(tokens, *_GGML_V_FLAGS)]
    fa_said = [(tok, word) for tok, word in _stated(tokens, *_FLASH_ATTENTION_FLAGS)]
    if v_type is None or v_type in _UNQUANTISED_CACHE_TYPES or not fa_said:
        return
    tok, word = fa_said[-1]  # the last stated, as llama-server keeps it
    if word.lower() in _FLASH_ATTENTION_OFF:
        raise ValueError(
            f"{v_said[-1]} with {tok} {word}: llama-server refuses a quantised V cache without flash attention"
            ' (llama.cpp: "V cache quantization requires flash_attn"); turn it on (-fa on) or leave it to the server'
            " (-fa auto), or keep the V cache at f16"
        )


_MEM_FRACTION_FLAG = "--mem-fraction-static"


# The tensor- and pipeline-parallel sizes, by engine: vLLM's "--tensor-parallel-size, -tp" and
# "--pipeline-parallel-size, -pp" (vllm serve --help, ParallelConfig); SGLang's "--tensor-parallel-size or --tp-size"
# and "--pipeline-parallel-size or --pp-size" (sgl-project/sglang docs/advanced_features/server_arguments.md, read
# 2026-12-07; --tp is argparse's unambiguous prefix of --tp-size, which SGLang's own docs write); TensorRT-LLM's
# "trtllm-serve <model> [--backend pytorch --tp_size <tp> --pp_size <pp> ...]" (NVIDIA/TensorRT-LLM
# docs/source/commands/trtllm-serve.rst, read 2026-12-07). Unstated, each size is 1.
_PARALLEL_FLAGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vllm": (("--tensor-parallel-size", "-tp"), ("--pipeline-parallel-size", "-pp")),
    "sglang": (("--tp-size", "--tp", "--tensor-parallel-size"), ("--pp-size", "--pipeline-parallel-size")),
    "trtllm": (("--tp_size", "--tensor_parallel_size"), ("--pp_size",)),
}


def _parallel_sizes(engine: str, tokens: list[str]) -> tuple[int | None, int | None, str]:
    """The tensor- and pipeline-parallel sizes a command line states (None: not stated, or the engine takes no such
    flag) and those flags as written, each once with its last value ('-tp 8 -pp 1')."""
    tp_flags, pp_flags = _PARALLEL_FLAGS.get(engine, ((), ()))
    said: dict[str, str] = {}
    for flag, value in _stated(tokens, *tp_flags, *pp_flags):
        said["tp" if flag in tp_flags else "pp"] = f"{flag} {value}"
    return _whole(tokens, *tp_flags), _whole(tokens, *pp_flags), " ".join(said.values())


# vLLM's --gpu-memory-utilization: the share of each GPU's total memory the server may fill; its KV cache gets what
# is left of it after the weights and the profiled activations (vllm/v1/worker/utils.py request_memory: total_memory x
# gpu_memory_utilization; gpu_worker.py available_kv_cache_memory_bytes = requested_memory - non_kv_cache_memory; the
# vllm 0.20.0 wheel on PyPI, read 2026-12-06). Unstated it is 0.9 up to vLLM 0.19.1 and 0.92 from 0.20.0
# (vllm/config/cache.py CacheConfig.gpu_memory_utilization in the 0.12.0, 0.16.0, 0.18.0, 0.19.0, 0.19.1 and 0.20.0
# wheels); the estimator's unstated share is the engine's prior (factors.EngineFactors.memory_utilization).
_GPU_MEMORY_UTILIZATION_FLAG = "--gpu-memory-utilization"


# the flag that states each engine's memory share, as a message names it
MEMORY_SHARE_FLAG = {"vllm": _GPU_MEMORY_UTILIZATION_FLAG, "sglang": _MEM_FRACTION_FLAG}


# the flag that states the token budget of a step whose profiling pass the engine's KV cache gives up
# (memory_fit.PROFILED_KV_ENGINES), as a message names it
STEP_TOKENS_FLAG = {"vllm": "--max-num-batched-tokens"}


# vLLM's unstated share from 0.20.0 ("If unspecified, will use the default value of 0.92", vllm/config/cache.py of the
# 0.20.0 wheel; 0.9 in the 0.19.1 wheel and before): taken where the release is stated; unstated releases keep the
# prior, 0.9, the share the calibration rows' servers ran with
VLLM_LARGER_MEMORY_SHARE_VERSION = (0, 20, 0)


VLLM_LARGER_MEMORY_SHARE = 0.92


def memory_share(engine: str, engine_version: str | None, stated: float | None) -> float | None:
    """The share of each GPU's memory a server fills: the stated one (--gpu-memory-utilization,
    --mem-fraction-static), else vLLM's 0.92 for a stated release from 0.20.0; None: the engine's prior."""
    if stated is not None or engine != "vllm" or not engine_version or not engine_version.strip():
        return stated
    try:
        release = parse_version(engine_version)
    except ValueError:
        return None
    return VLLM_LARGER_MEMORY_SHARE if release >= VLLM_LARGER_MEMORY_SHARE_VERSION else None


def _memory_fraction(tokens: list[str], flag: str) -> float | None:
    """The value of a memory-share flag (SGLang's --mem-fraction-static, vLLM's --gpu-memory-utilization) among a
    command line's tokens (None: not stated); the last where it is stated twice."""
    value = None
    for tok, nxt in _stated(tokens, flag):
        try:
            share = float(nxt)
        except ValueError:
            share = math.nan
        if not 0 < share <= 1:
            raise ValueError(f"{tok} takes a share of the GPU's memory above 0 and at most 1, got {nxt!r}")
        value = share
    return value


def _quantization(tokens: list[str]) -> str | None:
    """The lower-cased value of --quantization (or -q) among a command line's tokens (None: not stated); the last where
    it is stated twice."""
    value = None
    for tok, nxt in _stated(tokens, _VLLM_QUANTIZATION_FLAG, "-q"):
        if not nxt or nxt.startswith("-"):
            raise ValueError(f"{tok} needs a method name, got {nxt!r}")
        value = nxt.lower()
    return value


def server_words(text: str) -> list[str]:
    """A command line's words as a shell splits them ('--gpu-memory-utilization "0.5"' -> the flag and 0.5), '='
    between a flag and its value read as a space; ValueError on a quote left open, a trailing backslash, an empty
    quoted word, or a flag quoted together with its value ("'--max-num-seqs 8'", as a whole line pasted in quotes),
    which the check (engine_args) and the parser (an `estimate --cases` row's reason) refuse alike."""
    try:
        words = shlex.split(text.replace("=", " "))
    except ValueError:
        said = " ".join(text.split())
        if said.endswith("\\"):  # shlex: "No escaped character"; a shell reads it as the line going on
            raise ValueError(f"'{said}' ends with a backslash (a shell's line continuation); drop it") from None
        raise ValueError(f"{said!r} leaves a quote open; close it or drop the quotes") from None
    for word in words:  # what quotes made of a flag a shell would have split: the servers would not read it either
        if not word.strip():
            raise ValueError(f"{' '.join(text.split())!r} holds an empty quoted word; drop the quotes")
        if word.startswith("-") and len(word.split()) > 1:
            unquoted = " ".join(word.split())
            raise ValueError(f"{word!r} is one quoted word, so {word.split()[0]} is not read; unquote it ({unquoted})")
    return words


def parse_server_args(engine: str, text: str | None) -> ServerArgs:
    """ServerArgs from a command line's flags ('--max-num-seqs 512 --enable-chunked-prefill=False').

    The KV cache's element type (--kv-cache-dtype; llama-server's -ctk / -ctv) and --quantization are read for every
    engine (for TensorRT-LLM and SGLang a row states the checkpoint's method the engine resolves unasked, e.g.
    tensor_tflops.BLOCK_SCALED_FP8), the scheduler flags for vLLM, llama-server's slots (llamacpp_slots) and SGLang's
    and TensorRT-LLM's data-parallel attention (dp_attention) only; ValueError on a malformed value of a flag that is read.
    """
    if not text or not text.strip():
        return ServerArgs()
    if engine != "vllm":
        words = server_words(text)
        slots = parse_slots(words) if engine == "llamacpp" else None
        dp_attention, dp_size = parse_dp_flags(words) if engine == "sglang" else (False, 1)
        sglang = engine == "sglang"
        tp, pp, parallel_said = _parallel_sizes(engine, words)
        limits = _LIMIT_FLAGS.get(engine, {})
        return ServerArgs(
            max_seqs=slots.slots if slots is not None else _whole(words, limits.get("max_seqs")),
            max_model_len=_whole(words, limits.get("max_model_len")),
            tokens_per_step=parse_batch_size(words) if engine == "llamacpp" else _whole(words, limits.get("tokens")),
            kv_cache_dtype=_ggml_kv_types(words) if engine == "llamacpp" else _kv_cache_dtype(words),
            quantization=_quantization(words),
            llamacpp_slots=slots,
            dp_attention=dp_attention,
            dp_size=dp_size,
            dp_attention_per_gpu=engine == "trtllm" and TRTLLM_DP_ATTENTION_FLAG in words,
            memory_fraction=_memory_fraction(words, _MEM_FRACTION_FLAG) if sglang else None,
            tp_size=tp,
            pp_size=pp,
            parallel_said=parallel_said,
        )
    tokens = server_words(text)
    numbers = {field: value for flag, field in _VLLM_INT_FLAGS.items() if (value := _whole(tokens, flag)) is not None}
    tp, pp, parallel_said = _parallel_sizes(engine, tokens)
    chunked: bool | None = None
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok == _VLLM_CHUNKED_FLAG:
            word = nxt.lower()
            if word and not word.startswith("-") and word not in _TRUE_WORDS | _FALSE_WORDS:
                raise ValueError(f"{tok} takes true or false, got {nxt!r}")
            chunked = word not in _FALSE_WORDS
        elif tok == "--no-enable-chunked-prefill":
            chunked = False
    return ServerArgs(
        max_seqs=numbers.get("max_seqs"),
        tokens_per_step=numbers.get("tokens_per_step"),
        chunked_prefill=chunked,
        max_model_len=numbers.get("max_model_len"),
        quantization=_quantization(tokens),
        scheduler_steps=numbers.get("scheduler_steps"),
        gpu_blocks=numbers.get("gpu_blocks"),
        block_size=numbers.get("block_size"),
        kv_cache_dtype=_kv_cache_dtype(tokens),
        memory_fraction=_memory_fraction(tokens, _GPU_MEMORY_UTILIZATION_FLAG),
        tp_size=tp,
        pp_size=pp,
        parallel_said=parallel_said,
    )
