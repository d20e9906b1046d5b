"""Result.options_frame() and `costcalc report -f csv` are one table: the same columns, the same figures."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import costcalc
from tests.conftest import TODAY
from tests.support.cli import invoke

EXAMPLES_DAY = "2026-12-06"  # the examples' prices are all valid on it (some were not yet on TODAY)
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_notebooks_options_frame_is_the_reports_csv(path: Path) -> None:
    """options_frame had 17 columns (no cost lines, throughput, actual range, cost at either end, break-even,
    payback, cheapest; `utilisation` where the CSV says utilisation_share): a notebook could not read the CLI's
    figures. Now every CSV column is there with the same value (the CSV at 6 decimals, yes/no for cheapest)."""
    code, out, err = invoke("report", str(path), "--today", EXAMPLES_DAY, "-f", "csv")
    assert code == 0, err
    csv = pd.read_csv(io.StringIO(out)).set_index("option")
    frame = costcalc.analyze(costcalc.load_scenario(str(path)), today=EXAMPLES_DAY).options_frame()
    assert list(frame.index) == list(csv.index)
    assert [c for c in frame.columns if c != "utilisation"] == list(csv.columns)
    for column in csv.columns:
        got, want = frame[column], csv[column]
        if column == "cheapest":
            assert list(got) == [w == "yes" for w in want]
        elif pd.api.types.is_numeric_dtype(want):
            assert pd.to_numeric(got).tolist() == pytest.approx(want.tolist(), nan_ok=True, abs=1e-6), column
        else:
            assert [g if isinstance(g, str) else None for g in got] == [w if isinstance(w, str) else None for w in want]


def test_utilisation_keeps_its_earlier_name(base_scenario: dict) -> None:
    frame = costcalc.analyze(base_scenario, today=TODAY).options_frame()
    assert frame["utilisation"].equals(frame["utilisation_share"])
