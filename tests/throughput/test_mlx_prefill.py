"""Tests of MLX's chunked prefill over sliding-window layers (mlx-lm's masks, mlx's key-block skipping)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.catalog.lookup import get_gpu, get_model
from costcalc.throughput.mlx_prefill import MLX_PREFILL_STEP_TOKENS, prompt_attention_scale, sliding_layer_scores
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import prefill_s
from tests.throughput.test_estimate import factors

STEP = MLX_PREFILL_STEP_TOKENS


def test_a_step_past_the_window_scores_every_kept_and_new_key():
    # 4K prompt, 128-token window: the first step scores its whole 2048 x 2048 square (array mask),
    # the second 2048 queries x (127 kept + 2048 new) keys
    assert sliding_layer_scores(2 * STEP, 128) == STEP * STEP + STEP * (127 + STEP)


def test_a_step_inside_the_window_is_causal():
    # 100 tokens in a 128-token window: the "causal" mode, each query half the prompt on average
    assert sliding_layer_scores(100, 128) == 100 * 50
    assert sliding_layer_scores(512, 1024) == 512 * 256


def test_long_gpt_oss_prompts_score_far_fewer_keys_than_every_layer_causal():
    gpt_oss = get_model("gpt-oss-20b")  # half of its 24 layers on a 128-token window
    assert gpt_oss.sliding_window_tokens == 128 and gpt_oss.sliding_window_layers == 12
    tokens = 8 * STEP
    sliding = STEP * STEP + 7 * STEP * (127 + STEP)
    assert prompt_attention_scale(gpt_oss, tokens) == pytest.approx(
        (0.5 * tokens**2 / 2 + 0.5 * sliding) / (tokens**2 / 2)
    )
    assert prompt_attention_scale(gpt_oss, tokens) < 0.65
    # one step: the sliding layers score the whole square, more than causal
    assert prompt_attention_scale(gpt_oss, STEP) == pytest.approx(1.5)
    assert prompt_attention_scale(get_model("llama-3.1-8b"), tokens) == 1.0


def test_mlx_prefill_of_a_long_gpt_oss_prompt_is_faster_than_the_every_layer_count():
    gpu, model, f = get_gpu("apple-m3-ultra"), get_model("gpt-oss-20b"), factors()
    mlx = make_rig(gpu, model, 1, "mxfp4", "mlx", f)
    llamacpp = make_rig(gpu, model, 1, "mxfp4", "llamacpp", f)
    assert mlx.chunked_sliding_prefill and not llamacpp.chunked_sliding_prefill
    tokens = 8 * STEP
    # the test factors give both engines the same rates; only MoE GEMMs (mlx_moe) and attention differ
    no_sliding = prefill_s(replace(mlx, chunked_sliding_prefill=False), tokens, "single")[0]
    assert prefill_s(mlx, tokens, "single")[0] < no_sliding * 0.95
    short = 1000  # within one step the sliding layers cost more, not less
    no_sliding_short = prefill_s(replace(mlx, chunked_sliding_prefill=False), short, "single")[0]
    assert prefill_s(mlx, short, "single")[0] > no_sliding_short
