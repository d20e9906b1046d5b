"""The simulated scheduler's words say where each limit comes from: stated, the engine's default, or the KV cache."""

from __future__ import annotations

import math

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.scheduler import Prefill, Scheduler, describe
from costcalc.throughput.serving.server_args import ServerArgs


def _scheduler(gpu: str, model: str, precision: str, **kw: object) -> Scheduler:
    lengths = {"input_tokens": 1000, "output_tokens": 200, "max_prompt_tokens": 1000.0, "max_context_tokens": 1200.0}
    replica = build_replica(get_gpu(gpu), get_model(model), precision=precision, tables=False, **(lengths | kw))
    assert replica.scheduler is not None
    return replica.scheduler


def test_vllms_defaults_are_said_as_defaults_with_the_gpu_rule_that_set_them() -> None:
    # trace23 finding 7: 'simulated serving (chunked prefill mixed with decodes, 2,048 tokens/step, up to 256
    # sequences; ...)' did not say both are vLLM's defaults for a GPU under 70 GiB
    small = _scheduler("l40s-48gb", "gpt-oss-20b", "mxfp4")
    assert describe(small) == (
        "chunked prefill mixed with decodes; 2,048 tokens/step and up to 256 sequences, vllm's defaults on a GPU under"
        " 70 GiB"
    )
    a100 = _scheduler("a100-sxm-80gb", "gpt-oss-20b", "mxfp4")  # 80 GiB, yet vLLM gives an A100 the smaller defaults
    assert describe(a100).endswith("2,048 tokens/step and up to 256 sequences, vllm's defaults on a100-sxm-80gb")


def test_a_sequence_limit_the_kv_cache_sets_is_said_as_such() -> None:
    # trace23 finding 7: 'up to 52 sequences' (Qwen3 32B on an H100) read like a default; it is what the KV cache holds
    held = _scheduler("h100-sxm-80gb", "qwen3-32b", "fp8", min_context_tokens=1200.0)
    assert held.max_seqs < 1024
    assert describe(held) == (
        "chunked prefill mixed with decodes; 8,192 tokens/step, vllm's default on a GPU of 70 GiB or more;"
        f" up to {held.max_seqs:,} sequences, as many as the KV cache holds"
    )


def test_stated_limits_and_a_clients_concurrency_are_said_as_such() -> None:
    stated = _scheduler(
        "h100-sxm-80gb", "gpt-oss-20b", "mxfp4", server_args=ServerArgs(max_seqs=64, tokens_per_step=4096)
    )
    assert describe(stated).endswith("; 4,096 tokens/step and up to 64 sequences, as stated")
    client = _scheduler("h100-sxm-80gb", "gpt-oss-20b", "mxfp4", max_seqs=8)
    assert describe(client).endswith(
        "; 8,192 tokens/step, vllm's default on a GPU of 70 GiB or more; up to 8 sequences, the client's concurrency"
    )


def test_a_v0_release_names_its_release_and_a_hand_built_scheduler_keeps_its_words() -> None:
    v0 = _scheduler("h100-sxm-80gb", "llama-3.1-8b", "fp8", engine_version="0.6.3")
    assert "and up to 256 sequences, vllm 0.6.3's defaults" in describe(v0)
    assert describe(Scheduler(4, 2048.0, Prefill.MIXED_CHUNKED)) == (
        "chunked prefill mixed with decodes, 2,048 tokens/step, up to 4 sequences"
    )
    assert (
        describe(Scheduler(4, math.inf, Prefill.PREFILL_FIRST))
        == "prefill steps before decodes, no token limit, up to 4 sequences"
    )


@pytest.mark.parametrize("words", ["seqs_from", "tokens_from"])
def test_the_words_are_no_part_of_the_scheduler_a_simulation_compares(words: str) -> None:
    a = Scheduler(4, 2048.0, Prefill.MIXED_CHUNKED)
    assert a == Scheduler(4, 2048.0, Prefill.MIXED_CHUNKED, **{words: "as stated"})  # type: ignore[arg-type]
