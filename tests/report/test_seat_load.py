"""A seat plan's take-over and break-even say what each seat would carry, and a numeric usage cap bounds them."""

from __future__ import annotations

from typing import Any

import pytest

import costcalc

TODAY = "2026-12-07"


def _scenario(seat: dict[str, Any], *, growth: float = 0.0) -> dict[str, Any]:
    # 2,400 requests a day x 730/24 days = 73,000 requests a month of 800 + 200 tokens: 73M tokens a month.
    # The API: 800 x $1 + 200 x $5 per 1M = $0.0018 a request, $131.40 a month.
    return {
        "version": 1,
        "name": "Seats",
        "horizon_months": 12,
        "workload": {
            "users": 100,
            "requests_per_day": 2400,
            "input_tokens": 800,
            "output_tokens": 200,
            "growth_per_month": growth,
        },
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 5.0}},
            {"name": "Seats", "kind": "subscription", **seat},
        ],
    }


def _line(result: costcalc.Result, start: str) -> str:
    return next(line for line in result.verdict if line.startswith(start))


def test_a_take_over_by_seats_says_what_each_seat_would_carry_and_that_no_cap_was_given() -> None:
    # 100 seats at $20 = $2,000 a month = the API's bill at $2,000 / $0.0018 = 1,111,111 requests (1.11B tokens,
    # 15.2x today's 73M): 11,111 requests and 11.1M tokens a seat a month, 11,111 / 30.42 = 365 a day
    result = costcalc.analyze(_scenario({"usd_per_seat_month": 20.0}), today=TODAY)
    assert result.headline[2] == (
        "Seats would take over above 1.11B tokens/month (15.2x today's) only at 11.1M tokens a seat a month (about 365"
        " requests a day); no usage cap is given (cap_requests_per_user_per_month); usage is not set to grow."
    )
    assert (
        _line(result, "Seats break even")
        == "Seats break even with API at 1.11B tokens/month, 11.1M tokens a seat a month."
    )
    assert "Seats: 100 seats at $20.00 a seat a month (as given); no usage cap given" in result.assumptions


def test_a_numeric_cap_below_the_break_even_means_the_seats_never_take_over() -> None:
    # a seat may send 5,000 requests a month: 100 seats carry 500,000 requests (500M tokens), below the 1,111,111
    # where they would cost what the API does; at the cap a seat costs $20 / 5,000 = $0.004 a request, $4.00 per 1M
    # tokens, against the API's $1.80
    result = costcalc.analyze(
        _scenario({"usd_per_seat_month": 20.0, "cap_requests_per_user_per_month": 5000}), today=TODAY
    )
    be = next(b for b in result.break_even if b.option == "Seats")
    assert (
        be.tokens_per_month is None and be.reason == "seats used up to their usage cap cost more per token than the API"
    )
    assert (be.full_use_cost_per_million_tokens, be.versus_cost_per_million_tokens) == pytest.approx((4.0, 1.8))
    assert result.takeover is None
    assert _line(result, "Seats never") == (
        "Seats never break even with API: seats used up to their usage cap cost more per token than the API ($4.00 vs"
        " $1.80 per 1M tokens); at 5,000 requests a seat a month, their 100 seats carry at most 500M tokens/month."
    )


def test_a_numeric_cap_above_the_break_even_is_said_beside_it() -> None:
    # 20,000 requests a seat a month: 2M requests (2B tokens) on 100 seats, above the 1.11B break-even
    result = costcalc.analyze(
        _scenario({"usd_per_seat_month": 20.0, "cap_requests_per_user_per_month": 20000}), today=TODAY
    )
    assert result.takeover is not None and result.takeover.option == "Seats"
    within = "within the cap of 20,000 requests a seat a month (at most 2B tokens/month on the 100 seats)"
    assert result.headline[2].endswith(f"(about 365 requests a day), {within}; usage is not set to grow.")
    assert _line(result, "Seats break even").endswith(f"11.1M tokens a seat a month, {within}.")
    assert [o.cap_requests_per_seat_month for o in result.options] == [None, 20000]
    assert "Seats: 100 seats at $20.00 a seat a month (as given); at most 20,000 requests a seat a month" in (
        result.assumptions
    )


