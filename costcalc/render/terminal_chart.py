"""A compact cost-versus-volume chart in plain text for a wide terminal (log axes, one letter per option; a $0 cost on
a row of its own under the log rows)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from costcalc.render.numbers import short_money, tokens
from costcalc.render.wrapping import wrap
from costcalc.report.result import Result

if TYPE_CHECKING:
    from costcalc.analysis.curves import CostCurves

ROWS = 12
LABEL_W = 9  # y-axis labels
MARKS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def render(curves: CostCurves, result: Result, *, width: int = 120) -> str:
    """Text lines: a plot of monthly cost (rows) over tokens/month (columns), '|' at today's volume. Lines that fall on
    the same row take its cells in turn ('ABABAB'), so none hides another, and the legend says so."""
    cols = max(40, min(width, 160) - LABEL_W - 2)
    xs = [float(v) for v in curves.tokens_per_month]
    x_lo, x_hi = math.log10(xs[0]), math.log10(xs[-1])
    values = [c for s in curves.monthly_cost.values() for c in s if c > 0]
    free = any(c <= 0 for s in curves.monthly_cost.values() for c in s)  # a $0 cost: on a $0 row under the log rows
    y_lo, y_hi = (math.log10(min(values)), math.log10(max(values))) if values else (0.0, 1.0)
    if y_hi - y_lo < 1e-9:
        y_lo, y_hi = y_lo - 0.5, y_hi + 0.5
    # the $0 row, under a blank row where log rows are drawn above it (a log axis has no $0: the axis breaks)
    rows = (ROWS if values else 0) + (1 if free else 0) + (1 if free and values else 0)
    grid = [[" "] * cols for _ in range(rows)]
    drawn: dict[tuple[int, int], list[str]] = {}  # (row, column) → the marks of the lines through that cell
    cur = round((math.log10(curves.current_tokens_per_month) - x_lo) / (x_hi - x_lo) * (cols - 1))
    for r in range(rows):
        if 0 <= cur < cols:
            grid[r][cur] = "|"
    for i, series in enumerate(curves.monthly_cost.values()):
        mark = MARKS[i % len(MARKS)]
        for c in range(cols):
            target = x_lo + (x_hi - x_lo) * c / (cols - 1)
            j = min(range(len(xs)), key=lambda k: abs(math.log10(xs[k]) - target))
            v = float(series[j])
            r = rows - 1 if v <= 0 else ROWS - 1 - round((math.log10(v) - y_lo) / (y_hi - y_lo) * (ROWS - 1))
            drawn.setdefault((r, c), []).append(mark)
    for (r, c), marks in drawn.items():
        grid[r][c] = marks[c % len(marks)]  # one line: its letter; several: each in turn along the row
    out = ["", "Monthly cost vs tokens/month (log-log; | = today)"]
    for r, row in enumerate(grid):
        if free and r == rows - 1:
            label = short_money(0, result.currency)
        elif r >= ROWS:  # the blank row between the log rows and $0: the axis breaks there
            label = "≈"
        elif r in (0, ROWS // 2, ROWS - 1):
            label = short_money(10 ** (y_hi - (y_hi - y_lo) * r / (ROWS - 1)), result.currency)
        else:
            label = ""
        out.append(f"{label:>{LABEL_W}} ┤{''.join(row)}")
    axis = f"{tokens(xs[0])}".ljust(cols // 2) + f"{tokens(xs[-1])}".rjust(cols - cols // 2)
    out.append(" " * (LABEL_W + 2) + axis)
    names = list(curves.monthly_cost)
    legend = [f"{MARKS[i % len(MARKS)]} = {n}" for i, n in enumerate(names)]
    if any(len(set(marks)) > 1 for marks in drawn.values()):
        legend.append("(lines on the same row take turns: 'ABAB' is A and B)")
    return "\n".join(out + _legend_lines(legend, max(width, 40))) + "\n"


def _legend_lines(entries: list[str], width: int) -> list[str]:
    """The legend's entries two spaces apart in lines of at most `width` columns, an entry broken over two lines only
    where it is longer than a line ('C = GPT-6.1 Terra' / 'API' read as two options at 80 columns)."""
    lines: list[str] = []
    for entry in entries:
        joined = f"{lines[-1]}  {entry}" if lines else entry
        if lines and len(wrap(joined, width)) == 1:
            lines[-1] = joined
        else:
            lines += wrap(entry, width)
    return lines
