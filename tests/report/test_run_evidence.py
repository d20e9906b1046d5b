"""Where the published runs of an option's own GPU, engine and model disagree with the range it is costed with, the
default report says so (report/run_evidence.beyond_range): internal-assistant's Qwen3 32B on rented H100s read
'actual 0.75x to 1.33x the estimate' while all 5 runs of qwen3-32b with vllm on h100-sxm-80gb measured 0.46x-0.80x of
their held-out estimates, said only under --details. The rule is architecture_bias.py's: the runs' median outside the
range, and the sign test says their side of 1 is not chance (5 of 5, 9 of 10)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.analysis.published_runs import nearest_runs
from costcalc.bands import ActualRange
from costcalc.cli import app
from costcalc.report.estimate_words import runs_cost_words
from costcalc.report.money_words import money
from costcalc.report.nearest_runs import NearestRuns
from costcalc.report.run_evidence import beyond_range, beyond_words, runs_said
from tests.analysis.test_published_runs import config, run
from tests.support.html_text import unwrapped

ROOT = Path(__file__).resolve().parents[2]
BAND = ActualRange(0.75, 1.33, "held_out_band")
QWEN = "Qwen3 32B on rented H100s (scale with the day)"


def found(*factors: float, gpu: str = "l40s-48gb") -> NearestRuns:
    """The runs nearest qwen3-8b with vllm on an L40S, one hand-made run of `gpu` per factor."""
    return nearest_runs(
        config(), [run(f"r{i}", gpu, "qwen3-8b", actual_over_estimate=f) for i, f in enumerate(factors)]
    )


def test_runs_of_the_configuration_all_below_its_range_are_said() -> None:
    runs = found(0.5, 0.6, 0.65, 0.7, 0.8)
    assert beyond_range(runs, BAND) == "below"
    assert beyond_words(runs, BAND) == (
        "5 of 5 published runs of qwen3-8b with vllm on l40s-48gb measured below their held-out estimates"
        " (median 0.65x, 0.50x-0.80x)"
    )
    assert runs_said(runs, BAND) == beyond_words(runs, BAND)  # estimate's and recommend's line says it instead
    above = found(1.4, 1.5, 1.35, 1.6, 1.2, 1.5, 1.45, 1.38, 1.7, 0.9)
    assert beyond_range(above, BAND) == "above"
    assert beyond_words(above, BAND).startswith(
        "9 of 10 published runs of qwen3-8b with vllm on l40s-48gb measured above"
    )


@pytest.mark.parametrize(
    ("factors", "gpu"),
    [
        ((0.5, 0.6, 0.65, 0.7), "l40s-48gb"),  # 4 of 4: chance puts them there 1 time in 16
        ((0.5, 0.6, 0.76, 0.8, 0.9), "l40s-48gb"),  # all below 1, but the median inside the range
        ((0.5, 0.6, 0.65, 0.7, 1.1, 0.55), "l40s-48gb"),  # median outside, 5 of 6 below: 7 times in 64
        ((0.5, 0.6, 0.65, 0.7, 0.8), "h100-sxm-80gb"),  # runs of the model on another GPU: not its configuration
    ],
)
def test_runs_that_do_not_disagree_are_not_said(factors: tuple[float, ...], gpu: str) -> None:
    runs = found(*factors, gpu=gpu)
    assert beyond_range(runs, BAND) is None and beyond_words(runs, BAND) == ""
    assert runs_said(runs, BAND) == runs.summary


def test_a_report_before_1_14_or_a_figure_without_a_range_says_nothing_more() -> None:
    runs = found(0.5, 0.6, 0.65, 0.7, 0.8)
    old = runs.model_copy(update={"levels": tuple(lv.model_copy(update={"median": None}) for lv in runs.levels)})
    assert beyond_range(old, BAND) is None and beyond_range(runs, None) is None and beyond_range(None, BAND) is None


def _report(fmt: str, columns: int = 120, extra: list[str] | None = None) -> str:
    result = CliRunner().invoke(
        app,
        ["report", str(ROOT / "examples/internal-assistant.yaml"), "--today", "2026-11-26", "-f", fmt, *(extra or [])],
        env={"COLUMNS": str(columns)},
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_default_report_says_where_the_runs_of_its_configuration_lie_below_its_band_in_every_format() -> None:
    doc = json.loads(_report("json"))
    qwen = next(o for o in doc["options"] if o["name"] == QWEN)["throughput"]
    level = qwen["published_runs"]["levels"][0]
    assert level["match"] == "gpu_engine_model" and level["one_side"] == level["runs"] == 5
    assert level["median"] < qwen["actual_range"]["low"]
    option = next(o for o in doc["options"] if o["name"] == QWEN)
    # one GPU at 13% used still carries the peak at 0.46x: the cost at the runs' range is the cost at the estimate
    assert option["monthly_cost_at_runs"] == [option["monthly_cost"]] * 2 and doc["schema_version"] == "1.17"
    said = (
        f"But 5 of 5 published runs of qwen3-32b at bf16 with vllm on h100-sxm-80gb measured below their held-out"
        f" estimates (median {level['median']:.2f}x, {level['low']:.2f}x-{level['high']:.2f}x), at which its cost holds at"
        f" {money(option['monthly_cost'])} a month."
    )
    band = next(line for line in doc["verdict"] if line.startswith(f"{QWEN}: throughput estimated"))
    assert band.endswith(f"a month. {said}")  # inside the option's band bullet, not a line of its own
    for fmt in ("table", "markdown", "html"):
        text = unwrapped(_report(fmt)) if fmt == "html" else _report(fmt)
        assert said in " ".join(text.split()), fmt
    # the runs of Llama 3.3 70B's configuration: none, so it keeps its 'No published run of ...' sentence
    assert not any("But " in line for line in doc["verdict"] if line.startswith("Llama 3.3 70B on owned H100s:"))


def test_where_the_runs_range_moves_the_cost_every_format_says_what_it_would_cost() -> None:
    """At 60,000 requests a day the same option needs a second GPU for part of the day at 0.46x: the bullet says the
    cost at the runs' range (its monthly_cost_at_runs), the CSV's published_runs column the same words with the cost
    in two columns of its own, and recommend's verdict line for the cheapest the same."""
    sets = ["--set", "workload.requests_per_day=60000"]
    doc = json.loads(_report("json", extra=sets))
    option = next(o for o in doc["options"] if o["name"] == QWEN)
    low, high = option["monthly_cost_at_runs"]
    assert low == option["monthly_cost"] < high
    level = option["throughput"]["published_runs"]["levels"][0]
    runs = (
        f"5 of 5 published runs of qwen3-32b at bf16 with vllm on h100-sxm-80gb measured below their held-out"
        f" estimates (median {level['median']:.2f}x, {level['low']:.2f}x-{level['high']:.2f}x)"
    )
    said = f"But {runs}, at which it would cost {money(low)} to {money(high)} a month."
    band = next(line for line in doc["verdict"] if line.startswith(f"{QWEN}: throughput estimated"))
    assert band.endswith(f"a month. {said}")
    for fmt in ("table", "markdown", "html"):
        text = unwrapped(_report(fmt, extra=sets)) if fmt == "html" else _report(fmt, extra=sets)
        assert said in " ".join(text.split()), fmt
    row = next(r for r in csv.DictReader(io.StringIO(_report("csv", extra=sets))) if r["option"] == QWEN)
    assert row["published_runs"] == runs
    assert (float(row["monthly_cost_low_at_runs_usd"]), float(row["monthly_cost_high_at_runs_usd"])) == (low, high)
    recommend = CliRunner().invoke(
        app,
        ["recommend", str(ROOT / "examples/internal-assistant.yaml"), "--today", "2026-11-26", *sets, "-f", "json"]
        + ["--model", "qwen3-32b", "--gpu", "h100-sxm-80gb", "--engine", "vllm", "--max-gpus", "1", "--top", "1"]
        + ["--acquisition", "rent", "--precision", "fp8"],
    )
    assert recommend.exit_code == 0, recommend.stderr
    lines = json.loads(recommend.stdout)["verdict"]["lines"]
    assert lines[1].startswith(f"Published runs: {runs}, at which it would cost ") and lines[1].endswith(" a month.")