def test_on_a_growth_path_seats_do_not_take_over_in_months_past_their_cap() -> None:
    # at 30% a month the volume passes the 1,111,111-request break-even in month 12 (73,000 x 1.3^11 = 1,308,300
    # requests: 13,083 a seat a month, 430 a day); a cap of 12,000 a seat (1.2M requests on 100 seats) is passed in
    # that month too, so the seats never carry it to the horizon; without the cap they take over there
    free = costcalc.analyze(_scenario({"usd_per_seat_month": 20.0}, growth=0.3), today=TODAY)
    assert free.takeover is not None and (free.takeover.option, free.takeover.month) == ("Seats", 12)
    assert free.headline[2].startswith(
        "At 30% growth a month, Seats takes over from API around month 12, at 1.31B tokens/month, when that is 13.1M"
        " tokens a seat a month (about 430 requests a day); no usage cap is given"
    )
    capped = costcalc.analyze(
        _scenario({"usd_per_seat_month": 20.0, "cap_requests_per_user_per_month": 12000}, growth=0.3), today=TODAY
    )
    assert capped.takeover is None


def test_a_plan_says_its_published_terms_or_that_the_table_records_none() -> None:
    # openai/chatgpt-business: no number, words in seats.csv usage_cap; microsoft/m365-copilot: neither
    business = costcalc.analyze(_scenario({"plan": "openai/chatgpt-business", "billing": "annual"}), today=TODAY)
    option = business.option("Seats")
    assert option.cap_requests_per_seat_month is None and option.usage_cap is not None
    assert option.usage_cap.startswith("GPT-5.5 Instant unlimited")
    assert business.headline[2].endswith("; the plan publishes no numeric usage cap; usage is not set to grow.")
    assert (  # its terms in words are in the assumptions, beside the seat price
        f"Seats: 100 seats at $20.00 a seat a month (seats openai/chatgpt-business); usage cap as published:"
        f" '{option.usage_cap}'" in business.assumptions
    )
    copilot = costcalc.analyze(_scenario({"plan": "microsoft/m365-copilot", "billing": "annual"}), today=TODAY)
    assert copilot.option("Seats").usage_cap is None
    assert copilot.headline[2].endswith(
        "; the price table records no usage cap for the plan; usage is not set to grow."
    )
    assert "Seats: 100 seats at $30.00 a seat a month (seats microsoft/m365-copilot); no usage cap recorded" in (
        copilot.assumptions
    )


def test_a_sweep_over_the_cap_reads_reports_break_even_at_each_point() -> None:
    # the engine's one break-even: the sweep's column is NaN (never) where report's is None, at each cap
    scenario = _scenario({"usd_per_seat_month": 20.0})
    caps = [5000, 11000, 12000]
    frame = costcalc.sweep(scenario, [f"options[Seats].cap_requests_per_user_per_month={','.join(map(str, caps))}"])
    for cap, swept in zip(caps, frame["break_even_tokens_per_month[Seats]"]):
        report = costcalc.analyze(scenario, overrides=[f"options[Seats].cap_requests_per_user_per_month={cap}"])
        be = next(b for b in report.break_even if b.option == "Seats")
        assert (be.tokens_per_month is None and swept != swept) or swept == pytest.approx(be.tokens_per_month), cap


def test_seats_cheapest_today_say_what_each_seat_carries_today() -> None:
    # 100 seats at $1 = $100 a month, below the API's $131.40 for 73,000 requests (73M tokens): each seat carries
    # 730k tokens, 730 requests a month, 730 / 30.42 = 24 a day; they break even at $100 / $0.0018 = 55,556 requests
    # (55.6M tokens, 556k a seat). audit: 10 seats as "cheapest now" for a chatbot's 1.76B tokens a month read as a
    # plan, with nothing said of the 176M tokens each seat would carry
    result = costcalc.analyze(_scenario({"usd_per_seat_month": 1.0}), today=TODAY)
    assert result.headline[0] == (
        "Cheapest now: Seats at $100/month ($1.37 per 1M tokens), at 730k tokens a seat a month (about 24 requests a"
        " day); no usage cap is given (cap_requests_per_user_per_month)."
    )
    assert _line(result, "Seats are cheaper") == (
        "Seats are cheaper than API today, at 730k tokens a seat a month; they break even at 55.6M tokens/month, 556k"
        " tokens a seat a month."
    )


