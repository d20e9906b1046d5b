"""Older engine releases' scheduler defaults: vLLM's V0 engine (before 0.8.0) in the serving simulation."""

from __future__ import annotations

import pytest

from costcalc.throughput.estimate import estimate
from costcalc.throughput.protocols import Protocol, run_benchmark
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.scheduler import Prefill, ReleaseDefaults, parse_version, release_defaults
from costcalc.throughput.serving.server_args import parse_server_args
from tests.throughput.serving.replicas import small_vllm_replica
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_release_strings_parse_to_major_minor_patch():
    assert parse_version("0.6.3.post2.dev308") == (0, 6, 3)
    assert parse_version("v0.11") == (0, 11, 0)
    assert parse_version("0.16.0") == (0, 16, 0)
    with pytest.raises(ValueError, match="not a release version"):
        parse_version("nightly")


def test_vllm_v0_runs_256_sequences_and_512_token_chunks_at_long_context():
    # chunked prefill is on by default above a 32768-token max_model_len; 512 tokens until 0.6.5
    assert release_defaults("vllm", "0.6.3.post2.dev308", 131072) == ReleaseDefaults(256, 512, Prefill.MIXED_CHUNKED)
    assert release_defaults("vllm", "0.6.5", 131072) == ReleaseDefaults(256, 2048, Prefill.MIXED_CHUNKED)
    assert release_defaults("vllm", "0.7.3", 32769) == ReleaseDefaults(256, 2048, Prefill.MIXED_CHUNKED)


def test_vllm_v0_without_chunked_prefill_runs_prompt_batches_first():
    assert release_defaults("vllm", "0.6.3", 32768) == ReleaseDefaults(256, 32768, Prefill.PREFILL_FIRST)
    assert release_defaults("vllm", "0.5.4", 1024) == ReleaseDefaults(256, 2048, Prefill.PREFILL_FIRST)


def test_current_releases_and_other_engines_keep_todays_defaults():
    assert release_defaults("vllm", "0.8.0", 131072) is None
    assert release_defaults("vllm", "0.11.0", 131072) is None
    assert release_defaults("vllm", None, 131072) is None
    assert release_defaults("vllm", " ", 131072) is None
    assert release_defaults("sglang", "0.3.6", 131072) is None


_replica = small_vllm_replica


def test_a_v0_replica_takes_the_releases_limits_and_today_keeps_the_engine_default():
    old, new = _replica("0.6.3"), _replica(None)
    assert old.scheduler is not None and new.scheduler is not None
    assert (old.scheduler.max_seqs, old.scheduler.tokens_per_step, old.scheduler.prefill) == (
        256,
        512,
        Prefill.MIXED_CHUNKED,
    )
    assert new.scheduler.max_seqs == 1024
    assert new.scheduler.prefill is Prefill.MIXED_CHUNKED
    assert old.steps is not None and old.steps.max_batch == 256


def test_at_overload_v0_caps_the_batch_so_tpot_stays_short_and_prompts_wait():
    # 2000 prompts at 200 req/s overload an 8B replica: today's 1024-sequence batch decodes slowly,
    # V0's 256 sequences decode fast while the rest queue for a slot (longer TTFT)
    def run(version):
        out, reason = run_benchmark(
            gpu_h100(),
            dense_8b(),
            Protocol("rate", num_prompts=2000, rate_per_s=200.0),
            precision="bf16",
            engine="vllm",
            input_tokens=200,
            output_tokens=200,
            factors=factors(max_batch=1024),
            engine_version=version,
        )
        assert reason is None and out is not None
        return out

    old, new = run("0.6.3"), run(None)
    assert old.mean_tpot_ms < 0.6 * new.mean_tpot_ms
    assert old.mean_ttft_ms > new.mean_ttft_ms


def test_stated_chunked_prefill_decides_the_v0_policy_whatever_the_context():
    assert release_defaults("vllm", "0.6.3", 131072, chunked_prefill=False) == ReleaseDefaults(
        256, 131072, Prefill.PREFILL_FIRST
    )
    assert release_defaults("vllm", "0.6.3", 8192, chunked_prefill=True) == ReleaseDefaults(
        256, 512, Prefill.MIXED_CHUNKED
    )


