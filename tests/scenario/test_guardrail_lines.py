"""A scenario's guardrail that cannot be read, or names an option the scenario lacks, is said at its own line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.errors import InputError
from costcalc.scenario.loaders import load_scenario

SCENARIO = """\
version: 1
workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
options:
  - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
guardrails:
  - monthly_cost < 1e9
  - GUARD
"""


def _write(tmp_path: Path, guard: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("GUARD", guard), encoding="utf-8")
    return path


def test_a_guardrail_that_does_not_parse_is_said_at_its_line(tmp_path: Path) -> None:
    # was 's.yaml:1: guardrail ...': the line of the file's first key, whatever it is
    path = _write(tmp_path, "'payback_months >'")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path}:7: guardrails[1]: guardrail 'payback_months >': no value after the operator; write METRIC[OPTION]"
        " OP VALUE, e.g. 'monthly_cost[My option] > 40000'"
    )


def test_a_guardrail_set_on_the_command_line_names_the_flag(tmp_path: Path) -> None:
    path = _write(tmp_path, "'payback_months > 5'")
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=['guardrails=["monthly_cost >"]'])
    assert str(info.value).startswith("""overrides='guardrails=["monthly_cost >"]': guardrail 'monthly_cost >'""")


@pytest.mark.parametrize(
    ("guard", "says"),
    [
        ("'monthly_cost[Nope] > 5'", "guardrail 'monthly_cost[Nope] > 5': no option 'Nope'; options: A"),
        ("'diff.monthly_cost_pct > 5'", "guardrail 'diff.monthly_cost_pct > 5': diff.* metrics apply only to"),
    ],
)
def test_a_guardrail_the_report_cannot_check_is_said_at_its_line(tmp_path: Path, guard: str, says: str) -> None:
    # was 's.yaml: guardrails[1]: ...', without the line
    path = _write(tmp_path, guard)
    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05", "-f", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:7: guardrails[1]: {says}")


def test_a_tripped_guardrail_says_where_it_is_written(tmp_path: Path) -> None:
    path = _write(tmp_path, "'monthly_cost > 0'")
    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05", "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.endswith(f"(fail if monthly_cost > 0; from {path}:7: guardrails[1])\n")


@pytest.mark.parametrize(
    "command",
    [["sweep", "--vary", "workload.input_tokens=400,600"], ["simulate", "-n", "50"], ["pricing", "lock", "-o", "L"]],
    ids=lambda c: c[0],
)
def test_every_command_refuses_a_guardrail_naming_no_option(tmp_path: Path, command: list[str]) -> None:
    # only report and diff checked it (they gate on guardrails); sweep, simulate, lock ran the broken scenario
    path = _write(tmp_path, "'cheapest != B'")
    args = [*command[:2], str(path), *command[2:]] if command[0] == "pricing" else [command[0], str(path), *command[1:]]
    args = [str(tmp_path / "lock.json") if a == "L" else a for a in args]  # never the working folder's default
    result = CliRunner().invoke(app, [*args, "--today", "2026-12-05"])
    assert result.exit_code == 2
    assert result.stderr == (f"error: {path}:7: guardrails[1]: guardrail 'cheapest != B': no option 'B'; options: A\n")
