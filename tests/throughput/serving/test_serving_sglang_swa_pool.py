"""SGLang keeps the whole context in gpt-oss's and Gemma's sliding-window layers (hybrid SWA memory off)."""

from __future__ import annotations

import pytest

from costcalc.throughput import memory as mem
from costcalc.throughput.estimate import estimate
from costcalc.throughput.serving.replica import build_replica
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100

# 16 full layers and 16 layers with a 128-token window, 2 x 8 heads x 128 x 2 bytes = 4096 B per layer per token
BYTES_PER_LAYER_TOKEN = 4096
CONTEXT_TOKENS = 1000


def windowed(model_id: str):
    return dense_8b(id=model_id, sliding_window_tokens=128, sliding_window_layers=16)


def test_only_sglang_on_the_architectures_that_turn_hybrid_swa_memory_off():
    for model_id in ("gpt-oss-20b", "gpt-oss-120b", "gemma-3-27b"):
        assert mem.kv_pool_keeps_full_context("sglang", windowed(model_id))
        for engine in ("vllm", "trtllm", "llamacpp", "mlx"):
            assert not mem.kv_pool_keeps_full_context(engine, windowed(model_id))
    # SGLang's hybrid SWA pool for other sliding-window models is not modelled: they keep the cap
    assert not mem.kv_pool_keeps_full_context("sglang", windowed("llama-4-scout-17b-16e"))


def test_the_uncapped_cache_counts_every_layer_at_the_full_context():
    m = windowed("gpt-oss-20b")
    capped = mem.kv_cache_gb(m, CONTEXT_TOKENS, 2.0)
    full = mem.kv_cache_gb(m, CONTEXT_TOKENS, 2.0, sliding_window_capped=False)
    assert capped * 1e9 == pytest.approx(BYTES_PER_LAYER_TOKEN * (16 * CONTEXT_TOKENS + 16 * 128))
    assert full * 1e9 == pytest.approx(BYTES_PER_LAYER_TOKEN * 32 * CONTEXT_TOKENS)


def test_a_gpt_oss_request_holds_more_kv_on_sglang_than_on_vllm_and_the_replica_needs_the_same():
    m, f, g = windowed("gpt-oss-20b"), factors(), gpu_h100()
    sglang = estimate(g, m, engine="sglang", input_tokens=500, output_tokens=500, factors=f)
    vllm = estimate(g, m, engine="vllm", input_tokens=500, output_tokens=500, factors=f)
    ratio = (32 * CONTEXT_TOKENS) / (16 * CONTEXT_TOKENS + 16 * 128)
    assert sglang.kv_cache_gb_per_request == pytest.approx(vllm.kv_cache_gb_per_request * ratio)
    replica = build_replica(
        g,
        m,
        engine="sglang",
        input_tokens=500,
        output_tokens=500,
        max_prompt_tokens=500,
        max_context_tokens=CONTEXT_TOKENS,
        factors=f,
    )
    assert replica.scheduler is not None and replica.scheduler.kv_need_gb is not None
    assert replica.scheduler.kv_need_gb(CONTEXT_TOKENS) == pytest.approx(sglang.kv_cache_gb_per_request)


def test_a_model_without_the_override_keeps_the_window_cap_on_sglang():
    m, f, g = windowed("test-8b"), factors(), gpu_h100()
    sglang = estimate(g, m, engine="sglang", input_tokens=500, output_tokens=500, factors=f)
    assert sglang.kv_cache_gb_per_request * 1e9 == pytest.approx(
        BYTES_PER_LAYER_TOKEN * (16 * CONTEXT_TOKENS + 16 * 128)
    )
