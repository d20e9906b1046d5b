"""A pasted server command's program words (vllm serve MODEL, llama-server, ...): the engine's own, naming its model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from costcalc.catalog.specs import ModelSpec
from costcalc.errors import InputError
from costcalc.throughput.serving.engine_flags import NONE, Flag


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


def check_program(engine: str, words: list[str]) -> tuple[Program | None, int]:
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


def check_model(read: list[tuple[str, Flag]], model: ModelSpec | None) -> None:
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
