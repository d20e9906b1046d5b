"""Every shipped example runs through the CLI and gives a sane, fully sourced report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def test_there_are_four_examples_or_more() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_reports(path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(path), "--format", "json", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema_version"] == "1.2"
    kinds = {o["kind"] for o in report["options"]}
    assert "api" in kinds and "self_hosted" in kinds
    for option in report["options"]:
        assert option["monthly_cost"] > 0, option["name"]
        lines = sum(option["breakdown"].values())
        assert lines == pytest.approx(option["monthly_cost"], rel=1e-9), option["name"]
        for price in option["prices"]:
            assert price["source"] and price["as_of"], price
        if option["kind"] == "self_hosted":
            assert option["replicas"] >= 1 and 0 < option["utilisation"] <= 1
            assert option["throughput"]["basis"] in ("estimated", "measured", "given")
    cheapest = min(report["options"], key=lambda o: o["monthly_cost"])
    assert report["cheapest"] == cheapest["name"]
    assert report["verdict"] and report["verdict"][0].startswith(f"Cheapest now: {cheapest['name']}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_table_renders(path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-11-26"])
    assert result.exit_code == 0, result.stderr
    assert "Verdict" in result.stdout and "Assumptions" in result.stdout


def test_the_startup_example_has_no_stale_price_on_the_release_day() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05"])
    assert result.exit_code == 0, result.stderr
    assert "older than" not in result.stderr and "stale" not in result.stderr, result.stderr


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_name_todays_api_models(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for retired in ("gpt-5-mini", "gpt-5.4", "claude-sonnet-4-5", "claude-haiku-4-5"):
        assert f"/{retired}\n" not in text and f"/{retired} " not in text, retired
