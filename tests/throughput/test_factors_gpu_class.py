"""The estimator's GPU class follows what its memory is (factors.gpu_class): HBM, GDDR or LPDDR, Apple silicon."""

from __future__ import annotations

from typing import Any

import pytest

from costcalc.api import estimate_throughput
from costcalc.catalog import get_gpu, list_gpus
from costcalc.throughput.factors import SCALE_UP_LINK_MIN_GB_S, gpu_class


def test_every_catalog_gpu_states_its_memory_and_is_classed_by_it() -> None:
    for gpu in list_gpus():
        assert gpu.memory_type is not None, gpu.id
        hbm = gpu.memory_type.startswith("HBM")
        assert gpu_class(gpu) == ("apple" if gpu.vendor == "apple" else "datacenter" if hbm else "workstation"), gpu.id
    # the HBM cards on PCIe are HBM parts, as their SXM modules are (their link decides their layouts, not their class)
    assert {gpu_class(get_gpu(g)) for g in ("h100-pcie-80gb", "h100-nvl-94gb", "a100-pcie-80gb")} == {"datacenter"}
    assert {gpu_class(get_gpu(g)) for g in ("l40s-48gb", "l4-24gb", "a10g-24gb", "dgx-spark-gb10")} == {"workstation"}


def test_a_scale_up_link_stands_for_hbm_as_on_every_catalog_gpu_with_one() -> None:
    # a custom GPU stating neither like nor memory_type is classed by its link: the catalog bears the proxy out
    linked = [g for g in list_gpus() if (g.interconnect_gb_s or 0.0) >= SCALE_UP_LINK_MIN_GB_S]
    assert linked and all(str(g.memory_type).startswith("HBM") for g in linked)


def _h100_twin_on_pcie() -> dict[str, Any]:
    """The catalog H100 SXM's figures, like it, on a 64 GB/s PCIe Gen5 link (qa21b finding 10's card)."""
    h100 = get_gpu("h100-sxm-80gb")
    figures = ("memory_gb", "memory_bandwidth_gb_s", "bf16_tflops", "fp8_tflops", "int8_tops")
    return {"name": "h100-pcie-twin", "like": h100.id, "interconnect_gb_s": 64} | {k: getattr(h100, k) for k in figures}


@pytest.mark.parametrize(
    ("pcie", "sxm", "settings"),
    [
        # on main a link under 200 GB/s put these HBM cards in the class fitted on GDDR cards and DGX Spark (bandwidth
        # factor 1.155): the A100 PCIe (1,935 GB/s) estimated 89.4 output tokens/s against the A100 SXM's 82.8
        # (2,039 GB/s), the H100's twin on PCIe 550 against the H100's 517
        ("a100-pcie-80gb", "a100-sxm-80gb", {"model": "llama-3.1-8b", "concurrency": 1}),
        (_h100_twin_on_pcie(), "h100-sxm-80gb", {"model": "qwen3-32b"}),
        ("h100-pcie-80gb", "h100-sxm-80gb", {"model": "llama-3.1-8b", "concurrency": 1}),
        (_h100_twin_on_pcie(), "h100-sxm-80gb", {"model": "llama-3.3-70b", "precision": "fp8", "gpus": 2}),
    ],
)
def test_a_pcie_card_estimates_no_more_than_its_sxm_module_at_the_same_settings(
    pcie: str | dict[str, Any], sxm: str, settings: dict[str, Any]
) -> None:
    lengths = {"input_tokens": 1000, "output_tokens": 200}
    on_pcie = estimate_throughput(gpu=pcie, **lengths, **settings)
    on_sxm = estimate_throughput(gpu=sxm, **lengths, **settings)
    assert on_pcie.output_tokens_per_s <= on_sxm.output_tokens_per_s
