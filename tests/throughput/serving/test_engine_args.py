"""A user's engine arguments: every flag the check lets through is one the parser reads; anything else is refused in
one line naming engine_args."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from costcalc.catalog import get_model
from costcalc.errors import InputError
from costcalc.throughput.serving.engine_args import described, engine_arguments
from costcalc.throughput.serving.engine_flags import MAYBE, NONE, READ_FLAGS
from costcalc.throughput.serving.server_args import parse_server_args

SAMPLE = {
    "--quantization": "fp8",
    "-q": "fp8",
    "--kv-cache-dtype": "fp8",
    "-fa": "on",  # llama-server's values only (on/off/auto/1/0/-1 ...)
    "--flash-attn": "on",
    "-ctk": "q8_0",
    "--cache-type-k": "q8_0",
    "-ctv": "q8_0",
    "--cache-type-v": "q8_0",
    "--mem-fraction-static": "0.8",
    "--gpu-memory-utilization": "0.8",
    "--max-num-batched-tokens": "2048",  # at least vLLM's default sequences at once (256 or 1,024)
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
        and not flag.layers  # llama-server's -ngl is checked against the model's layers, not parsed: below
        and not flag.refused  # flags whose effect is not modelled are refused with why: below
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
            "--max-num-seqs 64 --swap-space 4",
            None,
            "'--swap-space' is not a flag the estimator reads for vllm; drop it (it reads --max-num-seqs,",
        ),
        ("vllm", "--gpu-memory-utilization 95", None, "--gpu-memory-utilization takes a share of the GPU's memory"),
        ("vllm", " = ", None, "'=' names no flag; drop it"),  # qa14: taken as no flag, estimate crashed rendering it
        (  # qa14: a budget of 1 token a step ran the serving simulation for 95 s; vLLM starts no such server
            "vllm",
            "--max-num-batched-tokens 32 --max-num-seqs 64",
            None,
            "--max-num-batched-tokens 32 is below --max-num-seqs 64: vLLM starts no such server"
            ' ("max_num_batched_tokens (32) must be greater than or equal to max_num_seqs (64)"); raise'
            " --max-num-batched-tokens to 64 or more, or lower --max-num-seqs",
        ),
        (
            "vllm",
            "--max-num-batched-tokens 1",
            None,
            "--max-num-batched-tokens 1 is below the 256 or 1,024 sequences vLLM runs at once by default, which some"
            " releases refuse and 0.20.0 lowers to 1; state --max-num-seqs 1 or fewer with it, or raise"
            " --max-num-batched-tokens to 256 or more",
        ),
        ("llamacpp", "==", None, "'==' names no flag; drop it"),
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
    assert stated is not None and stated.server.parallel_said == f"{name} 8"  # the layout it states (ServerArgs.layout)
    unsized = replace(stated.server, tp_size=None, pp_size=None, parallel_said="")
    assert unsized == parse_server_args(engine, "")  # nothing else changes
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
        if not flag.modelled and not flag.refused
        for name in flag.names
    ],
)
def test_a_pasted_commands_address_and_name_flags_are_taken_and_change_nothing(
    engine: str, name: str, takes: str
) -> None:
    """The lead (session 13): a real server command line carries --host / --port / a served name, which were refused
    as flags the estimator does not read. They are taken, said to change nothing, and the estimate is the one
    without them."""
    said = name if takes == NONE else f"{name} {SAMPLE.get(name, '8000')}"
    read = READ_FLAGS[engine][0].names[0]
    base = f"{read} {SAMPLE.get(read, '64')}"
    checked = engine_arguments(engine, f"{said} {base}", "0.6.3" if engine == "vllm" else None)
    alone = engine_arguments(engine, base, "0.6.3" if engine == "vllm" else None)
    assert checked is not None and alone is not None and checked.server == alone.server
    assert described(engine, checked.text).startswith(f"{said} (not modelled: ")


def test_the_refusal_lists_only_the_flags_that_change_the_estimate() -> None:
    with pytest.raises(InputError) as info:
        engine_arguments("llamacpp", "--mlock -ngl 99")
    assert "--host" not in info.value.detail and "-np/--parallel" in info.value.detail
    assert "-fa" not in info.value.detail  # taken, saying it is not modelled
    assert "-ctk/--cache-type-k" in info.value.detail and "-ctv/--cache-type-v" in info.value.detail
    assert "-ngl" in info.value.detail


def test_a_stated_memory_share_is_read_for_vllm_as_for_sglang() -> None:
    """polish14: `--engine-args '--gpu-memory-utilization 0.95'` was refused; it is vLLM's share of each GPU's memory
    (its KV cache gets that share of the total less the weights and activations: vllm/v1/worker/utils.py
    request_memory), the knob SGLang's --mem-fraction-static sets."""
    stated = engine_arguments("vllm", "--gpu-memory-utilization 0.95 --max-num-seqs 64")
    assert stated is not None and stated.server.memory_fraction == 0.95 and stated.server.max_seqs == 64
    assert described("vllm", stated.text).startswith(
        "--gpu-memory-utilization 0.95 (each GPU's memory share for weights and the KV cache)"
    )
    sglang = engine_arguments("sglang", "--mem-fraction-static 0.95")
    assert sglang is not None and sglang.server.memory_fraction == stated.server.memory_fraction
    for bad in ("0", "1.5", "x"):
        with pytest.raises(InputError, match=f"--gpu-memory-utilization takes a share .* got '{bad}'"):
            engine_arguments("vllm", f"--gpu-memory-utilization {bad}")


