"""The terminal chart hides no option: lines that fall on the same row take turns there, and the legend says so."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from costcalc.analysis.curves import CostCurves
from costcalc.api import analyze_with_curves
from costcalc.render.terminal_chart import LABEL_W, MARKS, render
from costcalc.report.result import Result

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml"
SEATS = (("ChatGPT Business seats", 40_000.0), ("Microsoft 365 Copilot seats", 60_000.0))
TURNS = "(lines on the same row take turns: 'ABAB' is A and B)"


@pytest.fixture(scope="module")
def analysed() -> tuple[Result, CostCurves]:
    return analyze_with_curves(str(EXAMPLE), today=dt.date(2026, 12, 5))


def _plot(text: str) -> list[str]:
    return [line.split("┤", 1)[1] for line in text.splitlines() if "┤" in line]


@pytest.mark.parametrize("width", [80, 120])
def test_every_option_in_the_legend_is_drawn(analysed: tuple[Result, CostCurves], width: int) -> None:
    # qa8 finding 2: 'A = ChatGPT Business seats' ($40,000 a month, flat) shares its row with B = Microsoft 365
    # Copilot seats ($60,000) at 12 rows, and no A was drawn: B was drawn over it. The two flat lines are pinned
    # here so that they share a row whatever the estimated self-hosted costs set the axis to.
    result, curves = analysed
    flat = {name: np.full_like(curves.tokens_per_month, usd, dtype=float) for name, usd in SEATS}
    rising = np.geomspace(1.0, 1e9, curves.tokens_per_month.size)  # nine decades on the log axis: 0.75 a row
    crowded = dataclasses.replace(curves, monthly_cost={**flat, "Self-hosted": rising})
    text = render(crowded, result, width=width)
    plot = "".join(_plot(text))
    for i, name in enumerate(crowded.monthly_cost):
        assert MARKS[i] in plot and f"{MARKS[i]} = {name}" in " ".join(text.split()), name
    seats = next(row for row in _plot(text) if "AB" in row)
    assert seats.startswith("ABABABAB")  # both flat seat lines, each in turn along the row
    assert TURNS in " ".join(text.split())
    assert all(len(line) <= width for line in text.splitlines())


def test_a_legend_of_wide_names_fits_the_terminal(analysed: tuple[Result, CostCurves]) -> None:
    """qa15: option names in CJK characters (two columns each) made a legend line of 121 columns at 120."""
    from rich.cells import cell_len

    result, curves = analysed
    names = {f"{name} 名前のサーバー{i}": cost for i, (name, cost) in enumerate(curves.monthly_cost.items())}
    wide = dataclasses.replace(curves, monthly_cost=names)
    for width in (80, 120):
        assert max(cell_len(line) for line in render(wide, result, width=width).splitlines()) <= width


def test_no_note_when_every_line_has_its_own_row(analysed: tuple[Result, CostCurves]) -> None:
    result, curves = analysed
    low, high = (np.full_like(curves.tokens_per_month, v, dtype=float) for v in (10.0, 1e6))
    apart = dataclasses.replace(curves, monthly_cost={"cheap": low, "dear": high})
    text = render(apart, result, width=80)
    rows = _plot(text)
    assert set(rows[0]) == {"B"} and set(rows[-1]) == {"A"}  # each line whole on its own row
    assert "take turns" not in text


def test_terminal_chart_marks_today_and_every_option(base_analysed):
    result, curves = base_analysed
    text = render(curves, result, width=120)
    rows = [line for line in text.splitlines() if "┤" in line]
    cols = len(rows[0].split("┤", 1)[1])
    lo, hi = math.log10(curves.tokens_per_month[0]), math.log10(curves.tokens_per_month[-1])
    today_col = round((math.log10(result.workload.tokens_per_month) - lo) / (hi - lo) * (cols - 1))
    assert any(r.split("┤", 1)[1][today_col] == "|" for r in rows)
    plot = "".join(r.split("┤", 1)[1] for r in rows)
    for i, o in enumerate(result.options):
        assert MARKS[i] in plot and f"{MARKS[i]} = {o.name}" in text
    assert all(len(r) == LABEL_W + 2 + cols for r in rows)


def test_no_terminal_chart_when_output_is_not_a_terminal(base_scenario, write_yaml, today):
    from typer.testing import CliRunner

    from costcalc.cli import app

    r = CliRunner().invoke(app, ["report", str(write_yaml(base_scenario)), "--today", today.isoformat()])
    assert r.exit_code == 0 and "Rented GPUs" in r.stdout
    assert "Monthly cost vs tokens/month" not in r.stdout


def test_a_free_option_is_drawn_on_a_zero_row_and_every_free_option_does_not_crash(
    analysed: tuple[Result, CostCurves],
) -> None:
    # a $0 option (a free API) was left out of the plot though the legend named it, and with every option free
    # `report --details` on a wide terminal crashed (min() of no positive cost: exit 70)
    result, curves = analysed
    zero = np.zeros_like(curves.tokens_per_month, dtype=float)
    paid = np.geomspace(2.0, 2e3, curves.tokens_per_month.size)
    rows = render(dataclasses.replace(curves, monthly_cost={"Free": zero, "Paid": paid}), result, width=80).splitlines()
    plotted = [line for line in rows if "┤" in line]
    assert plotted[-1].split("┤")[0].strip() == "$0" and set(plotted[-1].split("┤")[1]) <= {"A", "|"}
    assert plotted[-2].split("┤")[0].strip() == "≈" and "A" not in plotted[-2]  # the axis broken above $0
    assert all("A" not in line.split("┤")[1] for line in plotted[:-1])
    every = render(dataclasses.replace(curves, monthly_cost={"A": zero, "B": zero}), result, width=80)
    assert [line.split("┤")[0].strip() for line in every.splitlines() if "┤" in line] == ["$0"]


def test_money_labels_past_a_thousand_billion_keep_the_axis_straight(analysed: tuple[Result, CostCurves]) -> None:
    # qa23 finding 13: '$2,360,000,000B' (15 characters) pushed its row's axis right of the others' (LABEL_W 9)
    result, curves = analysed
    huge = np.geomspace(1e9, 2.36e18, curves.tokens_per_month.size)
    text = render(dataclasses.replace(curves, monthly_cost={"Huge": huge}), result, width=80)
    assert len({line.index("┤") for line in text.splitlines() if "┤" in line}) == 1
    assert "$2.36e18" in text


def test_a_legend_entry_stays_on_one_line(analysed: tuple[Result, CostCurves]) -> None:
    # internal-assistant's details at 80 columns: 'C = GPT-6.1 Terra' / 'API  D = ...' and '(scale with the' / 'day)':
    # a name cut over two lines reads as two options; an entry now moves whole to the next line
    result, curves = analysed
    lines = render(curves, result, width=80).splitlines()
    legend = lines[next(i for i, line in enumerate(lines) if line.startswith("A = ")) :]
    entries = [f"{MARKS[i]} = {name}" for i, name in enumerate(curves.monthly_cost)]
    assert all(any(entry in line for line in legend) for entry in entries), legend
    assert all(len(line) <= 80 for line in legend)
