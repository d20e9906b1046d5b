"""Tests of the analytical throughput estimator: hand-worked memory and timing, and invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import InputError, ThroughputError
from costcalc.throughput import memory as mem
from costcalc.throughput.estimate import estimate
from costcalc.throughput.factors import ClassFactors, EngineFactors, Factors, gpu_class

AS_OF = dt.date(2026, 1, 1)
SRC = "test fixture"


def gpu_h100(**over) -> GpuSpec:
    """An H100-SXM-like GPU."""
    base = {
        "id": "test-h100",
        "name": "H100-like",
        "source": SRC,
        "as_of": AS_OF,
        "vendor": "nvidia",
        "memory_gb": 80,
        "memory_bandwidth_gb_s": 3350,
        "bf16_tflops": 989,
        "fp8_tflops": 1979,
        "interconnect_gb_s": 450,
    }
    return GpuSpec(**{**base, **over})


def dense_70b(**over) -> ModelSpec:
    """Llama-3.3-70B's shape."""
    base = {
        "id": "test-70b",
        "name": "70B",
        "source": SRC,
        "as_of": AS_OF,
        "hf_repo": "x/70b",
        "total_params_b": 70.6,
        "active_params_b": 70.6,
        "layers": 80,
        "hidden_size": 8192,
        "attention_heads": 64,
        "kv_heads": 8,
        "head_dim": 128,
        "vocab_size": 128256,
        "max_context_tokens": 131072,
        "native_precision": "bf16",
    }
    return ModelSpec(**{**base, **over})


def dense_8b(**over) -> ModelSpec:
    """Llama-3.1-8B's shape (GQA: 8 KV heads of 128)."""
    base = {
        "id": "test-8b",
        "name": "8B",
        "source": SRC,
        "as_of": AS_OF,
        "hf_repo": "x/8b",
        "total_params_b": 8.03,
        "active_params_b": 8.03,
        "layers": 32,
        "hidden_size": 4096,
        "attention_heads": 32,
        "kv_heads": 8,
        "head_dim": 128,
        "vocab_size": 128256,
        "max_context_tokens": 131072,
        "native_precision": "bf16",
    }
    return ModelSpec(**{**base, **over})


def mla_moe(**over) -> ModelSpec:
    """DeepSeek-R1's shape: MLA latent 512 + rope 64, 256 routed experts, top-8."""
    base = {
        "id": "test-mla",
        "name": "MLA",
        "source": SRC,
        "as_of": AS_OF,
        "hf_repo": "x/mla",
        "total_params_b": 671,
        "active_params_b": 37,
        "layers": 61,
        "hidden_size": 7168,
        "attention_heads": 128,
        "kv_heads": 128,
        "head_dim": 128,
        "experts": 256,
        "experts_per_token": 8,
        "shared_experts": 1,
        "vocab_size": 129280,
        "max_context_tokens": 163840,
        "native_precision": "fp8",
        "kv_lora_rank": 512,
        "qk_rope_head_dim": 64,
    }
    return ModelSpec(**{**base, **over})


def factors(**engine_over) -> Factors:
    """Round-number factors so hand arithmetic stays simple."""
    ef = EngineFactors(
        bandwidth_efficiency=0.5,
        compute_efficiency=0.5,
        step_overhead_ms=1.0,
        memory_utilization=0.9,
        runtime_overhead_gb=2.0,
        max_batch=4096,
    )
    ef = replace(ef, **engine_over)
    return Factors(
        engines={e: ef for e in ("trtllm", "vllm", "sglang", "llamacpp", "mlx")},
        classes={c: ClassFactors() for c in ("datacenter", "workstation", "apple")},
        comm_latency_us=10.0,
        moe_compute_efficiency=0.5,
        error_bands={"overall": 0.3, "vllm/single": 0.2, "vllm/server": 0.25, "vllm/offline": 0.35},
    )


# ---- memory, worked by hand -----------------------------------------------------------------


def test_weights_of_70b_at_fp8_keep_embeddings_at_16_bit():
    # embeddings in + out: 2 * 128256 * 8192 = 2.1013e9 params at 2 bytes = 4.2025 GB
    # the rest: 70.6e9 - 2.1013e9 = 68.4987e9 params at 1 byte            = 68.4987 GB
    assert mem.weights_gb(dense_70b(), "fp8") == pytest.approx(4.2025 + 68.4987, rel=1e-4)


def test_weights_of_70b_at_q4_k_m_are_a_whole_file_average():
    # GGUF: every tensor at the file's 4.85 bits/weight: 70.6e9 * 4.85 / 8 = 42.80 GB
    assert mem.weights_gb(dense_70b(), "q4_k_m") == pytest.approx(42.80, rel=1e-3)


def test_kv_bytes_per_token_gqa():
    # 32 layers * 2 (K and V) * 8 kv heads * 128 dims * 2 bytes = 131072 bytes per token
    per_layer = mem.kv_bytes_per_token_per_layer(dense_8b(), 2.0)
    assert per_layer * 32 == 131072
    assert mem.kv_cache_gb(dense_8b(), 1000, 2.0) == pytest.approx(131072 * 1000 / 1e9)