@pytest.mark.parametrize(
    ("engine", "said"),
    [
        ("sglang", "--max-running-requests 64 --context-length 4096"),
        ("trtllm", "--max_batch_size 64 --max_seq_len 4096 --max_num_tokens 2048"),
    ],
)
def test_an_engines_own_limit_flags_are_vllms_max_num_seqs_and_max_model_len(engine: str, said: str) -> None:
    """SGLang's --max-running-requests / --context-length and trtllm-serve's --max_batch_size / --max_seq_len /
    --max_num_tokens state the limits vLLM's --max-num-seqs / --max-model-len / --max-num-batched-tokens do."""
    stated = engine_arguments(engine, said)
    vllm = engine_arguments("vllm", "--max-num-seqs 64 --max-model-len 4096")
    assert stated is not None and vllm is not None
    assert (stated.server.max_seqs, stated.server.max_model_len) == (vllm.server.max_seqs, vllm.server.max_model_len)
    first = said.split()[0]
    with pytest.raises(InputError, match=f"{first} needs a positive whole number, got '0'"):
        engine_arguments(engine, f"{first} 0")


@pytest.mark.parametrize("said", ["-ngl 99", "-ngl 999", "--n-gpu-layers 33", "--gpu-layers all", "-ngl=all"])
def test_llama_servers_gpu_layers_are_taken_where_every_layer_is_on_the_gpu(said: str) -> None:
    """llama.cpp puts every layer on the GPU when -ngl is more than the model's layers (the output layer counts as
    one more) or 'all'; the estimator models llama.cpp so. The estimate is the one without -ngl."""
    model = get_model("llama-3.1-8b")  # 32 layers
    stated = engine_arguments("llamacpp", f"{said} -np 4", None, 1, model)
    assert stated is not None and stated.server == parse_server_args("llamacpp", "-np 4")
    assert described("llamacpp", stated.text).startswith(f"{said.replace('=', ' ')} (layers on the GPU: all of them)")


@pytest.mark.parametrize(
    ("said", "detail"),
    [
        (
            "-ngl 20",
            "-ngl 20 puts 20 of llama-3.1-8b's 33 offloadable layers (32 and the output layer) on the GPU and the rest"
            " on the CPU: partial offload is not modelled (the estimator runs every layer on the GPU); use -ngl 33 or"
            " more (or all)",
        ),
        ("--n-gpu-layers 32", "--n-gpu-layers 32 puts 32 of llama-3.1-8b's 33 offloadable layers"),
        ("-ngl 0", "-ngl 0 puts 0 of llama-3.1-8b's 33 offloadable layers"),
        ("-ngl -1", "-ngl -1 leaves the layers on the GPU to llama-server, which picks them by release and free"),
        ("-ngl auto", "-ngl auto leaves the layers on the GPU to llama-server"),
        ("-ngl many", "-ngl takes a number of layers or 'all', got 'many'"),
    ],
)
def test_llama_servers_partial_offload_is_refused_naming_the_layers(said: str, detail: str) -> None:
    with pytest.raises(InputError) as info:
        engine_arguments("llamacpp", said, None, 1, get_model("llama-3.1-8b"))
    assert info.value.param == "engine_args" and info.value.detail.startswith(detail), info.value.detail
    with pytest.raises(InputError, match="-ngl 99 puts 99 of llama-3.1-405b's 127 offloadable layers"):
        engine_arguments("llamacpp", "-ngl 99", None, 8, get_model("llama-3.1-405b"))  # 99 is not every model's all


