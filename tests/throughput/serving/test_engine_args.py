"""A user's engine arguments: every flag the check lets through is one the parser reads; anything else is refused in
one line naming engine_args."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.throughput.serving.engine_args import MAYBE, NONE, READ_FLAGS, described, engine_arguments
from costcalc.throughput.serving.scheduler import parse_server_args

SAMPLE = {
    "--quantization": "fp8",
    "-q": "fp8",
    "--kv-cache-dtype": "fp8",
    "--mem-fraction-static": "0.8",
}  # else a count
# where a flag alone states nothing the parser keeps (llama-server's -kvu without -np or -c), the lines it changes
BASES = ("", "-np 4", "-np -1", "-c 8192")


@pytest.mark.parametrize(
    ("engine", "name", "takes"),
    [
        (engine, name, flag.takes)
        for engine, flags in READ_FLAGS.items()
        for flag in flags
        if not flag.gpus  # the tensor-parallel size is checked against the replica's GPUs, not parsed: below
        and flag.modelled  # the address / name / logging flags change nothing: below
        for name in flag.names
    ],
)
def test_every_flag_the_check_lets_through_changes_what_the_parser_reads(engine: str, name: str, takes: str) -> None:
    said = name if takes in (MAYBE, NONE) else f"{name} {SAMPLE.get(name, '64')}"
    assert any(
        parse_server_args(engine, f"{base} {said}") != parse_server_args(engine, base)
        for base in BASES
        if engine == "llamacpp" or not base
    ), said
    assert engine_arguments(engine, said, "0.6.3" if engine == "vllm" else None) is not None


@pytest.mark.parametrize(
    ("engine", "text", "version", "said"),
    [
        (
            "vllm",
            "--max-num-seqs 64 --gpu-memory-utilization 0.9",
            None,
            "'--gpu-memory-utilization' is not a flag the estimator reads for vllm; drop it (it reads --max-num-seqs,",
        ),
        ("sglang", "--chunked-prefill-size 4096", None, "'--chunked-prefill-size' is not a flag the estimator reads"),
        ("llamacpp", "-np 8 8", None, "'8' is not a flag (nor the value of one it reads); drop it or put the flag"),
        ("vllm", "--max-num-seqs", None, "--max-num-seqs needs a value (sequences at once); write it as"),
        ("vllm", "--max-num-seqs=0", None, "--max-num-seqs needs a positive whole number, got '0'"),
        ("llamacpp", "-np eight", None, "-np needs a whole number, got 'eight'"),
        ("mlx", "-np 4", None, "the estimator reads no mlx flag (got '-np'); drop the engine arguments"),
        ("vllm", "--num-scheduler-steps 8", None, "--num-scheduler-steps is read only for a vLLM release before 0.8.0"),
        ("vllm", "--no-enable-chunked-prefill", "0.8.5", "--no-enable-chunked-prefill is read only for a vLLM release"),
    ],
)
def test_a_flag_the_estimator_does_not_read_or_a_bad_value_is_refused_in_one_line(
    engine: str, text: str, version: str | None, said: str
) -> None:
    with pytest.raises(InputError) as info:
        engine_arguments(engine, text, version)
    assert info.value.param == "engine_args" and info.value.detail.startswith(said), info.value.detail
    assert "\n" not in str(info.value)


def test_the_flags_read_are_said_with_what_each_sets() -> None:
    checked = engine_arguments("llamacpp", " -np=8   -c 16384 -kvu ")
    assert checked is not None and checked.text == "-np=8 -c 16384 -kvu"
    assert checked.server.max_seqs == 8 and checked.server.llamacpp_slots is not None
    assert described("llamacpp", checked.text) == (
        "-np 8 (slots: sequences decoded at once, -1 auto), -c 16384 (context tokens the slots share or split),"
        " -kvu (one KV cache for all slots)"
    )
    assert engine_arguments("vllm", "  ") is None and engine_arguments("vllm", None) is None


@pytest.mark.parametrize(
    ("engine", "name"),
    [(engine, name) for engine, flags in READ_FLAGS.items() for flag in flags if flag.gpus for name in flag.names],
)
def test_a_tensor_parallel_size_is_taken_where_it_agrees_with_the_replicas_gpus(engine: str, name: str) -> None:
    """The lead (21:27): a real server command names its tensor-parallel size (vLLM -tp 8, SGLang --tp 8, TensorRT-LLM
    --tp_size 8) and was refused as a flag the estimator does not read. It is taken where it agrees with the GPUs
    the estimate is for (the estimator splits the model over all of them), refused naming both numbers where not."""
    stated = engine_arguments(engine, f"{name} 8", None, 8)
    assert stated is not None and stated.server == parse_server_args(engine, "")  # nothing else changes
    assert engine_arguments(engine, f"{name} 8", None, None) is not None  # the replica's GPUs not known here
    with pytest.raises(InputError) as info:
        engine_arguments(engine, f"{name} 8", None, 1)
    assert info.value.detail == (
        f"{name} 8 splits the model over 8 GPUs but the replica has 1 (--gpus, or the option's"
        f" hardware.gpus_per_replica); make them agree, or drop {name}"
    )
    with pytest.raises(InputError, match=f"{name} needs a whole number of GPUs, at least 1, got '0'"):
        engine_arguments(engine, f"{name} 0", None, 1)


@pytest.mark.parametrize(
    ("engine", "name", "takes"),
    [
        (engine, name, flag.takes)
        for engine, flags in READ_FLAGS.items()
        for flag in flags
        if not flag.modelled
        for name in flag.names
    ],
)
def test_a_pasted_commands_address_and_name_flags_are_taken_and_change_nothing(
    engine: str, name: str, takes: str
) -> None:
    """The lead (session 13): a real server command line carries --host / --port / a served name, which were refused
    as flags the estimator does not read. They are taken, said to change nothing, and the estimate is the one
    without them."""
    said = name if takes == NONE else f"{name} 8000"
    read = READ_FLAGS[engine][0].names[0]
    base = f"{read} {SAMPLE.get(read, '64')}"
    checked = engine_arguments(engine, f"{said} {base}", "0.6.3" if engine == "vllm" else None)
    alone = engine_arguments(engine, base, "0.6.3" if engine == "vllm" else None)
    assert checked is not None and alone is not None and checked.server == alone.server
    assert described(engine, checked.text).startswith(f"{said} (not modelled: ")


def test_the_refusal_lists_only_the_flags_that_change_the_estimate() -> None:
    with pytest.raises(InputError) as info:
        engine_arguments("llamacpp", "-ngl 99")
    assert "--host" not in info.value.detail and "-np/--parallel" in info.value.detail
