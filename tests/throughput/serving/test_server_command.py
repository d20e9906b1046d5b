"""A pasted server command: its engine's program words and the option's model are taken; another's are refused."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_model
from costcalc.errors import InputError
from costcalc.throughput.serving.engine_args import described, engine_arguments

LLAMA_8B = get_model("llama-3.1-8b")


@pytest.mark.parametrize(
    ("engine", "command", "flags"),
    [
        ("vllm", "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-num-seqs 64", "--max-num-seqs 64"),
        (
            "vllm",
            "/opt/venv/bin/vllm serve RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8 --max-num-seqs 64",
            "--max-num-seqs 64",
        ),
        (
            "vllm",
            "python3 -m vllm.entrypoints.openai.api_server --model meta-llama/Llama-3.1-8B-Instruct --max-num-seqs 64",
            "--max-num-seqs 64",
        ),
        (
            "sglang",
            "python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --mem-fraction-static 0.8",
            "--mem-fraction-static 0.8",
        ),
        ("trtllm", "trtllm-serve meta-llama/Llama-3.1-8B-Instruct --max_batch_size 64", "--max_batch_size 64"),
        ("trtllm", "trtllm-serve serve llama-3.1-8b --max_batch_size 64", "--max_batch_size 64"),
        ("llamacpp", "./llama-server -m /models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf -np 4", "-np 4"),
        ("llamacpp", "llama-server -hf unsloth/Llama-3.1-8B-Instruct-GGUF:Q4_K_M -np 4", "-np 4"),
    ],
)
def test_a_pasted_command_of_the_engines_own_server_is_read_as_its_flags(engine: str, command: str, flags: str) -> None:
    """A command line pasted whole was refused at its first word ('vllm' is not a flag); the program words of the
    engine's own server and the option's model named there are taken, and the flags read as they are alone."""
    pasted = engine_arguments(engine, command, None, 1, LLAMA_8B)
    alone = engine_arguments(engine, flags, None, 1, LLAMA_8B)
    assert pasted is not None and alone is not None and pasted.server == alone.server
    assert described(engine, pasted.text).startswith(command.split(" -")[0].split(" --")[0].split()[0])


@pytest.mark.parametrize(
    ("engine", "command", "named"),
    [
        ("vllm", "vllm serve Qwen/Qwen3-32B --max-num-seqs 64", "Qwen/Qwen3-32B"),
        ("vllm", "vllm serve /models/my-finetune", "/models/my-finetune"),
        ("sglang", "python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B-Instruct", "Llama-3.1-70B"),
        ("llamacpp", "llama-server -m /models/qwen3-8b-q4_k_m.gguf -np 4", "qwen3-8b-q4_k_m.gguf"),
        ("trtllm", "trtllm-serve meta-llama/Llama-3.1-80B-Instruct", "Llama-3.1-80B-Instruct"),
    ],
)
def test_a_pasted_command_serving_another_model_is_refused_naming_both(engine: str, command: str, named: str) -> None:
    with pytest.raises(InputError) as caught:
        engine_arguments(engine, command, None, 1, LLAMA_8B)
    detail = caught.value.detail
    assert named in detail and "but the model is llama-3.1-8b (meta-llama/Llama-3.1-8B-Instruct)" in detail
    assert "\n" not in detail


def test_a_model_named_close_to_the_options_is_not_taken_for_it() -> None:
    """DeepSeek-V3.2 is not DeepSeek-V3: a name is matched whole, not as a prefix."""
    with pytest.raises(InputError, match="but the model is deepseek-v3 "):
        engine_arguments("vllm", "vllm serve deepseek-ai/DeepSeek-V3.2", None, 8, get_model("deepseek-v3"))
    assert engine_arguments("vllm", "vllm serve deepseek-ai/DeepSeek-V3.2", None, 8, get_model("deepseek-v3.2"))


@pytest.mark.parametrize(
    ("engine", "command", "started"),
    [
        ("vllm", "python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct", "sglang"),
        ("sglang", "vllm serve meta-llama/Llama-3.1-8B-Instruct", "vllm"),
        ("llamacpp", "trtllm-serve meta-llama/Llama-3.1-8B-Instruct", "trtllm"),
        ("trtllm", "/usr/local/bin/llama-server -np 4", "llamacpp"),
    ],
)
def test_another_engines_server_command_is_refused_in_one_line(engine: str, command: str, started: str) -> None:
    with pytest.raises(InputError) as caught:
        engine_arguments(engine, command)
    detail = caught.value.detail
    assert f"starts {started}'s server, but the engine is {engine}; set the engine to {started}" in detail
    assert "\n" not in detail