def test_seats_cheapest_to_the_horizon_say_each_seats_load_there_and_a_cap_it_passes() -> None:
    # at 30% a month, month 12 carries 73,000 x 1.3^11 = 1,308,300 requests (1.31B tokens): 13,083 a seat a month,
    # 430 a day, above a cap of 5,000 a seat (500,000 requests, 500M tokens on 100 seats); today's 730 are within it
    result = costcalc.analyze(
        _scenario({"usd_per_seat_month": 1.0, "cap_requests_per_user_per_month": 5000}, growth=0.3), today=TODAY
    )
    cap = "the cap of 5,000 requests a seat a month (at most 500M tokens/month on the 100 seats)"
    assert result.headline[0].endswith(f"at 730k tokens a seat a month (about 24 requests a day), within {cap}.")
    assert result.headline[2] == (
        "Nothing takes over: Seats stays the cheapest through month 12 at 30% growth a month, when that is 13.1M tokens"
        f" a seat a month (about 430 requests a day), above {cap}."
    )


def test_seats_cheaper_but_above_their_cap_today_are_not_the_cheapest_and_say_so() -> None:
    # a cap of 500 requests a seat (50M tokens on 100 seats) under today's 730 a seat: the seats' $100 a month is not
    # what today's 73,000 requests cost, so the API ($131.40) is the cheapest and the headline says why not the seats
    # (tests/report/test_ranking.py: every format)
    result = costcalc.analyze(
        _scenario({"usd_per_seat_month": 1.0, "cap_requests_per_user_per_month": 500}), today=TODAY
    )
    assert result.cheapest == "API"
    assert result.headline[0].endswith(
        "; Seats, at $100/month, would be cheaper but cannot carry today's volume: 730k tokens a seat a month (about 24"
        " requests a day), above the cap of 500 requests a seat a month (at most 50M tokens/month on the 100 seats)."
    )


def test_a_seats_requests_a_day_read_as_people_say_them() -> None:
    # 32,140 / 30.42 = 1,056.6 -> 1,060; 365 -> 12.0; 2.4 -> 0.0789; 0.0015 -> 0.0000493 a day: was "about 4.93e-05"
    # (the headline of a seat plan with 3 requests a month on 2,000 seats read "about 5e-05 requests a day")
    from costcalc.report.seat_load import requests_a_day

    assert [requests_a_day(n) for n in (32_140, 365, 2.4, 0.0015)] == [
        "about 1,060",
        "about 12",
        "about 0.0789",
        "under 0.01",
    ]


def test_a_fractional_cap_is_said_at_its_value() -> None:
    """qa21 finding 6: a cap of 0.5 requests a seat a month read "at 0 requests a seat a month" and "exceed the plan's
    cap of 0". A cap derived from a weekly or hourly one is rarely whole, so a fraction is kept and said as it is:
    100 seats x 0.5 requests x 1,000 tokens = 50k tokens/month; $20 / 500 tokens = $40,000 per 1M tokens."""
    result = costcalc.analyze(
        _scenario({"usd_per_seat_month": 20.0, "cap_requests_per_user_per_month": 0.5}), today=TODAY
    )
    assert _line(result, "Seats never") == (
        "Seats never break even with API: seats used up to their usage cap cost more per token than the API ($40,000 vs"
        " $1.80 per 1M tokens); at 0.5 requests a seat a month, their 100 seats carry at most 50k tokens/month."
    )
    assert (
        "Seats: 100 seats at $20.00 a seat a month (as given); at most 0.5 requests a seat a month"
        in result.assumptions
    )
    assert "Seats: 730 requests per user per month exceed the plan's cap of 0.5" in result.warnings
    within = costcalc.analyze(
        _scenario({"usd_per_seat_month": 0.01, "cap_requests_per_user_per_month": 2_500.5}), today=TODAY
    )
    assert "within the cap of 2,500 requests a seat a month" in within.headline[0]  # 100 and above: whole, as before