def test_kv_bytes_per_token_mla_uses_the_latent_not_the_heads():
    # 61 layers * (512 latent + 64 rope) * 2 bytes = 70272 bytes per token (heads would be 4 MB)
    assert mem.kv_cache_gb(mla_moe(), 1, 2.0) * 1e9 == pytest.approx(70272)


def test_sliding_window_layers_stop_growing_at_the_window():
    m = dense_8b(sliding_window_tokens=128, sliding_window_layers=16)
    # 16 full layers * 1000 tokens + 16 window layers * 128 tokens, 2*8*128*2 = 4096 B each
    assert mem.kv_cache_gb(m, 1000, 2.0) * 1e9 == pytest.approx(4096 * (16 * 1000 + 16 * 128))


def test_experts_touched_goes_from_top_k_to_all():
    assert mem.experts_touched(256, 8, 1) == pytest.approx(8)
    assert mem.experts_touched(256, 8, 10_000) == pytest.approx(256)
    assert 8 < mem.experts_touched(256, 8, 16) < 8 * 16


def test_moe_split_reproduces_total_and_active():
    s = mem.split_params(mla_moe())
    assert s.embedding_b + s.dense_b + 256 * s.expert_b == pytest.approx(671)
    assert s.embedding_b + s.dense_b + 8 * s.expert_b == pytest.approx(37)


# ---- timing ---------------------------------------------------------------------------------


def test_decode_tpot_at_batch_one_is_weight_bytes_over_bandwidth():
    f = factors()
    e = estimate(
        gpu_h100(),
        dense_8b(),
        engine="vllm",
        input_tokens=0,
        output_tokens=1,
        concurrency=1,
        factors=f,
    )
    # weights read per token: all but the input embedding (a row lookup):
    # (8.03e9 - 128256*4096) * 2 bytes = 15.0093 GB; at 3350 GB/s * 0.5 -> 8.961 ms; + 1 ms step
    expected_ms = (8.03e9 - 128256 * 4096) * 2 / (3350e9 * 0.5) * 1e3 + 1.0
    assert e.tpot_ms == pytest.approx(expected_ms, rel=0.01)
    assert e.output_tokens_per_s == pytest.approx(1000 / e.tpot_ms, rel=0.01)


def test_prefill_at_batch_one_is_compute_bound():
    f = factors(step_overhead_ms=0.0)
    e = estimate(gpu_h100(), dense_8b(), input_tokens=4096, output_tokens=0, concurrency=1, factors=f)
    # linear: 2 * 8.03e9 (less the unused input embedding) * 4096 FLOPs at 989e12 * 0.5
    linear = 2 * (8.03e9 - 128256 * 4096) * 4096 / (989e12 * 0.5)
    # attention: 2 * 2 * 32 layers * 4096 wide * 2048 avg positions * 4096 tokens
    attention = 4 * 32 * 4096 * 2048 * 4096 / (989e12 * 0.5)
    assert e.ttft_ms == pytest.approx((linear + attention) * 1e3, rel=0.02)


def test_does_not_fit_says_how_much_is_needed():
    e = estimate(
        gpu_h100(),
        dense_70b(),
        precision="bf16",
        input_tokens=100,
        output_tokens=100,
        factors=factors(),
    )
    assert not e.fits
    assert e.reason.startswith("needs 141.2 GB of weights")
    assert "on 1x test-h100" in e.reason
    with pytest.raises(ThroughputError):
        e.to_operating_point()


def test_tensor_parallel_makes_it_fit_and_raises_capacity():
    f = factors()
    two = estimate(gpu_h100(), dense_70b(), gpu_count=2, input_tokens=1000, output_tokens=1000, factors=f)
    four = estimate(gpu_h100(), dense_70b(), gpu_count=4, input_tokens=1000, output_tokens=1000, factors=f)
    assert two.fits and four.fits
    assert four.max_concurrency > two.max_concurrency
    assert four.output_tokens_per_s > two.output_tokens_per_s


def test_context_longer_than_the_model_allows_does_not_fit():
    e = estimate(
        gpu_h100(),
        dense_8b(max_context_tokens=4096),
        input_tokens=4000,
        output_tokens=200,
        factors=factors(),
    )
    assert not e.fits and "exceed" in e.reason


def test_unknown_precision_and_engine_list_valid_values():
    with pytest.raises(InputError, match="valid: bf16, fp16, fp8"):
        estimate(gpu_h100(), dense_8b(), precision="fp3", input_tokens=1, output_tokens=1)
    with pytest.raises(InputError, match="valid: trtllm, vllm, sglang, llamacpp, mlx"):
        estimate(gpu_h100(), dense_8b(), engine="ollama", input_tokens=1, output_tokens=1)


def test_engine_on_the_wrong_vendor_does_not_fit():
    apple = gpu_h100(id="test-mac", vendor="apple", interconnect_gb_s=None)
    e = estimate(apple, dense_8b(), engine="trtllm", input_tokens=10, output_tokens=10, factors=factors())
    assert not e.fits and "trtllm does not run on apple" in e.reason
    assert gpu_class(apple) == "apple"