@pytest.mark.parametrize(
    ("engine", "said", "why"),
    [
        ("vllm", "--enforce-eager", "it runs every step without CUDA graphs"),
        ("sglang", "--disable-cuda-graph", "it runs every step without CUDA graphs"),
        ("sglang", "--enable-torch-compile", "torch.compile changes its step time"),
    ],
)
def test_a_flag_whose_effect_is_not_modelled_is_refused_saying_why(engine: str, said: str, why: str) -> None:
    with pytest.raises(InputError) as info:
        engine_arguments(engine, f"{said} --port 8000", None)
    name = said.split()[0]
    assert info.value.detail.startswith(
        f"{name} changes the server's speed in a way the estimator does not model: {why}"
    ), info.value.detail
    assert info.value.detail.endswith("; drop it to estimate the server without it")


@pytest.mark.parametrize(
    "said", ["-fa on", "-fa off", "--flash-attn auto", "-fa", "-fa -1", "-fa 0", "--flash-attn enabled"]
)
def test_llama_servers_flash_attention_is_taken_saying_the_rates_mix_it_on_and_off(said: str) -> None:
    """The lead (00:04): the most common llama-server line (-ngl 99 -fa on -c 8192 -np 4) was refused, 'drop it to
    estimate the server without it', but dropping it estimates no server without flash attention: the fitted llama.cpp
    rates come from runs with it on, off and unstated. It is taken, and said so; the estimate is the one without it."""
    text = f"-ngl 99 {said} -c 8192 -np 4"
    stated = engine_arguments("llamacpp", text, None, 1, get_model("llama-3.1-8b"))
    alone = engine_arguments("llamacpp", "-ngl 99 -c 8192 -np 4", None, 1, get_model("llama-3.1-8b"))
    assert stated is not None and alone is not None and stated.server == alone.server
    assert f"{said} (not modelled: the llama.cpp rates are fitted on runs with flash attention on, off and" in (
        described("llamacpp", stated.text)
    )


@pytest.mark.parametrize(
    ("engine", "said"),
    [("vllm", "--enable-prefix-caching"), ("vllm", "--no-enable-prefix-caching"), ("sglang", "--disable-radix-cache")],
)
def test_a_prefix_cache_flag_is_taken_saying_its_hits_are_not_modelled(engine: str, said: str) -> None:
    stated = engine_arguments(engine, said)
    assert stated is not None and stated.server == parse_server_args(engine, "")
    assert described(engine, said) == (
        f"{said} (not modelled: prefix-cache hits; every prompt is estimated prefilled in full)"
    )


@pytest.mark.parametrize(
    ("engine", "seqs", "context"),
    [("sglang", "--max-running-requests", "--context-length"), ("trtllm", "--max_batch_size", "--max_seq_len")],
)
def test_an_engines_limits_are_named_by_its_own_flags_in_the_waiting_note_and_the_refusal(
    engine: str, seqs: str, context: str
) -> None:
    """A server started with a limit of 64 sequences runs 64 of 100 asked for; the note names the engine's own flag,
    not vLLM's; a request longer than its context limit is refused naming that flag."""
    import costcalc

    shape = {"gpu": "h100-sxm-80gb", "model": "llama-3.1-8b", "engine": engine, "input_tokens": 1000}
    est = costcalc.estimate_throughput(**shape, output_tokens=200, concurrency=100, engine_args=f"{seqs} 64")
    assert (est.concurrency, est.requests_waiting) == (64, 36)
    assert est.waiting_note is not None and f"{engine} started with {seqs} 64" in est.waiting_note
    assert est.waiting_note.endswith(f"(estimate that with --engine-args '{seqs} 100')")
    short = costcalc.estimate_throughput(**shape, output_tokens=200, engine_args=f"{context} 1024")
    assert not short.fits and short.reason == (
        f"requests of 1,200 tokens (prompt + output) exceed {context} 1,024; raise it"
    )


