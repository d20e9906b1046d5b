"""A server command's flags read into ServerArgs: limits, the KV cache's type, the quantisation, the memory share."""

from __future__ import annotations

import pytest

from costcalc.throughput.calibration import CALIBRATION_CSV, read_cases
from costcalc.throughput.serving.scheduler import parse_version
from costcalc.throughput.serving.server_args import ServerArgs, memory_share, parse_server_args


def test_stated_vllm_flags_parse_and_others_are_left_alone():
    args = parse_server_args(
        "vllm", "--max-model-len 91680 --enable-chunked-prefill=True --max-num-batched-tokens 512 --max-num-seqs 512"
    )
    assert args == ServerArgs(max_seqs=512, tokens_per_step=512, chunked_prefill=True, max_model_len=91680)
    assert parse_server_args("vllm", "--enable-chunked-prefill=False --max-seq-len-to-capture 16384") == ServerArgs(
        chunked_prefill=False
    )
    assert parse_server_args("vllm", "--enable-chunked-prefill --max-num-seqs 8").chunked_prefill is True
    assert parse_server_args("vllm", "--no-enable-chunked-prefill").chunked_prefill is False
    assert parse_server_args("vllm", "") == ServerArgs()
    assert parse_server_args("sglang", "--max-num-seqs 8") == ServerArgs()
    with pytest.raises(ValueError, match="positive whole number"):
        parse_server_args("vllm", "--max-num-seqs many")
    with pytest.raises(ValueError, match="true or false"):
        parse_server_args("vllm", "--enable-chunked-prefill=maybe")


def test_every_shipped_rows_release_and_flags_parse():
    _, rows = read_cases(CALIBRATION_CSV)
    versions = [r["engine_version"] for r in rows if r["engine_version"].strip()]
    assert versions, "the calibration set states engine releases"
    for row in rows:
        if row["engine_version"].strip():
            parse_version(row["engine_version"])
        parse_server_args(row["engine"], row["engine_args"])


@pytest.mark.parametrize(
    ("engine", "version", "stated", "share"),
    [
        ("vllm", "0.20.0", None, 0.92),  # vllm/config/cache.py of the 0.20.0 wheel: "the default value of 0.92"
        ("vllm", "0.20.1+transformers-5.8.1", None, 0.92),
        ("vllm", "0.19.1", None, None),  # 0.9, the prior
        ("vllm", None, None, None),  # no release stated: the prior
        ("vllm", "0.20.0", 0.5, 0.5),  # a stated --gpu-memory-utilization wins
        ("sglang", "0.20.0", None, None),
    ],
)
def test_vllms_unstated_memory_share_is_0_92_from_0_20_0(
    engine: str, version: str | None, stated: float | None, share: float | None
) -> None:
    assert memory_share(engine, version, stated) == share


@pytest.mark.parametrize("engine", ["trtllm", "sglang", "vllm"])
def test_kv_cache_dtype_is_read_for_every_engine(engine):
    assert parse_server_args(engine, "--kv-cache-dtype bfloat16").kv_cache_dtype == "bfloat16"
    assert parse_server_args(engine, "--kv-cache-dtype=FP8").kv_cache_dtype == "fp8"
    assert parse_server_args(engine, "--max-model-len 4096").kv_cache_dtype is None
    with pytest.raises(ValueError, match="--kv-cache-dtype takes one of"):
        parse_server_args(engine, "--kv-cache-dtype int3")
    with pytest.raises(ValueError, match="--kv-cache-dtype takes one of"):
        parse_server_args(engine, "--kv-cache-dtype")


def test_vllm_flags_stay_vllm_only():
    # TensorRT-LLM rows carry the dtype; vLLM's scheduler flags on them are not read
    args = parse_server_args("trtllm", "--max-num-seqs 8 --kv-cache-dtype bfloat16")
    assert args == ServerArgs(kv_cache_dtype="bfloat16")


