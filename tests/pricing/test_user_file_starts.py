"""A --pricing row that starts on a date (valid_from) takes over its series from that date: the rows before it keep
pricing the days before (qa24: it replaced the whole history, so a report for 2026-12-05 priced December at a quote
starting 2027-01-01, $42,583 a month instead of the shipped $121.67, exit 0, unsaid)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costcalc.pricing import cache
from costcalc.pricing.book import PriceBook
from tests.support.cli import invoke

HEAD = "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,valid_from,valid_until,source,as_of\n"
SCENARIO = """\
version: 1
horizon_months: 3
workload: {requests_per_day: 20000, input_tokens: 1000, output_tokens: 200}
options:
  - {name: Luna, kind: api, model: openai/gpt-6-luna}
"""


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def _quote(tmp_path: Path, valid_from: str) -> str:
    path = tmp_path / "quote.csv"
    row = f"openai/gpt-6-luna@{valid_from},openai,gpt-6-luna,50,100,{valid_from},,https://example.com/q,2026-11-01\n"
    path.write_text(HEAD + row, encoding="utf-8")
    return str(path)


def test_a_quote_starting_after_the_reports_day_prices_from_its_start(tmp_path: Path) -> None:
    shipped = PriceBook.load(on="2026-12-05", use_cache=False).get("api", "openai/gpt-6-luna")
    book = PriceBook.load([_quote(tmp_path, "2027-01-01")], on="2026-12-05", use_cache=False)
    current = book.get("api", "openai/gpt-6-luna")
    assert (current.row.id, current.row.input_usd_per_mtok, current.origin) == (shipped.row.id, 0.1, "shipped")
    history = book.series("openai/gpt-6-luna")
    assert [str(p.row.valid_until) for p in history][-2:] == [
        "2026-12-31",
        "None",
    ]  # the shipped row ends the day before
    assert history[-1].overridden and not history[-2].overridden


def test_the_report_prices_the_month_before_the_quote_at_the_shipped_price(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    day = ("--today", "2026-12-05")
    code, shipped, err = invoke("report", str(tmp_path / "s.yaml"), "-f", "json", *day)
    assert code == 0, err
    code, quoted, err = invoke(
        "report", str(tmp_path / "s.yaml"), "-f", "json", "--pricing", _quote(tmp_path, "2027-01-01"), *day
    )
    assert code == 0, err
    before, after = (json.loads(out)["options"][0] for out in (shipped, quoted))
    assert after["monthly_cost"] == before["monthly_cost"]  # December: the shipped price
    # then two months at the quote: 608,333 requests × (1,000 × $50 + 200 × $100) per 1M tokens = $42,583.33 a month
    assert after["horizon_cash_total"] == pytest.approx(before["monthly_cost"] + 2 * 20000 * 730 / 24 * 70000 / 1e6)


def test_a_quote_started_before_the_reports_day_prices_it(tmp_path: Path) -> None:
    book = PriceBook.load([_quote(tmp_path, "2026-11-15")], on="2026-12-05", use_cache=False)
    assert book.get("api", "openai/gpt-6-luna").row.input_usd_per_mtok == 50