def test_a_flash_attention_value_llama_server_refuses_is_a_stray_word() -> None:
    """qa15 #3: '-fa -1' (llama.cpp's auto, common_arg_utils::is_autoy) was read as a stray '-1'; the flag takes the
    values llama-server takes (on/enabled/true/1, off/disabled/false/0, auto/-1), so '-fa yes' is refused."""
    with pytest.raises(InputError, match="'yes' is not a flag"):
        engine_arguments("llamacpp", "-fa yes -np 4")


@pytest.mark.parametrize(
    ("engine", "twice", "last"),
    [
        ("vllm", "--gpu-memory-utilization 0.5 --gpu-memory-utilization 0.9", "--gpu-memory-utilization 0.9"),
        ("sglang", "--mem-fraction-static 0.5 --mem-fraction-static 0.9", "--mem-fraction-static 0.9"),
        ("vllm", "--kv-cache-dtype fp8 --kv-cache-dtype auto", "--kv-cache-dtype auto"),
        ("vllm", "--quantization fp8 -q awq", "-q awq"),
        ("llamacpp", "-b 64 -b 512", "-b 512"),
        ("vllm", "--max-num-seqs 4 --max-num-seqs 8", "--max-num-seqs 8"),
    ],
)
def test_a_flag_stated_twice_is_read_at_its_last_value_as_the_servers_do(engine: str, twice: str, last: str) -> None:
    """qa15 #1: the memory share, --kv-cache-dtype and --quantization took the first of a repeated flag, every other
    flag the last; vLLM's and SGLang's argparse, trtllm-serve's click and llama-server keep the last."""
    assert parse_server_args(engine, twice) == parse_server_args(engine, last)
    checked = engine_arguments(engine, twice, "0.6.3" if engine == "vllm" else None)
    assert checked is not None and described(engine, checked.text).startswith(f"{last} (")  # said once, as kept


def test_a_repeated_layer_count_is_checked_at_its_last_value() -> None:
    """qa15 #1: '-ngl 10 -ngl 99' was refused as partial offload, though llama-server runs -ngl 99."""
    checked = engine_arguments("llamacpp", "-ngl 10 -ngl 99", None, 1, get_model("llama-3.1-8b"))
    assert checked is not None and described("llamacpp", checked.text) == "-ngl 99 (layers on the GPU: all of them)"
    with pytest.raises(InputError, match="-ngl 10 puts 10 of"):
        engine_arguments("llamacpp", "-ngl 99 -ngl 10", None, 1, get_model("llama-3.1-8b"))


def test_one_gpu_is_said_in_the_singular() -> None:
    with pytest.raises(InputError, match="-tp 1 splits the model over 1 GPU but the replica has 2"):
        engine_arguments("vllm", "-tp 1", None, 2)


@pytest.mark.parametrize(
    ("engine", "args", "reason"),
    [
        (
            "vllm",
            "--gpu-memory-utilization 0.01",
            "needs 16.1 GB of weights, 0.0 GB available on 1x h100-sxm-80gb at --gpu-memory-utilization 0.01; raise it"
            " or drop it",
        ),
        (
            "sglang",
            "--mem-fraction-static 0.1",
            "needs 16.1 GB of weights, 6.6 GB available on 1x h100-sxm-80gb at --mem-fraction-static 0.1; raise it or"
            " drop it",
        ),
    ],
)
def test_a_stated_memory_share_too_small_is_named_and_leaves_no_negative_room(
    engine: str, args: str, reason: str
) -> None:
    """qa15 #2: '--gpu-memory-utilization 0.01' said 'needs 16.1 GB of weights, -1.1 GB available' (the share times the
    memory, less the engine's 2 GB runtime overhead), naming neither the flag nor a fix."""
    from costcalc.throughput.estimate import estimate_ids

    e = estimate_ids(
        "h100-sxm-80gb", "llama-3.1-8b", engine=engine, input_tokens=1000, output_tokens=200, engine_args=args
    )
    assert not e.fits and e.reason == reason
    unstated = estimate_ids("h100-sxm-80gb", "llama-3.1-405b", input_tokens=1000, output_tokens=200)
    assert unstated.reason == "needs 811.7 GB of weights, 75.3 GB available on 1x h100-sxm-80gb"  # no flag to name


