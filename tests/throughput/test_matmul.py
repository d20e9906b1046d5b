"""A GPU's compute is its datasheet peak scaled by its measured matmul share relative to the H100 SXM's."""

from __future__ import annotations

import pytest

from costcalc.throughput.matmul import matmul_share_vs_reference
from costcalc.throughput.rig import make_rig
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100

H100_BF16_SHARE = 794.5 / 989.0  # stas00/ml-engineering MAMF table @744d01e: H100 SXM bf16
H100_FP8_SHARE = 1402.6 / 1979.0


def test_measured_shares_relative_to_the_h100_by_the_math_dtype():
    mi300x = gpu_h100(id="mi300x-192gb", vendor="amd")
    a100 = gpu_h100(id="a100-sxm-80gb", fp8_tflops=None)
    h200 = gpu_h100(id="h200-sxm-141gb")
    assert matmul_share_vs_reference(mi300x, fp8_math=False) == pytest.approx((781.9 / 1300) / H100_BF16_SHARE)
    # MI300X has no FP8 cell: its bf16 ratio stands for the same matrix units
    assert matmul_share_vs_reference(mi300x, fp8_math=True) == pytest.approx((781.9 / 1300) / H100_BF16_SHARE)
    assert matmul_share_vs_reference(a100, fp8_math=False) == pytest.approx((271.2 / 312) / H100_BF16_SHARE)
    assert matmul_share_vs_reference(h200, fp8_math=False) == pytest.approx(1.0)  # "H200 is the same"
    assert matmul_share_vs_reference(h200, fp8_math=True) == pytest.approx((1453.4 / 1979) / H100_FP8_SHARE)
    assert matmul_share_vs_reference(gpu_h100(id="rtx-pro-6000-96gb"), fp8_math=True) == 1.0  # not measured


def test_rig_compute_and_attention_scale_by_the_share_and_unmeasured_gpus_do_not_move():
    f = factors()
    model = dense_8b()
    reference = make_rig(gpu_h100(id="h100-sxm-80gb"), model, 1, "bf16", "vllm", f)
    unmeasured = make_rig(gpu_h100(), model, 1, "bf16", "vllm", f)
    assert reference.flops == pytest.approx(989e12 * 0.5)
    assert unmeasured.flops == pytest.approx(989e12 * 0.5)
    amd = make_rig(gpu_h100(id="mi300x-192gb", vendor="amd"), model, 1, "fp8", "vllm", f)
    ratio = (781.9 / 1300) / H100_BF16_SHARE
    assert amd.flops == pytest.approx(1979e12 * 0.5 * ratio)
    assert amd.attention_flops == pytest.approx(989e12 * 0.5 * ratio)  # bf16 KV: attention at the bf16 rate
    h200 = make_rig(gpu_h100(id="h200-sxm-141gb"), model, 1, "fp8", "vllm", f)
    assert h200.flops == pytest.approx(1979e12 * 0.5 * (1453.4 / 1979) / H100_FP8_SHARE)
    assert h200.attention_flops == pytest.approx(989e12 * 0.5)


BEST_SHAPE_H100_SHARE = 821.2 / 989.0  # mag-/gpu_benchmark README @93322b7: H100 SXM 80GB bf16, best shape


def test_geforce_cards_run_bf16_above_their_fp32_accumulate_sheet():
    # best-shape torch.matmul bf16 over NVIDIA's FP32-accumulate sheet, relative to the same table's H100
    for gpu_id, measured, sheet in (("rtx-3090-24gb", 78.0, 71.2), ("rtx-4090-24gb", 178.8, 165.2)):
        share = matmul_share_vs_reference(gpu_h100(id=gpu_id, bf16_tflops=sheet), fp8_math=False)
        assert share == pytest.approx((measured / sheet) / BEST_SHAPE_H100_SHARE)
        assert 1.25 < share < 1.35  # ~108% of the sheet against the H100's 83%
    # a share of the FP32-accumulate sheet says nothing about a row without it (the 5090: fp4 / 4)
    assert matmul_share_vs_reference(gpu_h100(id="rtx-3090-24gb", bf16_tflops=None), fp8_math=False) == 1.0


def test_geforce_prefill_runs_at_the_measured_share_of_the_fp32_accumulate_rate():
    from costcalc.catalog import get_gpu
    from costcalc.throughput.tensor_tflops import bf16_tflops

    f = factors()
    gpu = get_gpu("rtx-3090-24gb")
    assert bf16_tflops(gpu) == 71.2  # the catalog's own cell, not the bandwidth x 30 guess (28.1)
    rig = make_rig(gpu, dense_8b(), 1, "bf16", "vllm", f)
    assert rig.flops == pytest.approx(71.2e12 * 0.5 * (78.0 / 71.2) / BEST_SHAPE_H100_SHARE)
