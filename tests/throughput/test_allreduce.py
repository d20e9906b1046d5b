"""All-reduce latency on PCIe-only GPUs: vLLM and SGLang fall back to NCCL there, at its measured PCIe latency."""

from __future__ import annotations

import pytest

from costcalc.throughput.allreduce import NCCL_PCIE_ALLREDUCE_US, allreduce_latency_us, pcie_only
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def gpu_pcie(**over):
    """An RTX 4090-like card: its only link to its peers is PCIe 4.0 x16."""
    spec = {
        "id": "test-pcie",
        "name": "PCIe card",
        "memory_gb": 24,
        "memory_bandwidth_gb_s": 1008,
        "interconnect_gb_s": 32,
    }
    return gpu_h100(**{**spec, **over})


def test_pcie_only_is_a_link_slower_than_a_scale_up_link():
    assert pcie_only(gpu_pcie())
    assert pcie_only(gpu_h100(interconnect_gb_s=64))  # PCIe 5.0 x16
    assert pcie_only(gpu_h100(interconnect_gb_s=None))  # no link stated: nothing faster than PCIe is known
    assert not pcie_only(gpu_h100())  # NVLink 450 GB/s


def test_eight_pcie_gpus_pay_the_measured_nccl_latency_and_nvlink_keeps_the_fitted_one():
    f = factors()  # comm_latency_us 10
    assert allreduce_latency_us(gpu_pcie(), 8, "vllm", f) == pytest.approx(NCCL_PCIE_ALLREDUCE_US)
    assert allreduce_latency_us(gpu_pcie(), 8, "sglang", f) == pytest.approx(NCCL_PCIE_ALLREDUCE_US)
    assert allreduce_latency_us(gpu_h100(), 8, "vllm", f) == 10.0
    # a ring of 4 pays 3/7 of the 8-GPU figure; of 2, 1/7 (6.0 us), which the fitted 10 us exceeds
    assert allreduce_latency_us(gpu_pcie(), 4, "vllm", f) == pytest.approx(NCCL_PCIE_ALLREDUCE_US * 3 / 7)
    assert allreduce_latency_us(gpu_pcie(), 2, "vllm", f) == 10.0
    # engines whose all-reduce on PCIe was not read keep the fitted latency
    assert allreduce_latency_us(gpu_pcie(), 8, "trtllm", f) == 10.0
    assert make_rig(gpu_pcie(), dense_8b(), 8, "bf16", "vllm", f).comm_latency_s == pytest.approx(
        NCCL_PCIE_ALLREDUCE_US / 1e6
    )


def test_a_single_stream_decode_step_on_eight_pcie_gpus_grows_by_two_all_reduces_per_layer():
    m, f = dense_8b(), factors()
    # the same card with a link just below and at the scale-up speed (factors.SCALE_UP_LINK_MIN_GB_S):
    # only the all-reduce latency differs (the few-KB payload's transfer time moves by under 1%)
    pcie = make_rig(gpu_pcie(interconnect_gb_s=199), m, 8, "bf16", "vllm", f)
    linked = make_rig(gpu_pcie(interconnect_gb_s=200), m, 8, "bf16", "vllm", f)
    extra_s = m.layers * 2 * (NCCL_PCIE_ALLREDUCE_US - 10.0) / 1e6
    step = decode_step_s(pcie, 1, 600, "tp") - decode_step_s(linked, 1, 600, "tp")
    assert step == pytest.approx(extra_s, rel=0.01)
