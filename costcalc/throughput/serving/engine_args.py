"""A user's engine arguments (estimate --engine-args, the API's engine_args, a scenario option's): only the flags the
estimator reads, each checked, then parsed by the one server-argument parser (scheduler.parse_server_args)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from costcalc.catalog.specs import ModelSpec
from costcalc.errors import InputError
from costcalc.throughput.serving.scheduler import (
    MAX_SEQS_FLAG,
    VLLM_V1_DEFAULT_VERSION,
    ServerArgs,
    parse_server_args,
    parse_version,
    server_words,
)
from costcalc.words import count, counted

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
    """A flag naming the model a pasted command serves: taken where it names the option's model (_check_model)."""
    return Flag(names, VALUE, _MODEL_SETS, modelled=False, model=True)


_KV_DTYPE = Flag(("--kv-cache-dtype",), VALUE, "the KV cache's element type")
_TP_SETS = "GPUs the model is split over, the replica's"
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
# Every flag here is one scheduler.parse_server_args reads for that engine (a test checks each changes its result),
# or the tensor-parallel size (gpus=True), which must agree with the replica's GPU count (the estimator splits the
# model over all of them); its spellings are those the calibration rows' sources use (vLLM -tp 8 and
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


@dataclass(frozen=True)
class Program:
    """The words a pasted server command starts with: its program (and subcommand), and whether the model served is
    the word after them (vllm serve MODEL, trtllm-serve MODEL) rather than a flag's value (--model-path, -m)."""

    words: tuple[str, ...]
    model_next: bool = False

    def flag(self, engine: str, model: bool) -> Flag:
        """The program words as a read entry: taken, changing nothing; with the model after them where `model`."""
        sets = f"not modelled: {engine}'s server program" + (
            " and the model served, the one estimated" if model else ""
        )
        return Flag((), NONE, sets, modelled=False, model=model)


_PYTHON = "python"  # python, python3, python3.12: any of them runs `-m MODULE`
# How each engine's server is started, as its own documentation writes it: "vllm serve <model>" (and the older
# OpenAI server module, `python -m vllm.entrypoints.openai.api_server --model <model>`); "python -m
# sglang.launch_server --model-path <model>"; "trtllm-serve [OPTIONS] MODEL" (nvidia.github.io/TensorRT-LLM
# commands/trtllm-serve, 0.18.2 to latest, read 2026-12-07; `trtllm-serve serve MODEL` in the releases whose
# trtllm-serve is a group of commands); llama-server (-m FILE or -hf REPO); MLX's "mlx_lm.server --model <model>",
# whose flags the estimator does not read. Longer forms first: a program is matched by its first words.
PROGRAMS: dict[str, tuple[Program, ...]] = {
    "vllm": (
        Program(("vllm", "serve"), model_next=True),
        Program((_PYTHON, "-m", "vllm.entrypoints.openai.api_server")),
    ),
    "sglang": (Program((_PYTHON, "-m", "sglang.launch_server")),),
    "trtllm": (Program(("trtllm-serve", "serve"), model_next=True), Program(("trtllm-serve",), model_next=True)),
    "llamacpp": (Program(("llama-server",)),),
    "mlx": (Program((_PYTHON, "-m", "mlx_lm.server")), Program(("mlx_lm.server",))),
}


def _program(words: list[str]) -> tuple[str, Program] | None:
    """(engine, program) whose words a command line starts with; None where it starts with no server's program."""
    for engine, programs in PROGRAMS.items():
        for program in programs:
            if _starts(words, program.words):
                return engine, program
    return None


def _starts(typed: list[str], words: tuple[str, ...]) -> bool:
    """Whether typed words start with a program's: its first by name (./llama-server, /opt/venv/bin/vllm; python,
    python3 or python3.12 for python), the rest as written."""
    if len(typed) < len(words):
        return False
    first = typed[0].rsplit("/", 1)[-1]
    head = re.fullmatch(r"python(3(\.\d+)?)?", first) is not None if words[0] == _PYTHON else first == words[0]
    return head and typed[1 : len(words)] == list(words[1:])


def _check_program(engine: str, words: list[str]) -> tuple[Program | None, int]:
    """The command's program where it is `engine`'s own, with the words it takes (its model's too); InputError where it
    is another engine's."""
    found = _program(words)
    if found is None:
        return None, 0
    started, program = found
    said = " ".join(words[: len(program.words)])
    if started != engine:
        raise InputError(
            f"{said!r} starts {started}'s server, but the engine is {engine}; set the engine to {started}, or paste"
            f" {engine}'s own command ({_own_command(engine)}) or its flags alone",
            param="engine_args",
        )
    taken = len(program.words)
    if program.model_next and taken < len(words) and not words[taken].startswith("-"):
        taken += 1  # the model served
    return program, taken


