"""The Rig: one configuration's achieved rates and fixed times, resolved once from GPU, model, engine, factors."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.allreduce import allreduce_latency_us
from costcalc.throughput.attention_flops import attention_head_widths
from costcalc.throughput.dp_attention import attention_tp
from costcalc.throughput.factors import Factors, class_factors
from costcalc.throughput.flash_attention import flash_attention_tflops
from costcalc.throughput.fp8_epilogue import unfused_dequant, unfused_dequant_bytes_per_token
from costcalc.throughput.ggml_moe import expert_read_share
from costcalc.throughput.mlx_moe import expert_compute_share, reads_experts_by_gather
from costcalc.throughput.mlx_prefill import chunks_sliding_prefill
from costcalc.throughput.mmvq import runs_mmvq
from costcalc.throughput.sm_bound import sm_bound_bandwidth_gb_s, sm_bound_flops
from costcalc.throughput.tensor_shares import (
    achievable_share,
    attention_flops_per_s,
    dense_flops_scale,
    format_efficiency,
)
from costcalc.throughput.tensor_tflops import emulated_levels, gemm_tflops, runs_on_fp4_tensor_cores
from costcalc.units import FLOPS_PER_TFLOP, MS_PER_S

PCIE_FALLBACK_GB_S = 32.0  # PCIe 4.0 x16, one direction, when the catalog gives no link speed
US_PER_S = 1e6


@dataclass(frozen=True)
class Rig:
    """Everything the timing formulas need about one configuration, resolved once."""

    gpu: GpuSpec
    model: ModelSpec
    n: int
    precision: str
    kv_bytes: float
    bw_gb_s: float  # achieved per-GPU memory bandwidth
    flops: float  # achieved per-GPU dense FLOP/s at the compute precision
    attention_flops: float  # achieved per-GPU FLOP/s of attention math (KV-cache precision)
    overhead_s: float
    request_overhead_s: float
    link_gb_s: float
    comm_latency_s: float
    moe_efficiency: float  # routed-expert FLOPs run at this share of the dense efficiency
    moe_bandwidth_efficiency: float  # expert weight reads run at this share of dense reads
    ep: int = 1  # expert-parallel degree: routed experts split whole over this many GPUs
    sequence_overhead_s: float = 0.0  # host time per sequence per step
    # share of the engine's efficiency left to GEMMs whose weights the GPU's tensor cores cannot
    # take natively (emulated formats), for the dense part and the routed experts
    dense_format_efficiency: float = 1.0
    expert_format_efficiency: float = 1.0
    # the checkpoint's quantisation method where it keeps some dense weights at 16 bit
    # (memory.FFN_ONLY_QUANTIZATION), and the dense FLOPs' time relative to all at the precision's rate
    quantization: str | None = None
    dense_flops_scale: float = 1.0
    # achieved per-GPU FLOP/s of a prompt's attention where the engine's kernel has a measured rate
    # (flash_attention.flash_attention_tflops); None: attention_flops, as decode
    prompt_attention_flops: float | None = None
    # bytes per token per GPU of GEMM outputs dequantised in separate passes (fp8_epilogue); 0: fused
    epilogue_bytes_per_token: float = 0.0
    # routed experts read through MLX's gather_qmm, slower at few tokens per step (mlx_moe)
    gather_expert_reads: bool = False
    # prompt attention of sliding-window layers as MLX's chunked prefill computes it (mlx_prefill)
    chunked_sliding_prefill: bool = False
    # small decode batches run llama.cpp's CUDA mat-vec kernels, whose time grows per sequence (mmvq)
    mmvq: bool = False
    # SGLang's data-parallel attention ranks (dp_attention): each keeps its own requests' KV and the
    # attention weights over n / attention_dp GPUs; 1: tensor-parallel attention
    attention_dp: int = 1


def make_rig(
    gpu: GpuSpec,
    model: ModelSpec,
    n: int,
    precision: str,
    engine: str,
    f: Factors,
    *,
    expert_parallel: bool = False,
    quantization: str | None = None,
    kv_cache_dtype: str | None = None,
    engine_version: str | None = None,
    attention_dp: int = 1,
) -> Rig:
    """The timing inputs of one configuration; expert_parallel applies to mixtures of experts only.

    quantization: the checkpoint's quantisation method as vLLM loads it (memory.FFN_ONLY_QUANTIZATION
    keeps attention and the edge layers at 16 bit; BLOCK_SCALED_FP8 sets the GEMMs' rate, gemm_tflops);
    None: every dense weight at the precision.
    kv_cache_dtype: the KV cache's stated dtype (memory.kv_bytes_per_value), which also sets the
    rate attention's math runs at. engine_version: the release a benchmark ran (fp8_epilogue; None: current).
    attention_dp: data-parallel attention ranks (dp_attention; ValueError unless they divide n).
    """
    attention_tp(n, attention_dp)
    ef = f.engines[engine]
    cf = class_factors(f, engine, gpu)
    tflops = gemm_tflops(gpu, precision, engine, quantization)
    if runs_on_fp4_tensor_cores(gpu, precision, engine):
        tflops *= f.fp4_compute_efficiency
    kv_bytes = mem.kv_bytes_per_value(precision, engine, kv_cache_dtype)
    levels = emulated_levels(gpu, precision, engine)
    # the engine's efficiency of the peak, unless its kernels hit a per-SM limit first (decode);
    # quantised GEMMs with a per-SM issue rate run at that rate, not at a share of the tensor peak
    bw_gb_s = gpu.memory_bandwidth_gb_s * ef.bandwidth_efficiency * cf.bandwidth
    sm_bw = sm_bound_bandwidth_gb_s(gpu, engine, f)
    flops = tflops * FLOPS_PER_TFLOP * ef.compute_efficiency * cf.compute * achievable_share(gpu, tflops)
    sm_flops = sm_bound_flops(gpu, precision, engine, f)
    return Rig(
        gpu=gpu,
        model=model,
        n=n,
        precision=precision,
        kv_bytes=kv_bytes,
        bw_gb_s=bw_gb_s if sm_bw is None else min(bw_gb_s, sm_bw),
        flops=flops if sm_flops is None else sm_flops,
        attention_flops=attention_flops_per_s(gpu, kv_bytes, engine) * ef.compute_efficiency * cf.compute,
        # fixed host and launch time of a step: the engine's, plus the MoE layers' own
        overhead_s=ef.step_overhead_ms / MS_PER_S
        + (model.layers * f.moe_layer_overhead_us / US_PER_S if mem.is_moe(model) else 0.0),
        request_overhead_s=ef.request_overhead_ms / MS_PER_S,
        link_gb_s=(gpu.interconnect_gb_s or PCIE_FALLBACK_GB_S) * f.comm_bandwidth_efficiency,
        comm_latency_s=allreduce_latency_us(gpu, n, engine, f) / US_PER_S,
        moe_efficiency=expert_compute_share(engine, f.moe_compute_efficiency),
        moe_bandwidth_efficiency=expert_read_share(engine, f.moe_bandwidth_efficiency),
        ep=n if expert_parallel and mem.is_moe(model) and n > 1 else 1,
        sequence_overhead_s=ef.sequence_overhead_us / US_PER_S,
        dense_format_efficiency=format_efficiency(model, precision, "dense", levels, ef.emulated_format_efficiency),
        expert_format_efficiency=format_efficiency(model, precision, "expert", levels, ef.emulated_format_efficiency),
        quantization=quantization,
        dense_flops_scale=dense_flops_scale(gpu, model, precision, engine, quantization),
        prompt_attention_flops=_prompt_attention_flops(gpu, model, engine, kv_bytes),
        epilogue_bytes_per_token=unfused_dequant_bytes_per_token(model, n)
        if unfused_dequant(gpu, engine, quantization, engine_version)
        else 0.0,
        gather_expert_reads=reads_experts_by_gather(engine, mem.is_moe(model)),
        chunked_sliding_prefill=chunks_sliding_prefill(engine),
        mmvq=runs_mmvq(gpu, precision, engine),
        attention_dp=attention_dp,
    )


def _prompt_attention_flops(gpu: GpuSpec, model: ModelSpec, engine: str, kv_bytes: float) -> float | None:
    """FLOP/s of a prompt's attention at its kernel's measured rate (flash_attention); None where unmeasured."""
    tflops = flash_attention_tflops(gpu, engine, kv_bytes, attention_head_widths(model))
    return None if tflops is None else tflops * FLOPS_PER_TFLOP


def prompt_attention_rate(rig: Rig) -> float:
    """FLOP/s of a prompt's attention on one GPU: the kernel's measured rate where sourced, else the
    engine's attention rate (Rig.attention_flops)."""
    return rig.attention_flops if rig.prompt_attention_flops is None else rig.prompt_attention_flops
