"""Timing side of the estimator: prefill, decode steps, tensor/pipeline parallel, load cycles."""

from __future__ import annotations

import math
from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.allreduce import allreduce_latency_us
from costcalc.throughput.factors import Factors, class_factors, gpu_class
from costcalc.throughput.flash_attention import flash_attention_tflops
from costcalc.throughput.fp8_epilogue import unfused_dequant, unfused_dequant_bytes_per_token
from costcalc.throughput.matmul import matmul_share_vs_reference
from costcalc.throughput.mlx_moe import (
    expert_compute_share,
    expert_reads_per_touched,
    gather_read_share,
    reads_experts_by_gather,
)
from costcalc.throughput.mlx_prefill import chunks_sliding_prefill, prompt_attention_scale
from costcalc.throughput.mmvq import mmvq_extra_s, runs_mmvq
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB, FLOPS_PER_TFLOP, MS_PER_S

FLOPS_PER_MAC = 2.0  # one multiply-accumulate = two floating-point operations
ALL_REDUCES_PER_LAYER = 2  # Megatron tensor parallelism: after attention and after the MLP
ACTIVATION_BYTES = 2.0  # bf16 activations on the wire
PCIE_FALLBACK_GB_S = 32.0  # PCIe 4.0 x16, one direction, when the catalog gives no link speed
US_PER_S = 1e6
# Apple publishes no tensor TFLOPS; its GPUs sustain about 30 fp16 FLOP per byte of memory
# bandwidth (M2 Ultra: ~27 TFLOPS fp32 ALU peak at 800 GB/s). Used only when TFLOPS are unknown.
FLOPS_PER_BYTE_WHEN_UNKNOWN = 30.0
MAX_PREFILL_UTILISATION = 0.99  # keeps the queueing term finite
# Recurrent (Mamba-2 / Gated DeltaNet) layers keep a fixed-size state per sequence instead of a
# KV cache. The catalog's recurrent_state_mb counts it in bytes; engines cache the SSM state in
# float32 (Nemotron-H: mamba_ssm_cache_dtype float32), so bytes / 4 values. Each token updates
# every state value once: decay multiply (1 FLOP), B.x outer-product accumulate (2) and the C.h
# read-out (2) -> 5 FLOPs per state value per token.
RECURRENT_STATE_BYTES_PER_VALUE = 4.0
SCAN_FLOPS_PER_STATE_VALUE = 5.0
# Expert parallelism exchanges each routed token copy twice per MoE layer (dispatch to the GPU
# owning the expert, combine back).
ALL_TO_ALLS_PER_MOE_LAYER = 2


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
    if precision == "fp8":
        return gpu.fp8_tflops or bf16  # without fp8 cores (Ampere) fp8 weights are widened to 16 bit
    if precision == "int8":
        return gpu.int8_tops or bf16
    if precision == "fp4":
        return gpu.fp4_tflops or gpu.fp8_tflops or bf16
    if precision == "mxfp4":
        return gpu.fp4_tflops or bf16
    return bf16


# FP8 checkpoints that scale their weights per 128x128 block (and activations per 1x128 group), such as
# Qwen's *-FP8 releases and DeepSeek-V3/R1's native weights, against per-tensor FP8 (NVIDIA ModelOpt).
# The name is TensorRT-LLM's QuantAlgo for them, which it and the other engines resolve from the
# checkpoint's quantization_config (weight_block_size [128, 128]); a calibration row states it in
# engine_args as --quantization fp8_block_scales (calibration.CALIBRATION_CSV).
# Block-scaled MMA is a Blackwell instruction (tcgen05.mma ... kind::mxf8f6f4.block_scale, "Blackwell
# SM100 GEMMs", docs.nvidia.com/cutlass/media/docs/cpp/blackwell_functionality.html, read 2026-12-06);
# Hopper's FP8 WGMMA has none, so Hopper kernels apply the block scales in CUDA cores between the
# 128-deep slices of K. Measured on an H100 SXM at M >= 1024 they run at the bf16 matmul rate, not the
# FP8 one: DeepGEMM 670, 687 and 970 TFLOPS (M x N x K = 1024x4096x7168, 2048x4096x7168,
# 1024x18432x7168; vllm-project/vllm#13917, 2025-02-26), vLLM's Triton and CUTLASS block-FP8 kernels
# 403 and 457 TFLOPS where torch bf16 reached 716 (4096x2112x7168; vllm-project/vllm#23280), against
# the H100's bf16 MAMF of 794.5 and FP8 MAMF of 1402.6 TFLOPS (matmul.py). TensorRT-LLM's own Hopper
# kernel is on average slower than DeepGEMM by NVIDIA's evaluation ("On Hopper, based on our
# evaluation, by average DeepGEMM can bring better performance": NVIDIA/TensorRT-LLM#3071, 2025-03-26).
# So on NVIDIA GPUs with FP8 but without FP4 tensor cores (Hopper, Ada) a block-scaled FP8 checkpoint's
# GEMMs run at the bf16 tensor rate; Blackwell (FP4 cores, block-scaled MMA) keeps the FP8 rate.
BLOCK_SCALED_FP8 = "fp8_block_scales"