def _own_command(engine: str) -> str:
    """How `engine`'s server command starts, as a message names it: 'vllm serve MODEL ...'."""
    program = PROGRAMS[engine][0]
    model = " MODEL" if program.model_next else ""
    return f"{' '.join(program.words)}{model} ..."


def _check_model(read: list[tuple[str, Flag]], model: ModelSpec | None) -> None:
    """A model a pasted command names (vllm serve MODEL, --model-path, llama-server's -m / -hf) is the option's own:
    its catalog id, its Hugging Face repo or that repo's name within the word ('Qwen/Qwen3-32B-FP8',
    '/models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf'); InputError naming both otherwise (None: the model is not
    known here, checked where it is)."""
    if model is None:
        return
    for said, flag in read:
        named = said.split()[-1]  # a model flag's value, the word after a program's
        if flag.model and not _names_model(named, model):
            raise InputError(
                f"{said!r} serves {named}, but the model is {model.id} ({model.hf_repo}); serve {model.hf_repo} there,"
                f" or drop {named} (the estimate is of {model.id})",
                param="engine_args",
            )


def _names_model(named: str, model: ModelSpec) -> bool:
    """Whether a model name or path is `model`: its id or its repo's name within it, bounded (llama-3.1-8b is not in
    llama-3.1-8b0, nor deepseek-v3 in deepseek-v3.2)."""
    word = named.lower().split(":", 1)[0]  # llama-server's -hf REPO:QUANT
    if word == model.hf_repo.lower():
        return True
    for name in (model.id.lower(), model.hf_repo.lower().rsplit("/", 1)[-1]):
        for match in re.finditer(re.escape(name), word):
            before, after = word[: match.start()], word[match.end() :]
            if (not before or not before[-1].isalnum()) and not re.match(r"[a-z0-9]|\.\d", after):
                return True
    return False


@dataclass(frozen=True)
class EngineArgs:
    """Checked engine arguments: the flags as read (one space between words) and what the parser made of them."""

    text: str
    server: ServerArgs


def engine_arguments(
    engine: str,
    text: str | None,
    engine_version: str | None = None,
    gpu_count: int | None = None,
    model: ModelSpec | None = None,
) -> EngineArgs | None:
    """The flags a user states for `engine` (None or blank: none), each one the estimator reads, with its value;
    InputError naming `engine_args` otherwise: an unknown flag, one whose effect is not modelled (with why), a stray
    word, a missing or malformed value, a vLLM V0 flag on a V1 release, a tensor-parallel size other than
    `gpu_count` (the replica's GPUs), or llama-server's -ngl keeping part of `model` on the CPU (gpu_count / model
    None: not known here, checked where they are). engine: a checked engine name (estimate.check_engine)."""
    if text is None or not text.strip():
        return None
    read = _read(engine, text, engine_version)
    if not read:  # '=' alone: no word is left once '=' splits a flag from its value
        raise InputError(f"{text.strip()!r} names no flag; drop it", param="engine_args")
    _check_model(read, model)
    for said, flag in _last_of_each(read):  # a flag stated twice: the servers keep the last
        if flag.gpus:
            _check_gpus(said, gpu_count)
        if flag.layers:
            _check_layers(said, model)
    try:
        server = parse_server_args(engine, text)
    except ValueError as exc:
        raise InputError(str(exc), param="engine_args") from None
    if engine == "vllm" and server.tokens_per_step is not None:
        _check_step_tokens(server.tokens_per_step, server.max_seqs)
    return EngineArgs(" ".join(text.split()), server)


# vLLM starts no server whose token budget a step is below the sequences it runs at once: SchedulerConfig
# verify_max_model_len raises "max_num_batched_tokens (N) must be greater than or equal to max_num_seqs (M)."
# (vllm/config/scheduler.py of the 0.20.0 wheel; _verify_args in earlier sources). Unstated, max_num_seqs is 256, or
# 1,024 on GPUs of 70 GiB or more but A100s (EngineArgs.get_batch_defaults, 0.20.0; 256 in the V0 releases); 0.20.0
# lowers an unstated one to a stated --max-num-batched-tokens (_set_default_max_num_seqs_and_batched_tokens_args)
# where earlier releases refuse to start, so a budget below the smallest default needs its --max-num-seqs stated.
VLLM_SMALLEST_DEFAULT_SEQS = 256


