"""llama-server's slots in the serving simulation: -np caps the sequences decoded at once, -c / -kvu the context per slot."""

from __future__ import annotations

import math

import pytest

from costcalc.throughput.protocols import Protocol, run_benchmark
from costcalc.throughput.serving.llamacpp_slots import AUTO_SLOTS, Slots, parse_slots
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.server_args import ServerArgs, parse_server_args
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_slot_count_context_and_unified_cache_parse():
    assert parse_slots("-np 4 --parallel 4 -ngl 99 -c 16384".split()) == Slots(4, 16384, unified=False)
    assert parse_slots("--parallel 2 --ctx-size 8192 --kv-unified".split()) == Slots(2, 8192, unified=True)
    assert parse_slots("-np 8 -kvu".split()) == Slots(8, None, unified=True)
    assert parse_slots("-c 4096".split()) == Slots(None, 4096, unified=False)
    assert parse_slots("-ngl 99 --jinja".split()) is None


def test_auto_slots_are_four_sharing_one_cache_unless_split_explicitly():
    assert parse_slots("-np -1 -c 8192".split()) == Slots(AUTO_SLOTS, 8192, unified=True)
    assert parse_slots("-np -1 -c 8192 --no-kv-unified".split()) == Slots(AUTO_SLOTS, 8192, unified=False)


def test_a_split_cache_gives_each_slot_its_share_and_a_unified_one_the_whole():
    split, unified = Slots(4, 16384, unified=False), Slots(4, 16384, unified=True)
    assert split.context_per_seq_tokens(32768) == 4096 and split.kv_pool_tokens(32768) is None
    assert unified.context_per_seq_tokens(32768) == 16384 and unified.kv_pool_tokens(32768) == 16384
    # -c 0 or none: the model's own context, split or shared the same way
    assert Slots(4, 0, unified=False).context_per_seq_tokens(32768) == 8192
    assert Slots(2, None, unified=True).kv_pool_tokens(32768) == 32768


def test_bad_slot_and_context_values_name_the_flag():
    with pytest.raises(ValueError, match="-np needs a whole number, got 'four'"):
        parse_slots(["-np", "four"])
    with pytest.raises(ValueError, match="--parallel needs a slot count of at least 1"):
        parse_slots(["--parallel", "0"])
    with pytest.raises(ValueError, match="-c needs a whole number of at least 0"):
        parse_slots(["-c", "-5"])


def test_llamacpp_flags_reach_server_args_and_other_engines_ignore_them():
    args = parse_server_args("llamacpp", "-np 4 --parallel 4 -ngl 99 -c 16384")
    assert args.max_seqs == 4 and args.llamacpp_slots == Slots(4, 16384, unified=False)
    assert parse_server_args("llamacpp", "-ngl 99") == ServerArgs()
    assert parse_server_args("sglang", "-np 4 -c 16384") == ServerArgs()


def _closed_loop(clients: int, engine_args: str | None):
    out, reason = run_benchmark(
        gpu_h100(),
        dense_8b(),
        Protocol("closed_loop", num_prompts=96, concurrency=clients),
        precision="q4_k_m",
        engine="llamacpp",
        input_tokens=40,
        output_tokens=128,
        factors=factors(max_batch=64),
        server_args=None if engine_args is None else parse_server_args("llamacpp", engine_args),
    )
    assert reason is None and out is not None
    return out


def test_more_clients_than_slots_queue_so_the_rate_stays_and_latency_grows():
    four, sixteen = _closed_loop(4, "-np 4 -c 16384"), _closed_loop(16, "-np 4 -c 16384")
    assert sixteen.output_tokens_per_s == pytest.approx(four.output_tokens_per_s, rel=0.02)
    # each request waits for three others ahead of it at every slot: about 4x the latency
    assert 3.5 < sixteen.mean_e2e_latency_ms / four.mean_e2e_latency_ms < 4.5
    # without -np llama-server's own default runs: 4 slots today (llamacpp_slots.unasked_slots), not the
    # estimator's 64-sequence engine limit
    assert _closed_loop(16, None).output_tokens_per_s == pytest.approx(sixteen.output_tokens_per_s, rel=0.02)


def _replica(engine_args: str, prompt: int = 200, output: int = 200):
    return build_replica(
        gpu_h100(),
        dense_8b(),
        precision="q4_k_m",
        engine="llamacpp",
        input_tokens=prompt,
        output_tokens=output,
        max_prompt_tokens=prompt,
        max_context_tokens=prompt + output,
        factors=factors(max_batch=64),
        server_args=parse_server_args("llamacpp", engine_args),
    )


def test_a_request_longer_than_its_slots_share_of_the_context_does_not_fit():
    split = _replica("-np 4 -c 1024")  # 256 tokens per slot, requests of 400
    assert not split.full_load.fits and split.scheduler is None
    assert "256-token slot context (1,024 tokens of context split between 4 slots)" in split.full_load.reason
    assert "-c/--ctx-size" in split.full_load.reason
    assert _replica("-np 2 -c 1024").scheduler is not None  # 512 per slot


def test_a_unified_cache_lets_one_slot_use_it_all_and_caps_what_all_hold():
    shared = _replica("-np 4 -c 1024 -kvu").scheduler
    assert shared is not None and shared.max_seqs == 4
    assert shared.kv_gb == pytest.approx(shared.kv_need_gb(1024))  # about 2.5 requests of 400 tokens at once
    split = _replica("-np 4 -c 16384").scheduler
    assert split is not None and math.isinf(split.kv_gb)  # each slot holds its own 4096 tokens
