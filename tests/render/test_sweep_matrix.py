"""The two-input sweep's matrix gives each cell whose cheapest option rests on an estimated throughput its cost at
either end of the actual range, under the cost, as a one-input sweep's range column does ('$1,208-$1,938'; the
matrix gave none), read from the points the JSON carries; and it shows as many columns as fit whole instead of
cutting the money ('$4,3…')."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.render.numbers import money
from costcalc.render.sweep import _cost_range

CHATBOT = str(Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml")
TODAY = ["--today", "2026-12-05"]
L40S = "options[gpt-oss-20b on a rented L40S].hardware.hourly_usd"  # cheap enough that the estimate wins
VOLUME = "workload.requests_per_day"


def _sweep(columns: int, *vary: str, fmt: str = "table") -> str:
    args = ["sweep", CHATBOT, *(a for v in vary for a in ("--vary", v)), "-f", fmt, *TODAY]
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    if fmt == "table":
        assert max(len(line) for line in result.stdout.splitlines()) <= columns
    return result.stdout


def _cells(text: str) -> list[list[str]]:
    """Each body line of the matrix, split into its cells (the row's value first)."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


def test_each_cell_of_an_estimated_winner_carries_its_range() -> None:
    vary = (f"{VOLUME}=1e6,1e8", f"{L40S}=0.05,0.1,0.2")
    doc = json.loads(_sweep(80, *vary, fmt="json"))
    name = "gpt-oss-20b on a rented L40S"
    lines = _cells(_sweep(80, *vary))
    assert len(lines) == 4  # two rows of two lines each: the cost, then the range
    for i, volume in enumerate((1e6, 1e8)):
        points = [p for p in doc["rows"] if p[VOLUME] == volume]
        assert [p["cheapest"] for p in points] == [name] * 3
        cost = [f"E {money(p[f'monthly_cost[{name}]'], 'USD')}" for p in points]
        spread = [_cost_range(p[f"monthly_cost_low[{name}]"], p[f"monthly_cost_high[{name}]"], "USD") for p in points]
        assert lines[2 * i][1:] == cost and lines[2 * i + 1] == ["", *spread]
        assert all(low < p[f"monthly_cost[{name}]"] < high for p in points for low, high in [_ends(p, name)])


def _ends(point: dict[str, float], name: str) -> tuple[float, float]:
    return point[f"monthly_cost_low[{name}]"], point[f"monthly_cost_high[{name}]"]


def test_a_matrix_an_api_wins_has_no_range_line() -> None:
    text = _sweep(80, f"{VOLUME}=1e4,1e5", "workload.output_tokens=200,800")
    assert len(_cells(text)) == 2 and "under it its cost at either end" not in text


def test_cells_are_whole_at_80_columns() -> None:
    """Eight columns of ranges do not fit 80 columns: three do, evenly spaced, and a line says so."""
    text = _sweep(80, f"{VOLUME}=1e6,1e8", f"{L40S}=0.05:0.4:8")
    assert "…" not in text
    assert len(_cells(text)[0]) == 1 + 3
    assert "showing 2×3 of 2×8 points; a wider terminal shows more columns" in " ".join(text.split())
    assert len(_cells(_sweep(200, f"{VOLUME}=1e6,1e8", f"{L40S}=0.05:0.4:8"))[0]) == 1 + 8