def _check_step_tokens(tokens: int, seqs: int | None) -> None:
    """A vLLM --max-num-batched-tokens at least the sequences it runs at once (stated, or the smallest default)."""
    if seqs is not None and tokens < seqs:
        raise InputError(
            f"--max-num-batched-tokens {tokens} is below --max-num-seqs {seqs}: vLLM starts no such server"
            f' ("max_num_batched_tokens ({tokens}) must be greater than or equal to max_num_seqs ({seqs})");'
            f" raise --max-num-batched-tokens to {seqs} or more, or lower --max-num-seqs",
            param="engine_args",
        )
    if seqs is None and tokens < VLLM_SMALLEST_DEFAULT_SEQS:
        raise InputError(
            f"--max-num-batched-tokens {tokens} is below the {VLLM_SMALLEST_DEFAULT_SEQS} or"
            f" {count(4 * VLLM_SMALLEST_DEFAULT_SEQS)} sequences vLLM runs at once by default, which some releases"
            f" refuse and 0.20.0 lowers to {tokens}; state --max-num-seqs {tokens} or fewer with it, or raise"
            f" --max-num-batched-tokens to {VLLM_SMALLEST_DEFAULT_SEQS} or more",
            param="engine_args",
        )


def flags_only(engine: str, text: str) -> str:
    """Checked engine arguments without a pasted command's program words and the model after them: 'vllm serve M
    --max-num-seqs 64' -> '--max-num-seqs 64' (a report's configuration, which names the engine itself)."""
    words = server_words(text)
    program, taken = _check_program(engine, words)
    return " ".join(text.split()) if program is None else shlex.join(words[taken:])


def described(engine: str, text: str) -> str:
    """What each flag of checked engine arguments sets: '-np 8 (slots: sequences decoded at once), -c 16384 (...)'."""
    return ", ".join(described_each(engine, text))


def described_each(engine: str, text: str) -> list[str]:
    """described's parts, one per flag: ['-np 8 (slots: sequences decoded at once, -1 auto)', '-c 16384 (...)']; a flag
    stated twice once, with the value the server keeps (the last)."""
    return [f"{said} ({flag.sets})" for said, flag in _last_of_each(_read(engine, text, None, checked=True))]


def _last_of_each(read: list[tuple[str, Flag]]) -> list[tuple[str, Flag]]:
    """Each flag once, where it was first stated, with its last value: vLLM's and SGLang's argparse, trtllm-serve's
    click and llama-server's parser all keep the last of a repeated flag (scheduler.parse_server_args reads the same)."""
    last: dict[Flag, str] = {}
    for said, flag in read:
        last[flag] = said
    return [(said, flag) for flag, said in last.items()]


def _read(engine: str, text: str, engine_version: str | None, *, checked: bool = False) -> list[tuple[str, Flag]]:
    """Each flag of `text` with its value as written ('-np 8'), and the Flag it is; InputError naming engine_args at
    the first word the estimator does not read (checked: the text passed engine_arguments already)."""
    flags = READ_FLAGS.get(engine, ())
    known = {name: flag for flag in flags for name in flag.names}
    try:
        words = server_words(text)
    except ValueError as exc:
        raise InputError(str(exc), param="engine_args") from None
    out: list[tuple[str, Flag]] = []
    program, i = _check_program(engine, words)  # a pasted command's program words (and the model after them)
    if program is not None:
        out.append((" ".join(words[:i]), program.flag(engine, model=i > len(program.words))))
    while i < len(words):
        word = words[i]
        flag = known.get(word)
        if flag is None:
            raise InputError(_unread(engine, word, flags), param="engine_args")
        if flag.refused:
            raise InputError(
                f"{word} changes the server's speed in a way the estimator does not model: {flag.refused}; drop it to"
                " estimate the server without it",
                param="engine_args",
            )
        if flag.v0_only and not checked and _v1(engine_version):
            raise InputError(
                f"{word} is read only for a vLLM release before 0.8.0 (the V0 engine's flag; the estimator's V1"
                f" scheduler does not take it); state such a release as the engine version (0.6.3, for example) or"
                f" drop {word}",
                param="engine_args",
            )
        start = i
        if flag.takes == VALUE:
            if i + 1 >= len(words):
                example = _VALUE_WORDS.get(flag.names[0], "N")
                raise InputError(
                    f"{word} needs a value ({flag.sets}); write it as {word} {example}", param="engine_args"
                )
            i += 1
        elif flag.takes == MAYBE and i + 1 < len(words) and _maybe_value(flag, words[i + 1]):
            i += 1
        out.append((" ".join(words[start : i + 1]), flag))
        i += 1
    return out


# what a value looks like where it is not a number, as a missing value's message writes it (-ctk q8_0, not -ctk N)
_VALUE_WORDS = {
    "--quantization": "fp8",
    "--kv-cache-dtype": "fp8",
    "-ctk": "q8_0",
    "-ctv": "q8_0",
    "--model": "MODEL",
    "--model-path": "MODEL",
    "-m": "FILE",
    "-hf": "USER/MODEL",
    "--host": "HOST",
    "--served-model-name": "NAME",
    "--api-key": "KEY",
    "-a": "NAME",
    "--log-level": "LEVEL",
    "--log_level": "LEVEL",
}