def test_stated_flags_replace_the_releases_defaults_in_the_replica():
    def sched(version, args):
        rep = _replica(version, parse_server_args("vllm", args)).scheduler
        assert rep is not None
        return rep.max_seqs, rep.tokens_per_step, rep.prefill

    assert sched("0.6.3", "--enable-chunked-prefill=False --max-num-seqs 1024") == (1024, 131072, Prefill.PREFILL_FIRST)
    assert sched("0.6.3", "--max-num-seqs 512 --max-num-batched-tokens 4096") == (512, 4096, Prefill.MIXED_CHUNKED)
    # a short stated context turns V0's default chunked prefill off
    assert sched("0.6.3", "--max-model-len 8192") == (256, 8192, Prefill.PREFILL_FIRST)
    # today's release: the flags replace the GPU's defaults (1024 sequences, 8192 tokens here)
    assert sched(None, "--max-num-seqs 64") == (64, 8192, Prefill.MIXED_CHUNKED)


def test_a_vllm_0_20_server_holds_more_requests_in_its_larger_default_share() -> None:
    """vLLM 0.20.0 fills 0.92 of each GPU where earlier releases filled 0.9; the estimator assumed 0.9 for every
    release. Stated, the release's share sizes the KV cache in the estimate and in the serving simulation alike."""
    g, m, f = gpu_h100(), dense_8b(), factors()

    def fit(version: str | None, args: str | None = None) -> int:
        return estimate(
            g,
            m,
            input_tokens=1000,
            output_tokens=200,
            factors=f,
            engine_version=version,
            server_args=parse_server_args("vllm", args),
        ).max_concurrency

    def kv_gb(version: str | None) -> float:
        replica = build_replica(
            g,
            m,
            input_tokens=1000,
            output_tokens=200,
            max_prompt_tokens=1000,
            max_context_tokens=1200,
            factors=f,
            engine_version=version,
        )
        assert replica.scheduler is not None
        return replica.scheduler.kv_gb

    assert fit("0.20.0") > fit("0.19.1") == fit(None) == fit("0.20.0", "--gpu-memory-utilization 0.9")
    # 0.02 of the H100's 85.9 GB more for the cache
    assert kv_gb("0.20.0") - kv_gb("0.19.1") == pytest.approx(0.02 * 80 * 2**30 / 1e9, rel=1e-6)


def test_an_older_vllm_releases_full_load_runs_its_default_sequences() -> None:
    """qa16 relay 7: vLLM before 0.8.0 runs V0's 256 sequences unasked, as the serving simulation schedules them, but
    the full-load estimate (estimate's table, a report without an SLO) ran as many as fit: 376 on an H100 with
    llama-3.1-8b, 1,000 / 200 tokens. It runs 256, as a stated --max-num-seqs 256 does; requests asked beyond them wait,
    saying it is the release's default."""
    from costcalc.throughput.estimate import estimate_ids

    args = {"input_tokens": 1000, "output_tokens": 200}
    v0 = estimate_ids("h100-sxm-80gb", "llama-3.1-8b", engine_version="0.6.3", **args)
    stated = estimate_ids(
        "h100-sxm-80gb", "llama-3.1-8b", engine_version="0.6.3", engine_args="--max-num-seqs 256", **args
    )
    today = estimate_ids("h100-sxm-80gb", "llama-3.1-8b", **args)
    # more fit than run (the releases' profiling passes differ: V0's chunked budget, V1's 8,192 tokens per step)
    assert v0.concurrency == stated.concurrency == 256 < min(today.concurrency, v0.max_concurrency)
    assert v0.requests_per_s == stated.requests_per_s
    asked = estimate_ids("h100-sxm-80gb", "llama-3.1-8b", engine_version="0.6.3", concurrency=300, **args)
    assert asked.concurrency == 256 and asked.requests_waiting == 44
    assert asked.waiting_note is not None and "release's default --max-num-seqs 256" in asked.waiting_note
