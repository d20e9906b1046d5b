"""A `--set` that names an unknown price, GPU or model is blamed on the override, not on the file's line it replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc import api
from costcalc.cli import app
from costcalc.errors import InputError

SCENARIO = """\
version: 1
workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
options:
  - {name: Mini, kind: api, model: openai/gpt-5-mini}
  - name: Rented
    kind: self_hosted
    model: gpt-oss-20b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}
"""

CASES = [
    ("options[0].model=openai/gpt-5-minii", "unknown api price id 'openai/gpt-5-minii'"),
    ("options[Rented].hardware.gpu=h100-sxm-80g", "unknown GPU id 'h100-sxm-80g'"),
    ("options[Rented].model=gpt-oss-21b", "unknown model id 'gpt-oss-21b'"),
]


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.mark.parametrize(("override", "says"), CASES)
def test_the_command_line_names_the_override(scenario: Path, override: str, says: str) -> None:
    # the file's own line holds a value that is fine: pointing at it sent the reader to the wrong place
    result = CliRunner().invoke(app, ["report", str(scenario), "--set", override, "--today", "2026-12-05"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: --set {override}: {says}")
    assert str(scenario) not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("override", "says"), CASES)
def test_the_python_api_names_the_argument(scenario: Path, override: str, says: str) -> None:
    with pytest.raises(InputError) as info:
        api.analyze(str(scenario), overrides=[override], today=dt.date(2026, 12, 5))
    assert str(info.value).startswith(f"overrides={override!r}: {says}")


def test_an_unknown_id_in_the_file_still_names_its_line(scenario: Path) -> None:
    scenario.write_text(SCENARIO.replace("openai/gpt-5-mini", "openai/gpt-5-minii"), encoding="utf-8")
    with pytest.raises(InputError) as info:  # an override elsewhere does not take the blame
        api.analyze(str(scenario), overrides=["workload.input_tokens=600"], today=dt.date(2026, 12, 5))
    assert str(info.value).startswith(f"{scenario}:4: options[Mini].model: unknown api price id 'openai/gpt-5-minii'")
