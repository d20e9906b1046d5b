"""A GPU's compute is its datasheet peak scaled by its measured matmul share relative to the H100 SXM's."""

from __future__ import annotations

import pytest

from costcalc.throughput.matmul import matmul_share_vs_reference
from costcalc.throughput.timing import make_rig
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
    assert matmul_share_vs_reference(gpu_h100(id="rtx-4090-24gb"), fp8_math=True) == 1.0  # not measured


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
