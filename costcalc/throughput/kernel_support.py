"""Engine builds that lack a kernel for a weight format on a GPU generation, as their sources state."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec


@dataclass(frozen=True)
class MissingKernel:
    """One engine's missing kernel: the format it cannot serve on GPUs without fp8 tensor cores."""

    engine: str
    precision: str
    versions: str  # the release(s) the source ran; later ones not checked
    source: str  # where the failure or the support matrix is published
    error: str  # what the engine says (quoted from the source)


# TensorRT-LLM's mixture-of-experts kernel for MXFP4 weights with 16-bit activations (W4A16 MXFP4,
# gpt-oss) has no Ampere build: GPUStack's run of trtllm-serve v1.2.0rc1 on an A100 stopped with
# "NotImplementedError: WFP4A16 MoE is unsupported on SM80." (gpustack/gpustack
# docs/performance-lab/gpt-oss-20b/a100.md @7ae332aa, read 2026-12-05), and TensorRT-LLM's hardware
# support matrix lists MXFP4 for Blackwell only, none for Ampere (NVIDIA/TensorRT-LLM
# docs/source/features/quantization.md @09d4c79b). The same build ran on H100 (fp8 tensor cores,
# the same doc's rows), so the rule covers GPUs without fp8 tensor cores (Ampere and older).
MISSING_KERNELS: tuple[MissingKernel, ...] = (
    MissingKernel(
        engine="trtllm",
        precision="mxfp4",
        versions="1.2.0rc1",
        source="https://github.com/gpustack/gpustack/blob/7ae332aaf05783e657560ef927c527b156e2536d/"
        "docs/performance-lab/gpt-oss-20b/a100.md",
        error="WFP4A16 MoE is unsupported on SM80",
    ),
)


def _pre_fp8_gpu(gpu: GpuSpec) -> bool:
    """True for an NVIDIA GPU without fp8 or fp4 tensor cores (Ampere and older)."""
    return gpu.vendor.lower() == "nvidia" and not gpu.has_tensor("fp8_tflops") and not gpu.has_tensor("fp4_tflops")


def missing_kernel(gpu: GpuSpec, engine: str, precision: str) -> str | None:
    """Why the engine cannot serve this weight format on this GPU (None: it can, as far as is known)."""
    for k in MISSING_KERNELS:
        if k.engine == engine and k.precision == precision and _pre_fp8_gpu(gpu):
            return (
                f"{engine} has no {precision} kernel on {gpu.id}, a GPU without fp8 tensor cores "
                f'("{k.error}" in TensorRT-LLM {k.versions}: {k.source}); use vllm or sglang, or another precision'
            )
    return None
