"""A report dated before a shipped price existed says so: the price book's earliest row stands in for that day's."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc import api
from costcalc.pricing.tables import shipped

OFFER = "lambda/1x-h100-sxm/on-demand"
WORKLOAD = {"requests_per_day": 20000, "input_tokens": 1000, "output_tokens": 200}


def _scenario(hardware: dict[str, object]) -> dict[str, object]:
    return {
        "version": 1,
        "name": "dated",
        "workload": WORKLOAD,
        "options": [
            {"name": "API", "kind": "api", "model": "openai/gpt-5-mini"},
            {"name": "Rented", "kind": "self_hosted", "model": "gpt-oss-20b", "hardware": hardware},
        ],
    }


def _recorded() -> dt.date:
    return next(r.as_of for r in shipped("rental") if r.id == OFFER)


def _later(result: object) -> list[str]:
    return [w for w in result.warnings if "after the report day" in w]  # type: ignore[attr-defined]


def test_a_rental_first_recorded_after_the_report_day_is_named() -> None:
    recorded = _recorded()
    day = recorded - dt.timedelta(days=1)
    result = api.analyze(_scenario({"offer": OFFER, "acquisition": "rent"}), today=day)
    assert _later(result) == [
        f"1 price is from after the report day {day} and stands in for that day's (no earlier row is known):"
        f" {OFFER} ({recorded}); to cost that day, set its prices in the scenario's pricing list"
    ]


@pytest.mark.parametrize("days_after", [0, 30])
def test_a_price_recorded_by_the_report_day_is_not(days_after: int) -> None:
    day = _recorded() + dt.timedelta(days=days_after)
    assert _later(api.analyze(_scenario({"offer": OFFER, "acquisition": "rent"}), today=day)) == []


def test_an_api_series_that_applies_since_ever_and_a_users_own_price_are_not() -> None:
    # openai/gpt-5-mini's first row has no valid_from (upstream: since ever); hourly_usd is the user's own price
    day = dt.date(2020, 1, 1)
    result = api.analyze(_scenario({"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0}), today=day)
    assert _later(result) == []


def test_dates_the_scenario_gives_after_the_report_day_are_named() -> None:
    # a negotiated price and an exchange rate 'as of 2031-01-01' were used on 2026-12-05 without a word
    scenario = {
        "version": 1,
        "name": "dated by hand",
        "workload": WORKLOAD,
        "currency": {"code": "EUR", "per_usd": 0.92, "as_of": "2031-01-01", "source": "ECB"},
        "pricing": [{"id": "openai/gpt-5-mini", "discount": 0.2, "source": "contract", "as_of": "2031-01-01"}],
        "options": [{"name": "API", "kind": "api", "model": "openai/gpt-5-mini"}],
    }
    result = api.analyze(scenario, today=dt.date(2026, 12, 5))
    said = [w for w in result.warnings if "in the scenario" in w]
    assert len(said) == 1
    assert said[0].startswith(
        "2 dates in the scenario are after the report day 2026-12-05: currency EUR rate (as of 2031-01-01), your"
        " price openai/gpt-5-mini@"
    )
    assert said[0].endswith(
        " (as of 2031-01-01); an as_of is the day its source was written (a contract, a quote, a published rate):"
        " check the date, or the report day (--today)"
    )
    scenario["currency"]["as_of"] = "2026-12-05"  # type: ignore[index]
    scenario["pricing"][0]["as_of"] = "2026-12-04"  # type: ignore[index]
    on_time = api.analyze(scenario, today=dt.date(2026, 12, 5))  # on or before the day: nothing to say
    assert not [w for w in on_time.warnings if "in the scenario" in w]
