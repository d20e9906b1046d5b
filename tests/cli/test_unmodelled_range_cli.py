"""Where published runs of an architecture measured less than the estimate (throughput/unmodelled.json), the range
an option is costed with reaches down to them, in every command and format, from the one place it is resolved.

DeepSeek-R1 on 8 GPUs measured 0.22x-0.71x of its estimate; the band alone (0.54x-1.85x) left a report's cost range
and its verdict as if those runs did not exist. What widens is read from unmodelled.json, so a model without scored
runs keeps its band, and an empty file widens nothing. These tests pin the scored runs to the shipped ones of
2026-12-05 (a refit rescores the file; tests/throughput/test_unmodelled.py checks the shipped file itself).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from costcalc.analysis.simulate import Z90
from costcalc.bands import actual_range, band_long, band_short
from costcalc.throughput import unmodelled
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.scoring import band_table
from costcalc.throughput.unmodelled import UnmodelledGap
from tests.support import cli

TODAY = "2026-12-05"
OPTION = "Self-hosted"
SCENARIO = """\
version: 1
name: Unmodelled range
horizon_months: 12
workload:
  requests_per_day: 2000000
  input_tokens: 3200
  output_tokens: 800
  slo: {{ttft_p95_ms: 3000, min_output_tokens_per_s_per_user: 10}}
options:
  - name: API
    kind: api
    prices: {{input_usd_per_mtok: 2.5, output_usd_per_mtok: 15.0}}
  - name: Self-hosted
    kind: self_hosted
    model: {model}
    precision: fp8
    hardware: {{offer: aws/p5en.48xlarge/on-demand/us-east-1, gpus_per_replica: 8, acquisition: rent}}
"""


# unmodelled.json's DeepSeek-R1 entry on 2026-12-05: 60 output-rate measurements, p5 / median / p95 of actual/estimate
PINNED = UnmodelledGap(
    "deepseek-r1", 60, 0.22, 0.465, 0.7139, ("sglang", "trtllm", "vllm"), ("8x h200-sxm-141gb",), ("https://x",), ()
)


@pytest.fixture(autouse=True)
def pinned_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unmodelled, "_shipped_gaps", lambda: (PINNED,))


def _gap() -> UnmodelledGap:
    return PINNED


def _scenario(tmp_path: Path, model: str) -> str:
    path = tmp_path / f"{model}.yaml"
    path.write_text(SCENARIO.format(model=model), encoding="utf-8")
    return str(path)


def _report(path: str) -> dict:
    code, out, err = cli.invoke("report", path, "-f", "json", "--today", TODAY)
    assert code == 0, err
    return json.loads(out)


def _option(doc: dict) -> dict:
    return next(o for o in doc["options"] if o["name"] == OPTION)


def _cost_at(path: str, scales: tuple[float, float]) -> list[float]:
    """Month-1 cost with the capacity scaled, through sweep's what-if on the resolved capacity (another path)."""
    vary = f"options[{OPTION}].throughput.scale={scales[0]!r},{scales[1]!r}"
    code, out, err = cli.invoke("sweep", path, "--vary", vary, "-f", "json", "--today", TODAY)
    assert code == 0, err
    return [r[f"monthly_cost[{OPTION}]"] for r in json.loads(out)["rows"]]


def test_the_cost_range_of_an_unmodelled_architecture_reaches_its_published_runs(tmp_path: Path) -> None:
    gap = _gap()
    path = _scenario(tmp_path, "deepseek-r1")
    doc = _report(path)
    option = _option(doc)
    t = option["throughput"]
    band = t["error_band"]
    assert gap.low < actual_range(band)[0]  # the runs lie below the band: otherwise nothing to widen
    assert tuple(map(int, doc["schema_version"].split("."))) >= (1, 6)  # actual_range since 1.6
    assert t["actual_range"] == {
        "low": gap.low,
        "high": pytest.approx(1 + band),
        "source": "published_runs",
        "band": band,
        "published_model": "deepseek-r1",
        "published_low": gap.low,
        "published_high": gap.high,
        "band_basis": {  # which band, and the held-out rows under it (schema 1.10)
            "engine": "vllm",
            "scenario": "offline",
            "applies": "vllm/offline",
            "p90_error": band,
            "held_out_rows": band_table(*read_holdout())["vllm/offline"].rows,
            "class_held_out_rows": band_table(*read_holdout())["vllm/offline"].rows,
        },
        "architecture": None,  # an H200's architecture: no biased held-out benchmarks (schema 1.11)
        "architecture_low": None,
        "architecture_high": None,
    }
    # the cost range is the cost at capacity x 1.85 and x 0.22, more replicas than the band's low end needs
    low, high = option["monthly_cost_range"]
    assert [low, high] == [pytest.approx(c, rel=1e-9) for c in _cost_at(path, (1 + band, gap.low))]
    band_high = _cost_at(path, (1.0, actual_range(band)[0]))[1]
    assert high > band_high > option["monthly_cost"]


