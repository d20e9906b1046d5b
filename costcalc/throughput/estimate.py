"""Analytical throughput estimate of one serving replica: memory fit, prefill, decode, TP/PP."""

from __future__ import annotations

import math
from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import InputError, did_you_mean
from costcalc.throughput import memory as mem
from costcalc.throughput.factors import (
    ENGINE_VENDORS,
    ENGINES,
    Factors,
    class_factors,
    gpu_class,
    load_factors,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.units import BYTES_PER_GB, FLOPS_PER_TFLOP, MS_PER_S

FLOPS_PER_MAC = 2.0  # one multiply-accumulate = two floating-point operations
ALL_REDUCES_PER_LAYER = 2  # Megatron tensor parallelism: after attention and after the MLP
ACTIVATION_BYTES = 2.0  # bf16 activations on the wire
PCIE_FALLBACK_GB_S = 32.0  # PCIe 4.0 x16, one direction, when the catalog gives no link speed
US_PER_S = 1e6
# Apple publishes no tensor TFLOPS; its GPUs sustain about 30 fp16 FLOP per byte of memory
# bandwidth (M2 Ultra: ~27 TFLOPS fp32 ALU peak at 800 GB/s). Used only when TFLOPS are unknown.
FLOPS_PER_BYTE_WHEN_UNKNOWN = 30.0
# Vendors state GPU memory in binary units: an "80 GB" H100 has 80 GiB (nvidia-smi: 81559 MiB),
# a "24 GB" RTX 4090 24 GiB. Stated memory GB -> decimal GB.
STATED_MEMORY_GB_TO_GB = 2**30 / BYTES_PER_GB


@dataclass(frozen=True)
class Estimate:
    """Estimated operating point of one replica (all its GPUs) at one concurrency."""

    fits: bool
    reason: str | None
    gpu: str
    gpu_count: int
    model: str
    precision: str
    engine: str
    input_tokens: int
    output_tokens: int
    parallelism: str  # "tp" (tensor parallel), "pp" (pipeline parallel) or "single"
    concurrency: int
    max_concurrency: int
    output_tokens_per_s: float  # whole replica
    requests_per_s: float
    prefill_tokens_per_s: float  # input tokens the replica processes per second at this load
    decode_tokens_per_s: float  # output tokens/s of the decode steps alone (prefill excluded)
    ttft_ms: float
    tpot_ms: float
    output_tokens_per_s_per_user: float
    weights_gb: float
    kv_cache_gb_per_request: float  # at input + output tokens of context
    memory_used_gb: float
    memory_total_gb: float
    meets_slo: bool = True
    error_band: float | None = None  # calibration p90 absolute error, as a fraction

    def to_operating_point(self) -> OperatingPoint:
        """This estimate as an OperatingPoint (tool='estimate'); ThroughputError if it does not fit."""
        from costcalc.errors import ThroughputError

        if not self.fits:
            raise ThroughputError(f"cannot estimate throughput: {self.reason}")
        return OperatingPoint(
            requests_per_s=self.requests_per_s,
            output_tokens_per_s=self.output_tokens_per_s,
            input_tokens=float(self.input_tokens),
            output_tokens=float(self.output_tokens),
            concurrency=float(self.concurrency),
            ttft_ms=LatencyStats(mean=self.ttft_ms, p50=self.ttft_ms),
            tpot_ms=LatencyStats(mean=self.tpot_ms, p50=self.tpot_ms),
            model=self.model,
            tool="estimate",
            source="estimate",
        )


@dataclass(frozen=True)
class _Rig:
    """Everything the timing formulas need about one configuration, resolved once."""

    gpu: GpuSpec
    model: ModelSpec
    n: int
    precision: str
    kv_bytes: float
    bw_gb_s: float  # achieved per-GPU memory bandwidth
    flops: float  # achieved per-GPU dense FLOP/s at the compute precision
    overhead_s: float
    link_gb_s: float
    comm_latency_s: float
    moe_efficiency: float  # routed-expert FLOPs run at this share of the dense efficiency


def check_engine(engine: str) -> str:
    """Lower-cased engine, or InputError listing the valid values."""
    key = engine.strip().lower()
    if key not in ENGINES:
        raise InputError(
            f"unknown engine {engine!r}{did_you_mean(key, ENGINES)}; valid: {', '.join(ENGINES)}",
            field="engine",
        )
    return key


def bf16_tflops(gpu: GpuSpec) -> float:
    """Dense 16-bit tensor TFLOPS; when the catalog lacks them, from the lower-precision rates.

    Tensor cores double their rate at each halving of precision (bf16 -> fp8/int8 -> fp4), so
    bf16 = fp8 / 2 = fp4 / 4. With no TFLOPS at all (Apple), FLOPS_PER_BYTE_WHEN_UNKNOWN times
    the memory bandwidth.
    """
    if gpu.bf16_tflops:
        return gpu.bf16_tflops
    if gpu.fp8_tflops:
        return gpu.fp8_tflops / 2
    if gpu.int8_tops:
        return gpu.int8_tops / 2
    if gpu.fp4_tflops:
        return gpu.fp4_tflops / 4
    return gpu.memory_bandwidth_gb_s * FLOPS_PER_BYTE_WHEN_UNKNOWN * BYTES_PER_GB / FLOPS_PER_TFLOP


# Engines whose quantised kernels dequantise to 16-bit math (or int8 dot products at about the
# same rate on the GPUs they target) whatever the GPU's low-precision tensor cores.
SIXTEEN_BIT_MATH_ENGINES = frozenset({"llamacpp", "mlx"})


def peak_tflops(gpu: GpuSpec, precision: str, engine: str = "vllm") -> float:
    """Dense tensor TFLOPS the GPU offers for the math a precision runs in.

    fp8/int8 run fp8 (or int8) tensor cores; fp4 runs fp4 where the GPU has it; mxfp4 runs fp4
    on Blackwell and bf16 (weights dequantised) elsewhere; int4 and GGUF are weight-only formats
    whose math is 16-bit. llama.cpp and MLX run 16-bit math for every format.
    """
    bf16 = bf16_tflops(gpu)
    if engine in SIXTEEN_BIT_MATH_ENGINES:
        return bf16
    if precision in {"fp8", "int8"}:
        return gpu.fp8_tflops or gpu.int8_tops or bf16
    if precision == "fp4":
        return gpu.fp4_tflops or gpu.fp8_tflops or bf16
    if precision == "mxfp4":
        return gpu.fp4_tflops or bf16
    return bf16


def _rig(gpu: GpuSpec, model: ModelSpec, n: int, precision: str, engine: str, f: Factors) -> _Rig:
    ef = f.engines[engine]
    cf = class_factors(f, engine, gpu)
    tflops = peak_tflops(gpu, precision, engine)
    return _Rig(
        gpu=gpu,
        model=model,
        n=n,
        precision=precision,
        kv_bytes=mem.kv_bytes_per_value(precision, engine),
        bw_gb_s=gpu.memory_bandwidth_gb_s * ef.bandwidth_efficiency * cf.bandwidth,
        flops=tflops * FLOPS_PER_TFLOP * ef.compute_efficiency * cf.compute,
        overhead_s=ef.step_overhead_ms / MS_PER_S,
        link_gb_s=(gpu.interconnect_gb_s or PCIE_FALLBACK_GB_S) * f.comm_bandwidth_efficiency,
        comm_latency_s=f.comm_latency_us / US_PER_S,
        moe_efficiency=f.moe_compute_efficiency,
    )


def _linear_flops(rig: _Rig, tokens: float) -> tuple[float, float]:
    """(dense FLOPs, routed-expert FLOPs) of the linear layers over `tokens` tokens."""
    s = mem.split_params(rig.model)
    dense_params = (s.embedding_b / 2 + s.dense_b) * mem.PARAMS_PER_BILLION
    expert_params = s.experts_per_token * s.expert_b * mem.PARAMS_PER_BILLION
    return FLOPS_PER_MAC * dense_params * tokens, FLOPS_PER_MAC * expert_params * tokens


def _linear_compute_s(rig: _Rig, tokens: float, shards: float) -> float:
    """Compute-only time of the linear layers (expert GEMMs at the MoE efficiency)."""
    dense, expert = _linear_flops(rig, tokens)
    return (dense + expert / rig.moe_efficiency) / shards / rig.flops


def _linear_s(rig: _Rig, tokens: float, shards: float) -> float:
    """Time of the linear layers for `tokens` tokens over `shards` GPUs.

    Dense part and routed experts run as separate kernels; each is bound by its weight reads or
    its FLOPs. Expert GEMMs (grouped, over few tokens per expert, with routing and permutation)
    reach the MoE share of the dense compute efficiency.
    """
    dense_gb, expert_gb = mem.weight_bytes_read_split_gb(rig.model, rig.precision, tokens)
    dense_flops, expert_flops = _linear_flops(rig, tokens)
    dense = max(dense_gb / rig.bw_gb_s, dense_flops / rig.flops)
    expert = max(expert_gb / rig.bw_gb_s, expert_flops / rig.flops / rig.moe_efficiency)
    return (dense + expert) / shards


def _attention_flops(model: ModelSpec, tokens: float, context: float) -> float:
    """FLOPs of attention for `tokens` tokens each attending to `context` positions.

    QK^T and PV: 2 * 2 * heads * head_dim FLOPs per token per attended position per layer.
    """
    attn_width = model.attention_heads * model.head_dim
    return 2 * FLOPS_PER_MAC * model.layers * attn_width * context * tokens


def _allreduce_s(rig: _Rig, tokens: float, shards: int) -> float:
    """Tensor-parallel communication of one forward step: 2 ring all-reduces per layer."""
    if shards <= 1:
        return 0.0
    payload_gb = tokens * rig.model.hidden_size * ACTIVATION_BYTES / BYTES_PER_GB
    ring_gb = 2 * (shards - 1) / shards * payload_gb
    per_reduce = rig.comm_latency_s + ring_gb / rig.link_gb_s
    return rig.model.layers * ALL_REDUCES_PER_LAYER * per_reduce


def _kv_shards(model: ModelSpec, n: int) -> float:
    """How many ways the KV cache splits over n tensor-parallel GPUs.

    MLA's latent is not split by head (each GPU keeps all of it); GQA splits by KV head and
    replicates heads once n exceeds their count.
    """
    if model.kv_lora_rank:
        return 1.0
    return float(min(n, model.kv_heads))


def _step_s(rig: _Rig, tokens: float, seqs: float, context: float, shards: float,
            kv_shards: float) -> float:
    """One forward step: linear layers (weights read vs FLOPs) then attention (KV read vs FLOPs).

    The two run as separate kernels, so their times add; within each, memory and compute overlap.
    """
    linear = _linear_s(rig, tokens, shards)
    kv = seqs * mem.kv_cache_gb(rig.model, context, rig.kv_bytes) / kv_shards
    attention = max(kv / rig.bw_gb_s, _attention_flops(rig.model, tokens, context) / shards / rig.flops)
    return linear + attention


def _decode_step_s(rig: _Rig, batch: float, context: float, mode: str) -> float:
    """Seconds for one decode step that emits one token for each of `batch` sequences."""
    if mode == "pp":
        lanes = max(1.0, min(float(rig.n), batch))  # micro-batches in flight
        micro = batch / lanes
        stage = _step_s(rig, micro, micro, context, rig.n, rig.n)
        return rig.n * stage + rig.overhead_s
    return (_step_s(rig, batch, batch, context, rig.n, _kv_shards(rig.model, rig.n))
            + rig.overhead_s + _allreduce_s(rig, batch, rig.n))


def _prefill_s(rig: _Rig, tokens: int, mode: str) -> tuple[float, float]:
    """(latency of one request's prefill, replica time it costs when batched with others)."""
    if tokens <= 0:
        return 0.0, 0.0
    context = tokens / 2  # causal: each prompt token sees half the prompt on average
    attention = _attention_flops(rig.model, tokens, context) / rig.flops
    if mode == "pp":
        # one prompt visits the stages in turn: no speed-up for its latency
        latency = _linear_s(rig, tokens, 1) + attention + rig.overhead_s
        return latency, (_linear_compute_s(rig, tokens, 1) + attention) / rig.n
    comm = _allreduce_s(rig, tokens, rig.n)
    compute = _linear_compute_s(rig, tokens, rig.n) + attention / rig.n
    latency = _step_s(rig, tokens, 1, context, rig.n, _kv_shards(rig.model, rig.n))
    return latency + rig.overhead_s + comm, compute + comm


@dataclass(frozen=True)
class _Load:
    """Timing of one concurrency level."""

    ttft_s: float
    tpot_s: float
    decode_step_s: float
    cycle_s: float  # time in which each of the `concurrency` users completes one request


def _load(rig: _Rig, batch: int, input_tokens: int, output_tokens: int, mode: str) -> _Load:
    """Closed loop with `batch` users, continuous batching and prefill interleaved with decode.

    In one cycle every user gets one request done: O decode steps at the full batch, its own
    prefill (latency) and the batched prefill cost of the others' prompts, which stalls decode.
    """
    context = input_tokens + output_tokens / 2
    t_dec = _decode_step_s(rig, batch, context, mode) if output_tokens > 0 else 0.0
    p_latency, p_cost = _prefill_s(rig, input_tokens, mode)
    stall = (batch - 1) * p_cost
    cycle = output_tokens * t_dec + p_latency + stall
    tpot = t_dec + (stall / output_tokens if output_tokens > 0 else 0.0)
    ttft = p_latency + (t_dec if batch > 1 else 0.0)
    return _Load(ttft_s=ttft, tpot_s=tpot, decode_step_s=t_dec, cycle_s=cycle)


@dataclass(frozen=True)
class _Fit:
    """Memory verdict of a configuration."""

    reason: str | None
    weights_gb: float
    kv_gb_per_request: float
    max_concurrency: int
    total_gb: float
    usable_gb: float


def _memory_fit(
    gpu: GpuSpec, model: ModelSpec, n: int, precision: str, engine: str, f: Factors,
    context_tokens: int,
) -> _Fit:
    ef = f.engines[engine]
    per_gpu = gpu.memory_gb * STATED_MEMORY_GB_TO_GB
    total = per_gpu * n
    usable = (per_gpu * ef.memory_utilization - ef.runtime_overhead_gb) * n
    weights = mem.weights_gb(model, precision)
    kv_req = mem.kv_cache_gb(model, context_tokens, mem.kv_bytes_per_value(precision, engine))
    where = mem.describe_gpus(gpu, n)
    if context_tokens > model.max_context_tokens:
        return _Fit(
            f"{context_tokens} tokens of context exceed {model.id}'s maximum of "
            f"{model.max_context_tokens}", weights, kv_req, 0, total, usable,
        )
    if weights > usable:
        return _Fit(
            f"needs {weights:.1f} GB of weights, {usable:.1f} GB available on {where}",
            weights, kv_req, 0, total, usable,
        )
    # KV capacity: MLA latents are replicated on every tensor-parallel GPU, GQA heads split.
    kv_room = (usable - weights) * _kv_shards(model, n) / n
    max_conc = int(kv_room // kv_req) if kv_req > 0 else ef.max_batch
    max_conc = min(max_conc, ef.max_batch)
    if max_conc < 1:
        return _Fit(
            f"weights fit ({weights:.1f} GB) but one request's KV cache at {context_tokens} tokens "
            f"needs {kv_req:.2f} GB and {kv_room:.2f} GB is left on {where}",
            weights, kv_req, 0, total, usable,
        )
    return _Fit(None, weights, kv_req, max_conc, total, usable)


def _unsupported(gpu: GpuSpec, engine: str) -> str | None:
    vendors = ENGINE_VENDORS[engine]
    if gpu.vendor.lower() not in vendors:
        return f"{engine} does not run on {gpu.vendor} GPUs (runs on: {', '.join(sorted(vendors))})"
    return None


def _error_band(f: Factors, concurrency: int | None) -> float | None:
    scenario = "offline" if concurrency is None else ("single" if concurrency == 1 else "server")
    return f.error_bands.get(scenario, f.error_bands.get("overall"))


def _not_fit(gpu, model, n, precision, engine, inp, out, fit: _Fit, reason: str, band) -> Estimate:
    return Estimate(
        fits=False, reason=reason, gpu=gpu.id, gpu_count=n, model=model.id, precision=precision,
        engine=engine, input_tokens=inp, output_tokens=out, parallelism="single" if n == 1 else "tp",
        concurrency=0, max_concurrency=0, output_tokens_per_s=0.0, requests_per_s=0.0,
        prefill_tokens_per_s=0.0, decode_tokens_per_s=0.0, ttft_ms=math.inf, tpot_ms=math.inf,
        output_tokens_per_s_per_user=0.0, weights_gb=fit.weights_gb,
        kv_cache_gb_per_request=fit.kv_gb_per_request, memory_used_gb=fit.weights_gb,
        memory_total_gb=fit.total_gb, meets_slo=False, error_band=band,
    )


def _choose_mode(rig: _Rig, max_conc: int, inp: int, out: int) -> str:
    """Tensor parallel over a fast scale-up link; on PCIe cards whichever serves more at full load."""
    if rig.n == 1:
        return "single"
    if gpu_class(rig.gpu) == "datacenter":
        return "tp"
    tp = _load(rig, max_conc, inp, out, "tp").cycle_s
    pp = _load(rig, max_conc, inp, out, "pp").cycle_s
    return "pp" if pp < tp else "tp"


def estimate(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    concurrency: int | None = None,
    factors: Factors | None = None,
) -> Estimate:
    """Estimate one replica of `gpu_count` GPUs serving `model` at a concurrency.

    concurrency None means as many requests as fit (the throughput-optimal load). A configuration
    that does not fit returns fits=False with a plain reason; bad names raise InputError.
    """
    f = factors or load_factors()
    prec = mem.check_precision(precision or model.native_precision)
    eng = check_engine(engine)
    if gpu_count < 1:
        raise InputError(f"gpu_count must be at least 1, got {gpu_count}", field="gpus")
    if input_tokens < 0 or output_tokens < 0:
        raise InputError("token counts must be zero or more", field="input_tokens/output_tokens")
    if concurrency is not None and concurrency < 1:
        raise InputError(f"concurrency must be at least 1, got {concurrency}", field="concurrency")
    band = _error_band(f, concurrency)
    fit = _memory_fit(gpu, model, gpu_count, prec, eng, f, input_tokens + output_tokens)
    reason = _unsupported(gpu, eng) or fit.reason
    if reason is not None:
        return _not_fit(gpu, model, gpu_count, prec, eng, input_tokens, output_tokens, fit, reason, band)
    rig = _rig(gpu, model, gpu_count, prec, eng, f)
    mode = _choose_mode(rig, fit.max_concurrency, input_tokens, output_tokens)
    batch = fit.max_concurrency if concurrency is None else min(concurrency, fit.max_concurrency)
    load = _load(rig, batch, input_tokens, output_tokens, mode)
    requests_per_s = batch / load.cycle_s if load.cycle_s > 0 else 0.0
    return Estimate(
        fits=True, reason=None, gpu=gpu.id, gpu_count=gpu_count, model=model.id, precision=prec,
        engine=eng, input_tokens=input_tokens, output_tokens=output_tokens, parallelism=mode,
        concurrency=batch, max_concurrency=fit.max_concurrency,
        output_tokens_per_s=requests_per_s * output_tokens,
        requests_per_s=requests_per_s,
        prefill_tokens_per_s=requests_per_s * input_tokens,
        decode_tokens_per_s=batch / load.decode_step_s if load.decode_step_s > 0 else 0.0,
        ttft_ms=load.ttft_s * MS_PER_S,
        tpot_ms=load.tpot_s * MS_PER_S,
        output_tokens_per_s_per_user=MS_PER_S / (load.tpot_s * MS_PER_S) if load.tpot_s > 0 else 0.0,
        weights_gb=fit.weights_gb,
        kv_cache_gb_per_request=fit.kv_gb_per_request,
        memory_used_gb=fit.weights_gb + batch * fit.kv_gb_per_request,
        memory_total_gb=fit.total_gb,
        meets_slo=True,
        error_band=band,
    )


def best_under_slo(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    ttft_p95_ms: float | None = None,
    min_output_tokens_per_s_per_user: float | None = None,
    factors: Factors | None = None,
) -> Estimate:
    """The highest-throughput concurrency whose TTFT and per-user speed meet the SLO.

    TTFT and TPOT never fall as concurrency rises, so a binary search finds the largest
    concurrency that meets both. If even one user misses, that estimate comes back with
    meets_slo=False and the reason.
    """
    def run(c: int | None) -> Estimate:
        return estimate(gpu, model, gpu_count=gpu_count, precision=precision, engine=engine,
                        input_tokens=input_tokens, output_tokens=output_tokens, concurrency=c,
                        factors=factors)

    def misses(e: Estimate) -> str | None:
        if ttft_p95_ms is not None and e.ttft_ms > ttft_p95_ms:
            return f"TTFT {e.ttft_ms:.0f} ms exceeds the SLO's {ttft_p95_ms:.0f} ms"
        if (min_output_tokens_per_s_per_user is not None and output_tokens > 0
                and e.output_tokens_per_s_per_user < min_output_tokens_per_s_per_user):
            return (f"{e.output_tokens_per_s_per_user:.1f} output tokens/s per user is below the "
                    f"SLO's {min_output_tokens_per_s_per_user:g}")
        return None

    full = run(None)
    if not full.fits:
        return full
    if misses(full) is None:
        return full
    one = run(1)
    why = misses(one)
    if why is not None:
        return _replace(one, meets_slo=False, reason=f"even one request at a time misses the SLO: {why}")
    lo, hi = 1, full.max_concurrency  # lo meets, hi misses
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if misses(run(mid)) is None:
            lo = mid
        else:
            hi = mid
    return run(lo)


def _replace(e: Estimate, **changes: object) -> Estimate:
    from dataclasses import replace

    return replace(e, **changes)