@pytest.mark.parametrize(
    ("said", "k_and_v"),
    [
        ("-ctk q8_0 -ctv q8_0", "q8_0/q8_0"),
        ("--cache-type-k q4_0 --cache-type-v q5_1", "q4_0/q5_1"),
        ("-ctk q8_0", "q8_0/f16"),  # the other one keeps llama-server's default, f16
        ("-ctv=iq4_nl -np 4", "f16/iq4_nl"),
        ("-np 4", None),
    ],
)
def test_llama_servers_cache_types_are_read_k_then_v(said: str, k_and_v: str | None) -> None:
    assert parse_server_args("llamacpp", said).kv_cache_dtype == k_and_v


@pytest.mark.parametrize("said", ["-ctk q9", "-ctv fp8", "--cache-type-k", "-ctk Q8_0"])
def test_a_cache_type_llama_server_does_not_take_is_refused_with_the_list(said: str) -> None:
    with pytest.raises(ValueError, match="takes one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1, got"):
        parse_server_args("llamacpp", said)


def test_stated_quantization_method_is_read():
    assert parse_server_args("vllm", "--max-num-seqs 8 --quantization fbgemm_fp8").quantization == "fbgemm_fp8"
    assert parse_server_args("vllm", "-q FBGEMM_FP8").quantization == "fbgemm_fp8"
    assert parse_server_args("vllm", "--max-num-seqs 8").quantization is None
    with pytest.raises(ValueError, match="method name"):
        parse_server_args("vllm", "--quantization --max-num-seqs 8")


@pytest.mark.parametrize(
    ("engine", "text", "gpus", "layout"),
    [
        ("vllm", "-tp 8", 8, "tp"),
        ("vllm", "--pipeline-parallel-size 8", 8, "pp"),
        ("vllm", "-tp 1 -pp 4", 4, "pp"),
        ("sglang", "--tp 8", 8, "tp"),
        ("sglang", "--pp-size 2", 2, "pp"),
        ("trtllm", "--tp_size 8 --ep_size 4 --pp_size 1", 8, "tp"),  # as calibration rows tp-529..546 state it
        ("trtllm", "--tp_size 1 --pp_size 8", 8, "pp"),
        ("vllm", "-tp 1", 1, "single"),
        ("vllm", "--max-num-seqs 64", 8, None),  # no size stated: the estimator chooses
        ("llamacpp", "-np 4", 2, None),
    ],
)
def test_the_layout_a_command_states_is_read_once_for_every_path(
    engine: str, text: str, gpus: int, layout: str | None
) -> None:
    """layout23b: `--engine-args "-tp 8"` was checked against the GPUs and then ignored (the estimate took pipeline
    parallel where it served more), and no pipeline-parallel flag was read. The sizes are read here, and
    ServerArgs.layout is what estimate() and the capacity search take."""
    assert parse_server_args(engine, text).layout(gpus) == layout


@pytest.mark.parametrize(
    ("text", "gpus", "said"),
    [
        (
            "-tp 4 -pp 2",
            8,
            "-tp 4 -pp 2 mixes tensor and pipeline parallel (4 x 2 GPUs), which the estimator does not model; state the"
            " tensor-parallel size 8 alone (tensor parallel over all 8) or the pipeline-parallel size 8 alone",
        ),
        (
            "-pp 2 -tp 1",
            8,
            "-pp 2 -tp 1 runs the model on 2 GPUs, but the replica has 8; state the tensor-parallel or the"
            " pipeline-parallel size as 8, or give the replica 2",
        ),
        (
            "-tp 4",
            8,
            "-tp 4 runs the model on 4 GPUs, the other size unstated: 1, but the replica has 8; state the"
            " tensor-parallel or the pipeline-parallel size as 8, or give the replica 4",
        ),
    ],
)
def test_sizes_that_cannot_run_on_the_replica_are_refused_with_the_fix(text: str, gpus: int, said: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_server_args("vllm", text).layout(gpus)
    assert str(info.value) == said
