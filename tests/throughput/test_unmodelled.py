"""The unmodelled runs: their shipped scores, and the warning an estimate of their architecture carries."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.bands import widened_range
from costcalc.catalog import get_model
from costcalc.cli import app
from costcalc.throughput.band_basis import class_basis
from costcalc.throughput.calibration import CALIBRATION_CSV, read_cases
from costcalc.throughput.unmodelled import gap_for, gap_warning, load_gaps, read_unmodelled, row_covers, score_gaps


def test_shipped_scores_equal_a_scoring_with_the_shipped_factors():
    """A refit that moves the factors must rescore the unmodelled runs (calibrate_estimator.py does)."""
    assert load_gaps() == score_gaps(read_unmodelled())


def test_unmodelled_runs_are_not_in_the_fitted_set():
    """An architecture gap's sources are out of the fit entirely; an engine-and-load gap's pages keep their other
    engines' runs in it (vLLM's runs of the same prompts are modelled), never the moved rows themselves."""
    _, fitted = read_cases(CALIBRATION_CSV)
    unmodelled = read_unmodelled()
    assert unmodelled
    assert not {r["case_id"] for r in fitted} & {r["case_id"] for r in unmodelled}
    by_architecture = [r for r in unmodelled if row_covers(r) == "architecture"]
    assert not {r["source_url"] for r in fitted} & {r["source_url"] for r in by_architecture}
    assert all(r["source_url"].startswith("https://") and r["source_date"] for r in unmodelled)


def test_a_gap_covers_value_is_checked():
    with pytest.raises(ValueError, match="gap_covers must be one of architecture, engine_load"):
        row_covers({"case_id": "tp-1", "gap_covers": "engine"})


def test_the_warning_quotes_the_scored_range_for_the_model_and_its_architecture():
    (gap,) = [g for g in load_gaps() if g.model == "deepseek-r1"]
    assert gap.low < gap.median < gap.high < 1  # the estimator is optimistic for these runs
    for model in ("deepseek-r1", "deepseek-v3"):
        for engine, scenario in (("vllm", "offline"), ("sglang", "server"), ("trtllm", "single")):
            text = gap_warning(get_model(model), engine, scenario)
            assert text is not None and text.startswith(f"{model}: ")
            assert f"{gap.low:.2f}x to {gap.high:.2f}x" in text and "measure before budgeting" in text
    assert "deepseek-v3's architecture" in (gap_warning(get_model("deepseek-v3"), "vllm", "offline") or "")
    # other architectures: no warning (another DeepSeek generation included)
    for model in ("llama-3.1-8b", "gpt-oss-120b", "deepseek-v4-flash"):
        assert gap_warning(get_model(model), "vllm", "offline") is None


def test_estimate_warns_on_stderr_and_keeps_its_output():
    args = ["estimate", "--gpu", "h200-sxm-141gb", "--gpus", "8", "--input-tokens", "3200", "--output-tokens", "800"]
    runner = CliRunner()
    warned = runner.invoke(app, [*args, "--model", "deepseek-v3", "-f", "json"])
    assert warned.exit_code == 0
    assert "warning: deepseek-v3: published runs of deepseek-r1" in warned.stderr
    assert json.loads(warned.stdout)["model"] == "deepseek-v3"
    quiet = runner.invoke(app, [*args, "--model", "llama-3.1-70b", "-f", "json"])
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr


SCENARIO = """
version: 1
name: DeepSeek on rented H200s
horizon_months: 12
workload:
  requests_per_day: 200000
  input_tokens: 3200
  output_tokens: 800
options:
  - name: API
    kind: api
    model: openai/gpt-6-luna
  - name: DeepSeek on 8 H200s
    kind: self_hosted
    model: {model}
    precision: fp8
    hardware:
      offer: aws/p5en.48xlarge/on-demand/us-east-1
      gpus_per_replica: 8
      acquisition: rent
"""


@pytest.mark.parametrize(("model", "warned"), [("deepseek-r1", True), ("llama-3.1-70b", False)])
def test_a_report_on_the_architecture_carries_the_warning(tmp_path: Path, model: str, warned: bool) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(model=model), encoding="utf-8")
    run = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05", "-f", "json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.stdout)
    assert any("published runs of deepseek-r1" in w for w in doc["warnings"]) is warned
    # the cost range spans the shipped runs' range where they reach past the band (costcalc/bands.py)
    t = next(o for o in doc["options"] if o["kind"] == "self_hosted")["throughput"]
    basis = class_basis("vllm", "offline", t["error_band"])  # no SLO: the full load's band, its basis with the range
    shipped = widened_range(t["error_band"], gap_for(get_model(model), "vllm", "server"), basis)
    assert shipped is not None
    said, expected = dict(t["actual_range"]), asdict(shipped)
    assert said.pop("band_basis") == expected.pop("band_basis")
    assert said == pytest.approx(expected)
    assert (t["actual_range"]["published_model"] == "deepseek-r1") is warned


def test_every_run_of_meta_fp8_checkpoint_on_gfx942_is_out_of_the_fit_and_kept_to_that_hardware():
    """dstack's README (comparison/h100sxm5_vs_mi300x @85a2fe1, conclusion 3) says Meta's FP8 checkpoint of Llama 3.1
    405B is not optimized for MI300X: every run of that checkpoint (vLLM loads it as fbgemm_fp8) on a gfx942 GPU is
    unmodelled, chosen by that, and its gap covers only that model, engine, architecture and precision; the same
    checkpoint's H100 runs stay fitted."""
    from costcalc.catalog import get_gpu
    from costcalc.throughput.architecture import gpu_architecture

    def meta_fp8(row: dict[str, str]) -> bool:
        return "fbgemm_fp8" in row["engine_args"] or "meta-llama/Llama-3.1-405B-FP8" in row["notes"]

    _, fitted = read_cases(CALIBRATION_CSV)
    on_gfx942 = [r for r in fitted if gpu_architecture(get_gpu(r["gpu"])) == "gfx942"]
    assert not [r["case_id"] for r in on_gfx942 if meta_fp8(r)]
    moved = [r for r in read_unmodelled() if meta_fp8(r) and gpu_architecture(get_gpu(r["gpu"])) == "gfx942"]
    assert len(moved) == 9 and all(
        row_covers(r) == "engine_gpu" and "not at all optimized" in r["gap_reason"] for r in moved
    )
    assert [r["case_id"] for r in fitted if meta_fp8(r) and r["gpu"] == "h100-sxm-80gb"]  # modelled on H100
    (gap,) = [g for g in load_gaps() if g.covers == "engine_gpu"]
    assert (gap.model, gap.engines, gap.architectures, gap.precisions) == (
        "llama-3.1-405b",
        ("vllm",),
        ("gfx942",),
        ("fp8",),
    )
