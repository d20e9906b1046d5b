"""simulate's 'Uncertain inputs' table names each input in sensitivity's words and writes its values without exponents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.api import sensitivity, simulate
from costcalc.render import simulate as render

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
TODAY = dt.date(2026, 12, 5)
SCALE = "options[gpt-oss-20b on a rented L40S].throughput.scale"


@pytest.fixture(scope="module")
def scenario() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["workload"]["requests_per_day"] = {"dist": "triangular", "low": 30000, "mode": 40000, "high": 60000}
    return data


@pytest.fixture(scope="module")
def table(scenario: dict[str, Any]) -> dict[int, str]:
    sim = simulate(scenario, samples=2000, seed=1, today=TODAY)
    return {width: render.render_table(sim, width=width) for width in (80, 120)}


@pytest.mark.parametrize("width", [80, 120])
def test_no_scientific_notation_and_no_paths(table: dict[int, str], width: int) -> None:
    # qa8 finding 4: 'workload.requests_per_day ... 3.549e+04  4.266e+04  5.216e+04' and rows named
    # 'options[gpt-oss-20b on a rented L40S].throughput.scale'
    text = table[width]
    inputs = text.split("Cost (month 1")[0]
    assert "e+0" not in inputs and "options[" not in text and "workload." not in text, text
    row = next(line for line in inputs.splitlines() if line.startswith("Requests per day"))
    p10, p50, p90 = (float(v.replace(",", "")) for v in row.split()[-3:])
    assert 30_000 < p10 < p50 < p90 < 60_000  # whole requests a day, digits grouped ('35,485')
    assert all(len(line) <= width for line in text.splitlines())


def test_inputs_are_named_as_sensitivity_names_them(scenario: dict[str, Any], table: dict[int, str]) -> None:
    tornado = sensitivity(scenario, inputs=["workload.requests_per_day", SCALE], today=TODAY)
    words = dict(zip(tornado["input"], tornado["label"]))
    sim = simulate(scenario, samples=10, seed=1, today=TODAY)
    labels = dict(zip(sim.inputs["input"], sim.inputs["label"]))
    assert labels["workload.requests_per_day"] == words["workload.requests_per_day"] == "Requests per day"
    assert (
        labels[SCALE] == words[SCALE] == "gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)"
    )
    lines = table[120].split("Cost (month 1")[0].splitlines()
    cut = next(line for line in lines if line.startswith("Input ")).index("Distribution")
    column = " ".join(line[:cut].strip() for line in lines)  # the Input column, its wrapped names joined again
    assert "gpt-oss-20b on a rented L40S: throughput against its estimate (9-in-10 range)" in column


def test_one_sample_is_one_sample() -> None:
    """`simulate -n 1` said 'Monte Carlo: 1 samples, seed 7'."""
    from costcalc.api import simulate
    from costcalc.render import simulate as render

    text = (
        "version: 1\nworkload: {requests_per_day: {dist: uniform, low: 1000, high: 2000}, input_tokens: 500,"
        " output_tokens: 100}\noptions:\n  - {name: API, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}\n"
    )
    shown = render.render_table(simulate(text, samples=1, seed=7), width=100)
    assert shown.startswith("Monte Carlo: 1 sample, seed 7; money in USD")


def test_each_input_is_written_in_its_unit(scenario: dict[str, Any]) -> None:
    """An uncertain GPU price per hour read '0.8452  0.9989  1.161' and a share of input cached '0.3313  0.452  0.5665';
    they read as sensitivity writes them: '$0.85  $1.00  $1.16', '33%  45%  57%', the throughput scale '0.73x'."""
    assert scenario["options"][4]["name"] == "gpt-oss-20b on a rented L40S"
    hardware = {**scenario["options"][4]["hardware"], "hourly_usd": {"dist": "uniform", "low": 0.8, "high": 1.2}}
    data = {
        **scenario,
        "workload": {**scenario["workload"], "cached_input_share": {"dist": "uniform", "low": 0.3, "high": 0.6}},
        "options": [{**o, "hardware": hardware} if i == 4 else o for i, o in enumerate(scenario["options"])],
    }
    sim = simulate(data, samples=300, seed=1, today=TODAY)
    lines = render.render_table(sim, width=120).split("Cost (month 1")[0].splitlines()
    cached = next(line for line in lines if line.startswith("Cached share of input")).split()[-3:]
    price = next(line for line in lines if "GPU price per hour" in line).split()[-3:]
    scale = next(line for line in lines if line.startswith("gpt-oss-20b on a rented L40S: throughput")).split()[-3:]
    assert all(v.endswith("%") for v in cached) and all(v.startswith("$") for v in price), lines
    assert all(v.endswith("x") for v in scale), lines
