"""llama-server's defaults where a command line states none: slots by release (llama.cpp#16736), -b/--batch-size."""

from __future__ import annotations

import math

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.serving.llamacpp_slots import Slots, unasked_slots, with_release_default
from costcalc.throughput.serving.replica import Replica
from costcalc.throughput.serving.scheduler import LLAMACPP_TOKENS_PER_STEP
from costcalc.throughput.serving.server_args import parse_server_args
from tests.throughput.serving.replicas import small_replica
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_four_slots_today_one_before_the_auto_default():
    assert unasked_slots(None) == 4
    assert unasked_slots("b7079") == 4  # llama.cpp#17300: b7079 starts 4 slots unasked
    assert unasked_slots("b5540") == 1  # inference-bench's build, 2025-05: common_params.n_parallel = 1
    assert unasked_slots("") == 4


def test_a_stated_slot_count_stays_and_an_unstated_one_takes_the_release_default():
    assert with_release_default(Slots(2, 8192, unified=False), None) == Slots(2, 8192, unified=False)
    assert with_release_default(None, None) == Slots(4, None, unified=True)  # auto: one shared cache
    assert with_release_default(Slots(None, 32768, unified=False), None) == Slots(4, 32768, unified=True)
    assert with_release_default(None, "b5540") == Slots(1, None, unified=False)  # one slot, the whole context


def _replica(engine_args: str | None, version: str | None = None) -> Replica:
    args = None if engine_args is None else parse_server_args("llamacpp", engine_args)
    return small_replica("llamacpp", version, args, precision="q4_k_m", max_batch=64)


def test_the_simulated_server_runs_llama_servers_slots_not_the_engine_limit():
    today = _replica(None).scheduler
    assert today is not None and today.max_seqs == 4
    old = _replica("-ngl 99", version="b5540").scheduler
    assert old is not None and old.max_seqs == 1 and math.isinf(old.kv_gb)
    stated = _replica("-np 8 -c 16384").scheduler
    assert stated is not None and stated.max_seqs == 8


def test_batch_size_sets_the_tokens_one_step_carries():
    assert parse_server_args("llamacpp", "-np 4 -b 512").tokens_per_step == 512
    assert parse_server_args("llamacpp", "--batch-size=1024").tokens_per_step == 1024
    assert parse_server_args("vllm", "--max-num-seqs 4").tokens_per_step is None
    with pytest.raises(ValueError, match="-b needs a whole number of at least 1"):
        parse_server_args("llamacpp", "-b 0")
    small = _replica("-b 256").scheduler
    default = _replica(None).scheduler
    assert small is not None and small.tokens_per_step == 256
    assert default is not None and default.tokens_per_step == LLAMACPP_TOKENS_PER_STEP


def _estimate(engine: str, concurrency: int | None = None, version: str | None = None):
    precision = "q4_k_m" if engine == "llamacpp" else None
    return estimate(
        gpu_h100(),
        dense_8b(),
        precision=precision,
        engine=engine,
        input_tokens=200,
        output_tokens=200,
        concurrency=concurrency,
        factors=factors(max_batch=64),
        engine_version=version,
    )


def test_estimate_without_a_concurrency_runs_llama_servers_default_slots():
    est = _estimate("llamacpp")
    assert est.concurrency == 4 and est.max_concurrency == 64  # memory would hold 64
    other = _estimate("vllm")
    assert other.concurrency == other.max_concurrency > 4
    assert _estimate("llamacpp", concurrency=16).concurrency == 16


def test_the_full_load_of_an_older_build_is_its_one_slot_in_the_estimate_as_in_the_simulation():
    """estimate() took no engine version, so a build before b7079 ran today's 4 slots at full load while the serving
    simulation of the same build runs 1: the estimate now reads the build through the same rule
    (llamacpp_slots.unasked_slots), and the replica's full-load estimate is given the build it simulates; one
    request at a time is then the single-stream band's load."""
    old, today = _estimate("llamacpp", version="b5540"), _estimate("llamacpp", version="b7079")
    assert (old.concurrency, old.band_scenario) == (1, "single")
    assert (today.concurrency, today.band_scenario) == (4, "offline") and today == _estimate("llamacpp")
    assert old.max_concurrency == today.max_concurrency == 64 and old.requests_per_s < today.requests_per_s
    replica = _replica("-ngl 99", version="b5540")
    assert replica.scheduler is not None
    assert replica.full_load.concurrency == replica.scheduler.max_seqs == 1
    assert replica.full_load == old  # the estimate of the same build, as estimate() gives it
