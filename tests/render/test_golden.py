"""Golden files: `costcalc report` in every format for one explicit-price scenario. UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.api import analyze
from costcalc.cli import app
from costcalc.render import ReportFormat

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
SCENARIO = "scenario.yaml"
TODAY = "2026-09-01"
FILES = {"table": "report.txt", "json": "report.json", "csv": "report.csv", "markdown": "report.md"}
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture
def in_golden(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(GOLDEN)  # relative names only: no machine paths in the output
    return GOLDEN


def report(fmt: str) -> str:
    result = CliRunner().invoke(app, ["report", SCENARIO, "--format", fmt, "--today", TODAY])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_golden(in_golden: Path, fmt: str) -> None:
    path = GOLDEN / FILES[fmt]
    text = report(fmt)
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} changed; review and rerun with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_rendering_is_deterministic(in_golden: Path, fmt: str) -> None:
    assert report(fmt) == report(fmt)


def test_every_report_format_renders(in_golden: Path) -> None:
    # walking the enum: a format added without a renderer fails here
    result = analyze(SCENARIO, today=dt.date.fromisoformat(TODAY))
    for fmt in ReportFormat:
        text = fmt.render(result)
        assert isinstance(text, (str, bytes)) and len(text) > 0, fmt


def test_golden_json_agrees_with_golden_csv() -> None:
    # the two machine formats say the same thing (rounded differently: JSON 6 decimals, CSV 6 decimals)
    doc = json.loads((GOLDEN / FILES["json"]).read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((GOLDEN / FILES["csv"]).read_text(encoding="utf-8"))))
    assert [r["option"] for r in rows] == [o["name"] for o in doc["options"]]
    for row, opt in zip(rows, doc["options"]):
        assert float(row["monthly_cost_usd"]) == pytest.approx(opt["monthly_cost"], abs=1e-6)
        assert row["kind"] == opt["kind"]
    assert next(iter(doc)) == "schema_version"
    assert doc["pricing_as_of"] is None  # every price explicit: no table row used


def test_golden_json_numbers_hand_checked() -> None:
    # Requests: 200,000/day × 730/24 = 6,083,333.33/month. Tokens each: 1,200 in + 300 out + 100 reasoning.
    # Cheap API: input 1,200 × $0.25/M = $0.0003; output 400 × $2/M = $0.0008 → $0.0011 × 6,083,333.33 = $6,691.67.
    # Rented H100s: 6,083,333.33 / 2,628,000 s = 2.3148 req/s mean, × 2 = 4.6296 at the peak;
    # the best point (no SLO) is 9 req/s → 1 replica: 730 h × $2.50 = $1,825 + 20 h × $120 = $2,400 → $4,225.
    doc = json.loads((GOLDEN / FILES["json"]).read_text(encoding="utf-8"))
    by_name = {o["name"]: o for o in doc["options"]}
    assert by_name["Cheap API"]["monthly_cost"] == pytest.approx(6691.666667, abs=1e-6)
    assert by_name["Rented H100s"]["monthly_cost"] == pytest.approx(4225.0, abs=1e-6)
    assert by_name["Team seats"]["monthly_cost"] == pytest.approx(12_000.0)
    assert doc["cheapest"] == "Rented H100s"
