"""A stated KV-cache dtype: the cache's bytes, how many requests fit, and the rate attention's math runs at."""

from __future__ import annotations

import pytest

from costcalc.throughput import memory as mem
from costcalc.throughput.estimate import estimate
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.server_args import parse_server_args
from costcalc.throughput.timing import prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_stated_dtype_overrides_the_engine_default_and_auto_keeps_it():
    # TensorRT-LLM's default for an fp8 checkpoint is an fp8 cache (NVIDIA's ModelOpt checkpoints)
    assert mem.kv_bytes_per_value("fp8", "trtllm") == 1.0
    assert mem.kv_bytes_per_value("fp8", "trtllm", "auto") == 1.0
    # a block-scaled FP8 checkpoint names no KV quantisation: TRT-LLM caches bf16
    assert mem.kv_bytes_per_value("fp8", "trtllm", "bfloat16") == 2.0
    # a server told to use an fp8 cache
    assert mem.kv_bytes_per_value("bf16", "vllm", "fp8") == 1.0
    assert mem.kv_bytes_per_value("bf16", "vllm") == 2.0


def test_a_bf16_cache_halves_the_requests_that_fit_and_runs_attention_at_the_16_bit_rate():
    m, f, g = dense_8b(), factors(), gpu_h100()
    fp8_cache = estimate(g, m, precision="fp8", engine="trtllm", input_tokens=2000, output_tokens=2000, factors=f)
    bf16_cache = estimate(
        g,
        m,
        precision="fp8",
        engine="trtllm",
        input_tokens=2000,
        output_tokens=2000,
        factors=f,
        kv_cache_dtype="bfloat16",
    )
    # Llama-3.1-8B: 2 tensors x 32 layers x 8 heads x 128 x 4000 tokens = 262.1M values per request
    assert fp8_cache.kv_cache_gb_per_request == pytest.approx(0.262144, rel=1e-6)
    assert bf16_cache.kv_cache_gb_per_request == pytest.approx(2 * 0.262144, rel=1e-6)
    assert bf16_cache.max_concurrency in (fp8_cache.max_concurrency // 2, fp8_cache.max_concurrency // 2 + 1)
    # attention follows the cache: fp8 tensor cores (1979) for an fp8 cache, bf16 (989) otherwise
    fp8_rig = make_rig(g, m, 1, "fp8", "trtllm", f)
    bf16_rig = make_rig(g, m, 1, "fp8", "trtllm", f, kv_cache_dtype="bfloat16")
    assert fp8_rig.attention_flops / bf16_rig.attention_flops == pytest.approx(1979 / 989)
    assert fp8_rig.flops == bf16_rig.flops  # the weights' GEMMs stay fp8
    assert prefill_s(bf16_rig, 32000, "single")[1] > 1.2 * prefill_s(fp8_rig, 32000, "single")[1]


def test_replica_sizes_its_cache_in_the_stated_dtype():
    def replica(args: str | None):
        return build_replica(
            gpu_h100(),
            dense_8b(),
            precision="fp8",
            engine="trtllm",
            input_tokens=2000,
            output_tokens=2000,
            max_prompt_tokens=2000,
            max_context_tokens=4000,
            factors=factors(max_batch=4096),
            server_args=parse_server_args("trtllm", args),
        )

    default, bf16 = replica(None), replica("--kv-cache-dtype bfloat16")
    assert default.scheduler is not None and bf16.scheduler is not None
    assert default.scheduler.kv_need_gb is not None and bf16.scheduler.kv_need_gb is not None
    assert bf16.scheduler.kv_need_gb(4000) == pytest.approx(2 * default.scheduler.kv_need_gb(4000))
    assert bf16.full_load.max_concurrency < 0.55 * default.full_load.max_concurrency


def test_an_in_process_row_honours_its_stated_kv_cache_dtype():
    from costcalc.throughput.calibration import estimate_row
    from tests.throughput.test_calibration import LOOKUP, row

    f = factors()
    shape = {"precision": "fp8", "engine": "trtllm", "input_tokens": "2000", "output_tokens": "2000"}
    default, _ = estimate_row(row(**shape), f, LOOKUP)
    bf16, _ = estimate_row(row(engine_args="--kv-cache-dtype bfloat16", **shape), f, LOOKUP)
    # half as many requests fit in a cache of twice the bytes per token: fewer tokens per second
    assert default is not None and bf16 is not None
    assert bf16 < 0.8 * default


@pytest.mark.parametrize(
    ("k_and_v", "bytes_per_value"),
    [
        # ggml's blocks of 32 values (ggml-common.h): q8_0 34 bytes, q4_0 18, q4_1 20, q5_0 22, q5_1 24, iq4_nl 18
        ("q8_0/q8_0", 34 / 32),
        ("q4_0/q4_0", 18 / 32),
        ("q4_1/q4_1", 20 / 32),
        ("q5_0/q5_0", 22 / 32),
        ("q5_1/q5_1", 24 / 32),
        ("iq4_nl/iq4_nl", 18 / 32),
        ("f16/f16", 2.0),
        ("bf16/bf16", 2.0),
        ("f32/f32", 4.0),
        ("q8_0/f16", (34 / 32 + 2) / 2),  # as many keys as values: the mean
    ],
)
def test_a_llama_cpp_cache_costs_its_ggml_block_bytes_per_value(k_and_v: str, bytes_per_value: float) -> None:
    assert mem.kv_bytes_per_value("q4_k_m", "llamacpp", k_and_v) == pytest.approx(bytes_per_value)
    assert mem.kv_bytes_per_value("q4_k_m", "llamacpp") == 2.0  # unstated: f16


def test_a_q8_0_llama_cpp_cache_holds_more_requests_and_reads_less_per_decode_step() -> None:
    """-ctk q8_0 -ctv q8_0 was refused ('the estimator sizes llama.cpp's KV cache at 16 bits a value'); a q8_0 cache
    holds a value in 34/32 bytes, so a request's cache is 17/32 of f16's, more requests fit, and each decode step reads
    less of it."""
    m, f, g = dense_8b(), factors(), gpu_h100()

    def at(args: str | None, concurrency: int | None = None):
        return estimate(
            g,
            m,
            precision="q4_k_m",
            engine="llamacpp",
            input_tokens=8000,
            output_tokens=1000,
            concurrency=concurrency,
            factors=f,
            server_args=parse_server_args("llamacpp", args),
        )

    f16, q8 = at(None), at("-ctk q8_0 -ctv q8_0")
    assert q8.kv_cache_gb_per_request == pytest.approx(f16.kv_cache_gb_per_request * 17 / 32)
    assert q8.max_concurrency > 1.8 * f16.max_concurrency
    assert at("-ctk f16 -ctv f16", 4) == at(None, 4)  # the default, stated
    # the same 4 requests in flight: the step reads the weights and a cache of half the bytes
    assert at("-ctk q8_0 -ctv q8_0 -np 4", 4).tpot_ms < at("-np 4", 4).tpot_ms
