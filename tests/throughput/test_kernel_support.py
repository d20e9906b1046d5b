"""Engine builds without a kernel for a format on a GPU generation are refused with the source's words."""

from __future__ import annotations

from costcalc.throughput.estimate import estimate
from costcalc.throughput.kernel_support import MISSING_KERNELS, missing_kernel
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def gpu_a100():
    """An A100-SXM-like GPU: bf16 tensor cores only."""
    return gpu_h100(id="test-a100", memory_bandwidth_gb_s=2039, bf16_tflops=312, fp8_tflops=None, int8_tops=624)


def test_trtllm_refuses_mxfp4_without_fp8_tensor_cores_and_says_why():
    why = missing_kernel(gpu_a100(), "trtllm", "mxfp4")
    assert why is not None
    assert "WFP4A16 MoE is unsupported on SM80" in why and "use vllm or sglang" in why
    assert MISSING_KERNELS[0].source in why
    # Hopper ran the same build (GPUStack's H100 rows); other engines and formats are not affected
    assert missing_kernel(gpu_h100(), "trtllm", "mxfp4") is None
    assert missing_kernel(gpu_a100(), "vllm", "mxfp4") is None
    assert missing_kernel(gpu_a100(), "trtllm", "bf16") is None


def test_estimate_reports_the_refusal_instead_of_a_number():
    kw = {"input_tokens": 200, "output_tokens": 200, "factors": factors()}
    refused = estimate(gpu_a100(), dense_8b(), precision="mxfp4", engine="trtllm", **kw)
    assert not refused.fits and refused.output_tokens_per_s == 0.0
    assert refused.reason is not None and "no mxfp4 kernel" in refused.reason
    assert estimate(gpu_a100(), dense_8b(), precision="mxfp4", engine="vllm", **kw).fits
    assert estimate(gpu_h100(), dense_8b(), precision="mxfp4", engine="trtllm", **kw).fits
