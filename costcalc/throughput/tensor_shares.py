"""Shares of the tensor rate a configuration's math reaches: matmul share, emulated formats, 16-bit dense weights."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.matmul import matmul_share_vs_reference
from costcalc.throughput.tensor_tflops import attention_tflops, bf16_tflops, peak_tflops
from costcalc.units import FLOPS_PER_TFLOP


def achievable_share(gpu: GpuSpec, tflops: float) -> float:
    """matmul.matmul_share_vs_reference for math at `tflops`: fp8 where that is the GPU's fp8 rate."""
    fp8_math = gpu.fp8_tflops is not None and tflops == gpu.fp8_tflops and tflops != bf16_tflops(gpu)
    return matmul_share_vs_reference(gpu, fp8_math)


def attention_flops_per_s(gpu: GpuSpec, kv_bytes: float, engine: str) -> float:
    """FLOP/s of attention's math before the engine's efficiency: the tensor rate (attention_tflops)
    times the GPU's measured matmul share relative to the reference GPU's."""
    tflops = attention_tflops(gpu, kv_bytes, engine)
    return tflops * FLOPS_PER_TFLOP * achievable_share(gpu, tflops)


def format_efficiency(model: ModelSpec, precision: str, part: str, levels: int, per_level: float) -> float:
    """Efficiency share of one part's GEMMs: per_level ** levels where the part is stored below 16 bit."""
    if levels == 0 or mem.bytes_per_weight(precision, part, model) * mem.BITS_PER_BYTE >= mem.SIXTEEN_BIT:
        return 1.0
    return per_level**levels


def dense_flops_scale(gpu: GpuSpec, model: ModelSpec, precision: str, engine: str, quantization: str | None) -> float:
    """Time of the dense GEMMs relative to running them all at the precision's tensor rate: the share
    a checkpoint keeps at 16 bit (memory.sixteen_bit_dense_b) runs at the 16-bit rate."""
    kept = mem.sixteen_bit_dense_b(model, quantization)
    if kept <= 0:
        return 1.0
    s = mem.split_params(model)
    share = kept / (s.embedding_b / 2 + s.dense_b)
    return 1.0 - share + share * peak_tflops(gpu, precision, engine) / bf16_tflops(gpu)