def block_scales_in_software(gpu: GpuSpec, precision: str, quantization: str | None) -> bool:
    """True where an FP8 checkpoint's 128x128 block scales cost the GPU its FP8 rate (see BLOCK_SCALED_FP8)."""
    return (
        precision == "fp8"
        and quantization == BLOCK_SCALED_FP8
        and gpu.vendor.lower() == "nvidia"
        and bool(gpu.fp8_tflops)
        and not gpu.fp4_tflops
    )


def gemm_tflops(gpu: GpuSpec, precision: str, engine: str, quantization: str | None = None) -> float:
    """Dense tensor TFLOPS of the weight GEMMs: peak_tflops, or the bf16 rate for block-scaled FP8 on
    GPUs that apply the block scales in software (block_scales_in_software)."""
    if engine not in SIXTEEN_BIT_MATH_ENGINES and block_scales_in_software(gpu, precision, quantization):
        return bf16_tflops(gpu)
    return peak_tflops(gpu, precision, engine)


def attention_tflops(gpu: GpuSpec, kv_bytes: float, engine: str = "vllm") -> float:
    """Dense tensor TFLOPS attention runs at: its math follows the KV cache, not the weights.

    FlashAttention-style kernels multiply queries by cached keys and probabilities by cached
    values, so a 4-bit checkpoint still runs attention in 16 bit (or fp8 where the KV cache is
    fp8, as TensorRT-LLM's fp8 context attention does); the weights' fp4 rate never applies.
    """
    if kv_bytes <= mem.FP8_BYTES:
        return peak_tflops(gpu, "fp8", engine)
    return bf16_tflops(gpu)


# Engines whose CUDA kernels the per-SM limits describe (EngineFactors.sm_bandwidth_gb_s and
# sm_flops_per_clock). llama.cpp decodes one sequence with mat-vec kernels (mul_mat_vec_q): each
# thread block streams a few weight rows, so the bytes in flight per SM, not the DRAM peak, set the
# rate. llama-2-7b q4_0 tg128 reads 1044 / 747 / 588 GB/s on H100 SXM / A100 SXM / RTX 3090
# (llama.cpp discussion 15013): 7.9 / 6.9 / 7.2 GB/s per SM for 132 / 108 / 82 SMs, against 31% /
# 37% / 63% of their peak bandwidth. Its prompt GEMMs on quantised weights are MMQ kernels, chosen
# whenever the GPU has int8 MMA (ggml_cuda_should_use_mmq, ggml/src/ggml-cuda/mmq.cu); pp512 runs
# 152 / 71 / 70 / 202 TFLOPS on H100 / A100 / RTX 3090 / RTX 5090: 0.58 / 0.47 / 0.50 / 0.49 TFLOPS
# per SM-GHz, against 8% / 11% of the H100 / A100 int8 peak: bound by what an SM issues per clock,
# so where it applies it replaces the tensor peak x efficiency (and the bandwidth guess on parts
# whose tensor rate the catalog lacks, such as the RTX 3090).
SM_BOUND_ENGINES = frozenset({"llamacpp"})
MHZ_PER_HZ = 1e-6


