"""written_dates: the YYYY-MM-DD a date written another way means, told only where it is certain (qa18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from costcalc.written_dates import date_hint, meant_dates


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("2026/08/01", ["2026-08-01"]),
        ("2026-8-1", ["2026-08-01"]),
        ("2026.08.01", ["2026-08-01"]),
        ("20260801", ["2026-08-01"]),
        (20260801, ["2026-08-01"]),  # YAML reads 20260801 as a number
        ("13/08/2026", ["2026-08-13"]),  # day first: 13 is no month
        ("08/13/2026", ["2026-08-13"]),  # month first
        ("31.12.2026", ["2026-12-31"]),
        ("01/01/2026", ["2026-01-01"]),  # either order, one day
        ("12/01/2026", ["2026-12-01", "2026-01-12"]),  # December or January: both
        (dt.datetime(2026, 8, 1, 9, 30), ["2026-08-01"]),
        ("2026-02-30", []),
        ("1/2/26", []),  # a two-digit year: no guess
        ("yesterday", []),
        (2026, []),
        (True, []),
        (None, []),
    ],
)
def test_the_dates_a_value_can_mean(value: Any, meant: list[str]) -> None:
    assert [d.isoformat() for d in meant_dates(value)] == meant


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2026/08/01", "write the date as YYYY-MM-DD: did you mean 2026-08-01?"),
        ("12/01/2026", "write the date as YYYY-MM-DD: 2026-12-01 or 2026-01-12?"),
        ("2026-02-30", "the calendar has no such day: check the month and the day"),
        ("Dec 1 2026", "write the date as YYYY-MM-DD, e.g. 2026-08-01"),
    ],
)
def test_the_hint_says_the_date_meant_or_how_to_write_one(value: Any, hint: str) -> None:
    assert date_hint(value) == hint
