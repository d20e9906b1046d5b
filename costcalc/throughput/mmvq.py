"""llama.cpp's quantised mat-vec kernels (MMVQ) at 2-8 sequences per decode step: the time each step adds per sequence."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput import memory as mem

# ggml-cuda multiplies quantised weights by up to 8 activation columns with its mat-vec kernels
# (`#define MMVQ_MAX_BATCH_SIZE 8 // Max. batch size for which to use MMVQ kernels.`,
# ggml/src/ggml-cuda/mmvq.cuh); above 8 columns MMQ (or dequantise + cuBLAS) takes over, which the
# estimator's per-SM GEMM rate (sm_bound.sm_bound_flops) already models. MMVQ reads each weight once
# for all columns but computes every column's dot products on the CUDA cores (dp4a), so a step of b
# sequences costs more than a step of one even while the weights' read dominates. Measured: llama-bench
# pp512 at micro-batch 1..8 (each micro-batch one MMVQ step), RTX 3090, llama 8B Q4_0, the "master"
# column of ggml-org/llama.cpp#15802 ("CUDA: fastdiv, launch bounds for mmvq + q8_1 quant",
# JohannesGaessler, 2025-09; read 2026-12-06), tokens/s:
MMVQ_MAX_BATCH = 8
_REFERENCE_TOKENS_PER_S = (155.02, 277.36, 390.23, 468.95, 514.50, 529.37, 559.17, 570.67)
# The step time at b columns is b / rate_b: 6.45, 7.21, 7.69, 8.53, 9.72, 11.33, 12.52, 14.02 ms, i.e.
# 1.00 / 1.12 / 1.19 / 1.32 / 1.51 / 1.76 / 1.94 / 2.17 times the one-column step. The time above the
# one-column step is CUDA-core work: carried to another GPU in proportion to its SMs x boost clock (the
# RTX 3090: 82 SMs at 1695 MHz, the catalog's row) and to the weights each column multiplies
# (llama 8B = Llama-3 8B: 8.03B parameters less the 0.525B input embedding table, 128256 x 4096, that
# no matrix product reads; the output head is one).
_REFERENCE_SM_HZ = 82 * 1695e6
_REFERENCE_MATMUL_PARAMS = 7.50e9


def _extra_cycles_per_param(batch: int) -> float:
    """SM clock cycles per multiplied weight that a step of `batch` columns takes beyond a one-column step."""
    one = 1.0 / _REFERENCE_TOKENS_PER_S[0]
    step = batch / _REFERENCE_TOKENS_PER_S[batch - 1]
    return (step - one) * _REFERENCE_SM_HZ / _REFERENCE_MATMUL_PARAMS


def runs_mmvq(gpu: GpuSpec, precision: str, engine: str) -> bool:
    """True where llama.cpp's CUDA MMVQ kernels decode small batches: llama.cpp, an NVIDIA GPU whose SM
    count and boost clock the catalog gives, weights stored below 16 bit."""
    return (
        engine == "llamacpp"
        and gpu.vendor.lower() == "nvidia"
        and gpu.sm_count is not None
        and gpu.boost_clock_mhz is not None
        and mem.BITS_PER_WEIGHT.get(precision, mem.SIXTEEN_BIT) < mem.SIXTEEN_BIT
    )


def mmvq_extra_s(gpu: GpuSpec, matmul_params: float, batch: float) -> float:
    """Seconds a decode step of `batch` sequences spends in MMVQ beyond a one-sequence step, for
    `matmul_params` weights multiplied per token on one GPU; 0 at one sequence and above MMVQ_MAX_BATCH
    (a fractional batch, a simulation's mean, interpolates between the whole ones)."""
    if batch <= 1 or batch > MMVQ_MAX_BATCH or gpu.sm_count is None or gpu.boost_clock_mhz is None:
        return 0.0
    low = int(batch)
    cycles = _extra_cycles_per_param(low)
    if batch > low:
        cycles += (batch - low) * (_extra_cycles_per_param(low + 1) - cycles)
    return cycles * matmul_params / (gpu.sm_count * gpu.boost_clock_mhz * 1e6)
