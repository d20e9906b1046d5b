"""`costcalc schema` and `costcalc init`: the JSON Schema of scenarios and a starter file that works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.models import Scenario
from costcalc.scenario.loaders import load_scenario

TODAY = "2026-09-01"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_schema_to_stdout() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert next(iter(doc)) == "$schema"
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(doc["required"]) >= {"version", "workload", "options"}
    assert {"ApiOption", "SubscriptionOption", "SelfHostedOption", "Workload"} <= set(doc["$defs"])


def test_schema_matches_the_model() -> None:
    doc = json.loads(invoke("schema").stdout)
    assert doc["$defs"] == Scenario.model_json_schema()["$defs"]


def test_schema_to_file(tmp_path: Path) -> None:
    out = tmp_path / "costcalc.schema.json"
    result = invoke("schema", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"]


def test_init_to_stdout_is_a_valid_scenario() -> None:
    result = invoke("init")
    assert result.exit_code == 0
    assert result.stderr == ""
    scenario = load_scenario(result.stdout)
    assert {o.kind for o in scenario.options} == {"api", "self_hosted", "subscription"}


def test_init_to_dash_is_stdout_as_without_a_file() -> None:
    """qa18: `costcalc init -` wrote stdout, then said 'wrote -; next: costcalc report -' (which reads stdin)."""
    dash, plain = invoke("init", "-"), invoke("init")
    assert (dash.exit_code, dash.stdout, dash.stderr) == (0, plain.stdout, "")


def test_init_writes_file_and_says_what_next(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    result = invoke("init", str(path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote {path}; next: costcalc report {path}\n"
    assert path.read_text(encoding="utf-8").startswith("# costcalc scenario")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    result = invoke("init", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: file exists; pass --force to overwrite it or choose another name\n"
    assert path.read_text(encoding="utf-8") == "my own work\n"


def test_init_force_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    result = invoke("init", str(path), "--force")
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") != "my own work\n"


def test_init_into_missing_folder(tmp_path: Path) -> None:
    # the error named -o, a flag init does not have; it names the argument, FILE
    result = invoke("init", str(tmp_path / "no" / "s.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: FILE: folder {tmp_path / 'no'} does not exist; create it or choose another path\n"
    )
    assert not (tmp_path / "no").exists()


def test_init_with_an_empty_name_says_so() -> None:
    # '' is the working folder to pathlib: it said 'error: is a folder; ...', naming nothing
    result = invoke("init", "")
    assert result.exit_code == 2
    assert result.stderr == "error: FILE: empty file name; give FILE a name, e.g. my-scenario.yaml\n"


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_starter_scenario_reports(tmp_path: Path, fmt: str) -> None:
    # the starter names shipped catalog ids; it must run as written (numbers are not checked here)
    path = tmp_path / "starter.yaml"
    assert invoke("init", str(path)).exit_code == 0
    result = invoke("report", str(path), "--format", fmt, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout


@pytest.mark.parametrize("force", [(), ("--force",)], ids=["plain", "force"])
def test_init_into_a_folder_says_to_name_a_file(tmp_path: Path, force: tuple[str, ...]) -> None:
    # a folder got "file exists; pass --force", and --force then said it is a folder
    folder = tmp_path / "scenarios"
    folder.mkdir()
    result = invoke("init", str(folder), *force)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {folder}: is a folder; give a file name, e.g. my-scenario.yaml\n"
    assert list(folder.iterdir()) == []


def test_the_starter_reads_at_80_columns() -> None:
    # `costcalc init` printed comment lines of up to 112 characters: at 80 columns they wrapped mid-comment
    result = invoke("init")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
