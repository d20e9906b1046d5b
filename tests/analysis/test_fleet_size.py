"""A self-hosted option sized past the largest AI cluster reported is warned about, with the input behind the count
(polish18b: a point of 1e-9 requests/s sized 4,629,629,630 GPUs without a word, qa18)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.analysis.fleet_size import LARGEST_CLUSTER_GPUS, busiest_month
from costcalc.api import analyze
from tests.support import cli

TODAY = dt.date(2026, 12, 5)


def _scenario(requests_per_day: float, requests_per_s: float, gpus_per_replica: int = 1) -> dict[str, Any]:
    """An API and a rented option sized by one given point, at an even load (peak = mean)."""
    hardware = {"gpu": "h100-sxm-80gb", "gpus_per_replica": gpus_per_replica, "acquisition": "rent", "hourly_usd": 2}
    point = {"input_tokens": 1000, "output_tokens": 200, "requests_per_s": requests_per_s}
    return {
        "version": 1,
        "workload": {"requests_per_day": requests_per_day, "input_tokens": 1000, "output_tokens": 200},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 4}},
            {
                "name": "Slow",
                "kind": "self_hosted",
                "model": "llama-3.1-8b",
                "hardware": hardware,
                "throughput": {"points": [point]},
            },
        ],
    }


def _line(result: Any) -> str | None:
    return next((w for w in result.warnings if "largest AI cluster" in w), None)


def test_billions_of_gpus_from_a_tiny_point_are_said_with_the_point_to_check() -> None:
    result = analyze(_scenario(200_000, 1e-9, gpus_per_replica=2), today=TODAY)
    assert result.option("Slow").gpus == 4_629_629_630
    assert _line(result) == (
        "Slow: sized at 4,629,629,630 GPUs (2,314,814,815 replicas of 2), more than the 200,000 of the largest AI"
        " cluster reported (xAI's Colossus, reported 2025-10-06); a replica serves 1e-09 requests/s (2e-07 output"
        " tokens/s) by its points: check options[Slow].throughput.points (requests_per_s, output_tokens_per_s: one"
        " replica's, per second)"
    )


@pytest.mark.parametrize(("gpus", "warned"), [(LARGEST_CLUSTER_GPUS, False), (LARGEST_CLUSTER_GPUS + 1, True)])
def test_the_line_starts_past_the_largest_cluster(gpus: int, warned: bool) -> None:
    result = analyze(_scenario(gpus * 86_400, 1.0), today=TODAY)  # one request/s a replica of 1 GPU
    assert result.option("Slow").gpus == gpus
    assert (_line(result) is not None) is warned


def test_an_estimated_option_names_the_volume() -> None:
    scenario = _scenario(LARGEST_CLUSTER_GPUS * 86_400 * 100, 1.0)  # ~19 requests/s a replica estimated
    del scenario["options"][1]["throughput"]
    line = _line(analyze(scenario, today=TODAY))
    assert line is not None and "as estimated, so the volume drives it: check workload.requests_per_day" in line


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format_shows_it(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_scenario(200_000, 1e-9)))
    code, out, err = cli.invoke("report", str(path), "-f", fmt, "--today", str(TODAY))
    assert code == 0, err
    if fmt == "json":
        assert any("more than the 200,000 of the largest AI cluster" in w for w in json.loads(out)["warnings"])
    else:
        assert "more than the 200,000 of the largest AI cluster" in (err if fmt == "table" else out)


def test_a_fleet_that_grows_past_the_largest_cluster_is_said_with_its_month() -> None:
    """polish18b left it: the line read month 1 only, so 100,000 GPUs growing 5% a month (229,202 by month 18) went
    unsaid. 100,000 requests/s at 1 request/s a replica of 1 GPU: month 18 carries 1.05^17 = 2.292 times month 1."""
    scenario = _scenario(100_000 * 86_400, 1.0)
    scenario["workload"]["growth_per_month"] = 0.05
    scenario["horizon_months"] = 18
    result = analyze(scenario, today=TODAY)
    assert result.option("Slow").gpus == 100_000
    assert _line(result) == (
        "Slow: sized at 229,202 GPUs (229,202 replicas of 1) by month 18 (100,000 in month 1, usage growing 5% a"
        " month), more than the 200,000 of the largest AI cluster reported (xAI's Colossus, reported 2025-10-06); a"
        " replica serves 1 requests/s (200 output tokens/s) by its points: check options[Slow].throughput.points"
        " (requests_per_s, output_tokens_per_s: one replica's, per second)"
    )


def test_a_shrinking_fleet_is_read_at_month_1() -> None:
    scenario = _scenario(150_000 * 86_400, 1.0)
    scenario["workload"]["growth_per_month"] = -0.05
    assert _line(analyze(scenario, today=TODAY)) is None


@pytest.mark.parametrize(
    ("growth", "horizon", "life", "month"),
    [(0.05, 18, None, 18), (0.0, 18, None, 1), (-0.1, 18, None, 1), (0.05, 36, 24, 24)],
)
def test_the_busiest_month_is_the_last_one_served_while_usage_grows(
    growth: float, horizon: int, life: int | None, month: int
) -> None:
    assert int(busiest_month(growth, horizon, life)) == month


def test_an_estimated_replicas_rates_read_as_counts() -> None:
    """The line said '(1.73e+03 output tokens/s)' of a replica estimated at 1,730."""
    scenario = _scenario(LARGEST_CLUSTER_GPUS * 86_400 * 100, 1.0)
    del scenario["options"][1]["throughput"]
    line = _line(analyze(scenario, today=TODAY))
    assert line is not None and "e+0" not in line
    assert re.search(r"a replica serves [\d.]+ requests/s \([\d,]+ output tokens/s\) as estimated", line), line
