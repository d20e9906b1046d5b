"""SGLang's default mem_fraction_static by release, and the KV cache the serving simulation gives it."""

from __future__ import annotations

import pytest

from costcalc.throughput.memory_fit import memory_gb
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.server_args import parse_server_args
from costcalc.throughput.sglang_memory import static_share
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_release_reserves_as_its_server_args_computes():
    # 0.5.3rc0: (9.5 + tp/2) GiB on a 35-90 GiB GPU
    assert static_share(80, 1, "0.5.3rc0") == pytest.approx(round((81920 - 10 * 1024) / 81920, 3))
    # 0.5.3+: 512 MiB + 1.5 x 8192 (chunked prefill) + 2 x 256 (CUDA graphs) + 1/8 GiB per GPU = 13440 MiB
    assert static_share(80, 1, "0.5.4.post2") == pytest.approx(round((81920 - 13440) / 81920, 3))
    assert static_share(80, 1, "v0.5.5.post1") == static_share(80, 1, "0.5.3") == 0.836
    # a 40 GiB GPU: 512 + 1.5 x 4096 + 2 x 32 + 128 = 6848 MiB (the 10 GiB floor is for GPUs above 60 GiB)
    assert static_share(40, 1, "0.5.6") == pytest.approx(round((40960 - 6848) / 40960, 3))
    # 8 GPUs of 141 GiB: 512 + 1.5 x 8192 + 2 x 512 + 1024 = 14848 MiB
    assert static_share(141, 8, "0.5.6.post2") == pytest.approx(round((144384 - 14848) / 144384, 3))
    # releases whose code was not read, and no release stated, keep the engine's prior
    for version in (None, "", "0.4.6", "0.5.2", "0.5.8.post1", "0.5.4rc1"):
        assert static_share(80, 1, version) is None


def _sglang_kv_gb(version: str | None, args: str | None = None) -> float:
    rep = build_replica(
        gpu_h100(),
        dense_8b(),
        precision="bf16",
        engine="sglang",
        input_tokens=2000,
        output_tokens=2000,
        max_prompt_tokens=2000,
        max_context_tokens=4000,
        factors=factors(max_batch=1024),  # memory_utilization 0.9
        engine_version=version,
        server_args=parse_server_args("sglang", args),
    )
    assert rep.scheduler is not None
    return rep.scheduler.kv_gb


def test_a_stated_sglang_release_sizes_its_kv_cache_by_its_own_memory_share():
    prior = _sglang_kv_gb(None)
    assert prior < float("inf")  # 1024 requests of 4000 tokens do not fit: the pool binds
    # 0.5.4.post2 keeps 0.836 of an 80 GiB GPU for weights and cache, where the prior keeps 0.9
    assert prior - _sglang_kv_gb("0.5.4.post2") == pytest.approx(memory_gb(gpu_h100()) * (0.9 - 0.836))
    assert prior - _sglang_kv_gb("0.5.3rc0") == pytest.approx(memory_gb(gpu_h100()) * (0.9 - 0.875))
    assert _sglang_kv_gb("0.5.8.post1") == prior  # not read: the prior


def test_a_stated_mem_fraction_static_is_the_share_whatever_the_release():
    # SGLang computes its share only when --mem-fraction-static is not given (ServerArgs._handle_gpu_memory_settings)
    prior = _sglang_kv_gb(None)
    for version in (None, "0.5.4.post2"):
        assert _sglang_kv_gb(version, "--mem-fraction-static 0.8") == pytest.approx(
            prior - memory_gb(gpu_h100()) * (0.9 - 0.8)
        )
    with pytest.raises(ValueError, match="--mem-fraction-static takes a share of the GPU's memory above 0"):
        parse_server_args("sglang", "--mem-fraction-static 88")
