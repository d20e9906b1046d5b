"""llama.cpp's MMVQ kernels: a decode step of 2-8 sequences on quantised weights costs more per sequence (llama.cpp#15802)."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.factors import load_factors
from costcalc.throughput.mmvq import MMVQ_MAX_BATCH, mmvq_extra_s, runs_mmvq
from costcalc.throughput.rig import make_rig
from costcalc.throughput.timing import decode_step_s

# llama.cpp#15802, RTX 3090, llama 8B Q4_0, llama-bench pp512 at micro-batch 1 and 4 (master): tokens/s
RATE_1, RATE_4 = 155.02, 468.95


def _steps_ms(gpu: str, model: str, precision: str, engine: str = "llamacpp") -> list[float]:
    rig = make_rig(get_gpu(gpu), get_model(model), 1, precision, engine, load_factors())
    return [decode_step_s(rig, b, 256, "single") * 1e3 for b in range(1, MMVQ_MAX_BATCH + 2)]


def test_the_source_gpu_and_model_add_the_measured_time_of_four_columns():
    steps = _steps_ms("rtx-3090-24gb", "llama-3.1-8b", "q4_0")
    measured_extra_ms = (4 / RATE_4 - 1 / RATE_1) * 1e3  # 2.08 ms
    # the step's own growth with the batch (KV reads, host time per sequence) comes on top
    assert steps[3] - steps[0] == pytest.approx(measured_extra_ms, rel=0.1)


def test_batched_steps_grow_up_to_eight_sequences_then_mmq_takes_over():
    steps = _steps_ms("l4-24gb", "qwen2.5-7b", "q4_k_m")
    assert all(later > earlier for earlier, later in zip(steps[:MMVQ_MAX_BATCH], steps[1:MMVQ_MAX_BATCH]))
    assert steps[3] / steps[0] > 1.1  # four sequences: more than a tenth slower than one
    assert steps[MMVQ_MAX_BATCH] < steps[MMVQ_MAX_BATCH - 1]  # nine: not MMVQ


def test_scales_with_the_gpus_sms_times_clock_and_the_weights():
    l4, rtx = get_gpu("l4-24gb"), get_gpu("rtx-3090-24gb")
    assert mmvq_extra_s(l4, 7e9, 4) / mmvq_extra_s(rtx, 7e9, 4) == pytest.approx((82 * 1695) / (60 * 2040))
    assert mmvq_extra_s(rtx, 14e9, 4) == pytest.approx(2 * mmvq_extra_s(rtx, 7e9, 4))
    assert mmvq_extra_s(rtx, 7e9, 1) == 0.0
    assert mmvq_extra_s(rtx, 7e9, 9) == 0.0
    # a simulation's mean batch lies between the whole ones
    assert mmvq_extra_s(rtx, 7e9, 3) < mmvq_extra_s(rtx, 7e9, 3.5) < mmvq_extra_s(rtx, 7e9, 4)


def test_only_llamacpp_on_nvidia_with_quantised_weights():
    rtx = get_gpu("rtx-3090-24gb")
    assert runs_mmvq(rtx, "q4_k_m", "llamacpp")
    assert not runs_mmvq(rtx, "bf16", "llamacpp")  # 16-bit weights: cuBLAS / mul_mat_vec
    assert not runs_mmvq(rtx, "q4_k_m", "vllm")
    assert not runs_mmvq(get_gpu("l40s-48gb"), "q4_k_m", "llamacpp")  # no SM count in the catalog
    flat = _steps_ms("rtx-3090-24gb", "llama-3.1-8b", "q4_0", engine="vllm")
    assert flat[3] / flat[0] < 1.05
