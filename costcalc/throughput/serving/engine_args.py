"""A user's engine arguments (estimate --engine-args, the API's engine_args, a scenario option's): only the flags the
estimator reads, each checked, then parsed by the one server-argument parser (scheduler.parse_server_args)."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.errors import InputError
from costcalc.throughput.serving.scheduler import VLLM_V1_DEFAULT_VERSION, ServerArgs, parse_server_args, parse_version
from costcalc.words import count

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


_QUANTIZATION = Flag(("--quantization", "-q"), VALUE, "the checkpoint's quantisation method: weights memory, math rate")
_KV_DTYPE = Flag(("--kv-cache-dtype",), VALUE, "the KV cache's element type")
_TP_SETS = "GPUs the model is split over, the replica's"
_UNMODELLED = "not modelled: no effect on throughput"


def _unmodelled(*flags: tuple[tuple[str, ...], str]) -> tuple[Flag, ...]:
    """Flags of a real command line that only name, address or log the server (taken, said, changing nothing)."""
    return tuple(Flag(names, takes, _UNMODELLED, modelled=False) for names, takes in flags)


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
# --tensor-parallel-size 8, SGLang --tp-size 8 and --tp 8, TensorRT-LLM --tp_size 8). The rest of a real command
# line that changes what a server serves (--gpu-memory-utilization, -ngl, ...) is refused; flags that only name,
# address or log it (--host, --port, ...: modelled=False) are taken and said to change nothing.
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
        *_unmodelled(*_OPENAI_SERVER),
    ),
    "sglang": (
        _QUANTIZATION,
        _KV_DTYPE,
        Flag(("--enable-dp-attention",), NONE, "data-parallel attention, with --dp above 1"),
        Flag(("--dp", "--dp-size"), VALUE, "data-parallel attention ranks, with --enable-dp-attention"),
        Flag(("--mem-fraction-static",), VALUE, "each GPU's memory share for weights and the KV cache"),
        Flag(("--tp-size", "--tp", "--tensor-parallel-size"), VALUE, _TP_SETS, gpus=True),
        *_unmodelled(*_OPENAI_SERVER, (("--log-level",), VALUE)),
    ),
    "trtllm": (_QUANTIZATION, _KV_DTYPE, Flag(("--tp_size",), VALUE, _TP_SETS, gpus=True), *_unmodelled(*_ADDRESS)),
    "llamacpp": (
        Flag(("-np", "--parallel"), VALUE, "slots: sequences decoded at once, -1 auto"),
        Flag(("-c", "--ctx-size"), VALUE, "context tokens the slots share or split"),
        Flag(("-kvu", "--kv-unified"), NONE, "one KV cache for all slots"),
        Flag(("--no-kv-unified",), NONE, "the context split between the slots"),
        Flag(("-b", "--batch-size"), VALUE, "tokens per server step"),
        *_unmodelled(*_ADDRESS, (("--api-key",), VALUE), (("-a", "--alias"), VALUE), (("--metrics",), NONE)),
    ),
    "mlx": (),
}


@dataclass(frozen=True)
class EngineArgs:
    """Checked engine arguments: the flags as read (one space between words) and what the parser made of them."""

    text: str
    server: ServerArgs


def engine_arguments(
    engine: str, text: str | None, engine_version: str | None = None, gpu_count: int | None = None
) -> EngineArgs | None:
    """The flags a user states for `engine` (None or blank: none), each one the estimator reads, with its value;
    InputError naming `engine_args` otherwise: an unknown flag, a stray word, a missing or malformed value, a vLLM
    V0 flag on a V1 release, or a tensor-parallel size other than `gpu_count` (the replica's GPUs; None: not
    known here, checked where it is). engine: a checked engine name (estimate.check_engine)."""
    if text is None or not text.strip():
        return None
    for said, flag in _read(engine, text, engine_version):
        if flag.gpus:
            _check_gpus(said, gpu_count)
    try:
        server = parse_server_args(engine, text)
    except ValueError as exc:
        raise InputError(str(exc), param="engine_args") from None
    return EngineArgs(" ".join(text.split()), server)


def described(engine: str, text: str) -> str:
    """What each flag of checked engine arguments sets: '-np 8 (slots: sequences decoded at once), -c 16384 (...)'."""
    return ", ".join(described_each(engine, text))


def described_each(engine: str, text: str) -> list[str]:
    """described's parts, one per flag: ['-np 8 (slots: sequences decoded at once, -1 auto)', '-c 16384 (...)']."""
    return [f"{said} ({flag.sets})" for said, flag in _read(engine, text, None, checked=True)]


def _read(engine: str, text: str, engine_version: str | None, *, checked: bool = False) -> list[tuple[str, Flag]]:
    """Each flag of `text` with its value as written ('-np 8'), and the Flag it is; InputError naming engine_args at
    the first word the estimator does not read (checked: the text passed engine_arguments already)."""
    flags = READ_FLAGS.get(engine, ())
    known = {name: flag for flag in flags for name in flag.names}
    words = text.replace("=", " ").split()
    out: list[tuple[str, Flag]] = []
    i = 0
    while i < len(words):
        word = words[i]
        flag = known.get(word)
        if flag is None:
            raise InputError(_unread(engine, word, flags), param="engine_args")
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
                raise InputError(f"{word} needs a value ({flag.sets}); write it as {word} N", param="engine_args")
            i += 1
        elif flag.takes == MAYBE and i + 1 < len(words) and not words[i + 1].startswith("-"):
            i += 1
        out.append((" ".join(words[start : i + 1]), flag))
        i += 1
    return out


def _check_gpus(said: str, gpu_count: int | None) -> None:
    """A tensor-parallel flag ('-tp 8') is a whole number of GPUs, the replica's own where that is known."""
    name, _, value = said.partition(" ")
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{name} needs a whole number of GPUs, at least 1, got {value!r}", param="engine_args")
    if gpu_count is not None and int(value) != gpu_count:
        raise InputError(
            f"{said} splits the model over {count(int(value))} GPUs but the replica has {count(gpu_count)} (--gpus, or"
            f" the option's hardware.gpus_per_replica); make them agree, or drop {name}",
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
    listed = ", ".join("/".join(f.names) for f in flags if f.modelled)
    return f"{word!r} is not a flag the estimator reads for {engine}; drop it (it reads {listed})"


def _v1(engine_version: str | None) -> bool:
    """Whether a vLLM release (None: today's) runs the V1 engine."""
    return (
        engine_version is None or not engine_version.strip() or parse_version(engine_version) >= VLLM_V1_DEFAULT_VERSION
    )


def waiting_note(engine: str, asked: int, running: int, stated: bool) -> str:
    """The one line for requests asked for beyond the server's limit: how many wait, and the flag that runs them all.
    stated: the limit is the engine arguments' own (-np, --max-num-seqs), not llama-server's unasked slots."""
    waiting = f"{count(asked - running)} of the {count(asked)} requests in flight wait"
    if engine == "llamacpp":
        started = f"with -np {running}" if stated else "without -np"
        return (
            f"{waiting} for a slot: llama-server started {started} decodes at most {count(running)} at once; to decode"
            f" {count(asked)}, start it with -np {asked} (estimate that with --engine-args '-np {asked}')"
        )
    return (
        f"{waiting}: {engine} started with --max-num-seqs {running} runs at most {count(running)} at once; to run"
        f" {count(asked)}, start it with --max-num-seqs {asked} (estimate that with --engine-args"
        f" '--max-num-seqs {asked}')"
    )
