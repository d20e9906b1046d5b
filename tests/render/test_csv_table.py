"""The fast CSV writer: money to the cent, counts whole, other numbers to 6 digits, text quoted, NaN empty."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.render.csv_table import frame_csv
from costcalc.render.sweep import csv_rule


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_worked_cells() -> None:
    frame = pd.DataFrame(
        {
            "monthly_cost[A, the first]": [0.0, -0.004, -0.006, 1234.5, 12_345_678.9, np.nan],
            "tokens_per_month": [0.4, 2.5e9, 999.5, 1e12, 7.0, np.nan],
            "workload.requests_per_day": [1e7, 1.0040040040, 2.5e-7, 123456789.0, 0.0, np.nan],
            "cheapest": pd.Categorical(["A, the first", 'say "B"', "A, the first", "C", None, "C"]),
        }
    )
    rows = _rows(frame_csv(frame, csv_rule))
    assert rows[0] == list(frame.columns)  # a header with a comma is quoted and read back whole
    # -0.004 rounds to 0.00; -0.006 to -0.01; tokens whole (999.5 → 1000, half to even: 2.5e9 stays);
    # 6 significant digits without an exponent where short (1e7 → 10000000, 123456789 → 123457000)
    assert [r[0] for r in rows[1:]] == ["0.00", "0.00", "-0.01", "1234.50", "12345678.90", ""]
    assert [r[1] for r in rows[1:]] == ["0", "2500000000", "1000", "1000000000000", "7", ""]
    assert [r[2] for r in rows[1:]] == ["10000000", "1.004", "2.5e-07", "123457000", "0", ""]
    assert [r[3] for r in rows[1:]] == ["A, the first", 'say "B"', "A, the first", "C", "", "C"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=1, max_size=300))
def test_money_reads_back_to_the_cent(values: list[float]) -> None:
    frame = pd.DataFrame({"monthly_cost[X]": values, "self_hosted_savings": values[::-1]})
    rows = _rows(frame_csv(frame, csv_rule))[1:]
    assert len(rows) == len(values)
    for (cell, back), v, w in zip(rows, values, values[::-1]):
        for text, want in ((cell, v), (back, w)):
            assert len(text.split(".")[1]) == 2
            assert abs(float(text) - want) <= 0.005 + 1e-12 * abs(want)


def test_many_rows_in_blocks_keep_their_order() -> None:
    n = 200_003  # several blocks of rows, the last one short
    money = np.arange(n) * 0.01
    frame = pd.DataFrame({"monthly_cost[X]": money, "tokens_per_month": np.arange(n, dtype=float)})
    rows = _rows(frame_csv(frame, csv_rule))[1:]
    assert len(rows) == n
    assert rows[0] == ["0.00", "0"] and rows[-1] == [f"{(n - 1) / 100:.2f}", str(n - 1)]
    assert rows[123_457] == ["1234.57", "123457"]
