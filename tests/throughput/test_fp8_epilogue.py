"""vLLM before 0.7.3 dequantises per-channel FP8 GEMM outputs on AMD GPUs in separate fp32 passes."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_model
from costcalc.throughput.fp8_epilogue import (
    UNFUSED_BYTES_PER_OUTPUT,
    unfused_dequant,
    unfused_dequant_bytes_per_token,
)
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s, prefill_s
from costcalc.units import BYTES_PER_GB
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def gpu_mi300x(**over):
    """An MI300X-like GPU (AMD: no CUTLASS in vLLM's ROCm build)."""
    spec = {"id": "test-mi300x", "vendor": "amd", "memory_gb": 192, "memory_bandwidth_gb_s": 5300}
    return gpu_h100(**{**spec, **over})


def test_only_vllm_before_0_7_3_on_amd_with_a_per_channel_checkpoint_dequantises_apart():
    amd = gpu_mi300x()
    assert unfused_dequant(amd, "vllm", "fbgemm_fp8", "0.6.3.dev109")
    assert unfused_dequant(amd, "vllm", "fbgemm_fp8", "0.7.2")
    assert not unfused_dequant(amd, "vllm", "fbgemm_fp8", "0.7.3")  # fused rowwise torch._scaled_mm
    assert not unfused_dequant(amd, "vllm", "fbgemm_fp8", None)  # the current release
    assert not unfused_dequant(amd, "vllm", None, "0.6.3")  # per-tensor scales: the fused path
    assert not unfused_dequant(gpu_h100(), "vllm", "fbgemm_fp8", "0.6.3")  # CUTLASS fuses it on NVIDIA
    assert not unfused_dequant(amd, "sglang", "fbgemm_fp8", "0.6.3")


def test_extra_bytes_are_24_per_output_of_the_quantised_feed_forward_layers():
    assert UNFUSED_BYTES_PER_OUTPUT == 24.0  # fp32 GEMM write 4 + two fp32 multiplies 16 + cast 6, less bf16 2
    m = get_model("llama-3.1-405b")  # intermediate 53248, hidden 16384, 126 layers, first and last bf16
    expected = 24 * (2 * 53248 / 8 + 16384) * (126 - 2)
    assert unfused_dequant_bytes_per_token(m, 8) == pytest.approx(expected, rel=1e-4)


def test_a_decode_step_pays_the_extra_bytes_per_sequence_at_the_achieved_bandwidth():
    f = factors()  # vLLM bandwidth efficiency 0.5
    m = dense_8b()
    amd = gpu_mi300x()
    args = (amd, m, 8, "fp8", "vllm", f)
    old = make_rig(*args, quantization="fbgemm_fp8", engine_version="0.6.3.dev109")
    new = make_rig(*args, quantization="fbgemm_fp8")
    extra_s = unfused_dequant_bytes_per_token(m, 8) / BYTES_PER_GB / (5300 * 0.5)
    for batch in (1, 64, 256):
        grown = decode_step_s(old, batch, 600, "tp") - decode_step_s(new, batch, 600, "tp")
        assert grown == pytest.approx(batch * extra_s, rel=1e-6)
    # a prompt's tokens pass the same GEMMs: its latency and its batched cost both grow
    assert prefill_s(old, 1000, "tp")[1] - prefill_s(new, 1000, "tp")[1] == pytest.approx(
        1000 * extra_s * m.prefill_share, rel=1e-6
    )
    # NVIDIA (CUTLASS scaled_mm) keeps the fused epilogue at the same release
    nvidia = (gpu_h100(), m, 8, "fp8", "vllm", f)
    assert decode_step_s(make_rig(*nvidia, quantization="fbgemm_fp8", engine_version="0.6.3"), 64, 600, "tp") == (
        decode_step_s(make_rig(*nvidia, quantization="fbgemm_fp8"), 64, 600, "tp")
    )


def test_a_served_benchmark_row_runs_the_release_it_states():
    from costcalc.throughput.calibration import estimate_row

    row = {
        "gpu": "mi300x-192gb",
        "gpu_count": "8",
        "model": "llama-3.1-405b",
        "precision": "fp8",
        "engine": "vllm",
        "input_tokens": "215",
        "output_tokens": "123",
        "protocol": "rate",
        "num_prompts": "200",
        "request_rate": "16",
        "dataset": "fixed",
        "metric": "tpot_ms",
        "engine_args": "--enable-chunked-prefill=False --quantization fbgemm_fp8",
    }
    before, _ = estimate_row({**row, "engine_version": "0.7.2"})
    fused, _ = estimate_row({**row, "engine_version": "0.7.3"})
    assert before is not None and fused is not None
    assert before > fused  # the same V0 scheduler; only the dequantisation passes differ


def test_the_estimate_runs_the_release_it_is_given():
    """estimate() takes the engine release as the serving simulation's replica does (make_rig's engine_version):
    vLLM 0.6.3 on AMD pays the unfused dequantisation, 0.7.3 and the current release do not."""
    from costcalc.throughput.estimate import estimate

    kw = {"gpu_count": 8, "precision": "fp8", "engine": "vllm", "input_tokens": 200, "output_tokens": 200}
    # at one layout: the releases' full loads differ (V0's 256 sequences), and so may the layout serving more there
    kw |= {"concurrency": 64, "factors": factors(), "quantization": "fbgemm_fp8", "parallelism": "tp"}
    amd, m = gpu_mi300x(), dense_8b()
    today = estimate(amd, m, **kw)
    assert estimate(amd, m, engine_version="0.6.3.dev109", **kw).tpot_ms > today.tpot_ms
    assert estimate(amd, m, engine_version="0.7.3", **kw) == today
