"""One replica as the serving simulation runs it: the engine's scheduler limits and step tables from the estimator."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.estimate import Estimate, estimate, stated_refusal
from costcalc.throughput.factors import LARGE_BATCH_MIN_MEMORY_GIB, Factors, engine_max_batch, load_factors
from costcalc.throughput.memory_fit import (
    kv_memory_gb,
    kv_room_gb,
    server_memory_share,
    step_tokens_budget,
    usable_memory_gb,
)
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.llamacpp_slots import slot_limits, with_release_default
from costcalc.throughput.serving.scheduler import (
    CLIENT_HELD,
    KV_HELD,
    PREFILL_POLICY,
    STATED,
    Scheduler,
    default_words,
    release_defaults,
)
from costcalc.throughput.serving.server_args import VLLM_BLOCK_TOKENS, ServerArgs
from costcalc.throughput.serving.steps import StepTimes, tabulate
from costcalc.throughput.tensor_tflops import checkpoint_quantization
from costcalc.throughput.timing import decode_step_s, decode_weight_slack_s, prefill_linear_s_per_token, prefill_s


@dataclass(frozen=True)
class Replica:
    """The estimator's full-load figures of a configuration, and what the simulation needs to serve it.

    scheduler and steps are None when the configuration does not fit (full_load.reason says why); steps alone is None
    when build_replica was asked for no tables.
    """

    full_load: Estimate  # at the mean lengths, as many requests as fit
    scheduler: Scheduler | None
    steps: StepTimes | None


def build_replica(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    max_prompt_tokens: float,
    max_context_tokens: float,
    max_seqs: int | None = None,
    min_context_tokens: float | None = None,
    factors: Factors | None = None,
    expert_parallel: bool = False,
    engine_version: str | None = None,
    server_args: ServerArgs | None = None,
    parallelism: str | None = None,
    tables: bool = True,
) -> Replica:
    """Scheduler and step tables of one replica whose step times come from the estimator.

    input_tokens/output_tokens: the mean lengths the full-load estimate (and the parallel layout it
    picks) is taken at. max_prompt_tokens/max_context_tokens: the longest prompt and prompt +
    output the tables must cover. max_seqs caps the engine's default sequences in flight (a
    client's concurrency); with min_context_tokens, also to as many of the shortest requests as the
    KV cache holds. The KV cache holds what the memory fit leaves after the weights; it is no limit
    (infinite) when that many requests of the longest context fit. engine_version: the engine
    release whose scheduler defaults apply (None: the current release's; see
    scheduler.release_defaults), at the model's maximum context as the server's limit unless
    server_args states one; server_args: the scheduler flags the server was started with, which
    replace the release's defaults (a client's max_seqs still caps the sequences). parallelism: the layout
    (estimate's; None: the one serving more at full load). tables False: the full load and the scheduler only, no step
    tables (a capacity read between searches simulates nothing: serving/estimated.py).
    """
    f = factors or load_factors()
    stated = server_args or ServerArgs()
    dp = stated.attention_ranks(gpu_count, engine_version)  # data-parallel attention ranks (dp_attention)
    full = estimate(
        gpu,
        model,
        gpu_count=gpu_count,
        precision=precision,
        engine=engine,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=None,
        factors=f,
        expert_parallel=expert_parallel,
        quantization=stated.quantization,
        kv_cache_dtype=stated.kv_cache_dtype,
        engine_version=engine_version,
        server_args=stated,
        parallelism=parallelism,
    )
    if not full.fits:
        return Replica(full, None, None)
    beyond = stated_refusal(stated, None, model, max_context_tokens, full.engine)  # the longest request, past its limit
    if beyond is not None:
        return Replica(replace(full, fits=False, reason=beyond), None, None)
    eng = full.engine
    rig = make_rig(
        gpu,
        model,
        gpu_count,
        full.precision,
        eng,
        f,
        expert_parallel=expert_parallel,
        quantization=checkpoint_quantization(model, full.precision, stated.quantization),  # as estimate() loads it
        kv_cache_dtype=stated.kv_cache_dtype,
        engine_version=engine_version,
        attention_dp=dp,
    )
    mode = full.parallelism
    seqs_stated = bool(stated.max_seqs)  # before llama-server's slots fill it in
    if eng == "llamacpp":  # llama-server runs its slots: as stated, else its release's default count
        slots = with_release_default(stated.llamacpp_slots, engine_version)
        stated = replace(stated, max_seqs=slots.slots, llamacpp_slots=slots)
    max_model_len = stated.max_model_len or model.max_context_tokens
    older = release_defaults(eng, engine_version, max_model_len, stated.chunked_prefill)
    engine_seqs = stated.max_seqs or (engine_max_batch(f.engines[eng], gpu) if older is None else older.max_seqs)
    engine_seqs *= 1 if stated.max_seqs else dp  # each data-parallel attention rank its own
    seqs = engine_seqs if max_seqs is None else max(1, min(engine_seqs, max_seqs))
    budget = step_tokens_budget(eng, gpu, f, older, stated)
    # the release is named where its defaults differ from today's (vLLM V0) or depend on it (llama-server's slots)
    release = engine_version if older is not None or eng == "llamacpp" else None
    default = default_words(eng, release, _gpu_rule(f, eng, gpu, older))
    seqs_from = CLIENT_HELD if seqs < engine_seqs else STATED if seqs_stated else default
    kv_need = functools.partial(
        mem.kv_cache_gb,
        model,
        kv_bytes=mem.kv_bytes_per_value(full.precision, eng, stated.kv_cache_dtype),
        sliding_window_capped=not mem.kv_pool_keeps_full_context(eng, model),
    )
    # the memory share and the profiling pass as the estimate's requests that fit count them (one rule)
    share = server_memory_share(eng, engine_version, stated.memory_fraction, gpu, gpu_count, dp)
    usable = usable_memory_gb(gpu, gpu_count, eng, f, memory_share=share)
    kv_gb = kv_room_gb(kv_memory_gb(usable, model, gpu_count, eng, budget), full.weights_gb, model, gpu_count, dp)
    if stated.gpu_blocks is not None:
        # the server was told its block count (or a source's log states the count profiling gave)
        kv_gb = kv_need(stated.gpu_blocks * (stated.block_size or VLLM_BLOCK_TOKENS))
    if stated.llamacpp_slots is not None:
        kv_gb, why = slot_limits(stated.llamacpp_slots, model.max_context_tokens, max_context_tokens, kv_gb, kv_need)
        if why is not None:
            return Replica(replace(full, fits=False, reason=why), None, None)
    shortest = kv_need(min_context_tokens) if min_context_tokens is not None else 0.0
    if shortest > 0:
        held = math.floor(kv_gb / shortest)
        seqs_from = KV_HELD if held < seqs else seqs_from
        seqs = max(1, min(seqs, held))
    if seqs * kv_need(max_context_tokens) <= kv_gb:
        kv_gb = math.inf
    scheduler = Scheduler(
        max_seqs=seqs,
        tokens_per_step=budget,
        prefill=PREFILL_POLICY[eng] if older is None else older.prefill,
        kv_gb=kv_gb,
        kv_need_gb=kv_need,
        decode_steps_per_call=stated.scheduler_steps or 1,
        seqs_from=seqs_from,
        tokens_from=STATED if stated.tokens_per_step else default,
    )
    if not tables:
        return Replica(full, scheduler, None)
    steps = tabulate(
        decode_step_s=lambda b, ctx: decode_step_s(rig, b, ctx, mode),
        prefill_s=lambda n: prefill_s(rig, round(n), mode),
        max_batch=seqs,
        max_prompt_tokens=max_prompt_tokens,
        max_context_tokens=max_context_tokens,
        request_overhead_s=rig.request_overhead_s,
        source=f"estimator ({eng}, {full.precision}, {gpu_count}x {gpu.id})",
        decode_weight_slack_s=lambda b: decode_weight_slack_s(rig, b, mode),
        prefill_linear_s_per_token=prefill_linear_s_per_token(rig, mode),
    )
    return Replica(full, scheduler, steps)


def _gpu_rule(f: Factors, engine: str, gpu: GpuSpec, older: object | None) -> str:
    """Which of the engine's GPU rules set its unasked limits, in words: 'on a GPU of 70 GiB or more', 'on a GPU
    under 70 GiB', 'on a100-sxm-80gb' (vLLM's smaller defaults on an A100 of any memory); '' where its defaults do not
    depend on the GPU this way (other engines, an older release's)."""
    ef = f.engines[engine]
    if older is not None or ef.max_batch_small_gpu is None:
        return ""
    if engine_max_batch(ef, gpu) == ef.max_batch:
        return f"on a GPU of {LARGE_BATCH_MIN_MEMORY_GIB:g} GiB or more"
    small = f"on a GPU under {LARGE_BATCH_MIN_MEMORY_GIB:g} GiB"
    return small if gpu.memory_gb < LARGE_BATCH_MIN_MEMORY_GIB else f"on {gpu.id}"