@pytest.mark.parametrize("quoted", ['--gpu-memory-utilization "0.5"', "--gpu-memory-utilization='0.5'"])
def test_quoted_values_are_read_as_a_shell_reads_them(quoted: str) -> None:
    """qa15 relay 7: a value kept in its quotes (a YAML engine_args copied from a shell line) was refused: "takes a
    share of the GPU's memory above 0 and at most 1, got '"0.5"'"."""
    assert parse_server_args("vllm", quoted) == parse_server_args("vllm", "--gpu-memory-utilization 0.5")
    checked = engine_arguments("vllm", quoted)
    assert checked is not None and described("vllm", checked.text).startswith("--gpu-memory-utilization 0.5 (")


def test_a_quote_left_open_is_refused_in_one_line() -> None:
    with pytest.raises(InputError) as info:
        engine_arguments("vllm", '--gpu-memory-utilization "0.5')
    assert info.value.detail == """'--gpu-memory-utilization "0.5' leaves a quote open; close it or drop the quotes"""


@pytest.mark.parametrize(
    "said",
    [
        "-fa off -ctv q4_0",
        "-ctk q8_0 -ctv q8_0 --flash-attn false",
        "-fa 0 --cache-type-v iq4_nl",
        "-fa on -fa off -ctv q5_1",
    ],
)
def test_a_quantised_v_cache_without_flash_attention_is_refused_as_llama_server_refuses_it(said: str) -> None:
    """llama.cpp's llama_init_from_model: "V cache quantization requires flash_attn" (src/llama-context.cpp): the
    server does not start, so there is nothing to estimate. The estimate took it as -fa on."""
    with pytest.raises(InputError, match=r"refuses a quantised V cache without flash attention") as caught:
        engine_arguments("llamacpp", said)
    assert "\n" not in str(caught.value) and "-fa on" in str(caught.value)
    with pytest.raises(ValueError, match=r"refuses a quantised V cache"):  # an `estimate --cases` row's reason too
        parse_server_args("llamacpp", said)


@pytest.mark.parametrize(
    "said", ["-fa on -ctv q4_0", "-ctv q8_0", "-fa auto -ctv q8_0", "-fa off -ctk q8_0", "-fa off -ctv f16"]
)
def test_a_v_cache_llama_server_starts_with_is_taken(said: str) -> None:
    """A quantised K cache needs no flash attention, an unquantised V none; without -fa today's builds run -fa auto."""
    assert engine_arguments("llamacpp", said) is not None


@pytest.mark.parametrize(
    ("flag", "example"), [("-ctk", "q8_0"), ("--cache-type-v", "q8_0"), ("-np", "N"), ("-m", "FILE")]
)
def test_a_missing_value_is_written_as_the_flag_takes_it(flag: str, example: str) -> None:
    """qa16 relay 2: '-ctk needs a value ...; write it as -ctk N', but a cache type is not a number."""
    with pytest.raises(InputError, match=rf"; write it as {flag} {example}$"):
        engine_arguments("llamacpp", flag)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("--max-num-seqs 8 \\", "ends with a backslash (a shell's line continuation); drop it"),
        ("'--max-num-seqs 8'", "'--max-num-seqs 8' is one quoted word, so --max-num-seqs is not read; unquote it"),
        ('--max-num-seqs 8 "--max-model-len 4096"', "is one quoted word, so --max-model-len is not read"),
        ("''", "holds an empty quoted word; drop the quotes"),
    ],
    ids=["backslash", "whole-line", "one-flag", "empty"],
)
def test_quoting_a_shell_would_read_otherwise_is_refused_saying_which(text: str, said: str) -> None:
    """qa16 relays 3, 4, 6: a trailing backslash was called an open quote; a whole line in quotes was told to be
    dropped (losing the setting) and, in an `estimate --cases` row, estimated as the release's defaults without a
    word (3,346.8 output tokens/s where --max-num-seqs 8 gives 788.3). The check and the parser refuse it alike."""
    with pytest.raises(InputError, match=re.escape(said)):
        engine_arguments("vllm", text)
    with pytest.raises(ValueError, match=re.escape(said)):
        parse_server_args("vllm", text)
