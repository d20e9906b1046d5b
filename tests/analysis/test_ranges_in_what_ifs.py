"""sweep and sensitivity show the range an estimated option's throughput allows, read from where report and simulate
read it (resolved once by bands.range_for): sweep costs every point at either end of it, as report's monthly cost
range does; sensitivity moves the throughput across it instead of ±delta."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from costcalc.api import analyze, sensitivity, sweep
from costcalc.render import report_json
from costcalc.render import sensitivity as sensitivity_render
from costcalc.render import sweep as sweep_render
from costcalc.throughput import unmodelled
from costcalc.throughput.unmodelled import UnmodelledGap
from tests.analysis.scenarios import BASE, RENT

TODAY = dt.date(2026, 12, 5)
ESTIMATED = """\
version: 1
name: Range check
horizon_months: 12
workload:
  requests_per_day: 3000000
  input_tokens: 1200
  output_tokens: 250
  peak_to_average: 3.0
  slo: {ttft_p95_ms: 1500, min_output_tokens_per_s_per_user: 25}
options:
  - name: API A
    kind: api
    prices: {input_usd_per_mtok: 0.25, output_usd_per_mtok: 2.0}
  - name: Rented H100
    kind: self_hosted
    model: gpt-oss-120b
    engine: vllm
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.49}
    operations: {engineer_hours_per_month: 8, hourly_rate_usd: 110}
"""
OPTION = "Rented H100"
SCALE = f"options[{OPTION}].throughput.scale"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return analyze(ESTIMATED, today=TODAY)


def test_sweep_costs_each_point_at_either_end_of_the_range_report_costs(report) -> None:  # type: ignore[no-untyped-def]
    option = report.option(OPTION)
    assert option.monthly_cost_range is not None and option.throughput.actual_range is not None
    frame = sweep(ESTIMATED, ["workload.requests_per_day=3000000,6000000"], today=TODAY)
    base = frame.iloc[0]
    assert base[f"monthly_cost[{OPTION}]"] == pytest.approx(option.monthly_cost, rel=1e-9)
    low, high = option.monthly_cost_range
    assert (base[f"monthly_cost_low[{OPTION}]"], base[f"monthly_cost_high[{OPTION}]"]) == (
        pytest.approx(low, rel=1e-9),
        pytest.approx(high, rel=1e-9),
    )
    doubled = frame.iloc[1]
    assert doubled[f"monthly_cost_low[{OPTION}]"] < doubled[f"monthly_cost[{OPTION}]"]
    assert doubled[f"monthly_cost[{OPTION}]"] < doubled[f"monthly_cost_high[{OPTION}]"]
    assert "monthly_cost_low[API A]" not in frame.columns  # an API's cost has no throughput to range over
    doc = json.loads(sweep_render.render_json(frame))
    assert doc["schema_version"] == "1.6"  # actual_ranges since 1.1, their band_basis 1.3, architecture 1.4
    assert doc["actual_ranges"][OPTION] == [
        json.loads(report_json.render(report))["options"][1]["throughput"]["actual_range"]
    ]
    assert doc["rows"][0][f"monthly_cost_high[{OPTION}]"] == pytest.approx(high, rel=1e-9)
    csv_header = sweep_render.render_csv(frame).splitlines()[0].split(",")
    assert f"monthly_cost_low[{OPTION}]" in csv_header and f"monthly_cost_high[{OPTION}]" in csv_header
    text = sweep_render.render_table(frame, width=120)
    assert f"{report.option(OPTION).throughput.actual_range.low:.2f}x" in text and "A\n" not in text
    r = option.throughput.actual_range
    assert f"{r.low:.2f}x-{r.high:.2f}x (held-out band)" in " ".join(text.split())


def test_sensitivity_moves_an_estimated_throughput_across_its_range(report) -> None:  # type: ignore[no-untyped-def]
    r = report.option(OPTION).throughput.actual_range
    frame = sensitivity(ESTIMATED, inputs=[SCALE], today=TODAY).set_index("input")
    row = frame.loc[SCALE]
    assert (row["low"], row["high"]) == (r.low, r.high)  # not 0.8 and 1.2
    assert row["range_source"] == "held_out_band"
    assert row["label"].endswith(": throughput against its estimate (9-in-10 range)")
    assert row["metric_low"] < frame.attrs["base_metric"] < row["metric_high"]  # less capacity saves less
    doc = json.loads(sensitivity_render.render_json(frame.reset_index()))
    assert doc["schema_version"] == "1.5" and doc["inputs"][0]["range_source"] == "held_out_band"


def test_a_given_throughput_still_moves_by_delta() -> None:
    frame = sensitivity(BASE, inputs=[f"{RENT}.throughput.scale"], delta="20%").set_index("input")
    row = frame.loc[f"{RENT}.throughput.scale"]
    assert (row["low"], row["high"]) == pytest.approx((0.8, 1.2)) and row["range_source"] is None


def test_published_runs_widen_the_range_in_sweep_and_sensitivity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model whose published runs measured past the band (pinned like tests/cli/test_unmodelled_range_cli.py):
    both read the widened range and name where it comes from."""
    gap = UnmodelledGap("gpt-oss-120b", 60, 0.2, 0.4, 0.6, ("vllm",), ("1x h100-sxm-80gb",), ("https://x",), ())
    monkeypatch.setattr(unmodelled, "_shipped_gaps", lambda: (gap,))
    option = analyze(ESTIMATED, today=TODAY).option(OPTION)
    r = option.throughput.actual_range
    assert r is not None and r.source == "published_runs" and r.low == 0.2
    frame = sensitivity(ESTIMATED, inputs=[SCALE], today=TODAY).set_index("input")
    assert (frame.loc[SCALE, "low"], frame.loc[SCALE, "range_source"]) == (0.2, "published_runs")
    assert frame.loc[SCALE, "label"].endswith("(9-in-10 range, published gpt-oss-120b runs)")
    swept = sweep(ESTIMATED, ["workload.requests_per_day=3000000"], today=TODAY)
    assert option.monthly_cost_range is not None
    assert swept.iloc[0][f"monthly_cost_high[{OPTION}]"] == pytest.approx(option.monthly_cost_range[1], rel=1e-9)
    assert swept.attrs["actual_ranges"][OPTION] == [r]


def test_a_sweep_without_an_estimate_has_no_range() -> None:
    frame = sweep(BASE, ["workload.requests_per_day=100000,200000"])
    assert not [c for c in frame.columns if c.startswith(("monthly_cost_low[", "monthly_cost_high["))]
    assert "Estimated throughput" not in sweep_render.render_table(frame, width=120)
