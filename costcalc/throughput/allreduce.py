"""Latency of one small tensor-parallel all-reduce: the fitted figure, or NCCL's measured one over PCIe."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput.factors import SCALE_UP_LINK_MIN_GB_S, Factors

# Tensor-parallel all-reduces of a decode step carry a few KB (tokens x hidden x 2 bytes), so their
# time is the collective's latency. Over NVLink/NVSwitch (and Infinity Fabric) the engines run their
# own one-shot kernels and the fitted comm_latency_us stands for them. GPUs whose only link is PCIe
# cannot: vLLM and SGLang turn their custom all-reduce off on more than two GPUs that are not fully
# NVLink-connected ("Custom allreduce is disabled because it's not supported on more than two PCIe-only
# GPUs"; "for 4 or more non NVLink-capable GPUs, custom allreduce provides little performance improvement
# over NCCL": vllm-project/vllm vllm/distributed/device_communicators/custom_all_reduce.py @00d618aa,
# the same check in sgl-project/sglang python/sglang/srt/distributed/device_communicators/
# custom_all_reduce.py @004e6561, both read 2026-12-06), so every all-reduce is an NCCL one over PCIe.
# nccl-tests all_reduce_perf on 8 RTX 4090 over PCIe: 42.14 us out of place (40.06 in place) for an
# 8-byte all-reduce, 42.56 us with NCCL_ALGO=TREE (NVIDIA/nccl#1530); on 8 RTX 3090, 54.18 us
# (NVIDIA/nccl#1439, 2024-09-11). A ring's latency grows linearly with the number of GPUs in it
# (NVIDIA's kiskra-nvidia in NVIDIA/nccl#1712, 2025-05-19), so fewer GPUs pay (n - 1) / 7 of the
# 8-GPU figure; never less than the fitted latency. TensorRT-LLM's choice of all-reduce on PCIe was not
# read, so it keeps the fitted latency.
NCCL_ON_PCIE_ENGINES = frozenset({"vllm", "sglang"})
NCCL_PCIE_ALLREDUCE_US = 42.14  # 8 RTX 4090, 8-byte all-reduce, out of place (NVIDIA/nccl#1530)
NCCL_PCIE_ALLREDUCE_GPUS = 8


def pcie_only(gpu: GpuSpec) -> bool:
    """True where the GPU has no scale-up link to its peers (NVLink, Infinity Fabric; factors.SCALE_UP_LINK_MIN_GB_S):
    PCIe, or no link stated."""
    return (gpu.interconnect_gb_s or 0.0) < SCALE_UP_LINK_MIN_GB_S


def allreduce_latency_us(gpu: GpuSpec, n: int, engine: str, f: Factors) -> float:
    """Latency of one small tensor-parallel all-reduce over n GPUs: the fitted comm_latency_us, or where the
    engine falls back to NCCL on PCIe-only GPUs at least NCCL's measured PCIe latency scaled to the ring's
    size (see NCCL_PCIE_ALLREDUCE_US)."""
    if n <= 1 or engine not in NCCL_ON_PCIE_ENGINES or not pcie_only(gpu):
        return f.comm_latency_us
    ring_share = (n - 1) / (NCCL_PCIE_ALLREDUCE_GPUS - 1)
    return max(f.comm_latency_us, NCCL_PCIE_ALLREDUCE_US * ring_share)