def test_moe_decodes_faster_than_a_dense_model_of_the_same_total_size():
    dense = dense_70b(total_params_b=120, active_params_b=120, native_precision="fp8")
    moe = dense_70b(
        total_params_b=120,
        active_params_b=6,
        experts=128,
        experts_per_token=4,
        native_precision="fp8",
    )
    big = gpu_h100(memory_gb=192)
    kw = {"input_tokens": 0, "output_tokens": 100, "concurrency": 1, "factors": factors()}
    assert estimate(big, moe, **kw).tpot_ms < estimate(big, dense, **kw).tpot_ms / 5


def test_operating_point_carries_the_estimate():
    e = estimate(
        gpu_h100(),
        dense_8b(),
        input_tokens=500,
        output_tokens=200,
        concurrency=8,
        factors=factors(),
    )
    op = e.to_operating_point()
    assert op.tool == "estimate"
    assert op.output_tokens_per_s == e.output_tokens_per_s
    assert op.tpot_ms.mean == e.tpot_ms and op.tpot_ms.p50 is None and op.concurrency == 8  # a mean, not a percentile
    assert e.error_band == 0.25  # vllm's server band: concurrency above one


# ---- invariants -----------------------------------------------------------------------------

lengths = st.integers(min_value=0, max_value=8000)


@settings(max_examples=40, deadline=None)
@given(
    inp=lengths,
    out=st.integers(min_value=1, max_value=4000),
    n=st.sampled_from([1, 2, 4, 8]),
    c=st.integers(min_value=1, max_value=600),
    precision=st.sampled_from(["bf16", "fp8", "q4_k_m"]),
)
def test_more_concurrency_never_lowers_throughput_nor_speeds_a_user_up(inp, out, n, c, precision):
    f = factors()
    kw = {
        "gpu_count": n,
        "precision": precision,
        "input_tokens": inp,
        "output_tokens": out,
        "factors": f,
    }
    a = estimate(gpu_h100(), dense_70b(), concurrency=c, **kw)
    b = estimate(gpu_h100(), dense_70b(), concurrency=c + 1, **kw)
    if not a.fits:
        assert not b.fits
        return
    assert b.output_tokens_per_s >= a.output_tokens_per_s * (1 - 1e-9)
    assert b.tpot_ms >= a.tpot_ms * (1 - 1e-9)
    assert b.ttft_ms >= a.ttft_ms * (1 - 1e-9)
    assert b.concurrency <= b.max_concurrency


@settings(max_examples=30, deadline=None)
@given(mem_gb=st.floats(min_value=8, max_value=400), n=st.sampled_from([1, 2, 4, 8]))
def test_fits_exactly_when_weights_fit_the_usable_memory(mem_gb, n):
    e = estimate(
        gpu_h100(memory_gb=mem_gb),
        dense_70b(),
        gpu_count=n,
        precision="fp8",
        input_tokens=10,
        output_tokens=10,
        factors=factors(),
    )
    usable = (mem_gb * 2**30 / 1e9 * 0.9 - 2.0) * n
    if e.weights_gb > usable:
        assert not e.fits and "GB of weights" in e.reason
    elif e.fits:
        assert e.memory_used_gb <= usable + 1e-9


def test_gguf_of_an_mxfp4_moe_keeps_its_experts_in_mxfp4():
    moe = dense_70b(
        total_params_b=20.9,
        active_params_b=3.6,
        experts=32,
        experts_per_token=4,
        native_precision="mxfp4",
        hidden_size=2880,
        vocab_size=201088,
    )
    s = mem.split_params(moe)
    experts_gb = 32 * s.expert_b * 4.25 / 8  # experts stay at MXFP4's 4.25 bits
    rest_gb = (s.embedding_b + s.dense_b) * 4.85 / 8  # the rest at q4_k_m's 4.85 bits
    assert mem.weights_gb(moe, "q4_k_m") == pytest.approx(experts_gb + rest_gb)


def test_request_overhead_adds_to_ttft_only_once_per_request():
    base = factors()
    slow = factors(request_overhead_ms=40.0)
    kw = {"input_tokens": 500, "output_tokens": 100, "concurrency": 1}
    a = estimate(gpu_h100(), dense_8b(), factors=base, **kw)
    b = estimate(gpu_h100(), dense_8b(), factors=slow, **kw)
    assert b.ttft_ms == pytest.approx(a.ttft_ms + 40.0)
    assert b.tpot_ms == pytest.approx(a.tpot_ms)


def test_decode_only_rate_excludes_prefill():
    f = factors()
    many = estimate(gpu_h100(), dense_8b(), input_tokens=4000, output_tokens=32, concurrency=16, factors=f)
    assert many.decode_tokens_per_s > 2 * many.output_tokens_per_s  # 4000-token prompts dominate
    one = estimate(gpu_h100(), dense_8b(), input_tokens=4000, output_tokens=32, concurrency=1, factors=f)
    assert one.decode_tokens_per_s == pytest.approx(1000 / one.tpot_ms)  # one user: no stalls
