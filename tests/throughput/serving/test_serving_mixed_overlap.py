"""A step that carries decodes and prompt chunks reads the weights once: prompt FLOPs hide under the decodes' reads."""

from __future__ import annotations

import numpy as np
import pytest

from costcalc.throughput import linear_time
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.batching import Draw, serve
from costcalc.throughput.serving.scheduler import Prefill, Scheduler
from costcalc.throughput.serving.steps import tabulate
from costcalc.throughput.timing import decode_weight_slack_s, prefill_linear_s_per_token
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def _steps(slack_s: float | None):
    # decode step 10 ms at any batch and context; a prompt token costs 0.1 ms when batched,
    # 0.05 ms of it linear-layer FLOPs; a prompt alone adds a fixed 20 ms
    return tabulate(
        decode_step_s=lambda b, ctx: 0.010,
        prefill_s=lambda n: (0.020 + 0.0001 * n, 0.0001 * n),
        max_batch=8,
        max_prompt_tokens=1000,
        max_context_tokens=2000,
        decode_weight_slack_s=None if slack_s is None else (lambda b: slack_s),
        prefill_linear_s_per_token=0.00005,
    )


def test_the_saving_is_the_prompt_flops_up_to_the_decodes_spare_reads():
    steps = _steps(0.004)
    assert steps.decode_weight_slack_s[3] == pytest.approx(0.004) and steps.decode_weight_slack_s[0] == 0.0
    assert steps.mixed_step_saving(3, 40) == pytest.approx(0.002)  # 40 tokens x 0.05 ms
    assert steps.mixed_step_saving(3, 400) == pytest.approx(0.004)  # capped by the slack
    assert steps.mixed_step_saving(0, 400) == 0.0  # no decodes: nothing to share
    assert _steps(None).mixed_step_saving(3, 400) == 0.0


def test_a_prompt_joining_running_decodes_gets_its_first_token_sooner_by_the_saving():
    sched = Scheduler(max_seqs=8, tokens_per_step=2048, prefill=Prefill.MIXED_CHUNKED)
    # A's 100-token prompt runs alone (30 ms); B (100 tokens) arrives 5 ms into A's first decode step
    d = Draw(np.array([0.0, 0.035]), np.array([100, 100]), slice(0, 2), np.array([50, 50]))
    plain, shared = serve(_steps(0.0), sched, d, 50), serve(_steps(0.004), sched, d, 50)
    # B joins the step after A's first decode: 10 ms decode + 10 ms of prompt cost, less 4 ms shared
    assert plain.first_token_s[1] == pytest.approx(0.040 + 0.020)
    assert plain.first_token_s[1] - shared.first_token_s[1] == pytest.approx(0.004)


def test_the_estimators_slack_is_the_weight_read_time_a_memory_bound_decode_leaves():
    rig = make_rig(gpu_h100(), dense_8b(), 1, "bf16", "vllm", factors())
    one = decode_weight_slack_s(rig, 1, "tp")
    assert one == pytest.approx(linear_time.linear_s(rig, 1, 1) - linear_time.linear_compute_s(rig, 1, 1))
    assert one > 0.9 * linear_time.linear_s(rig, 1, 1)  # one token: almost all of it is weight reads
    assert decode_weight_slack_s(rig, 1e5, "tp") == 0.0  # compute-bound: nothing spare
    assert decode_weight_slack_s(rig, 1, "pp") == 0.0
    assert prefill_linear_s_per_token(rig, "tp") == pytest.approx(linear_time.linear_compute_s(rig, 1, 1))
