"""Scheduled prices: the row valid on --today is used, and later changes apply month by month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from typer.testing import CliRunner

from costcalc.analysis.run import analyze
from costcalc.cli import app
from costcalc.pricing.book import PriceBook
from costcalc.pricing.schema import ApiPrice
from costcalc.resolve.prices import add_months


def _row(input_usd: float, output_usd: float, start: dt.date | None, until: dt.date | None) -> ApiPrice:
    suffix = f"@{start.isoformat()}" if start else ""
    return ApiPrice(
        id=f"acme/m{suffix}",
        provider="acme",
        model="m",
        input_usd_per_mtok=input_usd,
        output_usd_per_mtok=output_usd,
        valid_from=start,
        valid_until=until,
        source="https://acme.test/pricing",
        as_of=start or dt.date(2026, 11, 1),
    )


def _book() -> PriceBook:
    book = PriceBook()
    book.add(
        "api",
        [_row(1.0, 4.0, None, dt.date(2027, 1, 31)), _row(2.0, 8.0, dt.date(2027, 2, 1), None)],
        "shipped",
    )
    return book


def _scenario(months: int = 4) -> dict[str, Any]:
    # 1,000 requests a day of 1,000 input + 250 output tokens: 30,416.7 requests a month
    return {
        "version": 1,
        "name": "schedule",
        "horizon_months": months,
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 250},
        "options": [{"name": "Acme", "kind": "api", "model": "acme/m"}],
    }


def test_the_bill_follows_the_schedule_month_by_month() -> None:
    result = analyze(_scenario(), prices=_book(), today=dt.date(2026, 12, 15))
    # a month at 1/4 USD per 1M: 30,416.7 × (1000 × 1 + 250 × 4) / 1e6 = 60.83; doubled from 2027-02-15 on
    month = 1000 * 730 / 24 * (1000 * 1.0 + 250 * 4.0) / 1e6
    assert result.timeline.monthly_cost["Acme"] == pytest.approx((month, month, 2 * month, 2 * month))
    (option,) = result.options
    assert option.monthly_cost == pytest.approx(month)  # month 1: the price valid on --today
    assert [p.id for p in option.prices] == ["acme/m", "acme/m@2027-02-01"]
    (note,) = [a for a in result.assumptions if "price changes" in a]
    assert note == (
        "Acme: acme/m price changes on 2027-02-01 (from month 3): input 1 → 2, output 4 → 8 USD/1M; "
        "the bill follows month by month (×2.00 of month 1)"
    )


def test_today_after_the_change_uses_the_new_price_and_no_path() -> None:
    result = analyze(_scenario(), prices=_book(), today=dt.date(2027, 3, 1))
    month = 1000 * 730 / 24 * (1000 * 2.0 + 250 * 8.0) / 1e6
    assert result.timeline.monthly_cost["Acme"] == pytest.approx((month,) * 4)
    assert [p.id for p in result.options[0].prices] == ["acme/m@2027-02-01"]
    assert not [a for a in result.assumptions if "price changes" in a]


def test_a_horizon_that_ends_before_the_change_is_flat() -> None:
    result = analyze(_scenario(months=2), prices=_book(), today=dt.date(2026, 12, 15))
    series = result.timeline.monthly_cost["Acme"]
    assert series[0] == pytest.approx(series[1])


def test_explicit_prices_replace_the_whole_schedule() -> None:
    scenario = _scenario()
    scenario["pricing"] = [{"id": "acme/m", "prices": {"input_usd_per_mtok": 0.5}}]
    result = analyze(scenario, prices=_book(), today=dt.date(2026, 12, 15))
    series = result.timeline.monthly_cost["Acme"]
    assert series == pytest.approx((series[0],) * 4)
    assert series[0] == pytest.approx(1000 * 730 / 24 * (1000 * 0.5 + 250 * 4.0) / 1e6)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 5), 1, dt.date(2027, 1, 5)),
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2026, 11, 30), 15, dt.date(2028, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("today", "flash_row"), [("2026-12-05", "@2026-10-14"), ("2027-01-05", "@2027-01-01")])
def test_gemini_3_6_flash_is_priced_as_valid_on_today(today: str, flash_row: str, tmp_path: Any) -> None:
    path = tmp_path / "flash.yaml"
    path.write_text(
        "version: 1\nname: flash\nhorizon_months: 1\n"
        "workload: {requests_per_day: 1000, input_tokens: 1000000, output_tokens: 1000000}\n"
        "options:\n  - {name: Flash, kind: api, model: google/gemini-3.6-flash}\n"
    )
    result = CliRunner().invoke(app, ["report", str(path), "--format", "json", "--today", today])
    assert result.exit_code == 0, result.stderr
    import json

    (option,) = json.loads(result.stdout)["options"]
    assert option["prices"][0]["id"] == "google/gemini-3.6-flash" + flash_row
    # one request = 1M input + 1M output tokens: its bill is the input plus the output price per 1M
    per_request = option["monthly_cost"] / (1000 * 730 / 24)
    assert per_request == pytest.approx(0.75 + 3.75 if today == "2026-12-05" else 1.5 + 7.5)


def test_the_what_if_horizon_total_follows_the_same_path() -> None:
    import numpy as np

    from costcalc.engine.api import ApiRates
    from costcalc.engine.options import ApiCost, horizon_total
    from costcalc.engine.shape import RequestShape

    shape = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0)
    flat = ApiCost(ApiRates(input=1.0, output=4.0))
    scheduled = ApiCost(ApiRates(input=1.0, output=4.0), price_path=np.array([1.0, 1.0, 2.0, 2.0]))
    v0, growth = np.array([100.0]), np.array([0.0])
    # months 3 and 4 cost twice as much: 1 + 1 + 2 + 2 = 6 months' worth instead of 4
    assert horizon_total(scheduled, shape, v0, growth, 4)[0] == pytest.approx(
        horizon_total(flat, shape, v0, growth, 4)[0] * 6 / 4
    )
