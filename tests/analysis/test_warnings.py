"""The report's warnings: a seat plan with fewer seats than users."""

from __future__ import annotations

from typing import Any

import pytest

import costcalc

TODAY = "2026-12-07"


def _scenario(seats: int | None) -> dict[str, Any]:
    # 2,400 requests a day x 730/24 days = 73,000 requests a month of 800 + 200 tokens: 73M tokens a month
    seat: dict[str, Any] = {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 20.0}
    if seats is not None:
        seat["seats"] = seats
    return {
        "version": 1,
        "name": "Seats",
        "horizon_months": 12,
        "workload": {"users": 100, "requests_per_day": 2400, "input_tokens": 800, "output_tokens": 200},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 5.0}},
            seat,
        ],
    }


def test_fewer_seats_than_users_says_who_has_none_and_what_the_seats_carry() -> None:
    # qa22 finding 18: 3 seats for 100 users were costed as 3 seats carrying everyone's traffic, unsaid;
    # 73M tokens / 3 seats = 24.3M tokens a seat a month (the headline's per-seat load)
    result = costcalc.analyze(_scenario(3), today=TODAY)
    assert (
        "Seats: 3 seats for 100 users: 97 have no seat, yet the 3 are costed carrying all 100 users' traffic (24.3M"
        " tokens a seat a month); to seat everyone, set seats: 100 or leave it out (it defaults to workload.users)"
    ) in result.warnings
    one = costcalc.analyze(_scenario(1), today=TODAY)
    assert "Seats: 1 seat for 100 users: 99 have no seat, yet the 1 is costed carrying all 100 users' traffic" in (
        " ".join(one.warnings)
    )


@pytest.mark.parametrize("seats", [None, 100, 150])
def test_a_seat_for_each_user_says_nothing(seats: int | None) -> None:
    result = costcalc.analyze(_scenario(seats), today=TODAY)
    assert not [w for w in result.warnings if "have no seat" in w]


def test_one_user_without_a_seat_is_said_in_the_singular() -> None:
    # '1 have no seat' read wrong
    result = costcalc.analyze(_scenario(99), today=TODAY)
    assert "Seats: 99 seats for 100 users: 1 has no seat, yet the 99 are costed" in " ".join(result.warnings)
