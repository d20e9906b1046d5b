"""Every terminal table names the columns it had no room for, through the one note `layout.render` writes: report,
sweep, sensitivity, simulate, diff, pricing list and catalog at 80 columns, each line within the width."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.render import layout

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = ["--today", "2026-12-05"]
WIDTH = 80

COMMANDS = {
    "report": ["report", str(EXAMPLES / "nightly-batch.yaml"), "--details", *TODAY],
    "sweep": [
        "sweep",
        str(EXAMPLES / "startup-chatbot.yaml"),
        "--vary",
        "workload.requests_per_day=1000:1e8:5",
        *TODAY,
    ],
    "sensitivity": ["sensitivity", str(EXAMPLES / "startup-chatbot.yaml"), *TODAY],
    "simulate": ["simulate", str(EXAMPLES / "startup-chatbot.yaml"), "--samples", "200", "--seed", "1", *TODAY],
    "diff": ["diff", str(EXAMPLES / "startup-chatbot.yaml"), str(EXAMPLES / "internal-assistant.yaml"), *TODAY],
    "pricing list": ["pricing", "list", "--kind", "rental"],
    "catalog models": ["catalog", "models"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_column_a_table_leaves_out_is_named_under_it(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fitted: list[tuple[list[layout.Column], list[layout.Column]]] = []
    fit = layout.fit

    def recording(columns: Sequence[layout.Column], width: int) -> list[layout.Column] | None:
        kept = fit(columns, width)
        if kept is not None and width == WIDTH:
            fitted.append((list(columns), kept))
        return kept

    monkeypatch.setattr(layout, "fit", recording)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    result = CliRunner().invoke(app, COMMANDS[command])
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= WIDTH
    gone = [c.label for columns, kept in fitted for c in columns if c not in kept]
    assert gone, f"{command} left nothing out at {WIDTH} columns; pick a case that does"
    flat = " ".join(result.stdout.split())
    assert f"Not shown at {WIDTH} columns: " in flat
    for label in gone:
        assert label in flat, f"{command}: {label!r} dropped silently"