def test_an_api_inside_the_widened_range_but_above_the_band_is_not_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An API costing between the band's high cost and the published runs' one: a tie with the runs, none without."""
    path = _scenario(tmp_path, "deepseek-r1")
    option = _option(_report(path))
    band_high = _cost_at(path, (1.0, actual_range(option["throughput"]["error_band"])[0]))[1]
    between = (band_high + option["monthly_cost_range"][1]) / 2
    requests = 2_000_000 * 730 / 24  # a month of 730 hours
    price = between / (requests * 3200 / 1e6)  # input tokens only: output at 0
    sets = [
        "--set",
        f"options[API].prices.input_usd_per_mtok={price!r}",
        "--set",
        "options[API].prices.output_usd_per_mtok=0",
    ]
    code, out, err = cli.invoke("report", path, "-f", "json", "--today", TODAY, *sets)
    assert code == 0, err
    doc = json.loads(out)
    assert _option(doc)["monthly_cost"] < next(o for o in doc["options"] if o["name"] == "API")["monthly_cost"]
    assert doc["tie"] is not None and set(doc["tie"]["options"]) == {"API", OPTION}
    assert "from published runs of deepseek-r1" in doc["tie"]["reason"]
    monkeypatch.setattr(unmodelled, "_shipped_gaps", lambda: ())
    code, out, err = cli.invoke("report", path, "-f", "json", "--today", TODAY, *sets)
    assert code == 0, err
    assert json.loads(out)["tie"] is None


def test_a_model_without_published_runs_keeps_its_band(tmp_path: Path) -> None:
    doc = _report(_scenario(tmp_path, "llama-3.1-70b"))
    t = _option(doc)["throughput"]
    band = t["error_band"]
    assert t["actual_range"]["source"] == "held_out_band" and t["actual_range"]["published_model"] is None
    assert (t["actual_range"]["low"], t["actual_range"]["high"]) == pytest.approx(actual_range(band))
    said = band_long(band).removesuffix(" in 9 of 10 benchmarks")
    scenario = t["actual_range"]["band_basis"]["scenario"]  # the load class the capacity ran at
    assert any(f", actual {said} ({_words(scenario)})" in line for line in doc["verdict"])


def test_what_widens_is_read_from_the_scored_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No scores for an architecture (the estimator-deepseek physics may empty the file): the band alone; scores for
    another architecture: it widens there."""
    deepseek, llama = _scenario(tmp_path, "deepseek-r1"), _scenario(tmp_path, "llama-3.1-70b")
    monkeypatch.setattr(unmodelled, "_shipped_gaps", lambda: ())
    t = _option(_report(deepseek))["throughput"]
    assert t["actual_range"]["source"] == "held_out_band"
    assert t["actual_range"]["low"] == pytest.approx(actual_range(t["error_band"])[0])

    runs = UnmodelledGap("llama-3.1-70b", 12, 0.3, 0.5, 2.6, ("vllm",), ("8x h200-sxm-141gb",), ("https://x",), ())
    monkeypatch.setattr(unmodelled, "_shipped_gaps", lambda: (runs,))
    t = _option(_report(llama))["throughput"]
    assert (t["actual_range"]["low"], t["actual_range"]["high"]) == (0.3, 2.6)
    assert t["actual_range"]["published_model"] == "llama-3.1-70b"


def _said(gap: UnmodelledGap, band: float) -> str:
    low = min(gap.low, actual_range(band)[0])
    return (
        f"{OPTION}: throughput estimated, actual {low:.2f}x to {1 + band:.2f}x the estimate, from published runs of"
        f" deepseek-r1 at {gap.low:.2f}x-{gap.high:.2f}x and held-out benchmarks at {band_short(band)}, 9 of 10 each"
        f" ({_words()})"
    )


def _words(scenario: str = "offline") -> str:
    """The band's basis as every surface words it: the vllm band of the load class and its held-out rows (deepseek-r1's
    block-scaled FP8 checkpoint on 8x H200 meets the scenario's SLO at its full load since the refit of session 18, TTFT
    p95 about 2.8 s against 3 s: the offline band; below it, before, the server band)."""
    rows = band_table(*read_holdout())[f"vllm/{scenario}"].rows
    return f"vllm {scenario} band: 9 in 10 of {rows:,} held-out benchmarks"


@pytest.mark.parametrize("columns", [80, 120])
def test_the_terminal_says_the_widened_range_and_its_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    path = _scenario(tmp_path, "deepseek-r1")
    option = _option(_report(path))
    band, (low, high) = option["throughput"]["error_band"], option["monthly_cost_range"]
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = cli.invoke("report", path, "--today", TODAY, "--details")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= columns
    text = " ".join(out.split())  # the wrapped lines joined
    assert f"{_said(_gap(), band)}, so ${low:,.0f} to ${high:,.0f} a month" in text
    assert f"), actual {_gap().low:.2f}x-{1 + band:.2f}x with published deepseek-r1 runs ({_words()}); " in text


