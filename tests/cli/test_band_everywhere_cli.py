"""One configuration, one error band: `estimate`, `report` (JSON, terminal, HTML) and `simulate` agree.

The band comes from factors.error_band through the Estimate; every command and format must show
the one the estimate carries, with an SLO (the capacity the serving simulation finds) and without
one (full load), whatever the shipped factors are at the time.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from costcalc.analysis.simulate import Z90
from costcalc.bands import actual_range, band_short
from tests.support import cli

TODAY = "2026-12-05"
PLUS_MINUS_BAND = re.compile(r"±\d+%")  # "±108%" reads as a possibly negative throughput
SLO = {"ttft_p95_ms": 1500, "min_output_tokens_per_s_per_user": 25}
SCENARIO = """\
version: 1
name: Band check
horizon_months: 12
workload:
  requests_per_day: 40000
  input_tokens: 1200
  output_tokens: 250
  peak_to_average: 3.0
{slo}
options:
  - name: API A
    kind: api
    prices: {{input_usd_per_mtok: 0.25, output_usd_per_mtok: 2.0}}
  - name: Rented H100
    kind: self_hosted
    model: gpt-oss-120b
    engine: vllm
    hardware: {{gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.49}}
    operations: {{engineer_hours_per_month: 8, hourly_rate_usd: 110}}
"""


def _scenario(tmp_path: Path, with_slo: bool) -> str:
    slo = "  slo: {" + ", ".join(f"{k}: {v}" for k, v in SLO.items()) + "}" if with_slo else ""
    path = tmp_path / "band.yaml"
    path.write_text(SCENARIO.format(slo=slo), encoding="utf-8")
    return str(path)


def _estimate_args(with_slo: bool) -> list[str]:
    args = ["--gpu", "h100-sxm-80gb", "--model", "gpt-oss-120b", "--engine", "vllm"]
    args += ["--input-tokens", "1200", "--output-tokens", "250", "-f", "json"]
    if with_slo:
        args += ["--ttft-p95-ms", str(SLO["ttft_p95_ms"])]
        args += ["--min-output-tokens-per-s-per-user", str(SLO["min_output_tokens_per_s_per_user"])]
    return args


def _estimate_band(with_slo: bool) -> float:
    return _estimate_band_and_words(with_slo)[0]


def _estimate_band_and_words(with_slo: bool) -> tuple[float, str]:
    """The band estimate quotes for the capacity a report sizes with, and the words its label says it in ('vllm
    server band: 9 in 10 of 53 held-out benchmarks')."""
    code, out, err = cli.invoke("estimate", *_estimate_args(with_slo))
    assert code == 0, err
    doc = json.loads(out)
    # with an SLO the capacity is the simulated one, and its band is the one a report sizes with
    quoted = doc["serving"] if with_slo else doc
    label = quoted["band"]["label"]
    return quoted["error_band"], label[label.index("(") + 1 : -1]


@pytest.mark.parametrize("with_slo", [True, False], ids=["slo", "full-load"])
def test_estimate_report_html_and_simulate_show_the_same_band(
    tmp_path: Path, with_slo: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the assumptions' lines unwrapped
    band, words = _estimate_band_and_words(with_slo)
    assert band is not None and band > 0 and words.startswith("vllm ")
    low, high = actual_range(band)
    said = f"Rented H100: throughput estimated, actual {low:.2f}x to {high:.2f}x the estimate ({words})"
    table_args = [a for a in _estimate_args(with_slo) if a not in ("-f", "json")]
    code, out, err = cli.invoke("estimate", *table_args)
    assert code == 0, err
    assert band_short(band) in out and not PLUS_MINUS_BAND.search(out)
    path = _scenario(tmp_path, with_slo)

    code, out, err = cli.invoke("report", path, "-f", "json", "--today", TODAY)
    assert code == 0, err
    option = next(o for o in json.loads(out)["options"] if o["name"] == "Rented H100")
    assert option["throughput"]["error_band"] == band

    code, out, err = cli.invoke("report", path, "--today", TODAY, "--details")
    assert code == 0, err
    assert said in out
    assert f"), actual {band_short(band)} ({words}); " in out  # the throughput basis in the assumptions
    assert not PLUS_MINUS_BAND.search(out)

    code, out, err = cli.invoke("report", path, "-f", "markdown", "--today", TODAY)
    assert code == 0, err
    assert said in out and not PLUS_MINUS_BAND.search(out)

    html = tmp_path / "r.html"
    code, _, err = cli.invoke("report", path, "-f", "html", "-o", str(html), "--today", TODAY)
    assert code == 0, err
    text = re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))
    assert said in text
    assert set(re.findall(r"\), actual ([^ ]+) \(" + re.escape(words), text)) == {band_short(band)}
    assert not PLUS_MINUS_BAND.search(text)

    code, out, err = cli.invoke("simulate", path, "-n", "200", "--seed", "1", "-f", "json")
    assert code == 0, err
    note = next(
        n for n in json.loads(out)["notes"] if n.startswith("Rented H100: throughput against its estimate, sampled as")
    )
    assert f"the estimate ({words})" in note
    sigma = float(re.search(r"sigma=([0-9.]+)", note).group(1))  # 5% of capacities below estimate / (1 + band)
    assert sigma * Z90 == pytest.approx(math.log1p(band), rel=1e-5)


def test_the_cost_range_is_the_cost_at_either_end_of_the_band(tmp_path: Path) -> None:
    """The report's range costs capacity at estimate x (1 + band) and estimate / (1 + band), the ends of the range
    simulate samples 90% of its capacities from. A band of 100% or more used to cost the low end at unbounded
    capacity (one replica whatever the load): coding-assistant's Maverick 'could cost $44,621' at 9 replicas."""
    path = Path(_scenario(tmp_path, True))
    path.write_text(path.read_text(encoding="utf-8").replace("requests_per_day: 40000", "requests_per_day: 3000000"))
    band = _estimate_band(True)
    code, out, err = cli.invoke("report", str(path), "-f", "json", "--today", TODAY)
    assert code == 0, err
    option = next(o for o in json.loads(out)["options"] if o["name"] == "Rented H100")
    low, high = option["monthly_cost_range"]
    assert low < option["monthly_cost"] < high  # several replicas: capacity moves the bill both ways
    least, most = actual_range(band)
    vary = f"options[Rented H100].throughput.scale={most!r},{least!r}"  # sweep's what-if on the resolved capacity
    code, out, err = cli.invoke("sweep", str(path), "--vary", vary, "-f", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["monthly_cost[Rented H100]"] for r in rows] == [
        pytest.approx(low, rel=1e-6),
        pytest.approx(high, rel=1e-6),
    ]
