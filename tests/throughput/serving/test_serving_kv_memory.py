"""The KV cache a vLLM replica gets: weights as the checkpoint stores them, less the profiling pass's activations."""

from __future__ import annotations

import pytest

from costcalc.throughput import memory as mem
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.replica import build_replica
from costcalc.throughput.serving.server_args import ServerArgs, parse_server_args
from costcalc.throughput.timing import decode_step_s, prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100

GIB = 2**30 / 1e9  # decimal GB per GiB


def llama_405b():
    """Llama 3.1 405B's shapes (config.json): 126 layers, hidden 16384, 128 heads, 8 KV heads, FFN 53248."""
    return dense_8b(
        id="llama-405b-test",
        total_params_b=405.85,
        active_params_b=405.85,
        layers=126,
        hidden_size=16384,
        attention_heads=128,
        kv_heads=8,
        head_dim=128,
        vocab_size=128256,
        max_context_tokens=131072,
    )


def test_meta_fp8_checkpoint_keeps_attention_and_edge_layers_at_16_bit():
    m = llama_405b()
    # q, o: 16384 x 16384 each; k, v: 16384 x 1024 each -> 570.4M per layer, 71.87B over 126 layers
    assert mem.attention_params_b(m) == pytest.approx(71.8736, rel=1e-4)
    everything = mem.weights_gb(m, "fp8")
    meta = mem.weights_gb(m, "fp8", "fbgemm_fp8")
    # dstack's vLLM log of meta-llama/Llama-3.1-405B-FP8 on 8 GPUs: 56.7677 GiB of weights on each
    assert meta / 8 / GIB == pytest.approx(56.7677, rel=0.005)
    assert everything / 8 / GIB == pytest.approx(47.7, rel=0.01)
    assert mem.sixteen_bit_dense_b(m, None) == 0.0
    assert mem.sixteen_bit_dense_b(m, "fp8") == 0.0  # only the FFN-only methods keep parts at 16 bit
    # a 16-bit checkpoint is 16 bit throughout whatever the method says
    assert mem.weights_gb(m, "bf16", "fbgemm_fp8") == pytest.approx(mem.weights_gb(m, "bf16"))
    # a decode step reads what is stored
    assert mem.weight_bytes_read_gb(m, "fp8", 1, "fbgemm_fp8") > 1.15 * mem.weight_bytes_read_gb(m, "fp8", 1)


def test_meta_fp8_checkpoint_decodes_and_prefills_slower_than_an_all_fp8_one():
    m, f = llama_405b(), factors()
    all_fp8 = make_rig(gpu_h100(), m, 8, "fp8", "vllm", f)
    meta = make_rig(gpu_h100(), m, 8, "fp8", "vllm", f, quantization="fbgemm_fp8")
    assert all_fp8.dense_flops_scale == 1.0
    # about a fifth of the dense weights (attention, edge layers) run at half the fp8 rate on an H100
    assert 1.15 < meta.dense_flops_scale < 1.25
    assert decode_step_s(meta, 1, 1000, "tp") > 1.1 * decode_step_s(all_fp8, 1, 1000, "tp")
    assert prefill_s(meta, 8192, "tp")[1] > 1.1 * prefill_s(all_fp8, 8192, "tp")[1]


def test_profiling_activations_grow_with_the_tokens_profiled():
    m = llama_405b()
    assert mem.profile_activation_gb(m, 8, 0) == 0.0
    one = mem.profile_activation_gb(m, 8, 1)
    # per GPU: residual + MLP input (2 x 16384) and gate/up output (2 x 53248 / 8), 2 bytes each
    assert one / 8 == pytest.approx((2 * 16384 + 2 * 53248 / 8) * 2 / 1e9, rel=0.01)
    assert mem.profile_activation_gb(m, 8, 91680) == pytest.approx(91680 * one)


def _kv_gb(engine: str, version: str | None, args: str) -> float:
    rep = build_replica(
        gpu_h100(),
        dense_8b(max_context_tokens=131072),
        precision="bf16",
        engine=engine,
        input_tokens=2000,
        output_tokens=2000,
        max_prompt_tokens=2000,
        max_context_tokens=4000,
        factors=factors(max_batch=1024),
        engine_version=version,
        server_args=parse_server_args(engine, args),
    )
    assert rep.scheduler is not None
    return rep.scheduler.kv_gb


def test_vllm_kv_cache_is_what_the_profiling_pass_leaves():
    # V0 without chunked prefill profiles a whole 131072-token prompt batch; with it, 512 tokens
    chunked = _kv_gb("vllm", "0.6.3", "--enable-chunked-prefill=True")
    whole = _kv_gb("vllm", "0.6.3", "--enable-chunked-prefill=False")
    m = dense_8b()
    lost = mem.profile_activation_gb(m, 1, 131072) - mem.profile_activation_gb(m, 1, 512)
    assert chunked - whole == pytest.approx(lost, rel=1e-6)
    assert lost > 9.0
    # engines that do not size their cache by a profiling pass keep the room after the weights
    assert _kv_gb("sglang", None, "") > chunked