def test_markdown_html_csv_and_xlsx_say_the_same_range(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "deepseek-r1")
    option = _option(_report(path))
    band, (low, high) = option["throughput"]["error_band"], option["monthly_cost_range"]
    said = f"{_said(_gap(), band)}, so ${low:,.0f} to ${high:,.0f} a month"

    code, out, err = cli.invoke("report", path, "-f", "markdown", "--today", TODAY)
    assert code == 0, err
    assert said in out

    html = tmp_path / "r.html"
    code, _, err = cli.invoke("report", path, "-f", "html", "-o", str(html), "--today", TODAY)
    assert code == 0, err
    assert said in re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))

    code, out, err = cli.invoke("report", path, "-f", "csv", "--today", TODAY)
    assert code == 0, err
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["option"] == OPTION)
    assert float(row["actual_over_estimate_low"]) == _gap().low
    assert float(row["actual_over_estimate_high"]) == pytest.approx(1 + band)
    assert row["actual_range_source"] == "published_runs"
    assert (float(row["monthly_cost_low_usd"]), float(row["monthly_cost_high_usd"])) == pytest.approx((low, high))

    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "r.xlsx"
    code, _, err = cli.invoke("report", path, "-o", str(book), "--today", TODAY)
    assert code == 0, err
    sheet = openpyxl.load_workbook(book)["Options"]
    rows = [
        dict(zip([c.value for c in sheet[1]], [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    cells = next(r for r in rows if r["Option"] == OPTION)
    assert (cells["Monthly cost, range from"], cells["Monthly cost, range to"]) == pytest.approx((low, high))
    assert (cells["Actual / estimate, from"], cells["Range source"]) == (_gap().low, "published_runs")
    assert cells["Actual / estimate, to"] == pytest.approx(1 + band)
    assert any(said in str(c.value) for c in openpyxl.load_workbook(book)["Summary"]["A"])


def test_simulate_samples_the_widened_range(tmp_path: Path) -> None:
    """The capacity scale's 5th and 95th percentiles are the range's ends: 0.22x, not the band's 0.54x."""
    path = _scenario(tmp_path, "deepseek-r1")
    t = _option(_report(path))["throughput"]
    code, out, err = cli.invoke("simulate", path, "-n", "200", "--seed", "1", "-f", "json", "--today", TODAY)
    assert code == 0, err
    note = next(
        n for n in json.loads(out)["notes"] if n.startswith(f"{OPTION}: throughput against its estimate, sampled as")
    )
    assert "published runs of deepseek-r1" in note
    median = float(re.search(r"median=([0-9.]+)", note).group(1))
    sigma = float(re.search(r"sigma=([0-9.]+)", note).group(1))
    assert median * math.exp(-Z90 * sigma) == pytest.approx(t["actual_range"]["low"], rel=1e-4)
    assert median * math.exp(Z90 * sigma) == pytest.approx(t["actual_range"]["high"], rel=1e-4)


def test_estimate_shows_the_widened_range(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["estimate", "--gpu", "h200-sxm-141gb", "--gpus", "8", "--model", "deepseek-r1", "--precision", "fp8"]
    args += ["--input-tokens", "3200", "--output-tokens", "800", "--ttft-p95-ms", "3000"]
    code, out, err = cli.invoke(*args, "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    for part in (doc, doc["serving"]):
        r = part["actual_range"]
        assert (r["low"], r["source"]) == (_gap().low, "published_runs")
        assert r["high"] == pytest.approx(1 + part["error_band"])
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = cli.invoke(*args)
    assert code == 0, err
    # the estimate's (its full load's band) and the capacity's (the band of the load the SLO leaves), each once
    shown = {
        f"{_gap().low:.2f}x-{1 + part['error_band']:.2f}x (published deepseek-r1 runs)"
        for part in (doc, doc["serving"])
    }
    assert sum(out.count(said) for said in shown) == 2


def test_recommend_costs_and_ties_candidates_on_the_widened_range(tmp_path: Path) -> None:
    """recommend's cost range is the report's (its written scenario reports the same numbers) and its tie speaks of
    the lowest end."""
    path, written = _scenario(tmp_path, "deepseek-r1"), tmp_path / "top.yaml"
    args = ["recommend", path, "--gpu", "h200-sxm-141gb", "--engine", "vllm", "--precision", "fp8", "--top", "2"]
    code, out, err = cli.invoke(*args, "-f", "json", "--today", TODAY, "--write-scenario", str(written))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == "1.8"
    report = _report(str(written))
    for c in doc["candidates"]:
        assert c["throughput"]["actual_range"]["low"] == _gap().low
        ranged = next(o for o in report["options"] if o["name"] == c["name"])["monthly_cost_range"]
        assert [c["monthly_cost_low"], c["monthly_cost_high"]] == pytest.approx(ranged, rel=1e-9)
    assert f"as low as {_gap().low:.2f}x the estimate" in doc["verdict"]["tie"]["message"]
