"""Where a GPU architecture's held-out benchmarks lie mostly on one side of the estimate (throughput/architecture_bias.py),
every surface says so and widens the range to them, from the one place it is resolved (bands.range_for and
range_warnings): estimate's table, JSON and warning, the report's JSON, terminal and warnings, simulate's note and the
Python API. qa16-findings 1: a report quoted "actual 0.57x to 1.74x the estimate (vllm server band ...)" for an
MI300X option alike with A100, B200 and H100 ones, while dstack's 19 held-out MI300X rows measured 0.27x-1.39x of their
estimate, median 0.67x. The bias is pinned here (a refit rescores the shipped file; the rule has its own tests in
tests/throughput/test_architecture_bias.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costcalc.bands import actual_range
from costcalc.throughput import architecture_bias
from costcalc.throughput.architecture_bias import ArchitectureBias
from tests.support import cli

TODAY = "2026-12-07"
PINNED = ArchitectureBias(
    "gfx942", ("mi300x-192gb",), 19, 0.2665, 0.6707, 1.3884, 16, ("vllm",), ("github:dstackai",), 0.1452
)
SCENARIO = """\
version: 1
name: Architecture probe
workload: {requests_per_day: 200000, input_tokens: 1200, output_tokens: 250, peak_to_average: 2}
options:
  - {name: API, kind: api, prices: {input_usd_per_mtok: 0.5, output_usd_per_mtok: 1.5}}
  - name: On H100
    kind: self_hosted
    model: llama-3.3-70b
    hardware: {gpu: h100-sxm-80gb, gpus_per_replica: 2, acquisition: rent, hourly_usd: 3}
  - name: On MI300X
    kind: self_hosted
    model: llama-3.3-70b
    hardware: {gpu: mi300x-192gb, gpus_per_replica: 1, acquisition: rent, hourly_usd: 3}
"""
ESTIMATE = ("--model", "llama-3.3-70b", "--input-tokens", "1200", "--output-tokens", "250", "--concurrency", "32")
WARNING = (
    "warning: mi300x-192gb: held-out benchmarks on its architecture (gfx942: mi300x-192gb) measured 0.27x to 1.39x"
)


@pytest.fixture(autouse=True)
def pinned_bias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(architecture_bias, "architecture_biases", lambda: {"gfx942": PINNED})


def _estimate(gpu: str, *extra: str) -> tuple[str, str]:
    code, out, err = cli.invoke("estimate", "--gpu", gpu, *ESTIMATE, *extra)
    assert code == 0, err
    return out, err


def test_an_estimate_on_a_biased_architecture_says_so_and_widens_its_range() -> None:
    out, err = _estimate("mi300x-192gb", "-f", "json")
    doc = json.loads(out)
    r, band = doc["actual_range"], doc["error_band"]
    # the low end is the architecture's; the high end the higher of the band's and the architecture's
    assert r["low"] == PINNED.low < actual_range(band)[0] and r["high"] == pytest.approx(max(1 + band, PINNED.high))
    assert (r["source"], r["architecture"], r["architecture_low"], r["architecture_high"]) == (
        "architecture_runs",
        "gfx942",
        PINNED.low,
        PINNED.high,
    )
    assert err.startswith(WARNING) and "(median 0.67x, 16 of 19 below it; vllm; 1 publisher: github:dstackai)" in err
    assert "so on this architecture the capacity is optimistic" in err
    table, _ = _estimate("mi300x-192gb")
    assert "0.27x-" in table and "held-out gfx942" in table


def test_another_architecture_keeps_its_band_and_says_nothing() -> None:
    out, err = _estimate("h100-sxm-80gb", "--gpus", "2", "-f", "json")
    r = json.loads(out)["actual_range"]
    assert (r["source"], r["architecture"]) == ("held_out_band", None)
    assert err == ""


def test_the_report_and_the_api_read_the_same_range_and_warning(tmp_path: Path) -> None:
    path = tmp_path / "arch.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    code, out, err = cli.invoke("report", str(path), "-f", "json", "--today", TODAY)
    assert code == 0, err
    options = {o["name"]: o for o in json.loads(out)["options"]}
    mi300x, h100 = (options[n]["throughput"]["actual_range"] for n in ("On MI300X", "On H100"))
    assert (mi300x["low"], mi300x["architecture"], mi300x["source"]) == (PINNED.low, "gfx942", "architecture_runs")
    assert (h100["architecture"], h100["source"]) == (None, "held_out_band")
    assert WARNING in err and err.count("held-out benchmarks on its architecture") == 1

    code, out, err = cli.invoke("report", str(path), "--today", TODAY)
    assert code == 0, err
    assert "On MI300X: throughput estimated, actual 0.27x to" in " ".join(out.split())
    assert "from held-out benchmarks on gfx942 at 0.27x-1.39x" in " ".join(out.split())

    import costcalc

    api = costcalc.estimate_throughput(
        gpu="mi300x-192gb", model="llama-3.3-70b", input_tokens=1200, output_tokens=250, concurrency=32
    )
    assert api.actual_range is not None and api.actual_range.architecture == "gfx942"
    assert api.actual_range.low == PINNED.low


def test_simulate_samples_the_widened_range_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "arch.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    code, out, err = cli.invoke("simulate", str(path), "--samples", "200", "--seed", "1", "--today", TODAY)
    assert code == 0, err
    said = " ".join(out.split())
    assert "from held-out benchmarks on gfx942 at 0.27x-1.39x" in said


def test_two_options_on_the_architecture_and_recommend_say_it_once(tmp_path: Path) -> None:
    """The report said an option's capacity warning once per option (two options of one GPU: twice), and recommend
    kept only warnings naming a listed configuration, so its MI300X candidates carried none."""
    path = tmp_path / "arch.yaml"
    second = "\n".join(
        line.replace("On MI300X", "Also on MI300X") for line in SCENARIO.splitlines()[-4:]
    )  # a second MI300X option
    path.write_text(SCENARIO + second + "\n", encoding="utf-8")
    code, out, err = cli.invoke("report", str(path), "-f", "json", "--today", TODAY)
    assert code == 0, err
    assert err.count("held-out benchmarks on its architecture (gfx942") == 1
    assert json.loads(out)["options"][3]["throughput"]["actual_range"]["architecture"] == "gfx942"
    args = ("recommend", str(path), "--gpu", "mi300x-192gb", "--model", "llama-3.3-70b", "--top", "3")
    code, out, err = cli.invoke(*args, "--today", TODAY)
    assert code == 0, err
    assert err.count(WARNING) == 1
