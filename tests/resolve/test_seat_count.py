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


@pytest.mark.parametrize(
    ("users", "seats", "says"),
    [
        (
            2000,
            None,
            "options[Seats].seats: plan 'anthropic/claude-team-standard' sells at most 150 seats; its seats are"
            " workload.users (2,000): set seats or choose another plan",
        ),
        (
            2000,
            151,
            "options[Seats].seats: plan 'anthropic/claude-team-standard' sells at most 150 seats; lower seats or choose"
            " another plan",
        ),
    ],
)
def test_seats_past_a_plans_maximum_are_refused(users: int, seats: int | None, says: str) -> None:
    """qa24: the plan's max_seats (Claude Team: 'For teams of 2 to 150', seats.csv) was never read, so 2,000 Team
    seats were costed at $40,000 a month."""
    with pytest.raises(costcalc.InputError) as err:
        costcalc.analyze(_team(users, seats), today=TODAY)
    assert str(err.value).endswith(says), str(err.value)
    assert costcalc.analyze(_team(2000, 150), today=TODAY).option("Seats").seats == 150


def _team(users: int, seats: int | None) -> dict[str, Any]:
    out = scenario(users, seats)
    out["options"][0]["plan"] = "anthropic/claude-team-standard"
    return out