def _sm_bound(gpu: GpuSpec, engine: str) -> bool:
    return engine in SM_BOUND_ENGINES and gpu.vendor.lower() == "nvidia" and gpu.sm_count is not None


def sm_bound_bandwidth_gb_s(gpu: GpuSpec, engine: str, f: Factors) -> float | None:
    """Memory bandwidth the engine's latency-bound mat-vec kernels reach: SMs x bytes per SM in
    flight / latency (fitted as GB/s per SM); None where not modelled (no SM count, other engines)."""
    per_sm = f.engines[engine].sm_bandwidth_gb_s
    if not _sm_bound(gpu, engine) or per_sm <= 0:
        return None
    return float(gpu.sm_count or 0) * per_sm


def sm_bound_flops(gpu: GpuSpec, precision: str, engine: str, f: Factors) -> float | None:
    """FLOP/s of the engine's quantised GEMMs (MMQ) as SMs x boost clock x FLOPs per SM per clock;
    None for 16-bit weights (cuBLAS), GPUs without a sourced SM count and clock, or other engines."""
    per_clock = f.engines[engine].sm_flops_per_clock
    if not _sm_bound(gpu, engine) or gpu.boost_clock_mhz is None or per_clock <= 0:
        return None
    if mem.BITS_PER_WEIGHT.get(precision, mem.SIXTEEN_BIT) >= mem.SIXTEEN_BIT:
        return None
    return float(gpu.sm_count or 0) * gpu.boost_clock_mhz / MHZ_PER_HZ * per_clock


def _achievable_share(gpu: GpuSpec, tflops: float) -> float:
    """matmul.matmul_share_vs_reference for math at `tflops`: fp8 where that is the GPU's fp8 rate."""
    fp8_math = gpu.fp8_tflops is not None and tflops == gpu.fp8_tflops and tflops != bf16_tflops(gpu)
    return matmul_share_vs_reference(gpu, fp8_math)


def attention_flops_per_s(gpu: GpuSpec, kv_bytes: float, engine: str) -> float:
    """FLOP/s of attention's math before the engine's efficiency: the tensor rate (attention_tflops)
    times the GPU's measured matmul share relative to the reference GPU's."""
    tflops = attention_tflops(gpu, kv_bytes, engine)
    return tflops * FLOPS_PER_TFLOP * _achievable_share(gpu, tflops)


def runs_on_fp4_tensor_cores(gpu: GpuSpec, precision: str, engine: str) -> bool:
    """True when a precision's GEMMs run on the GPU's 4-bit tensor cores."""
    if engine in SIXTEEN_BIT_MATH_ENGINES or not gpu.fp4_tflops:
        return False
    return precision in {"fp4", "mxfp4"} and peak_tflops(gpu, precision, engine) == gpu.fp4_tflops


def emulated_levels(gpu: GpuSpec, precision: str, engine: str) -> int:
    """Halvings of precision between a weight format and the lowest the GPU's tensor cores take.

    fp8 weights on a GPU without fp8 cores: 1; fp4/mxfp4 without fp4 cores: 1 with fp8 cores
    (Hopper, Ada), 2 without (Ampere). Weight-only formats meant for 16-bit math (int4, GGUF) and
    the engines that always dequantise (llama.cpp, MLX) emulate nothing.
    """
    if engine in SIXTEEN_BIT_MATH_ENGINES:
        return 0
    if precision == "fp8":
        return 0 if gpu.fp8_tflops else 1
    if precision in {"fp4", "mxfp4"}:
        if gpu.fp4_tflops:
            return 0
        return 1 if gpu.fp8_tflops else 2
    return 0


def _format_efficiency(model: ModelSpec, precision: str, part: str, levels: int, per_level: float) -> float:
    """Efficiency share of one part's GEMMs: per_level ** levels where the part is stored below 16 bit."""
    if levels == 0 or mem.bytes_per_weight(precision, part, model) * mem.BITS_PER_BYTE >= mem.SIXTEEN_BIT:
        return 1.0
    return per_level**levels


