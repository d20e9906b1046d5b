"""`costcalc simulate` through CliRunner: percentiles table, reproducible JSON, per-sample CSV, errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from costcalc.cli.simulate import SimulateFormat
from tests.analysis.scenarios import BASE
from tests.support import cli

UNCERTAIN = BASE.replace("hourly_usd: 2.49", "hourly_usd: {dist: triangular, low: 1.5, mode: 2.49, high: 3.5}")


def invoke(*args: str) -> tuple[int, str, str]:
    return cli.invoke("simulate", *args)


@pytest.fixture()
def scenario(tmp_path: Path) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(UNCERTAIN)
    return str(path)


def test_table(scenario: str) -> None:
    code, out, err = invoke(scenario, "--samples", "2000", "--seed", "5")
    assert code == 0, err
    assert "2,000 samples, seed 5" in out and "Month P10" in out
    assert "Self-hosting is cheaper than the best API in" in out
    assert "triangular(low=1.5, mode=2.49, high=3.5)" in out


def test_same_seed_same_json(scenario: str) -> None:
    a = invoke(scenario, "-n", "1000", "--seed", "42", "--format", "json")
    b = invoke(scenario, "-n", "1000", "--seed", "42", "--format", "json")
    assert a[0] == 0 and a[1] == b[1]
    body = json.loads(a[1])
    assert body["samples"] == 1000 and body["seed"] == 42
    assert 0 <= body["probability_self_hosting_cheaper"] <= 1
    names = [o["option"] for o in body["options"]]
    assert names == ["API A", "API B", "Rented H100", "Owned H100", "Seats"]


def test_csv_has_one_row_per_sample(scenario: str) -> None:
    code, out, _ = invoke(scenario, "-n", "300", "--seed", "1", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 300 and "monthly_cost[Rented H100]" in rows[0]


def test_bad_distribution_exits_2_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE.replace("hourly_usd: 2.49", "hourly_usd: {dist: gaussian, mean: 2.49, sd: 0.2}"))
    code, out, err = invoke(str(path), "--seed", "1")
    assert code == 2 and out == ""
    assert f"{path}:" in err and "unknown distribution 'gaussian'" in err


def test_every_format_renders(scenario: str) -> None:
    from costcalc.api import simulate

    sim = simulate(scenario, samples=50, seed=1)
    for fmt in SimulateFormat:
        assert fmt.render(sim)


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_table_fits_the_width_with_every_figure_whole(scenario: str, columns: int) -> None:
    from typer.testing import CliRunner

    from costcalc.cli import app

    result = CliRunner().invoke(app, ["simulate", scenario, "-n", "500", "--seed", "1"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "…" not in result.stdout and "Month P50" in result.stdout
    costs = lines[next(i for i, line in enumerate(lines) if line.startswith("Cost (month 1")) :]  # not the inputs'
    assert all(
        re.fullmatch(r"\$[\d,.]+|[\d.]+%", cell)
        for line in costs
        if line.startswith("Rented H100") and "$" in line
        for cell in line.split()[2:]
    )


def test_horizon_columns_say_they_are_accrual_which_the_reports_cash_column_is_not(
    scenario: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bought hardware is depreciated in the simulation's horizon total but paid up front in the report's 'Cash N mo':
    the two differ for Owned H100, so the simulation's table names its basis."""
    code, out, err = cli.invoke("report", scenario, "-f", "json")
    assert code == 0, err
    owned = next(o for o in json.loads(out)["options"] if o["name"] == "Owned H100")
    assert owned["horizon_cash_total"] != pytest.approx(owned["horizon_accrual_total"], rel=1e-3)
    code, out, err = invoke(scenario, "-n", "200", "--seed", "1", "-f", "json")
    assert code == 0, err
    p50 = next(o for o in json.loads(out)["options"] if o["option"] == "Owned H100")["cumulative_cost_p50"]
    assert p50 == pytest.approx(owned["horizon_accrual_total"], rel=1e-9)  # the owned option carries no uncertainty
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = invoke(scenario, "-n", "200", "--seed", "1")
    assert code == 0, err
    months = json.loads(cli.invoke("report", scenario, "-f", "json")[1])["horizon_months"]
    assert f"Cost (month 1, and accrued over {months} months)" in out and "depreciation, not up-front cash" in out


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["simulate", "-n", "50", "-f", "csv"], "out.csv"),
        (["report", "-f", "json"], "out.json"),
        (["sensitivity"], "out.txt"),
        (["sweep", "--vary", "workload.requests_per_day=1,2"], "out.txt"),
    ],
)
def test_a_sampled_horizon_is_refused_by_every_command(tmp_path: Path, command: list[str], name: str) -> None:
    """simulate headed 'Cash 12 mo P10 / P50 / P90' over samples each summed over its own 6-18 months; report,
    sensitivity and sweep took the centre and said simulate samples it. Every command now refuses the file."""
    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace("horizon_months: 12", "horizon_months: {dist: uniform, low: 6, high: 18}"))
    target = tmp_path / name
    code, out, err = cli.invoke(*command, str(path), "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert "\n" not in err.strip() and "Traceback" not in err
    assert f"{path}:3: horizon_months: a uniform distribution here" in err
    assert "`--set horizon_months=N`" in err
