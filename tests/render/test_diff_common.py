"""The changed-inputs list writes a whole number as it writes a fractional one: its thousands grouped."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.render.diff_common import value_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_numbers_have_their_thousands_grouped_whole_or_not() -> None:
    assert [value_text(v) for v in (2000, 24000.0, 0.35, 36, None, True, "UTC")] == [
        "2,000",
        "24,000",
        "0.35",
        "36",
        "(none)",
        "True",
        "UTC",
    ]


def test_a_whole_number_of_users_reads_as_the_requests_beside_it() -> None:
    """startup-chatbot against internal-assistant read 'workload.users: (none) → 2000' two lines under
    'workload.requests_per_day: 40,000 → 24,000'."""
    result = CliRunner().invoke(
        app,
        [
            "diff",
            str(EXAMPLES / "startup-chatbot.yaml"),
            str(EXAMPLES / "internal-assistant.yaml"),
            "--today",
            "2026-12-07",
        ],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.stderr
    assert "workload.users: (none) → 2,000" in result.stdout
    assert "workload.requests_per_day: 40,000 → 24,000" in result.stdout
