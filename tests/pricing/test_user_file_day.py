"""`report --pricing FILE --today DAY` checks the file's dates on DAY, as `pricing validate FILE --today DAY` does
(qa9: on the wall clock's day, so a row dated after DAY passed and a row dated after the real day was refused)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from costcalc.pricing import cache
from tests.analysis.scenarios import BASE
from tests.support.cli import invoke

ROW = "id,provider,model,source,as_of,input_usd_per_mtok,output_usd_per_mtok\nmine/m1,mine,m1,https://example.com/p,{as_of},1,2\n"
LATER = (dt.date.today() + dt.timedelta(days=40)).isoformat()  # after the wall clock's day


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def _files(tmp_path: Path, as_of: str) -> tuple[str, str]:
    (tmp_path / "s.yaml").write_text(BASE)
    (tmp_path / "mine.csv").write_text(ROW.format(as_of=as_of))
    return str(tmp_path / "s.yaml"), str(tmp_path / "mine.csv")


def test_a_row_dated_after_the_reports_day_is_refused(tmp_path: Path) -> None:
    scenario, prices = _files(tmp_path, "2026-11-01")
    code, out, err = invoke("report", scenario, "--pricing", prices, "--today", "2026-06-01")
    assert code == 2 and out == ""
    assert (
        err == f"error: {prices}:2: as_of: as_of 2026-11-01 is after today (2026-06-01); use the date the source states"
    )


def test_a_row_dated_before_the_reports_day_is_read_whatever_the_clock(tmp_path: Path) -> None:
    scenario, prices = _files(tmp_path, LATER)
    later_day = (dt.date.fromisoformat(LATER) + dt.timedelta(days=10)).isoformat()
    code, _, err = invoke("report", scenario, "--pricing", prices, "--today", later_day)
    assert code == 0, err