def _dense_flops_scale(gpu: GpuSpec, model: ModelSpec, precision: str, engine: str, quantization: str | None) -> float:
    """Time of the dense GEMMs relative to running them all at the precision's tensor rate: the share
    a checkpoint keeps at 16 bit (memory.sixteen_bit_dense_b) runs at the 16-bit rate."""
    kept = mem.sixteen_bit_dense_b(model, quantization)
    if kept <= 0:
        return 1.0
    s = mem.split_params(model)
    share = kept / (s.embedding_b / 2 + s.dense_b)
    return 1.0 - share + share * peak_tflops(gpu, precision, engine) / bf16_tflops(gpu)


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
) -> Rig:
    """The timing inputs of one configuration; expert_parallel applies to mixtures of experts only.

    quantization: the checkpoint's quantisation method as vLLM loads it (memory.FFN_ONLY_QUANTIZATION
    keeps attention and the edge layers at 16 bit; BLOCK_SCALED_FP8 sets the GEMMs' rate, gemm_tflops);
    None: every dense weight at the precision.
    kv_cache_dtype: the KV cache's stated dtype (memory.kv_bytes_per_value), which also sets the
    rate attention's math runs at. engine_version: the release a benchmark ran (fp8_epilogue; None: current).
    """
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
    flops = tflops * FLOPS_PER_TFLOP * ef.compute_efficiency * cf.compute * _achievable_share(gpu, tflops)
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
        moe_bandwidth_efficiency=f.moe_bandwidth_efficiency,
        ep=n if expert_parallel and mem.is_moe(model) and n > 1 else 1,
        sequence_overhead_s=ef.sequence_overhead_us / US_PER_S,
        dense_format_efficiency=_format_efficiency(model, precision, "dense", levels, ef.emulated_format_efficiency),
        expert_format_efficiency=_format_efficiency(model, precision, "expert", levels, ef.emulated_format_efficiency),
        quantization=quantization,
        dense_flops_scale=_dense_flops_scale(gpu, model, precision, engine, quantization),
        prompt_attention_flops=_prompt_attention_flops(gpu, model, engine, kv_bytes),
        epilogue_bytes_per_token=unfused_dequant_bytes_per_token(model, n)
        if unfused_dequant(gpu, engine, quantization, engine_version)
        else 0.0,
        gather_expert_reads=reads_experts_by_gather(engine, mem.is_moe(model)),
        chunked_sliding_prefill=chunks_sliding_prefill(engine),
        mmvq=runs_mmvq(gpu, precision, engine),
    )


def _prompt_attention_flops(gpu: GpuSpec, model: ModelSpec, engine: str, kv_bytes: float) -> float | None:
    """FLOP/s of a prompt's attention at its kernel's measured rate (flash_attention); None where unmeasured."""
    tflops = flash_attention_tflops(gpu, engine, kv_bytes, attention_head_widths(model))
    return None if tflops is None else tflops * FLOPS_PER_TFLOP


def prompt_attention_rate(rig: Rig) -> float:
    """FLOP/s of a prompt's attention on one GPU: the kernel's measured rate where sourced, else the
    engine's attention rate (Rig.attention_flops)."""
    return rig.attention_flops if rig.prompt_attention_flops is None else rig.prompt_attention_flops


def _linear_flops(rig: Rig, tokens: float) -> tuple[float, float]:
    """(dense FLOPs, routed-expert FLOPs) of the linear layers over `tokens` tokens."""
    s = mem.split_params(rig.model)
    dense_params = (s.embedding_b / 2 + s.dense_b) * mem.PARAMS_PER_BILLION
    expert_params = s.experts_per_token * s.expert_b * mem.PARAMS_PER_BILLION
    # dense FLOPs at the precision's rate: weights a checkpoint keeps at 16 bit count for more
    dense = FLOPS_PER_MAC * dense_params * tokens * rig.dense_flops_scale
    return dense, FLOPS_PER_MAC * expert_params * tokens


def _linear_compute_s(rig: Rig, tokens: float, shards: float) -> float:
    """Compute-only time of the linear layers (expert GEMMs at the MoE efficiency)."""
    dense, expert = _linear_flops(rig, tokens)
    dense /= rig.dense_format_efficiency
    expert /= rig.moe_efficiency * rig.expert_format_efficiency
    return (dense + expert) / shards / rig.flops + _epilogue_s(rig, tokens)


