"""The flags the estimator reads from each engine's server command, what each sets, and those it takes or refuses."""

from __future__ import annotations

from dataclasses import dataclass

VALUE, MAYBE, NONE = "value", "maybe", "none"  # a flag takes a value, may take true/false, or takes none


@dataclass(frozen=True)
class Flag:
    """One flag the estimator reads: its spellings, whether it takes a value, and what it sets."""

    names: tuple[str, ...]
    takes: str
    sets: str  # what the estimator does with it, as the error's list of read flags says
    v0_only: bool = False  # vLLM: read only for a release before 0.8.0 (the V0 engine; serving.scheduler)
    gpus: bool = False  # the GPUs the model is split over: checked against the replica's GPU count, not parsed
    modelled: bool = True  # False: taken so a pasted command line passes, but it changes nothing the estimator models
    layers: bool = False  # llama-server's layers on the GPU: checked against the model's layer count, not parsed
    refused: str = ""  # why a flag that changes the server's speed is refused: the estimator has no figure for it
    values: tuple[str, ...] = ()  # a MAYBE flag's values where they are known ('-1' among them): the next word is one
    model: bool = False  # names the model served (--model, llama-server's -m): checked against the option's model


_QUANTIZATION = Flag(("--quantization", "-q"), VALUE, "the checkpoint's quantisation method: weights memory, math rate")


_MODEL_SETS = "not modelled: the model served, the one estimated"


def _model_flag(*names: str) -> Flag:
    """A flag naming the model a pasted command serves: taken where it names the option's model
    (server_command.check_model)."""
    return Flag(names, VALUE, _MODEL_SETS, modelled=False, model=True)


_KV_DTYPE = Flag(("--kv-cache-dtype",), VALUE, "the KV cache's element type")


_TP_SETS = "GPUs the model is split over, the replica's"


_PP_SETS = "GPUs the model's layers are staged over, the replica's"


_UNMODELLED = "not modelled: no effect on throughput"


_MEMORY_SHARE = "each GPU's memory share for weights and the KV cache"


# A server's prefix cache (vLLM's, on by default: CacheConfig.enable_prefix_caching = True in the 0.16.0, 0.19.1 and
# 0.20.0 wheels; SGLang's RadixAttention, "--disable-radix-cache: Disable RadixAttention for prefix
# caching.", sglang 0.5.4.post2) skips the prefill of a prompt's cached prefix. The estimator prefills every prompt in
# full, as a server does when no two prompts share a prefix (the calibration benchmarks' random prompts).
_PREFIX_CACHE = "not modelled: prefix-cache hits; every prompt is estimated prefilled in full"


_NO_GRAPHS = (
    "it runs every step without CUDA graphs, slower by an amount the estimator has no figure for (its step times"
    " are fitted on servers that capture them)"
)


_NGL_SETS = "layers on the GPU: all of them"


_FLASH_ATTENTION_VALUES = ("on", "enabled", "true", "1", "off", "disabled", "false", "0", "auto", "-1")


_GGML_KV_SETS = "the {part} cache's element type: KV cache memory and its read per step"


_FLASH_ATTENTION = "not modelled: the llama.cpp rates are fitted on runs with flash attention on, off and unstated"


def _unmodelled(*flags: tuple[tuple[str, ...], str]) -> tuple[Flag, ...]:
    """Flags of a real command line that only name, address or log the server (taken, said, changing nothing)."""
    return tuple(Flag(names, takes, _UNMODELLED, modelled=False) for names, takes in flags)


def _refused(takes: str, why: str, *names: str) -> Flag:
    """A flag that changes the server's speed in a way the estimator does not model: refused, saying why."""
    return Flag(names, takes, "", refused=why)


# Spellings from each server's own help (vllm serve, python -m sglang.launch_server, trtllm-serve, llama-server;
# SGLang's checked in sglang 0.5.3rc0's srt/server_args.py).
_ADDRESS = (("--host",), VALUE), (("--port",), VALUE)


