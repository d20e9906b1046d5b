"""vLLM V0 flags the simulation reads beyond the batch limits: multi-step scheduling and a stated KV block count."""

from __future__ import annotations

import math

import numpy as np
import pytest

from costcalc.throughput.serving.batching import Draw, serve
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.server_args import ServerArgs, parse_server_args
from costcalc.throughput.serving.steps import measured
from tests.throughput.serving.replicas import small_vllm_replica

# decode steps of 10 ms at any batch; a prompt of n tokens alone takes 20 ms + 0.1 ms * n
STEPS = measured(decode_s_by_batch={1: 0.010, 8: 0.010}, prefill_s_per_token=0.0001, prefill_fixed_s=0.020)


def _served(decode_steps_per_call: int):
    sched = Scheduler(
        max_seqs=8, tokens_per_step=2048, prefill=Prefill.PREFILL_FIRST, decode_steps_per_call=decode_steps_per_call
    )
    # A arrives at 0; B arrives 5 ms into A's first decode step (A's 100-token prompt ends at 30 ms)
    d = Draw(np.array([0.0, 0.035]), np.array([100, 100]), slice(0, 2), np.array([50, 50]))
    return serve(STEPS, sched, d, 50)


def test_a_request_arriving_during_a_multi_step_burst_waits_for_the_burst_to_end():
    one, fifteen = _served(1), _served(8)
    # the first request is prefilled at once either way
    assert fifteen.first_token_s[0] == pytest.approx(one.first_token_s[0]) == pytest.approx(0.030)
    # single step: B is admitted after A's first decode step (40 ms); with 8 steps per scheduler
    # call, after A's burst of 8 (110 ms): 7 decode steps of 10 ms later
    assert fifteen.first_token_s[1] - one.first_token_s[1] == pytest.approx(0.070)
    assert one.first_token_s[1] == pytest.approx(0.040 + 0.030)


def test_finishes_inside_a_burst_end_the_run_on_time():
    # A's 49 decode steps are 6 bursts of 8 and one step; nothing else changes its finish
    sched = Scheduler(max_seqs=8, tokens_per_step=2048, prefill=Prefill.PREFILL_FIRST, decode_steps_per_call=8)
    d = Draw(np.array([0.0]), np.array([100]), slice(0, 1), np.array([50]))
    served = serve(STEPS, sched, d, 50)
    assert served.finish_s[0] == pytest.approx(0.030 + 49 * 0.010)


def test_scheduler_steps_and_block_count_flags_parse():
    args = parse_server_args(
        "vllm", "--enable-chunked-prefill=False --num-scheduler-step 15 --num-gpu-blocks-override 46921"
    )
    assert args.scheduler_steps == 15 and args.gpu_blocks == 46921 and args.block_size is None
    assert parse_server_args("vllm", "--num-scheduler-steps=8 --block-size 32").scheduler_steps == 8
    assert parse_server_args("vllm", "--block-size 32").block_size == 32
    with pytest.raises(ValueError, match="positive whole number"):
        parse_server_args("vllm", "--num-gpu-blocks-override many")
    with pytest.raises(ValueError, match="limits must be positive"):
        Scheduler(max_seqs=1, tokens_per_step=1, prefill=Prefill.PREFILL_FIRST, decode_steps_per_call=0)


def _replica(args: ServerArgs):
    return small_vllm_replica("0.6.3", args)


def test_a_stated_block_count_is_the_kv_pool_in_16_token_blocks():
    profiled = _replica(ServerArgs()).scheduler
    stated = _replica(parse_server_args("vllm", "--num-gpu-blocks-override 100 --num-scheduler-steps 15")).scheduler
    assert profiled is not None and stated is not None
    assert math.isinf(profiled.kv_gb)  # 256 requests of 400 tokens fit what profiling leaves
    assert stated.kv_gb == pytest.approx(stated.kv_need_gb(1600))  # 100 blocks x 16 tokens
    assert stated.decode_steps_per_call == 15 and profiled.decode_steps_per_call == 1
    bigger = _replica(ServerArgs(gpu_blocks=100, block_size=32)).scheduler
    assert bigger is not None and bigger.kv_gb == pytest.approx(2 * stated.kv_gb)
