"""A rented option's power or hosting is refused: they cost bought or leased hardware only, and were dropped unsaid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import costcalc

TODAY = dt.date(2026, 12, 5)


def scenario(acquisition: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    option = {
        "name": "L40S",
        "kind": "self_hosted",
        "model": "gpt-oss-20b",
        "hardware": {"gpu": "l40s-48gb", **acquisition},
    }
    return {
        "version": 1,
        "workload": {"requests_per_day": 20000, "input_tokens": 1000, "output_tokens": 200},
        "options": [option | extra],
    }


RENT = {"acquisition": "rent", "hourly_usd": 1.5}


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (  # the $100 fee left the rented option at $1,095 a month, as without it
            {"hosting": {"flat_usd_per_month": 100}},
            "options[L40S].hosting: hosting is for bought or leased hardware (acquisition: buy or lease); a rented"
            " GPU's hourly price includes its electricity and hosting, and hosting.flat_usd_per_month would not be"
            " counted: drop hosting (a monthly fee of your own: operations)",
        ),
        (
            {"power": {"pue": 1.5, "electricity_usd_per_kwh": 0.3}},
            "options[L40S].power: power is for bought or leased hardware (acquisition: buy or lease); a rented GPU's"
            " hourly price includes its electricity and hosting, and power.electricity_usd_per_kwh would not be"
            " counted: drop power",
        ),
    ],
)
def test_power_or_hosting_of_a_rented_option_is_refused(extra: dict[str, Any], said: str) -> None:
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario(RENT, extra), today=TODAY)
    assert str(info.value) == f"<dict>: {said}"


def test_empty_power_and_hosting_of_a_rented_option_and_those_of_a_bought_one_are_read() -> None:
    assert costcalc.analyze(scenario(RENT, {"power": {}, "hosting": {}}), today=TODAY).option("L40S").monthly_cost > 0
    bought = {"acquisition": "buy", "price_usd": 9000, "useful_life_months": 36}
    fee = {"power": {"idle_w_per_gpu": 30}, "hosting": {"flat_usd_per_month": 100}}
    with_fee = costcalc.analyze(scenario(bought, fee), today=TODAY).option("L40S").monthly_cost
    without = (
        costcalc.analyze(scenario(bought, {"power": {"idle_w_per_gpu": 30}}), today=TODAY).option("L40S").monthly_cost
    )
    assert with_fee == pytest.approx(without + 100)
