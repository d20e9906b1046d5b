"""Block-scaled FP8 checkpoints: their GEMMs run at the bf16 rate where the GPU lacks block-scaled MMA."""

from __future__ import annotations

import csv

import pytest

from costcalc.throughput.calibration import CALIBRATION_CSV, estimate_row
from costcalc.throughput.estimate import estimate
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.server_args import ServerArgs, parse_server_args
from costcalc.throughput.tensor_tflops import BLOCK_SCALED_FP8
from costcalc.throughput.timing import prefill_s
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def gpu_b200(**over):
    """A B200-like GPU: FP4 tensor cores, so block-scaled MMA in hardware."""
    return gpu_h100(id="test-b200", name="B200-like", bf16_tflops=2250, fp8_tflops=4500, fp4_tflops=9000, **over)


def test_the_rig_and_a_long_prefill_slow_by_the_bf16_over_fp8_rate_on_hopper_only():
    m, f = dense_8b(), factors()
    per_tensor = make_rig(gpu_h100(), m, 1, "fp8", "trtllm", f)
    block = make_rig(gpu_h100(), m, 1, "fp8", "trtllm", f, quantization=BLOCK_SCALED_FP8)
    # the H100-like test GPU has no MAMF entry, so the ratio is the datasheet's 1979 / 989
    assert per_tensor.flops / block.flops == pytest.approx(1979 / 989)
    assert block.bw_gb_s == per_tensor.bw_gb_s  # the weights are still read as 8-bit
    assert prefill_s(block, 8000, "single")[1] > 1.5 * prefill_s(per_tensor, 8000, "single")[1]
    b200 = gpu_b200()
    assert make_rig(b200, m, 1, "fp8", "trtllm", f, quantization=BLOCK_SCALED_FP8).flops == pytest.approx(
        make_rig(b200, m, 1, "fp8", "trtllm", f).flops
    )


def test_estimate_of_a_prompt_heavy_load_falls_with_block_scales_on_hopper():
    m, f, g = dense_8b(), factors(), gpu_h100()
    shape = {"precision": "fp8", "engine": "trtllm", "input_tokens": 4000, "output_tokens": 100, "factors": f}
    per_tensor = estimate(g, m, **shape)
    block = estimate(g, m, quantization=BLOCK_SCALED_FP8, **shape)
    assert block.output_tokens_per_s < 0.8 * per_tensor.output_tokens_per_s
    assert block.max_concurrency == per_tensor.max_concurrency  # memory is unchanged


@pytest.mark.parametrize("engine", ["trtllm", "sglang", "vllm"])
def test_quantization_is_read_for_every_engine(engine):
    args = parse_server_args(engine, "--kv-cache-dtype bfloat16 --quantization fp8_block_scales")
    assert args.quantization == BLOCK_SCALED_FP8
    assert args.kv_cache_dtype == "bfloat16"
    assert parse_server_args(engine, "--kv-cache-dtype bfloat16").quantization is None
    with pytest.raises(ValueError, match="--quantization needs a method name"):
        parse_server_args(engine, "--quantization --kv-cache-dtype bfloat16")


def test_non_vllm_rows_still_ignore_vllm_scheduler_flags():
    args = parse_server_args("sglang", "--max-num-seqs 8 --quantization=FP8_BLOCK_SCALES")
    assert args == ServerArgs(quantization=BLOCK_SCALED_FP8)


def test_a_calibration_row_states_the_method_in_engine_args_and_both_paths_read_it():
    from tests.throughput.test_calibration import LOOKUP, row

    f = factors()
    shape = {"precision": "fp8", "engine": "trtllm", "input_tokens": "4000", "output_tokens": "100"}
    # the in-process path (estimate) and a served burst (the simulation) both slow down
    for protocol in ({"protocol": "in_process"}, {"protocol": "burst", "num_prompts": "50"}):
        plain = estimate_row(row(**shape, **protocol), f, LOOKUP)[0]
        block = estimate_row(row(**shape, **protocol, engine_args="--quantization fp8_block_scales"), f, LOOKUP)[0]
        assert plain is not None and block is not None
        assert block < 0.8 * plain, protocol


def test_shipped_deepseek_fp8_rows_of_trtllm_and_sglang_state_block_scales():
    # DeepSeek-V3/R1/V3.2 publish only block-scaled FP8 weights (their config.json: weight_block_size [128, 128])
    rows = [
        r
        for r in csv.DictReader(CALIBRATION_CSV.open(encoding="utf-8", newline=""))
        if r["engine"] in {"trtllm", "sglang"} and r["precision"] == "fp8" and r["model"].startswith("deepseek-")
    ]
    assert len(rows) >= 16
    assert all(parse_server_args(r["engine"], r["engine_args"]).quantization == BLOCK_SCALED_FP8 for r in rows)


def test_the_catalog_names_the_block_scaled_fp8_checkpoints_with_their_source():
    """DeepSeek-V3 / R1's own FP8 weights: config.json's quantization_config weight_block_size [128, 128]."""
    from costcalc.catalog import get_model, list_models

    for model in ("deepseek-v3", "deepseek-r1"):
        spec = get_model(model)
        assert spec.native_precision == "fp8" and spec.fp8_weight_block_size == "128x128"
        assert "weight_block_size [128, 128]" in (spec.notes or "")
    # a bf16 model's FP8 checkpoints are others' (Qwen's -FP8 or a per-tensor ModelOpt one): not the catalog's to say
    assert all(m.fp8_weight_block_size is None for m in list_models() if m.native_precision != "fp8")


@pytest.mark.parametrize("engine", ["vllm", "sglang", "trtllm"])
def test_a_block_scaled_checkpoint_runs_block_scaled_unless_another_method_is_stated(engine):
    """`costcalc estimate --model deepseek-r1 --precision fp8` on Hopper: the rate of --quantization fp8_block_scales
    without the flag (every engine loads the checkpoint's block scales unasked); a stated method stays the method."""
    from costcalc.catalog import get_gpu, get_model

    g, m = get_gpu("h200-sxm-141gb"), get_model("deepseek-r1")
    shape = {"gpu_count": 8, "precision": "fp8", "engine": engine, "input_tokens": 4000, "output_tokens": 200}
    unasked = estimate(g, m, **shape)
    block = estimate(g, m, server_args=parse_server_args(engine, "--quantization fp8_block_scales"), **shape)
    per_tensor = estimate(g, m, server_args=parse_server_args(engine, "--quantization fp8"), **shape)
    assert unasked == block
    assert per_tensor.output_tokens_per_s > 1.05 * unasked.output_tokens_per_s
    assert estimate(g, m, **{**shape, "precision": "bf16"}) != block  # only the FP8 checkpoint is block-scaled


def test_the_simulated_replica_runs_the_block_scaled_rate_too():
    """The serving simulation's rig reads the checkpoint's method as estimate() does: its step times equal those of
    a replica whose flags state fp8_block_scales."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.serving.replica import build_replica

    g, m = get_gpu("h200-sxm-141gb"), get_model("deepseek-r1")
    shape = {
        "gpu_count": 8,
        "precision": "fp8",
        "engine": "vllm",
        "input_tokens": 2000,
        "output_tokens": 200,
        "max_prompt_tokens": 2000,
        "max_context_tokens": 2200,
    }
    unasked = build_replica(g, m, **shape)
    stated = build_replica(g, m, server_args=parse_server_args("vllm", "--quantization fp8_block_scales"), **shape)
    assert unasked.steps is not None and unasked.steps == stated.steps