def test_the_cost_words_say_a_range_one_other_cost_or_that_it_holds() -> None:
    import costcalc

    option = costcalc.analyze(ROOT / "examples/internal-assistant.yaml", today="2026-11-26").option(QWEN)
    at = option.model_copy
    assert runs_cost_words(at(update={"monthly_cost_at_runs": None}), "USD") == ""
    assert runs_cost_words(at(update={"monthly_cost": 6000.0, "monthly_cost_at_runs": (6000.4, 7250.0)}), "EUR") == (
        ", at which it would cost €6,000 to €7,250 a month"
    )
    assert runs_cost_words(at(update={"monthly_cost": 6000.0, "monthly_cost_at_runs": (6000.4, 6000.4)}), "USD") == (
        ", at which its cost holds at $6,000 a month"  # reads as the estimate's cost
    )
    assert runs_cost_words(at(update={"monthly_cost": 6000.0, "monthly_cost_at_runs": (5400.0, 5400.0)}), "USD") == (
        ", at which it would cost $5,400 a month"  # runs above the range: the cost falls, the same at both ends
    )


def test_estimate_says_it_in_its_published_runs_line_where_its_capacity_range_disagrees() -> None:
    """`estimate` of the same configuration under an SLO (a server's capacity, the vllm server band) says the same
    words in its 'Published runs:' line; without an SLO (the offline band, 0.67x-1.48x) the median 0.72x lies inside
    its range and the line keeps the summary."""
    args = ["estimate", "--gpu", "h100-sxm-80gb", "--model", "qwen3-32b", "--input-tokens", "2500"]
    served = CliRunner().invoke(
        app, [*args, "--output-tokens", "400", "--ttft-p95-ms", "1500", "--min-output-tokens-per-s-per-user", "25"]
    )
    assert served.exit_code == 0, served.stderr
    text = " ".join(served.stdout.split())
    assert "Published runs: 5 of 5 published runs of qwen3-32b with vllm on h100-sxm-80gb measured below" in text
    offline = CliRunner().invoke(app, [*args, "--output-tokens", "400"])
    assert offline.exit_code == 0, offline.stderr
    said = " ".join(offline.stdout.split())
    assert "Published runs: 5 published runs of qwen3-32b with vllm on h100-sxm-80gb measured" in said
    assert "5 of 5" not in said
