"""Freshness that does not rot: every shipped table against the build date pricing/freshness.csv records.

The one mechanism for all tables: a build date and an age limit per table in freshness.csv, the rows allowed
to lag in freshness-exceptions.csv with a reason; never the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from costcalc.errors import PricingError
from costcalc.pricing import freshness
from costcalc.pricing.build import API_MAX_AGE_DAYS, BUILD_HOW, freshness_csv
from costcalc.pricing.build.pins import PINS
from costcalc.pricing.tables import read_csv

PRICING = Path(__file__).resolve().parents[2] / "pricing"
REQUIRED = {"api": 60, "seats": 120, "rental": 120, "hardware": 120, "datacenter": 120}  # table → max lag in days
RECORD = freshness.read_record(PRICING)


def _rows(table: str) -> list:
    return read_csv(table, PRICING / f"{table}.csv")


def test_every_required_table_records_its_build_date_and_limit() -> None:
    assert {t: b.max_age_days for t, b in RECORD.builds.items()} == REQUIRED


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_no_row_lags_its_tables_build_date_unless_listed_with_a_reason(table: str) -> None:
    assert freshness.problems(table, _rows(table), RECORD) == []


def test_the_shipped_record_is_the_one_the_package_reads() -> None:
    assert freshness.shipped_record() == RECORD


def test_the_api_build_date_is_the_newest_pinned_release_or_hand_row() -> None:
    hand = PRICING / "build" / "hand-researched.csv"
    hand_dates = [r.as_of for r in read_csv("api", hand)] if hand.is_file() else []
    assert RECORD.builds["api"].built_on == max([p.uploaded for p in PINS] + hand_dates)


def test_the_record_is_written_as_the_api_build_writes_it() -> None:
    """The build rewrites freshness.csv (tables sorted); a hand-edited line out of place fails --check."""
    current = (PRICING / "freshness.csv").read_text(encoding="utf-8")
    built_on = RECORD.builds["api"].built_on
    assert freshness_csv(current, "api", built_on, API_MAX_AGE_DAYS, BUILD_HOW) == current


# --- the check can fail: each rule rejects a deliberately broken table or record -----------------


def test_a_row_older_than_the_limit_is_reported_and_a_listed_one_is_not() -> None:
    (row, *_) = _rows("rental")
    build = RECORD.builds["rental"]
    old = row.model_copy(update={"as_of": build.built_on - dt.timedelta(days=build.max_age_days + 1)})
    rows = [old if r.id == row.id else r for r in _rows("rental")]
    (problem,) = freshness.problems("rental", rows, RECORD)
    assert problem.startswith(f"rental:{row.id}: as_of") and "freshness-exceptions.csv" in problem
    allowed = dataclasses.replace(RECORD, exceptions={**RECORD.exceptions, ("rental", row.id): "no newer source"})
    assert freshness.problems("rental", rows, allowed) == []
    just_in = row.model_copy(update={"as_of": build.built_on - dt.timedelta(days=build.max_age_days)})
    assert freshness.lagging([just_in], build.built_on, build.max_age_days) == []


def test_an_exception_no_longer_needed_or_naming_no_row_is_reported() -> None:
    (table, row_id), _ = next(iter(RECORD.exceptions.items()))
    fresh = [
        r.model_copy(update={"as_of": RECORD.builds[table].built_on}) if r.id == row_id else r for r in _rows(table)
    ]
    assert freshness.problems(table, fresh, RECORD) == [
        f"{table}:{row_id}: listed in freshness-exceptions.csv but is no longer late; remove the line"
    ]
    gone = [r for r in _rows(table) if r.id != row_id]
    assert "is not in the table" in freshness.problems(table, gone, RECORD)[0]


def test_a_row_dated_after_the_build_is_reported_unless_it_is_a_scheduled_price() -> None:
    build = RECORD.builds["api"]
    row = next(r for r in _rows("api") if r.valid_from is None)
    later = row.model_copy(update={"as_of": build.built_on + dt.timedelta(days=1)})
    assert len(freshness.problems("api", [later], RECORD)) == 1
    scheduled = later.model_copy(update={"valid_from": later.as_of})
    assert freshness.problems("api", [scheduled], RECORD) == []


def test_a_table_without_a_build_date_is_reported() -> None:
    assert freshness.problems("fx", [], RECORD) == ["fx: no build date recorded in freshness.csv"]


def test_an_exception_without_a_reason_is_refused_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "freshness.csv").write_text((PRICING / "freshness.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "freshness-exceptions.csv").write_text("table,id,reason\nseats,x/y,\n", encoding="utf-8")
    with pytest.raises(PricingError) as exc:
        freshness.read_record(tmp_path)
    assert exc.value.line == 2 and exc.value.field == "reason"


def test_kept_reason_is_the_shipped_records_and_only_for_shipped_rows() -> None:
    from types import SimpleNamespace

    from costcalc.pricing.freshness import kept_reason, shipped_record

    reason = shipped_record().exceptions[("datacenter", "pue")]
    assert kept_reason(SimpleNamespace(table="datacenter", id="pue", origin="shipped")) == reason
    assert kept_reason(SimpleNamespace(table="datacenter", id="pue", origin="override:mine.csv")) is None
    assert kept_reason(SimpleNamespace(table="api", id="openai/gpt-6-luna", origin="shipped")) is None
