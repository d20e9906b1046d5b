"""-o FILE and --format agree: the extension picks the format when -f is absent, a mismatch is exit 2 (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analysis.scenarios import BASE
from tests.support.cli import invoke

TODAY = "2026-09-01"


@pytest.fixture()
def scenario(tmp_path: Path) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(BASE)
    return str(path)


def _commands(scenario: str) -> dict[str, tuple[str, ...]]:
    return {
        "report": ("report", scenario, "--today", TODAY),
        "diff": ("diff", scenario, scenario, "--today", TODAY),
        "sweep": ("sweep", scenario, "--vary", "workload.requests_per_day=1e5,2e5"),
        "sensitivity": ("sensitivity", scenario, "--input", "workload.requests_per_day"),
        "simulate": ("simulate", scenario, "--samples", "20", "--seed", "1"),
    }


@pytest.mark.parametrize(
    ("command", "name", "check"),
    [
        ("report", "r.json", lambda text: json.loads(text)["schema_version"]),
        ("report", "r.csv", lambda text: text.startswith("option,")),
        ("report", "r.md", lambda text: text.startswith("### LLM cost report")),
        ("report", "r.html", lambda text: text.lower().startswith("<!doctype html>")),
        ("diff", "d.json", lambda text: json.loads(text)["options"]),
        ("diff", "d.md", lambda text: text.startswith("<!-- costcalc-report -->")),
        ("sweep", "s.csv", lambda text: text.startswith("workload.requests_per_day,")),
        ("sweep", "s.json", lambda text: json.loads(text)["kind"] == "sweep"),
        ("sensitivity", "t.json", lambda text: json.loads(text)),
        ("sensitivity", "t.csv", lambda text: text.startswith("input,")),
        ("simulate", "m.json", lambda text: json.loads(text)["kind"] == "simulation"),
        ("simulate", "m.csv", lambda text: "monthly_cost[API A]" in text.splitlines()[0]),
    ],
)
def test_the_extension_picks_the_format(scenario: str, tmp_path: Path, command: str, name: str, check) -> None:
    target = tmp_path / name
    code, out, err = invoke(*_commands(scenario)[command], "-o", str(target))
    assert code in (0, 1), err  # diff/report may trip no guardrail here; exit 1 would still write
    assert check(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", ["report", "diff", "sweep", "sensitivity", "simulate"])
def test_an_extension_naming_another_format_is_exit_2(scenario: str, tmp_path: Path, command: str) -> None:
    target = tmp_path / "out.csv" if command == "diff" else tmp_path / "out.json"
    fmt = "markdown" if command == "diff" else "table"
    code, out, err = invoke(*_commands(scenario)[command], "-f", fmt, "-o", str(target))
    assert code == 2
    assert err.startswith(f"error: -o: {target.name} names the {target.suffix[1:]} format but --format is {fmt};")
    assert out == "" and not target.exists()


def test_an_unknown_extension_keeps_the_default_format(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "report.out"
    code, _, err = invoke("report", scenario, "--today", TODAY, "-o", str(target))
    assert code == 0, err
    assert "Cheapest now" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["JSON", "Json", "json"])
def test_format_is_case_insensitive(scenario: str, given: str) -> None:
    code, out, err = invoke("report", scenario, "--today", TODAY, "-f", given)
    assert code == 0, err
    assert json.loads(out)["schema_version"]


def test_a_matching_extension_and_format_agree(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "r.markdown"
    code, _, err = invoke("report", scenario, "--today", TODAY, "-f", "markdown", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("### LLM cost report")


@pytest.mark.parametrize("name", ["report.pdf", "REPORT.DOCX", "slides.pptx", "chart.jpg"])
def test_an_extension_costcalc_writes_in_no_format_is_exit_2_and_writes_nothing(
    scenario: str, tmp_path: Path, name: str
) -> None:
    # `-o report.pdf` wrote the terminal table's text into report.pdf (exit 0)
    target = tmp_path / name
    code, out, err = invoke(*_commands(scenario)["report"], "-o", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"error: -o: costcalc writes no {Path(name).suffix} file ({name}); ")
    assert "\n" not in err and not target.exists()


def test_an_extension_naming_no_format_with_format_given_writes_that_format(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    code, _, err = invoke(*_commands(scenario)["report"], "-f", "html", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").lower().startswith("<!doctype html>")


def test_an_unknown_format_names_the_choices_without_pydantic_noise(scenario: str) -> None:
    code, out, err = invoke(*_commands(scenario)["report"], "-f", "htm")
    assert code == 2 and out == ""
    assert err == (
        "error: Invalid value for '--format' / '-f': 'htm' is not one of 'table', 'json', 'csv', 'markdown', 'html',"
        " 'xlsx'; see `costcalc report --help`"
    )