def _epilogue_s(rig: Rig, tokens: float) -> float:
    """Time of the separate dequantisation passes over `tokens` tokens' GEMM outputs (fp8_epilogue)."""
    return tokens * rig.epilogue_bytes_per_token / BYTES_PER_GB / rig.bw_gb_s


def _linear_s(rig: Rig, tokens: float, shards: float) -> float:
    """Time of the linear layers for `tokens` tokens over `shards` GPUs.

    Dense part and routed experts run as separate kernels; each is bound by its weight reads or
    its FLOPs. Expert GEMMs (grouped, over few tokens per expert, with routing and permutation)
    reach the MoE shares of the dense compute and bandwidth efficiencies.
    """
    dense_gb, expert_gb = mem.weight_bytes_read_split_gb(rig.model, rig.precision, tokens, rig.quantization)
    dense_flops, expert_flops = _linear_flops(rig, tokens)
    dense = max(dense_gb / rig.bw_gb_s, dense_flops / rig.flops) / rig.dense_format_efficiency
    expert_bw = rig.bw_gb_s * rig.moe_bandwidth_efficiency
    if rig.gather_expert_reads:
        expert_gb, expert_bw = _gather_expert_reads(rig, tokens, expert_gb, expert_bw)
    expert = (
        max(
            expert_gb / expert_bw,
            expert_flops / rig.flops / rig.moe_efficiency,
        )
        / rig.expert_format_efficiency
    )
    if rig.ep > 1 and shards == rig.ep:
        # whole experts per GPU: the step waits for the GPU that drew the most touched experts
        # and routed token copies, not for the mean share
        s = mem.split_params(rig.model)
        touched = mem.experts_touched(s.experts, s.experts_per_token, tokens)
        reads = expert_gb / expert_bw * _busiest_share(touched, rig.ep)
        math_s = expert_flops / rig.flops / rig.moe_efficiency * _busiest_share(tokens * s.experts_per_token, rig.ep)
        return dense / shards + max(reads, math_s) / rig.expert_format_efficiency
    return (dense + expert) / shards + _epilogue_s(rig, tokens)


def _gather_expert_reads(rig: Rig, tokens: float, expert_gb: float, expert_bw: float) -> tuple[float, float]:
    """(GB, GB/s) of routed-expert reads through MLX's gather kernels (mlx_moe): passes per expert, rate."""
    s = mem.split_params(rig.model)
    touched = mem.experts_touched(s.experts, s.experts_per_token, tokens)
    passes = expert_reads_per_touched(s.experts, s.experts_per_token, tokens, touched)
    return expert_gb * passes, expert_bw * gather_read_share(tokens)


def _busiest_share(items: float, bins: int) -> float:
    """Share of `items` spread at random over `bins` GPUs that the busiest GPU holds.

    Balls into bins: the fullest of n bins holds about m/n + sqrt(2 (m/n) ln n) of m balls
    (Raab and Steger, 1998, for m >= n ln n); at least one whole item, at most all of them.
    """
    if items <= 0 or bins <= 1:
        return 1.0
    mean = items / bins
    busiest = max(mean + math.sqrt(2 * mean * math.log(bins)), min(items, 1.0))
    return min(1.0, busiest / items)


def attention_head_widths(model: ModelSpec, *, decode: bool = False) -> tuple[int, int]:
    """(query.key width, value width) one attention head multiplies per attended position.

    Grouped-query attention: head_dim each. MLA whose latent is up-projected per head (DeepSeek
    V2/V3: head_dim is the value head, queries and keys add the rope part) runs two ways (vLLM's MLA
    common components, vllm/model_executor/layers/attention/mla_attention.py, module docstring):
    prompts take the "compute friendly" path, multi-head attention with a query.key width of
    nope + rope (128 + 64) and the value head (128); decode takes the "data-movement friendly" path,
    the up-projection absorbed into the query, multi-query attention over the cached latent itself
    with a query.key width of kv_lora_rank + rope (512 + 64) and a value width of kv_lora_rank (512).
    Where the latent is the head (DeepSeek V4: head_dim = kv_lora_rank + rope) both paths are that MQA.
    """
    rope = model.qk_rope_head_dim or 0
    if not model.kv_lora_rank or model.kv_lora_rank + rope == model.head_dim:
        return model.head_dim, model.head_dim
    if decode:
        return model.kv_lora_rank + rope, model.kv_lora_rank
    return model.head_dim + rope, model.head_dim


