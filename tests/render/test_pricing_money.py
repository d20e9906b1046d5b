"""`pricing list` spells each money column one way: the currency and one number of decimals for every row."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.words import half_up

TODAY = "2026-12-05"


def _listing(kind: str, columns: int, fmt: str = "table") -> str:
    result = CliRunner().invoke(
        app, ["pricing", "list", "--kind", kind, "--today", TODAY, "-f", fmt], env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _column(text: str, header: str) -> dict[str, str]:
    """{id: cell} of one column of the fitted table, cut where its right-aligned header ends."""
    lines = text.splitlines()
    head = next(line for line in lines if line.startswith("id "))
    end = head.index(header) + len(header)
    rows = []
    for line in lines[lines.index(head) + 2 :]:
        if not line or line.startswith(("Not shown", "* ")):  # the notes under the table: what it left out, stale
            break
        rows.append(line)
    return {line.split()[0]: line[:end].split()[-1] for line in rows}


@pytest.mark.parametrize("columns", [80, 120])
def test_rental_gpu_hour_prices_are_money_to_the_cent(columns: int) -> None:
    # qa8 finding 6: the column read '1.418', '0.6338', '0.469', '2', '2.59' (no currency, 1 to 4 decimals)
    cells = _column(_listing("rental", columns), "$/GPU-h")
    rows = {r["id"]: r["usd_per_gpu_hour"] for r in json.loads(_listing("rental", columns, "json"))["rows"]}
    assert len(cells) == len(rows) > 100
    assert all(re.fullmatch(r"\$\d[\d,]*\.\d\d", c) for c in cells.values()), sorted(set(cells.values()))
    assert cells["aws/g5.xlarge/reserved-1y/us-east-1"] == "$0.63"  # 0.6338 in the table, every digit in `show`
    assert cells["aws/g5.12xlarge/on-demand/us-east-1"] == "$1.42"  # 1.418
    assert all(cells[i] == f"${half_up(v, 2):,.2f}" for i, v in rows.items())
    assert cells["coreweave/hgx-h200/on-demand/north-america"] == "$6.31"  # 50.44 / 8 = 6.305: a half, rounded up


def test_seat_and_hardware_prices_are_money_too() -> None:
    seats = _listing("seat", 120)
    for header in ("$/seat/mo", "annual"):
        cells = [c for c in _column(seats, header).values() if c.startswith("$")]
        assert cells and all(re.fullmatch(r"\$\d[\d,]*\.\d\d", c) for c in cells), cells
    prices = _column(_listing("hardware", 120), "price $").values()
    assert all(re.fullmatch(r"\$\d{1,3}(,\d{3})*", c) for c in prices), prices