def test_a_cache_with_no_room_left_says_so():
    rep = build_replica(
        gpu_h100(memory_gb=20.0),
        dense_8b(max_context_tokens=131072),
        precision="bf16",
        engine="vllm",
        input_tokens=2000,
        output_tokens=2000,
        max_prompt_tokens=2000,
        max_context_tokens=4000,
        factors=factors(max_batch=1024),
        engine_version="0.6.3",
        server_args=ServerArgs(chunked_prefill=False),
    )
    assert rep.scheduler is None and rep.full_load.reason is not None
    assert rep.full_load.reason == (
        "weights fit (16.1 GB) but no memory is left for the KV cache on 1x test-h100 after them and the profiling pass"
        " at 131,072 tokens per step (9.7 GB)"
    )


@pytest.mark.parametrize(
    "gpu_name,model_name,engine,version,engine_args",
    [
        ("h100-sxm-80gb", "llama-3.1-8b", "vllm", None, ""),
        ("h100-sxm-80gb", "llama-3.1-8b", "vllm", "0.20.0", ""),
        ("h100-sxm-80gb", "llama-3.1-8b", "vllm", "0.6.0", ""),
        ("h100-sxm-80gb", "llama-3.1-8b", "vllm", None, "--max-num-batched-tokens 32768"),
        ("a100-sxm-40gb", "llama-3.1-8b", "vllm", None, ""),
        ("h100-sxm-80gb", "llama-3.1-8b", "sglang", "0.5.4", ""),
        ("h200-sxm-141gb", "qwen3-32b", "sglang", "0.4.6", ""),
        ("h100-sxm-80gb", "gpt-oss-120b", "vllm", "0.10.1", ""),
    ],
)
def test_the_requests_that_fit_are_the_sequences_the_simulated_server_runs(
    gpu_name: str, model_name: str, engine: str, version: str | None, engine_args: str
) -> None:
    """qa16: `costcalc estimate` said 376 requests of 1,000 + 200 tokens fit on an H100 while the report's simulated
    server of the same option ran up to 372 sequences: the simulation's KV cache gave up vLLM's profiling pass at the
    step's token budget (and took SGLang's static share by release), the estimate's did not. One rule now; and an older
    vLLM's 256 default sequences cap the estimate's full load as they cap the simulated server."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.estimate import estimate

    gpu, model = get_gpu(gpu_name), get_model(model_name)
    stated = parse_server_args(engine, engine_args)
    common = dict(gpu_count=1, engine=engine, input_tokens=1000, output_tokens=200, engine_version=version)
    full = estimate(gpu, model, server_args=stated, **common)
    replica = build_replica(
        gpu,
        model,
        max_prompt_tokens=1000,
        max_context_tokens=1200,
        min_context_tokens=1200,
        server_args=stated,
        **common,
    )
    assert full.fits and replica.scheduler is not None
    assert full.concurrency == replica.scheduler.max_seqs


def test_a_profiling_pass_too_large_names_the_largest_step_budget_that_fits() -> None:
    """`estimate ... --engine-args '--max-num-batched-tokens 900000'` on an H100 was refused with 'use more GPUs per
    replica (--gpus) or a lower precision': the profiling pass at that budget took the KV cache's memory, so a smaller
    budget is the direct fix. The refusal names the largest that leaves room for one request, by memory_fit's own
    rule: one token more is refused, that budget serves."""
    import re

    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.estimate import estimate

    gpu, model = get_gpu("h100-sxm-80gb"), get_model("llama-3.1-8b")
    common = dict(gpu_count=1, engine="vllm", input_tokens=1000, output_tokens=200)
    refused = estimate(gpu, model, server_args=parse_server_args("vllm", "--max-num-batched-tokens 900000"), **common)
    assert not refused.fits and "profiling pass at 900,000 tokens per step" in (refused.reason or "")
    found = re.search(r"; lower the step budget: --max-num-batched-tokens (\d+) or less leaves room", refused.reason)
    assert found, refused.reason
    largest = int(found.group(1))
    at = estimate(gpu, model, server_args=parse_server_args("vllm", f"--max-num-batched-tokens {largest}"), **common)
    above = estimate(
        gpu, model, server_args=parse_server_args("vllm", f"--max-num-batched-tokens {largest + 1}"), **common
    )
    assert at.fits and at.max_concurrency >= 1
    assert not above.fits and f"--max-num-batched-tokens {largest} or less" in (above.reason or "")
    # a stated memory share keeps its own remedy (it is the flag that left too little)
    both = parse_server_args("vllm", "--max-num-batched-tokens 900000 --gpu-memory-utilization 0.5")
    assert (estimate(gpu, model, server_args=both, **common).reason or "").endswith("raise it or drop it")


def test_the_cli_and_the_report_name_the_step_budget_not_more_gpus(tmp_path) -> None:
    from tests.support import cli

    args = ("--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", "--input-tokens", "1000", "--output-tokens", "200")
    code, _, err = cli.invoke("estimate", *args, "--engine-args", "--max-num-batched-tokens 900000")
    assert code == 2 and "; lower the step budget: --max-num-batched-tokens" in err and "--gpus" not in err
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: {requests_per_day: 1000, input_tokens: 1000, output_tokens: 200}\noptions:\n"
        "  - {name: A, kind: self_hosted, model: llama-3.1-8b, engine_args: '--max-num-batched-tokens 900000',"
        " hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2}}\n",
        encoding="utf-8",
    )
    code, _, err = cli.invoke("report", str(scenario), "--today", "2026-12-07")
    assert code == 2 and "lower the step budget: --max-num-batched-tokens" in err and "more GPUs" not in err
