"""`costcalc diff` and `report --fail-if` through CliRunner: stdout, stderr and exit codes apart."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

TODAY = "2026-09-01"


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def pair(base_scenario, write_yaml):
    head = copy.deepcopy(base_scenario)
    head["options"][1]["hardware"]["hourly_usd"] = 3.0  # rented: $2,190 + $1,000 = $3,190 (was $2,460)
    return str(write_yaml(base_scenario, "base.yaml")), str(write_yaml(head, "head.yaml"))


def test_diff_table_and_json(pair):
    r = _run("diff", *pair, "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "Rented GPUs" in r.stdout and "+$730" in r.stdout and "+29.7%" in r.stdout
    r = _run("diff", *pair, "-f", "json", "--today", TODAY)
    data = json.loads(r.stdout)
    rented = next(o for o in data["options"] if o["name"] == "Rented GPUs")
    assert rented["monthly_cost"]["change"] == pytest.approx(730.0)


def test_diff_guardrail_trips_exit_1_and_still_writes(pair, tmp_path):
    out = tmp_path / "comment.md"
    r = _run(
        "diff",
        *pair,
        "-f",
        "markdown",
        "-o",
        str(out),
        "--today",
        TODAY,
        "--fail-if",
        "diff.monthly_cost_pct[Rented GPUs] > 10",
        "--fail-if",
        "diff.monthly_cost_pct > 50",
    )
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == [
        "guardrail tripped: diff.monthly_cost_pct[Rented GPUs] > 10 (actual 29.67; from --fail-if)"
    ]
    assert r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!-- costcalc-report -->")


def test_diff_bad_guardrail_is_exit_2(pair):
    r = CliRunner().invoke(app, ["diff", *pair, "--fail-if", "diff.monthly_cost_pct[Nope] > 1", "--today", TODAY])
    assert r.exit_code == 2
    assert "no option 'Nope'; options: Explicit API, Rented GPUs, Seats" in r.stderr
    assert r.stdout == ""


def test_report_fail_if_prints_values_and_writes_the_report(write_yaml, base_scenario, tmp_path):
    path = write_yaml(base_scenario)
    out = tmp_path / "r.json"
    r = _run(
        "report",
        str(path),
        "-f",
        "json",
        "-o",
        str(out),
        "--today",
        TODAY,
        "--fail-if",
        "monthly_cost[Rented GPUs] > 2000",
        "--fail-if",
        "cheapest != Rented GPUs",
    )
    assert r.exit_code == 1
    assert "guardrail tripped: monthly_cost[Rented GPUs] > 2000 (actual 2,460; from --fail-if)" in r.stderr
    assert "cheapest" not in r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["cheapest"] == "Rented GPUs"


def test_report_guardrails_from_the_scenario(write_yaml, base_scenario):
    base_scenario["guardrails"] = ["monthly_cost[Explicit API] > 6000"]
    path = write_yaml(base_scenario)
    r = _run("report", str(path), "-f", "json", "--today", TODAY)
    assert r.exit_code == 1
    assert "from " in r.stderr and "guardrails[0]" in r.stderr and "actual 6,083.33" in r.stderr
    assert json.loads(r.stdout)["options"]


def test_report_without_tripped_guardrails_exits_0(write_yaml, base_scenario):
    r = _run(
        "report",
        str(write_yaml(base_scenario)),
        "-f",
        "markdown",
        "--today",
        TODAY,
        "--fail-if",
        "monthly_cost > 1e6",
    )
    assert r.exit_code == 0 and r.stderr == ""


def test_report_unknown_metric_is_exit_2(write_yaml, base_scenario):
    r = CliRunner().invoke(app, ["report", str(write_yaml(base_scenario)), "--fail-if", "monthy_cost > 1"])
    assert r.exit_code == 2
    assert "unknown metric 'monthy_cost'" in r.stderr and "valid: monthly_cost" in r.stderr
    assert r.stdout == ""
