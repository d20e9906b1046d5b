"""A replica's memory verdict: the share of each GPU the server fills, its profiling pass, the KV room, and how many
requests fit (one rule for the estimate and the simulated server's cache)."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import dp_attention
from costcalc.throughput import memory as mem
from costcalc.throughput.factors import Factors, engine_max_batch
from costcalc.throughput.serving.scheduler import ReleaseDefaults, tokens_per_step
from costcalc.throughput.serving.server_args import ServerArgs, memory_share
from costcalc.throughput.sglang_memory import static_share
from costcalc.throughput.timing import kv_shards
from costcalc.units import BYTES_PER_GB
from costcalc.words import count

# Vendors state GPU memory in binary units: an "80 GB" H100 has 80 GiB (nvidia-smi: 81559 MiB),
# a "24 GB" RTX 4090 24 GiB. Stated memory GB -> decimal GB.
STATED_MEMORY_GB_TO_GB = 2**30 / BYTES_PER_GB


def memory_gb(gpu: GpuSpec) -> float:
    """One GPU's memory in decimal GB, as the estimate counts it (the catalog's stated figure is GiB): the one place
    it is computed, which `estimate` and `catalog gpus` both show."""
    return gpu.memory_gb * STATED_MEMORY_GB_TO_GB


# Engines whose KV cache is what a profiling forward pass at the step's token budget leaves
# (memory.profile_activation_gb); the others' reservations are their runtime_overhead_gb.
PROFILED_KV_ENGINES = frozenset({"vllm"})


@dataclass(frozen=True)
class MemoryFit:
    """Memory verdict of a configuration."""

    reason: str | None
    weights_gb: float
    kv_gb_per_request: float
    max_concurrency: int
    total_gb: float
    usable_gb: float


def memory_fit(
    gpu: GpuSpec,
    model: ModelSpec,
    n: int,
    precision: str,
    engine: str,
    f: Factors,
    context_tokens: int,
    quantization: str | None = None,
    kv_cache_dtype: str | None = None,
    attention_dp: int = 1,
    memory_share: float | None = None,
    share_said: str | None = None,
    step_tokens: int = 0,
    step_said: str | None = None,
) -> MemoryFit:
    """share_said: the stated memory-share flag ('--gpu-memory-utilization 0.01'), named where the room it leaves is
    too small; step_tokens: the server's token budget per step, whose profiling pass a profiling engine's KV cache
    gives up (kv_memory_gb); step_said: the flag that stated it ('--max-num-batched-tokens'; None: the engine's or
    its release's default), whose largest value leaving room for one request is named where the pass took it."""
    ef = f.engines[engine]
    total = memory_gb(gpu) * n
    usable = usable_memory_gb(gpu, n, engine, f, memory_share)
    # a share below the engine's runtime overhead leaves nothing, not a negative room
    cause = "" if share_said is None else f" at {share_said}; raise it or drop it"
    # data-parallel attention ranks each hold the attention weights (dp_attention)
    weights = mem.weights_gb(model, precision, quantization) + dp_attention.extra_weights_gb(
        model, precision, n, attention_dp
    )
    kv_req = mem.kv_cache_gb(
        model,
        context_tokens,
        mem.kv_bytes_per_value(precision, engine, kv_cache_dtype),
        sliding_window_capped=not mem.kv_pool_keeps_full_context(engine, model),
    )
    where = mem.describe_gpus(gpu, n)
    if context_tokens > model.max_context_tokens:
        return MemoryFit(
            f"{count(context_tokens)} tokens of context exceed {model.id}'s maximum of {count(model.max_context_tokens)}",
            weights,
            kv_req,
            0,
            total,
            usable,
        )
    if weights > usable:
        return MemoryFit(
            f"needs {weights:.1f} GB of weights, {max(usable, 0.0):.1f} GB available on {where}{cause}",
            weights,
            kv_req,
            0,
            total,
            usable,
        )
    kv_memory = kv_memory_gb(usable, model, n, engine, step_tokens)
    kv_room = kv_room_gb(kv_memory, weights, model, n, attention_dp)
    # where a profiling engine's forward pass at the step's token budget took memory, the budget that leaves room for
    # one request is the direct fix (a stated memory share's own remedy comes first)
    smaller = None
    if step_said is not None and usable - kv_memory > 0 and kv_room < kv_req:
        smaller = largest_step_tokens(usable, weights, kv_req, model, n, engine, attention_dp, step_tokens)
    fix = cause or (
        "" if smaller is None else f"; lower the step budget: {step_said} {smaller} or less leaves room for one request"
    )
    if kv_room <= 0 < usable - kv_memory:  # a profiling engine's forward pass at the step's token budget took the rest
        return MemoryFit(
            f"weights fit ({weights:.1f} GB) but no memory is left for the KV cache on {where} after them and the "
            f"profiling pass at {count(step_tokens)} tokens per step ({usable - kv_memory:.1f} GB){fix}",
            weights,
            kv_req,
            0,
            total,
            usable,
        )
    max_batch = engine_max_batch(ef, gpu) * attention_dp  # each rank's scheduler runs its own (dp_attention)
    max_conc = min(int(kv_room // kv_req) if kv_req > 0 else max_batch, max_batch)
    if max_conc < 1:
        return MemoryFit(
            f"weights fit ({weights:.1f} GB) but one request's KV cache at {count(context_tokens)} tokens "
            f"needs {kv_req:.2f} GB and {kv_room:.2f} GB is left on {where}{fix}",
            weights,
            kv_req,
            0,
            total,
            usable,
        )
    return MemoryFit(None, weights, kv_req, max_conc, total, usable)


def largest_step_tokens(
    usable_gb: float,
    weights_gb: float,
    kv_gb_per_request: float,
    model: ModelSpec,
    n: int,
    engine: str,
    attention_dp: int,
    step_tokens: int,
) -> int | None:
    """The largest token budget per step below `step_tokens` whose profiling pass (kv_memory_gb) leaves room for one
    request's KV cache after the weights, by the rule memory_fit applies; None where not even one token's does."""

    def fits(tokens: int) -> bool:
        room = kv_room_gb(kv_memory_gb(usable_gb, model, n, engine, tokens), weights_gb, model, n, attention_dp)
        return room >= kv_gb_per_request and room > 0

    if not fits(1):
        return None
    low, high = 1, step_tokens  # fits(low), not fits(high)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if fits(mid) else (low, mid)
    return low


def usable_memory_gb(gpu: GpuSpec, n: int, engine: str, f: Factors, memory_share: float | None = None) -> float:
    """GB the engine may fill on n GPUs: its memory share of each (memory_share, else the engine's prior), less its
    runtime overhead."""
    ef = f.engines[engine]
    share = ef.memory_utilization if memory_share is None else memory_share
    return (memory_gb(gpu) * share - ef.runtime_overhead_gb) * n


def kv_memory_gb(usable_gb: float, model: ModelSpec, n: int, engine: str, step_tokens: int) -> float:
    """GB of usable_gb the weights and KV cache share: all of it, less a profiling engine's forward pass at the step's
    token budget (PROFILED_KV_ENGINES). One rule for the estimate's requests that fit and the simulated server's cache."""
    return usable_gb - (mem.profile_activation_gb(model, n, step_tokens) if engine in PROFILED_KV_ENGINES else 0.0)


def server_memory_share(
    engine: str, engine_version: str | None, stated: float | None, gpu: GpuSpec, n: int, attention_dp: int = 1
) -> float | None:
    """The share of each GPU's memory the server fills: the stated one, else the release's default where its code
    was read (vLLM's from 0.20.0, SGLang's static share by GPU memory); None: the engine's prior."""
    share = memory_share(engine, engine_version, stated)
    if share is None and engine == "sglang":
        share = static_share(gpu.memory_gb, n, engine_version, attention_dp)
    return share


def step_tokens_budget(engine: str, gpu: GpuSpec, f: Factors, older: ReleaseDefaults | None, stated: ServerArgs) -> int:
    """The server's token budget per step: stated (--max-num-batched-tokens and the like), else an older release's
    default (older: scheduler.release_defaults), else the engine's default on this GPU."""
    large_batch = engine_max_batch(f.engines[engine], gpu) == f.engines[engine].max_batch
    if stated.tokens_per_step:
        return stated.tokens_per_step
    return tokens_per_step(engine, gpu.memory_gb, large_batch) if older is None else older.tokens_per_step


def kv_room_gb(usable_gb: float, weights_gb: float, model: ModelSpec, n: int, attention_dp: int = 1) -> float:
    """KV cache room, in GB of one request's cache as kv_cache_gb counts it, after the weights.

    MLA latents are replicated on every tensor-parallel GPU and GQA heads split, so the room
    counts once per KV shard; data-parallel attention ranks (dp_attention) each keep their own.
    """
    return (usable_gb - weights_gb) * kv_shards(model, n, attention_dp) / n