def _attention_flops(model: ModelSpec, tokens: float, context: float, *, decode: bool = False) -> float:
    """FLOPs of attention for `tokens` tokens each attending to `context` positions.

    QK^T and PV: 2 * heads * (query.key width + value width) FLOPs per token per attended position
    per attention layer (attention_head_widths; hybrids: only the kv_cache_layers run softmax
    attention over the context). decode: the step's tokens are single decode tokens.
    """
    qk_width, v_width = attention_head_widths(model, decode=decode)
    return FLOPS_PER_MAC * model.attention_layers * model.attention_heads * (qk_width + v_width) * context * tokens


def _prompt_attention_flops_count(rig: Rig, tokens: float, context: float) -> float:
    """FLOPs of a whole prompt's attention, each token seeing `context` (MLX: as its chunked sliding layers run)."""
    flops = _attention_flops(rig.model, tokens, context)
    if rig.chunked_sliding_prefill:
        flops *= prompt_attention_scale(rig.model, round(tokens))
    return flops


def _allreduce_s(rig: Rig, tokens: float, shards: int) -> float:
    """Tensor-parallel communication of one forward step: 2 ring all-reduces per layer."""
    if shards <= 1:
        return 0.0
    payload_gb = tokens * rig.model.hidden_size * ACTIVATION_BYTES / BYTES_PER_GB
    ring_gb = 2 * (shards - 1) / shards * payload_gb
    per_reduce = rig.comm_latency_s + ring_gb / rig.link_gb_s
    if rig.ep > 1 and shards == rig.ep:
        # attention keeps its all-reduce; the MoE block swaps its all-reduce for a dispatch and a
        # combine all-to-all, each GPU sending the (n-1)/n of its tokens' k copies owned elsewhere
        k = mem.split_params(rig.model).experts_per_token
        a2a_gb = tokens / shards * k * (shards - 1) / shards * rig.model.hidden_size * ACTIVATION_BYTES / BYTES_PER_GB
        per_a2a = rig.comm_latency_s + a2a_gb / rig.link_gb_s
        return rig.model.layers * (per_reduce + ALL_TO_ALLS_PER_MOE_LAYER * per_a2a)
    return rig.model.layers * ALL_REDUCES_PER_LAYER * per_reduce


def _replicated_projection_s(rig: Rig, tokens: float, shards: int) -> float:
    """Extra time of the weights each tensor-parallel GPU holds whole (memory.replicated_latent_projection_b).

    The dense part's time counts every weight split over the GPUs; a replicated projection is read and
    multiplied in full on each, so each GPU does (1 - 1/shards) of it more: its own kernel, bound by
    those weight reads or its FLOPs over the step's tokens. 0 on one GPU and for models without one.
    """
    replicated_b = mem.replicated_latent_projection_b(rig.model)
    if shards <= 1 or replicated_b <= 0:
        return 0.0
    extra = 1.0 - 1.0 / shards
    read_gb = replicated_b * mem.bytes_per_weight(rig.precision, "dense", rig.model) * extra
    flops = FLOPS_PER_MAC * replicated_b * mem.PARAMS_PER_BILLION * tokens * extra
    return max(read_gb / rig.bw_gb_s, flops / rig.flops) / rig.dense_format_efficiency


def kv_shards(model: ModelSpec, n: int) -> float:
    """How many ways the KV cache splits over n tensor-parallel GPUs.

    MLA's latent is not split by head (each GPU keeps all of it); GQA splits by KV head and
    replicates heads once n exceeds their count.
    """
    if model.kv_lora_rank:
        return 1.0
    return float(min(n, model.kv_heads))


