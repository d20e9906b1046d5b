"""The tensor rates the estimate uses for a GPU, and how it derives one the catalog lacks (asked of tensor_tflops)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput.tensor_tflops import bf16_tflops, peak_tflops
from costcalc.units import BYTES_PER_GB, FLOPS_PER_TFLOP

# Catalog fields a derived rate can rest on, in the words a table uses; memory bandwidth last
SOURCE_WORDS = {
    "bf16_tflops": "bf16",
    "fp8_tflops": "fp8",
    "int8_tops": "int8",
    "fp4_tflops": "fp4",
    "memory_bandwidth_gb_s": "memory bandwidth",
}


@dataclass(frozen=True)
class Rate:
    """A dense tensor rate the estimate uses, and `how` it was derived (None when it is the catalog's own)."""

    tflops: float
    how: str | None = None


def _how(rate: Callable[[GpuSpec], float], gpu: GpuSpec, value: float) -> str:
    """How `rate` reached `value` for `gpu`: the first catalog field whose change moves it, and the factor between
    them ('fp4 / 4', '30 FLOP per byte of memory bandwidth')."""
    for field, words in SOURCE_WORDS.items():
        base = getattr(gpu, field)
        if base is None or rate(gpu.model_copy(update={field: base * 2})) == value:
            continue
        if field == "memory_bandwidth_gb_s":
            return f"{value * FLOPS_PER_TFLOP / (base * BYTES_PER_GB):g} FLOP per byte of {words}"
        return words if value == base else f"{words} / {base / value:g}"
    return "a constant"


def _rate(rate: Callable[[GpuSpec], float], gpu: GpuSpec, catalog: float | None) -> Rate:
    value = rate(gpu)
    return Rate(value) if catalog is not None and value == catalog else Rate(value, _how(rate, gpu, value))


def bf16_rate(gpu: GpuSpec) -> Rate:
    """The bf16 rate every estimate on `gpu` uses (tensor_tflops.bf16_tflops), and how it is derived where the catalog has
    none: Rate(419.0, 'fp4 / 4') for a GPU whose catalog row gives only fp4 1676."""
    return _rate(bf16_tflops, gpu, gpu.bf16_tflops)


def fp8_rate(gpu: GpuSpec) -> Rate:
    """The rate fp8 math runs at on `gpu` (tensor_tflops.peak_tflops, vLLM); without a catalog fp8 rate, 'bf16' where it is
    the bf16 rate (fp8 weights widened to 16-bit math)."""
    rate = _rate(lambda g: peak_tflops(g, "fp8"), gpu, gpu.fp8_tflops)
    return Rate(rate.tflops, "bf16") if rate.how is not None and rate.tflops == bf16_tflops(gpu) else rate
