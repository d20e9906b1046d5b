"""sweep's `cheapest` and simulate's probability_cheapest name at each point the option report would call the
cheapest: seats over their numeric usage cap only where no option carries the point's requests (report/ranking.py;
engine/options.cheapest_index per point, analysis/points.cheapest_of).

By hand: 100 seats at $1 ($100 a month) capped at 600 requests a seat carry 60,000 requests a month. The API costs
800 x $1 + 200 x $5 per 1M = $0.0018 a request. At 1,900 requests a day (57,792 a month) the API costs $104 and the
seats carry the volume: they are the cheapest. At 2,400 a day (73,000) the API costs $131 and the seats, still $100,
carry 60,000 of the 73,000: the API is the cheapest."""

from __future__ import annotations

from typing import Any

import pytest

import costcalc

TODAY = "2026-12-07"


def _scenario(requests_per_day: Any) -> dict[str, Any]:
    prices = {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 5.0}
    return {
        "version": 1,
        "name": "Capped seats",
        "horizon_months": 12,
        "workload": {"users": 100, "requests_per_day": requests_per_day, "input_tokens": 800, "output_tokens": 200},
        "options": [
            {
                "name": "Seats",
                "kind": "subscription",
                "usd_per_seat_month": 1.0,
                "cap_requests_per_user_per_month": 600,
            },
            {"name": "API", "kind": "api", "prices": prices},
        ],
    }


def test_sweeps_cheapest_is_reports_at_each_point() -> None:
    frame = costcalc.sweep(_scenario(1900), ["workload.requests_per_day=1900,2400"], today=TODAY)
    assert list(frame["cheapest"]) == ["Seats", "API"]  # main: Seats at both (argmin of the monthly costs)
    for day, swept in zip((1900, 2400), frame["cheapest"]):
        assert costcalc.analyze(_scenario(day), today=TODAY).cheapest == swept


def test_simulates_seats_over_their_cap_are_never_the_cheapest() -> None:
    # 2,100 to 2,400 requests a day: 63,875 to 73,000 a month, every sample above the seats' 60,000
    sim = costcalc.simulate(_scenario({"dist": "uniform", "low": 2100, "high": 2400}), samples=200, seed=1, today=TODAY)
    p = dict(zip(sim.summary["option"], sim.summary["probability_cheapest"]))
    assert p == {"Seats": 0.0, "API": 1.0}  # main: Seats 1.0, their $100 under the API's $117 to $131
    assert set(sim.samples["cheapest"]) == {"API"}


@pytest.mark.parametrize("day", [1900, 2100])
def test_where_the_seats_carry_the_volume_they_rank_by_cost_as_before(day: int) -> None:
    # 2,100 a day: 63,875 requests, over 60,000; with no cap the seats are the cheapest there too
    scenario = _scenario(day)
    del scenario["options"][0]["cap_requests_per_user_per_month"]
    frame = costcalc.sweep(scenario, [f"workload.requests_per_day={day}"], today=TODAY)
    assert list(frame["cheapest"]) == ["Seats"]
