"""A user's engine arguments (estimate --engine-args, the API's engine_args, a scenario option's): only the flags the
estimator reads, each checked, then parsed by the one server-argument parser (server_args.parse_server_args)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from costcalc.catalog.specs import ModelSpec
from costcalc.errors import InputError
from costcalc.throughput.serving.engine_flags import MAYBE, READ_FLAGS, VALUE, Flag
from costcalc.throughput.serving.scheduler import VLLM_V1_DEFAULT_VERSION, parse_version
from costcalc.throughput.serving.server_args import MAX_SEQS_FLAG, ServerArgs, parse_server_args, server_words
from costcalc.throughput.serving.server_command import check_model, check_program
from costcalc.words import count, counted


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
    word, a missing or malformed value, a vLLM V0 flag on a V1 release, tensor- and pipeline-parallel sizes that do
    not run on `gpu_count` (the replica's GPUs; ServerArgs.layout), or llama-server's -ngl keeping part of `model` on the CPU (gpu_count / model
    None: not known here, checked where they are). engine: a checked engine name (estimate.check_engine)."""
    if text is None or not text.strip():
        return None
    read = _read(engine, text, engine_version)
    if not read:  # '=' alone: no word is left once '=' splits a flag from its value
        raise InputError(f"{text.strip()!r} names no flag; drop it", param="engine_args")
    check_model(read, model)
    each = _last_of_each(read)  # a flag stated twice: the servers keep the last
    sizes = sum(flag.gpus for _, flag in each)  # a tensor- and a pipeline-parallel size: their product is checked below
    for said, flag in each:
        if flag.gpus:
            _check_gpus(said, gpu_count if sizes == 1 else None)
        if flag.layers:
            _check_layers(said, model)
    try:
        server = parse_server_args(engine, text)
        if gpu_count is not None:
            server.layout(gpu_count)  # the layout the sizes state runs on the replica's GPUs (estimate() takes it)
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
    program, taken = check_program(engine, words)
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
    click and llama-server's parser all keep the last of a repeated flag (server_args.parse_server_args reads the
    same)."""
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
    program, i = check_program(engine, words)  # a pasted command's program words (and the model after them)
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
    """A tensor- or pipeline-parallel flag ('-tp 8') is a whole number of GPUs, the replica's own where that is known
    (None: not known, or both sizes stated, whose product ServerArgs.layout checks)."""
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
