"""Freshness that does not rot: API rows against the build date pricing/freshness.csv records, not the clock.

(Seat and rental rows are held to their own recorded build date by test_shipped_seat_rental_hardware.py.)
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from costcalc.pricing.build.pins import PINS
from costcalc.pricing.tables import read_csv

PRICING = Path(__file__).resolve().parents[2] / "pricing"
REQUIRED = {"api": 60}  # table → the most days a row may lag its build date


def _read(name: str) -> list[dict[str, str]]:
    with (PRICING / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


BUILDS = {line["table"]: line for line in _read("freshness.csv")}
EXCEPTIONS: dict[tuple[str, str], str] = {}  # (table, id) → why the row may lag; none are needed today


def too_old(rows: list, built_on: dt.date, max_age_days: int) -> list[str]:
    """Ids of rows whose as_of lags the build date by more than max_age_days."""
    return [r.id for r in rows if (built_on - r.as_of).days > max_age_days]


def test_every_required_table_records_its_build_date_and_limit() -> None:
    assert {t: int(BUILDS[t]["max_age_days"]) for t in REQUIRED if t in BUILDS} == REQUIRED


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_no_row_lags_its_tables_build_date_unless_excepted(table: str) -> None:
    line = BUILDS[table]
    rows = read_csv(table, PRICING / f"{table}.csv")
    old = too_old(rows, dt.date.fromisoformat(line["built_on"]), int(line["max_age_days"]))
    listed = sorted(i for t, i in EXCEPTIONS if t == table)
    assert sorted(old) == listed  # an exception that is no longer needed goes too


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_no_row_is_newer_than_its_tables_build_date_unless_scheduled(table: str) -> None:
    built_on = dt.date.fromisoformat(BUILDS[table]["built_on"])
    rows = read_csv(table, PRICING / f"{table}.csv")
    assert [r.id for r in rows if r.as_of > built_on and r.as_of != getattr(r, "valid_from", None)] == []


def test_the_api_build_date_is_the_newest_pinned_release_or_hand_row() -> None:
    hand = PRICING / "build" / "hand-researched.csv"
    hand_dates = [r.as_of for r in read_csv("api", hand)] if hand.is_file() else []
    assert BUILDS["api"]["built_on"] == max([p.uploaded for p in PINS] + hand_dates).isoformat()


def test_the_rule_catches_a_row_older_than_the_limit() -> None:
    (row, *_) = read_csv("api", PRICING / "api.csv")
    built_on = row.as_of + dt.timedelta(days=61)
    assert too_old([row], built_on, 60) == [row.id]
    assert too_old([row], built_on - dt.timedelta(days=1), 60) == []
