"""Each catalog GPU's kernel architecture (CUDA compute capability, AMD LLVM target): what an engine picks its kernels by."""

from __future__ import annotations

from costcalc.catalog.specs import CustomGpuSpec, GpuSpec

# The architecture an engine compiles and dispatches its kernels for: NVIDIA's compute capability as
# sm<major><minor> (NVIDIA's CUDA GPU compute capability page, https://developer.nvidia.com/cuda-gpus, as
# transcribed in https://michaelbommarito.com/wiki/programming/tools/gpu-compute-capability (8.0 A100, 8.6 RTX 30
# / A10G, 8.9 Ada: L4, L40S, RTX 4090, 9.0 H100 / H200, 10.0 B200 / GB200, 10.3 B300 / GB300, 12.0 RTX 5090 /
# RTX PRO 6000) and https://blog.kubesimplify.com/blog/day-3-the-dgx-spark-unpacked-gb10-unified-memory-sm-121-and-the-one-reason-this-hardware-exists
# (GB10: 12.1, "NOT the same as the 10.0 (sm_100) inside an NVIDIA B200"), read 2026-12-06), AMD's LLVM target
# (ROCm's GPU specifications table, https://rocm.docs.amd.com/en/7.13.0-preview/reference/gpu-specs.html, read
# 2026-12-06: MI300X / MI325X gfx942 (CDNA3), MI355X gfx950 (CDNA4)). Apple parts have no entry: their class
# factor plays that role.
ARCHITECTURES: dict[str, str] = {
    "a100-sxm-80gb": "sm80",
    "a100-sxm-40gb": "sm80",
    "a100-pcie-80gb": "sm80",
    "a10g-24gb": "sm86",
    "rtx-3060-12gb": "sm86",
    "rtx-3090-24gb": "sm86",
    "l40s-48gb": "sm89",
    "l4-24gb": "sm89",
    "rtx-4090-24gb": "sm89",
    "h100-sxm-80gb": "sm90",
    "h100-nvl-94gb": "sm90",
    "h100-pcie-80gb": "sm90",
    "h200-sxm-141gb": "sm90",
    "b200-sxm-180gb": "sm100",
    "gb200-186gb": "sm100",
    "b300-sxm-268gb": "sm103",
    "gb300-288gb": "sm103",
    "rtx-5090-32gb": "sm120",
    "rtx-pro-6000-96gb": "sm120",
    "dgx-spark-gb10": "sm121",
    "mi300x-192gb": "gfx942",
    "mi325x-256gb": "gfx942",
    "mi355x-288gb": "gfx950",
}
# The architecture the engines' fitted efficiencies stand for (the most calibration rows): its factors stay 1.
REFERENCE_ARCHITECTURE = "sm90"
# The architectures whose factors the refit fits: the datacenter parts' (A100, B200/B300, MI300X/MI325X, MI355X;
# MI300X's rows come from dstack, AMD's ROCm/vllm README and Oracle's OCI blog, three publishers).
# The workstation and Apple parts have their class factors (factors.Factors.classes); fitting both moved llama.cpp's
# shared bandwidth and left the held-out DGX Spark rows worse (/work/notes/estimator-gen14.md, run A).
FITTED_ARCHITECTURES: tuple[str, ...] = ("gfx942", "gfx950", "sm100", "sm103", "sm80")
# Architectures whose engines run another vendor's kernel stack: vLLM on ROCm builds on hipBLASLt, AMD's AITER kernels
# and RCCL (ROCm/vllm docs/dev-docker/README.md @7545048a: the image's ROCm 6.4.1 / hipBLASLt list and its AITER and
# VLLM_USE_TRITON_FLASH_ATTN settings), not on the CUDA kernels and NCCL the shared engine factors are fitted on. Their
# rows move only their own architecture's factors (the fit's second stage), never the shared ones: in the first stage,
# dstack's, AMD's and Oracle's 79 MI300X rows pulled vLLM's bandwidth efficiency 0.649 -> 0.591 and the all-reduce
# latency 12.2 -> 17.5 us for every NVIDIA GPU, and the held-out TTFT p90 61 -> 78%
# (/work/notes/estimator-gen18.md, run A).
SEPARATE_STACK_ARCHITECTURES: tuple[str, ...] = ("gfx942", "gfx950")
# Which of an architecture's multipliers the refit fits (the rest stay 1).
FITTED_ARCHITECTURE_FACTORS: tuple[str, ...] = ("bandwidth", "compute")
# An architecture's factors are fitted only from rows of at least this many publishers (calibration.publisher_of:
# a GitHub owner, a web host); with fewer, one lab's methodology would be read as the hardware's, and they stay 1.
MIN_ARCHITECTURE_PUBLISHERS = 2


# What factors.json's "architectures" are, written beside them (factors.Factors.to_dict).
ARCHITECTURE_PROVENANCE = (
    "fitted, not measured: bandwidth and compute multipliers per kernel architecture relative to sm90 (Hopper), "
    "found by the refit (costcalc/throughput/fit.py's coordinate search, benchmarks/calibrate_estimator.py) on the "
    "calibration rows of each architecture in FITTED_ARCHITECTURES whose rows come from at least "
    "MIN_ARCHITECTURE_PUBLISHERS publishers (costcalc/throughput/architecture.py), in the fit's second stage with every "
    "shared engine / class factor held at the first stage's value (fit.FIT_STAGES: a GPU without its own factor keeps "
    "the estimate of the fit without them); the mechanism they stand for: the same "
    "engine's kernels reach a different share of each generation's peak (FlashAttention-2 up to 73% of an A100's "
    "peak, arXiv:2307.08691; 35% of an H100's, arXiv:2407.08608)"
)


def gpu_architecture(gpu: GpuSpec) -> str | None:
    """The GPU's kernel architecture ('sm80', 'gfx942'), or None (Apple, or a GPU this table lacks); a custom GPU's is
    its own (its `like` GPU's, or as stated)."""
    if isinstance(gpu, CustomGpuSpec):
        return gpu.architecture
    return ARCHITECTURES.get(gpu.id)