def _maybe_value(flag: Flag, word: str) -> bool:
    """Whether `word` is the value of a flag that may take one: one of its known values, else any word that is not a
    flag."""
    return word in flag.values if flag.values else not word.startswith("-")


def _check_gpus(said: str, gpu_count: int | None) -> None:
    """A tensor-parallel flag ('-tp 8') is a whole number of GPUs, the replica's own where that is known."""
    name, _, value = said.partition(" ")
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{name} needs a whole number of GPUs, at least 1, got {value!r}", param="engine_args")
    if gpu_count is not None and int(value) != gpu_count:
        raise InputError(
            f"{said} splits the model over {counted(int(value), 'GPU')} but the replica has {count(gpu_count)} (--gpus, or"
            f" the option's hardware.gpus_per_replica); make them agree, or drop {name}",
            param="engine_args",
        )


def _check_layers(said: str, model: ModelSpec | None) -> None:
    """llama-server's -ngl N puts every layer on the GPU when N is more than the model's layers: llama.cpp's
    load_tensors counts the output layer as one more (i_gpu_start = max(n_layer - n_gpu_layers, 0), act_gpu_layers =
    min(n_gpu_layers, n_layer + 1), the output layer the n_layer-th: src/llama-model.cpp, ggml-org/llama.cpp @00342301,
    read 2026-12-06; later builds start the GPU layers at n_layer + 1 - n_gpu_layers, the same count). 'all' is every
    layer in the builds that take it (common/arg.cpp: "either an exact number, 'auto', or 'all'"). A smaller N (partial
    offload) and 'auto' / a negative N, whose layer count llama-server picks by release and free memory, are refused:
    the estimator models llama.cpp with every layer on the GPU."""
    name, _, value = said.partition(" ")
    word = value.strip().lower()
    if word == "all":
        return
    every = "all" if model is None else f"{model.layers + 1} or more (or all)"
    if word == "auto" or (word.startswith("-") and word[1:].isdigit()):
        raise InputError(
            f"{said} leaves the layers on the GPU to llama-server, which picks them by release and free memory;"
            f" the estimator models every layer on the GPU: state {name} {every}, or drop {name}",
            param="engine_args",
        )
    if not word.isdigit():
        raise InputError(f"{name} takes a number of layers or 'all', got {value!r}", param="engine_args")
    if model is not None and int(word) <= model.layers:
        raise InputError(
            f"{said} puts {word} of {model.id}'s {count(model.layers + 1)} offloadable layers ({count(model.layers)}"
            f" and the output layer) on the GPU and the rest on the CPU: partial offload is not modelled (the"
            f" estimator runs every layer on the GPU); use {name} {every}",
            param="engine_args",
        )


def _unread(engine: str, word: str, flags: tuple[Flag, ...]) -> str:
    """Why `word` is refused, with the flags the estimator reads for `engine`."""
    if not flags:
        return f"the estimator reads no {engine} flag (got {word!r}); drop the engine arguments"
    if not word.startswith("-"):
        return (
            f"{word!r} is not a flag (nor the value of one it reads); drop it or put the flag it belongs to before it"
        )
    listed = ", ".join("/".join(f.names) for f in flags if f.modelled and not f.refused)
    return f"{word!r} is not a flag the estimator reads for {engine}; drop it (it reads {listed})"


def _v1(engine_version: str | None) -> bool:
    """Whether a vLLM release (None: today's) runs the V1 engine."""
    return (
        engine_version is None or not engine_version.strip() or parse_version(engine_version) >= VLLM_V1_DEFAULT_VERSION
    )


def waiting_note(engine: str, asked: int, running: int, stated: bool) -> str:
    """The one line for requests asked for beyond the server's limit: how many wait, and the flag that runs them all.
    stated: the limit is the engine arguments' own (-np, --max-num-seqs, --max-running-requests), not llama-server's
    unasked slots nor an older vLLM release's default sequences (scheduler.release_defaults)."""
    waiting = f"{count(asked - running)} of the {count(asked)} requests in flight wait"
    if engine == "llamacpp":
        started = f"with -np {running}" if stated else "without -np"
        return (
            f"{waiting} for a slot: llama-server started {started} decodes at most {count(running)} at once; to decode"
            f" {count(asked)}, start it with -np {asked} (estimate that with --engine-args '-np {asked}')"
        )
    flag = MAX_SEQS_FLAG.get(engine, "--max-num-seqs")
    started = f"started with {flag} {running}" if stated else f"with its release's default {flag} {running}"
    return (
        f"{waiting}: {engine} {started} runs at most {count(running)} at once; to run"
        f" {count(asked)}, start it with {flag} {asked} (estimate that with --engine-args '{flag} {asked}')"
    )
