"""llama.cpp's per-SM limits: mat-vec bandwidth in GB/s and quantised-GEMM FLOP/s from SM count and clock."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.factors import Factors

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
