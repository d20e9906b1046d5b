"""Invariants the shipped catalogs must hold; each can fail on a mistyped cell."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, list_gpus, list_models
from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput.tensor_tflops import bf16_tflops

MODELS = list_models()
GPUS = list_gpus()


def _ids(rows: tuple[GpuSpec, ...] | tuple[ModelSpec, ...]) -> list[str]:
    return [r.id for r in rows]


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_model_architecture_is_self_consistent(model: ModelSpec) -> None:
    assert model.active_params_b <= model.total_params_b
    assert model.attention_heads % model.kv_heads == 0, "kv_heads must divide attention_heads"
    # Query width is usually hidden_size; some models (Qwen3, gpt-oss, Gemma, GLM-4.5) widen or
    # narrow it, but a ratio outside 1/4..4 means a mistyped cell.
    # MLA models (DeepSeek) project queries through a latent; their head_dim is not tied to hidden.
    if model.kv_lora_rank is None:
        q_width = model.head_dim * model.attention_heads
        assert 0.25 <= q_width / model.hidden_size <= 4.0
    if model.experts is None:
        assert model.experts_per_token is None
        assert model.active_params_b == model.total_params_b
    else:
        assert model.experts_per_token is not None
        assert model.experts_per_token <= model.experts
        assert model.active_params_b < model.total_params_b
    if model.sliding_window_layers is not None:
        assert model.sliding_window_tokens is not None
        assert model.sliding_window_layers <= model.layers
    if model.kv_lora_rank is not None:
        assert model.qk_rope_head_dim is not None
    if model.release_date is not None:
        assert model.release_date <= model.as_of


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_model_rows_cite_their_hugging_face_source(model: ModelSpec) -> None:
    assert model.source.startswith("https://")
    assert "/" in model.hf_repo
    assert model.as_of.year >= 2023


@pytest.mark.parametrize("gpu", GPUS, ids=_ids(GPUS))
def test_gpu_rows_are_sourced_and_plausible(gpu: GpuSpec) -> None:
    assert "http" in gpu.source
    assert gpu.vendor in {"nvidia", "amd", "apple"}
    # Lower precision is never slower than higher precision on the same chip.
    rates = [r for r in (gpu.bf16_tflops, gpu.fp8_tflops, gpu.fp4_tflops) if r is not None]
    assert rates == sorted(rates)
    if gpu.idle_w is not None:
        assert gpu.tdp_w is not None and gpu.idle_w < gpu.tdp_w
    # Decimal GB: every shipped part has between 8 GB and 1 TB of memory, 100 GB/s to 10 TB/s.
    assert 8 <= gpu.memory_gb <= 1000
    assert 100 <= gpu.memory_bandwidth_gb_s <= 10_000


def test_the_rtx_3090_prefills_at_nvidias_tensor_rate_not_the_bandwidth_guess() -> None:
    # Its row had no tensor rate, so the estimator took memory bandwidth x 30 FLOP/byte (28.1 TFLOPS); NVIDIA's RTX
    # Blackwell whitepaper's Table 3 gives the 3090 71.2 dense BF16 TFLOPS with FP32 accumulate (vLLM's GEMMs)
    gpu = get_gpu("rtx-3090-24gb")
    assert gpu.bf16_tflops is not None and bf16_tflops(gpu) == gpu.bf16_tflops
    assert gpu.bf16_tflops > 2 * gpu.memory_bandwidth_gb_s * 30 / 1000


def test_h200_is_faster_memory_than_h100_sxm_with_the_same_compute() -> None:
    h100, h200 = get_gpu("h100-sxm-80gb"), get_gpu("h200-sxm-141gb")
    assert h200.memory_bandwidth_gb_s > h100.memory_bandwidth_gb_s
    assert h200.memory_gb > h100.memory_gb
    assert h200.bf16_tflops == h100.bf16_tflops


def test_sxm_parts_outrun_their_pcie_siblings() -> None:
    sxm, pcie = get_gpu("h100-sxm-80gb"), get_gpu("h100-pcie-80gb")
    assert sxm.memory_bandwidth_gb_s > pcie.memory_bandwidth_gb_s
    assert (sxm.interconnect_gb_s or 0) > (pcie.interconnect_gb_s or 0)


def test_the_mi355x_has_its_infinity_fabric_link_figure() -> None:
    """An OAM/SXM module without its link figure is costed as a PCIe card: tensor parallel over PCIe, workstation
    factors (polish18 found a 2-GPU MI355X replica serving less than a 1-GPU one for it). AMD's CDNA 4 white paper:
    7 peer links x 76.8 GB/s per direction = 537.6 (the MI300X's 448 by the same rule, 7 x 64)."""
    from costcalc.throughput.factors import gpu_class

    mi355x, mi300x = get_gpu("mi355x-288gb"), get_gpu("mi300x-192gb")
    assert mi355x.interconnect_gb_s == pytest.approx(7 * 76.8)
    assert mi300x.interconnect_gb_s == pytest.approx(7 * 64)
    assert gpu_class(mi355x) == gpu_class(mi300x) == "datacenter"


def test_memory_size_in_the_id_matches_the_row() -> None:
    for gpu in GPUS:
        tail = gpu.id.rsplit("-", 1)[-1]
        if tail.endswith("gb") and tail[:-2].isdigit():
            assert int(tail[:-2]) == round(gpu.memory_gb), gpu.id