def _step_s(
    rig: Rig, tokens: float, seqs: float, context: float, shards: float, kv_shards: float, *, decode: bool = False
) -> float:
    """One forward step: linear layers (weights read vs FLOPs) then attention (KV read vs FLOPs).

    The two run as separate kernels, so their times add; within each, memory and compute overlap.
    decode: every token is one sequence's next token (attention_head_widths' decode path).
    """
    linear = _linear_s(rig, tokens, shards)
    state_gb = _recurrent_state_gb(rig.model)
    kv = seqs * (mem.kv_cache_gb(rig.model, context, rig.kv_bytes) - state_gb) / kv_shards
    if decode:
        rate, flops = rig.attention_flops, _attention_flops(rig.model, tokens, context, decode=True)
    else:  # a whole prompt
        rate, flops = prompt_attention_rate(rig), _prompt_attention_flops_count(rig, tokens, context)
    attention = max(kv / rig.bw_gb_s, flops / shards / rate)
    return linear + attention + _recurrent_s(rig, tokens, seqs, shards)


def _recurrent_state_gb(model: ModelSpec) -> float:
    """GB of fixed-size recurrent state one sequence holds over all its recurrent layers."""
    return (model.recurrent_state_mb or 0.0) * BYTES_PER_MB / BYTES_PER_GB


def _recurrent_s(rig: Rig, tokens: float, seqs: float, shards: float) -> float:
    """Time of the recurrent (Mamba-2 / DeltaNet) layers' scans for `tokens` tokens of `seqs` sequences.

    Every sequence's state is read and written back once per step (bandwidth), and every token
    updates every state value (SCAN_FLOPS_PER_STATE_VALUE, at the 16-bit rate); state splits by
    head over tensor-parallel GPUs. Separate kernels from attention and the projections, so the
    time adds; within the scan, memory and compute overlap.
    """
    state_gb = _recurrent_state_gb(rig.model)
    if state_gb <= 0:
        return 0.0
    values = state_gb * BYTES_PER_GB / RECURRENT_STATE_BYTES_PER_VALUE
    traffic = 2 * seqs * state_gb / shards / rig.bw_gb_s
    scan = tokens * values * SCAN_FLOPS_PER_STATE_VALUE / shards / rig.attention_flops
    return max(traffic, scan)


def decode_step_s(rig: Rig, batch: float, context: float, mode: str) -> float:
    """Seconds for one decode step that emits one token for each of `batch` sequences."""
    host = rig.overhead_s + batch * rig.sequence_overhead_s
    if mode == "pp":
        lanes = max(1.0, min(float(rig.n), batch))  # micro-batches in flight
        micro = batch / lanes
        stage = _step_s(rig, micro, micro, context, rig.n, rig.n, decode=True)
        return rig.n * stage + host + _mmvq_s(rig, micro)
    return (
        _step_s(rig, batch, batch, context, rig.n, kv_shards(rig.model, rig.n), decode=True)
        + host
        + _mmvq_s(rig, batch) / rig.n
        + _allreduce_s(rig, batch, rig.n)
        + _replicated_projection_s(rig, batch, rig.n)
    )


def _mmvq_s(rig: Rig, batch: float) -> float:
    """Time llama.cpp's mat-vec kernels add to a decode step of `batch` sequences over all the weights (mmvq)."""
    if not rig.mmvq:
        return 0.0
    dense, expert = _linear_flops(rig, 1.0)
    return mmvq_extra_s(rig.gpu, (dense + expert) / FLOPS_PER_MAC, batch)


def decode_weight_slack_s(rig: Rig, batch: float, mode: str) -> float:
    """Seconds of one decode step's linear layers spent reading weights beyond their FLOPs' time.

    A step that also carries prompt tokens runs them through the same GEMMs: one read of the
    weights serves every token of the step, so prompt FLOPs up to this much hide under the
    weight reads the decodes pay anyway (Sarathi-Serve's piggybacking of decodes on prefill
    chunks: Agrawal et al., OSDI 2024, arXiv:2403.02310, section 3). 0 under pipeline parallelism,
    whose stages interleave micro-batches instead.
    """
    if mode == "pp" or batch <= 0:
        return 0.0
    return max(0.0, _linear_s(rig, batch, rig.n) - _linear_compute_s(rig, batch, rig.n))