_OPENAI_SERVER = (
    *_ADDRESS,
    (("--served-model-name",), VALUE),
    (("--api-key",), VALUE),
    (("--trust-remote-code",), NONE),
)


# Every flag here is one server_args.parse_server_args reads for that engine (a test checks each changes its result),
# or the tensor- or pipeline-parallel size (gpus=True, server_args._PARALLEL_FLAGS), which must agree with the
# replica's GPU count (the estimator splits the model over all of them, in the layout stated); the tensor-parallel spellings are those the calibration rows' sources use (vLLM -tp 8 and
# --tensor-parallel-size 8, SGLang --tp-size 8 and --tp 8, TensorRT-LLM --tp_size 8); or llama-server's -ngl
# (layers=True), taken where it puts every layer on the GPU, as the estimator models llama.cpp. Flags that change
# the server's speed in a way the estimator does not model are listed with the reason (refused=...: eager mode,
# torch.compile); any other flag is refused with the list of flags read. Flags that
# only name, address or log it (--host, --port, ...: modelled=False) are taken and said to change nothing, and so are
# a prefix cache (its hits are not modelled) and llama.cpp's flash attention (the fitted rates mix it on and off).
READ_FLAGS: dict[str, tuple[Flag, ...]] = {
    "vllm": (
        Flag(("--max-num-seqs",), VALUE, "sequences at once"),
        Flag(("--max-num-batched-tokens",), VALUE, "tokens per step"),
        Flag(("--max-model-len",), VALUE, "the longest request it takes"),
        Flag(("--num-gpu-blocks-override",), VALUE, "KV cache blocks"),
        Flag(("--block-size",), VALUE, "tokens per KV cache block"),
        Flag(("--enable-chunked-prefill",), MAYBE, "chunked prefill on or off", v0_only=True),
        Flag(("--no-enable-chunked-prefill",), NONE, "chunked prefill off", v0_only=True),
        Flag(("--num-scheduler-steps", "--num-scheduler-step"), VALUE, "decode steps per scheduler call", v0_only=True),
        _QUANTIZATION,
        _KV_DTYPE,
        Flag(("--tensor-parallel-size", "-tp"), VALUE, _TP_SETS, gpus=True),
        Flag(("--pipeline-parallel-size", "-pp"), VALUE, _PP_SETS, gpus=True),
        Flag(("--gpu-memory-utilization",), VALUE, _MEMORY_SHARE),
        Flag(("--enable-prefix-caching", "--no-enable-prefix-caching"), NONE, _PREFIX_CACHE, modelled=False),
        _model_flag("--model"),
        *_unmodelled(*_OPENAI_SERVER),
        # vllm/config/model.py ModelConfig.enforce_eager (0.20.0 wheel): "If True, we will disable CUDA graph and
        # always execute the model in eager mode."
        _refused(NONE, _NO_GRAPHS, "--enforce-eager"),
    ),
    "sglang": (
        _QUANTIZATION,
        _KV_DTYPE,
        Flag(("--enable-dp-attention",), NONE, "data-parallel attention, with --dp above 1"),
        Flag(("--dp", "--dp-size"), VALUE, "data-parallel attention ranks, with --enable-dp-attention"),
        Flag(("--mem-fraction-static",), VALUE, _MEMORY_SHARE),
        Flag(("--max-running-requests",), VALUE, "sequences at once"),
        Flag(("--context-length",), VALUE, "the longest request it takes"),
        Flag(("--tp-size", "--tp", "--tensor-parallel-size"), VALUE, _TP_SETS, gpus=True),
        Flag(("--pp-size", "--pipeline-parallel-size"), VALUE, _PP_SETS, gpus=True),
        Flag(("--disable-radix-cache",), NONE, _PREFIX_CACHE, modelled=False),
        _model_flag("--model-path", "--model"),
        *_unmodelled(*_OPENAI_SERVER, (("--log-level",), VALUE)),
        # sglang/srt/server_args.py (0.5.4.post2 wheel): "--disable-cuda-graph: Disable cuda graph.",
        # "--enable-torch-compile: Optimize the model with torch.compile. Experimental feature."
        _refused(NONE, _NO_GRAPHS, "--disable-cuda-graph"),
        _refused(
            NONE,
            "torch.compile changes its step time by an amount the estimator has no figure for",
            "--enable-torch-compile",
        ),
    ),
    "trtllm": (
        _QUANTIZATION,
        _KV_DTYPE,
        Flag(("--max_batch_size",), VALUE, "sequences at once"),
        Flag(("--max_num_tokens",), VALUE, "tokens per step"),
        Flag(("--max_seq_len",), VALUE, "the longest request it takes"),
        Flag(("--tp_size", "--tensor_parallel_size"), VALUE, _TP_SETS, gpus=True),
        Flag(("--pp_size",), VALUE, _PP_SETS, gpus=True),
        Flag(("--enable_attention_dp",), NONE, "data-parallel attention, one rank per GPU"),
        *_unmodelled(*_ADDRESS, (("--log_level",), VALUE), (("--trust_remote_code",), NONE)),
    ),
    "llamacpp": (
        Flag(("-np", "--parallel"), VALUE, "slots: sequences decoded at once, -1 auto"),
        Flag(("-c", "--ctx-size"), VALUE, "context tokens the slots share or split"),
        Flag(("-kvu", "--kv-unified"), NONE, "one KV cache for all slots"),
        Flag(("--no-kv-unified",), NONE, "the context split between the slots"),
        Flag(("-b", "--batch-size"), VALUE, "tokens per server step"),
        Flag(("-ngl", "--gpu-layers", "--n-gpu-layers"), VALUE, _NGL_SETS, layers=True),
        *_unmodelled(*_ADDRESS, (("--api-key",), VALUE), (("-a", "--alias"), VALUE), (("--metrics",), NONE)),
        # common/arg.cpp: "-m, --model FNAME: model path to load", "-hf, -hfr, --hf-repo <user>/<model>[:quant]: Hugging
        # Face model repository" (llama.cpp's stored copy, read 2026-12-07)
        _model_flag("-m", "--model"),
        _model_flag("-hf", "-hfr", "--hf-repo"),
        # llama.cpp common/arg.cpp: "-fa, --flash-attn [on|off|auto] set Flash Attention use ('on', 'off', or 'auto',
        # default: 'auto')" since about build b6343 (WasmEdge/WasmEdge#4343, 2025-09-01: "The type of flash attention
        # is changed from bool to string"; ggml-org/llama.cpp#15746, 2025-09-02, adds 1/0/-1 for on/off/auto); a bare
        # -fa (on) before. The estimator's llama.cpp rates are fitted on runs with it on, off and unstated (34 of the
        # 49 llama.cpp calibration rows' notes or engine_args mention it: 26 on, 2 off, 6 without a value), so it is
        # taken as the server the estimate is of, saying so
        # values: common/arg.cpp's common_arg_utils is_truthy (on, enabled, true, 1), is_falsey (off, disabled, false,
        # 0) and is_autoy (auto, -1), llama.cpp's stored copy read 2026-12-07
        Flag(("-fa", "--flash-attn"), MAYBE, _FLASH_ATTENTION, modelled=False, values=_FLASH_ATTENTION_VALUES),
        # "-ctk, --cache-type-k TYPE KV cache data type for K ... allowed values: f32, f16, bf16, q8_0, q4_0, q4_1,
        # iq4_nl, q5_0, q5_1 (default: f16)", -ctv the same for V (common/arg.cpp): the KV cache's bytes per value
        # (memory.GGML_KV_CACHE_TYPE_BYTES, from ggml's block sizes), which set the room for requests and the KV read
        # per decode step
        Flag(("-ctk", "--cache-type-k"), VALUE, _GGML_KV_SETS.format(part="K")),
        Flag(("-ctv", "--cache-type-v"), VALUE, _GGML_KV_SETS.format(part="V")),
    ),
    "mlx": (),
}
