"""A sweep's range column spells money as the cost beside it, and says one amount where both ends are the same."""

from __future__ import annotations

import math
import re
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.render.sweep import _cost_range

CHATBOT = str(Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml")
MONEY = r"\$\d{1,3}(,\d{3})*(\.\d+)?"  # '$1,975', '$85.78': the cost columns' spelling


def test_cost_range_words() -> None:
    assert _cost_range(1975.0, 1975.0, "USD") == "$1,975"  # a replica floor: the range does not move it
    assert _cost_range(1208.4, 1937.9, "USD") == "$1,208-$1,938"  # was '$1.21k-$1.94k'
    assert _cost_range(30_116.0, 105_890.0, "USD") == "$30,116-$105,890"
    assert _cost_range(1975.2, 1975.4, "USD") == "$1,975.2-$1,975.4"  # apart, never '$1,975-$1,975'
    assert _cost_range(math.nan, 1.0, "USD") == "-"


def test_range_column_beside_the_cost() -> None:
    # qa8 finding 3: at 1,000 requests a day 'E range' read '$1.98k-$1.98k' beside the cost '$1,975'
    args = ["sweep", CHATBOT, "--vary", "workload.requests_per_day=1000,60000", "--today", "2026-12-05"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("requests"))
    assert lines[head + 1].split()[:8] == ["per", "day", "A", "B", "C", "D", "E", "range"]  # E's range beside E
    low, high = (lines[i].split() for i in (head + 3, head + 4))
    assert low[0] == "1,000" and low[5:7] == ["$1,975", "$1,975"]
    assert high[0] == "60k" and high[5:7] == ["$1,975", "$1,975-$3,070"]
    assert all(re.fullmatch(MONEY, end) for end in high[6].split("-"))