def prefill_linear_s_per_token(rig: Rig, mode: str) -> float:
    """FLOP time of the linear layers per prompt token when batched (the part of a prompt's
    cost that can hide under a decode step's weight reads); 0 under pipeline parallelism."""
    if mode == "pp":
        return 0.0
    return rig.model.prefill_share * _linear_compute_s(rig, 1.0, rig.n)


def prefill_s(rig: Rig, tokens: int, mode: str) -> tuple[float, float]:
    """(latency of one request's prefill, replica time it costs when batched with others)."""
    if tokens <= 0:
        return 0.0, 0.0
    context = tokens / 2  # causal: each prompt token sees half the prompt on average
    prompt_attention = _prompt_attention_flops_count(rig, tokens, context) / prompt_attention_rate(rig)
    attention = prompt_attention + _recurrent_s(rig, tokens, 1, 1)
    host = rig.sequence_overhead_s  # the prompt's sequence is scheduled and prepared once more
    # a prompt token may run only part of the stack (prefill_active_params_b): that share of every
    # layer's work (weights, FLOPs, attention, all-reduces); launch and host time stay whole
    share = rig.model.prefill_share
    if mode == "pp":
        # one prompt visits the stages in turn: no speed-up for its latency
        latency = share * (_linear_s(rig, tokens, 1) + attention) + rig.overhead_s
        return latency + host, share * (_linear_compute_s(rig, tokens, 1) + attention) / rig.n + host
    comm = share * _allreduce_s(rig, tokens, rig.n)
    replicated = share * _replicated_projection_s(rig, tokens, rig.n)
    compute = share * (_linear_compute_s(rig, tokens, rig.n) + attention / rig.n)
    latency = share * _step_s(rig, tokens, 1, context, rig.n, kv_shards(rig.model, rig.n))
    return latency + rig.overhead_s + comm + replicated + host, compute + comm + replicated + host


@dataclass(frozen=True)
class Load:
    """Timing of one concurrency level."""

    ttft_s: float
    tpot_s: float
    decode_step_s: float
    cycle_s: float  # time in which each of the `concurrency` users completes one request


def load_cycle(rig: Rig, batch: int, input_tokens: int, output_tokens: int, mode: str) -> Load:
    """Closed loop with `batch` users, continuous batching and prefill interleaved with decode.

    In one cycle every user gets one request done: O decode steps at the full batch, its own
    prefill (latency) and the batched prefill cost of the others' prompts, which stalls decode.
    TTFT adds the running decode step and the queue of other prompts waiting for prefill.
    """
    context = input_tokens + output_tokens / 2
    t_dec = decode_step_s(rig, batch, context, mode) if output_tokens > 0 else 0.0
    p_latency, p_cost = prefill_s(rig, input_tokens, mode)
    stall = (batch - 1) * p_cost
    # each user also spends the request overhead (HTTP, tokenising) outside the GPU per request
    cycle = output_tokens * t_dec + p_latency + stall + rig.request_overhead_s
    tpot = t_dec + (stall / output_tokens if output_tokens > 0 else 0.0)
    ttft = p_latency + rig.request_overhead_s
    if batch > 1:
        # wait for the running step, then queue behind other prompts: M/D/1 mean wait with the
        # prefill share of the replica's time as utilisation
        busy = min(batch * p_cost / cycle, MAX_PREFILL_UTILISATION) if cycle > 0 else 0.0
        ttft += t_dec + busy / (2 * (1 - busy)) * p_cost
    return Load(ttft_s=ttft, tpot_s=tpot, decode_step_s=t_dec, cycle_s=cycle)


def choose_mode(rig: Rig, max_conc: int, inp: int, out: int) -> str:
    """Tensor parallel over a fast scale-up link; on PCIe cards whichever serves more at full load.

    Chosen once per configuration (at full load), so every concurrency uses the same layout.
    """
    if rig.n == 1:
        return "single"
    if gpu_class(rig.gpu) == "datacenter":
        return "tp"
    tp = load_cycle(rig, max_conc, inp, out, "tp").cycle_s
    pp = load_cycle(rig, max_conc, inp, out, "pp").cycle_s
    return "pp" if pp < tp else "tp"
