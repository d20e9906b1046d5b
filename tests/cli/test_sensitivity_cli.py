"""`costcalc sensitivity` through CliRunner: tornado table, JSON/CSV, --input, --delta errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from costcalc.cli.sensitivity import SensitivityFormat
from costcalc.render.numbers import short_money
from tests.analysis.scenarios import BASE
from tests.support import cli


def invoke(*args: str) -> tuple[int, str, str]:
    return cli.invoke("sensitivity", *args)


@pytest.fixture()
def scenario(tmp_path: Path) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(BASE)
    return str(path)


def test_tornado_table(scenario: str) -> None:
    code, out, err = invoke(scenario, "--delta", "10%")
    assert code == 0, err
    assert "Accrued over 12 months at 5.0% growth a month, self-hosting " in out
    assert "Sensitivity of what self-hosting saves accrued over 12 months (best API minus best self-hosted)" in out
    assert "±10%" in out and "Owned H100: engineer hours a month" in out
    assert "hourly_usd" not in out  # labels in words, not paths
    assert " more " in out or "saves $" in out


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_tornado_fits_the_width(scenario: str, columns: int) -> None:
    from typer.testing import CliRunner

    from costcalc.cli import app

    result = CliRunner().invoke(app, ["sensitivity", scenario], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= columns


def test_json_lists_chosen_inputs_ranked(scenario: str) -> None:
    code, out, _ = invoke(
        scenario,
        "--input",
        "workload.requests_per_day",
        "--input",
        "options[API A].discount",
        "--format",
        "json",
    )
    assert code == 0
    body = json.loads(out)
    assert body["kind"] == "sensitivity" and body["metric"] == "self_hosted_savings_over_horizon"
    assert body["schema_version"] == "1.5" and body["horizon_months"] == 12 and body["notes"] == []
    assert body["inputs"][0]["label"] == "Requests per day"
    swings = [row["swing"] for row in body["inputs"]]
    assert swings == sorted(swings, reverse=True)
    assert {row["input"] for row in body["inputs"]} == {"workload.requests_per_day"}
    assert any("options[API A].discount" in s for s in body["skipped"])  # 0 cannot be scaled


def test_csv(scenario: str) -> None:
    code, out, _ = invoke(scenario, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) == {
        "input",
        "label",
        "base",
        "low",
        "high",
        "metric_low",
        "metric_high",
        "range_source",
        "swing",
    }


@pytest.mark.parametrize("delta", ["0%", "abc", "120%"])
def test_bad_delta_exits_2(scenario: str, delta: str) -> None:
    code, out, err = invoke(scenario, "--delta", delta)
    assert code == 2 and out == "" and "--delta" in err


def test_every_format_renders(scenario: str) -> None:
    from costcalc.api import sensitivity

    frame = sensitivity(scenario, inputs=["workload.requests_per_day"])
    for fmt in SensitivityFormat:
        assert fmt.render(frame)


def test_the_savings_are_accrual_and_every_format_says_so(scenario: str) -> None:
    # Owned H100 (bought for $30,000) is the cheapest self-hosted option by accrual but not by cash, so the base
    # savings tell the two apart: best API accrual - best self-hosted accrual, not the report's cash column
    code, out, err = cli.invoke("report", scenario, "-f", "json")
    assert code == 0, err
    options = json.loads(out)["options"]

    def best(kind: str, total: str) -> float:
        return min(o[total] for o in options if o["kind"] == kind)

    accrual = best("api", "horizon_accrual_total") - best("self_hosted", "horizon_accrual_total")
    cash = best("api", "horizon_cash_total") - best("self_hosted", "horizon_cash_total")
    assert abs(accrual - cash) > 1000  # the scenario separates the two views

    code, out, err = invoke(scenario, "--format", "json")
    assert code == 0, err
    body = json.loads(out)
    assert body["base_metric"] == pytest.approx(accrual, abs=0.01)
    assert body["metric_basis"] == "accrual"

    code, out, err = invoke(scenario)
    assert code == 0, err
    lines = out.splitlines()
    said = f"Accrued over 12 months at 5.0% growth a month, self-hosting saves {short_money(accrual, 'USD')}."
    assert lines[0] == said
    assert "what self-hosting saves accrued over 12 months" in out
    assert "Accrued: bought hardware counts as depreciation over its life, not up-front cash" in " ".join(lines)


def test_an_end_moved_as_far_as_another_input_allows_is_said_as_limited_not_skipped(scenario: str) -> None:
    sets = ["--set", "workload.cached_input_share=0.9", "--set", "workload.cache_write_share=0.05"]
    args = (scenario, *sets, "--input", "workload.cached_input_share")
    code, out, err = invoke(*args)
    assert code == 0, err
    text = " ".join(out.split())  # the note wraps at the terminal's width
    assert "limited: workload.cached_input_share=1:" in text and "its high end is 0.95 instead" in text
    assert "skipped:" not in text
    code, out, err = invoke(*args, "--format", "json")
    body = json.loads(out)
    assert body["skipped"] == [] and len(body["limited"]) == 1 and "0.95 instead" in body["limited"][0]
