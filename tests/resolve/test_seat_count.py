"""A seat plan's count: given as seats, or workload.users; a plan's minimum names which one to change (qa14: with no
workload.users and no seats, a plan with a minimum said 'needs at least 2 seats; raise seats' of seats never given)."""

from __future__ import annotations

from typing import Any

import pytest

import costcalc

TODAY = "2026-12-06"


def scenario(users: int | None, seats: int | None) -> dict[str, Any]:
    option: dict[str, Any] = {"name": "Seats", "kind": "subscription", "plan": "openai/chatgpt-business"}
    if seats is not None:
        option["seats"] = seats
    workload: dict[str, Any] = {"requests_per_day": 1000, "input_tokens": 500, "output_tokens": 100}
    if users is not None:
        workload["users"] = users
    return {"version": 1, "workload": workload, "options": [option]}


@pytest.mark.parametrize(
    ("users", "seats", "says"),
    [
        (None, None, "options[Seats].seats: a subscription needs seats, or workload.users to derive them"),
        (
            1,
            None,
            "options[Seats].seats: plan 'openai/chatgpt-business' needs at least 2 seats; its seats are workload.users"
            " (1): set seats or choose another plan",
        ),
        (
            500,
            1,
            "options[Seats].seats: plan 'openai/chatgpt-business' needs at least 2 seats; raise seats or choose"
            " another plan",
        ),
    ],
)
def test_a_seat_count_refusal_names_where_the_count_came_from(users: int | None, seats: int | None, says: str) -> None:
    with pytest.raises(costcalc.InputError) as err:
        costcalc.analyze(scenario(users, seats), today=TODAY)
    assert str(err.value).endswith(says), str(err.value)
