"""A long-context tier an option states is used or refused, never ignored: its threshold needs its rates, and rates
their threshold, from the price row or the option's own prices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import costcalc

TODAY = dt.date(2026, 12, 5)


def scenario(api: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 200},
        "options": [{"name": "API", "kind": "api", **api}],
    }


@pytest.mark.parametrize(
    ("prices", "said"),
    [
        (  # billed $1 / $2 per 1M tokens as if no tier were written
            {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2, "long_context_threshold_tokens": 500},
            "options[API].prices.long_context_threshold_tokens: long_context_threshold_tokens is set but no"
            " long-context rate, so it changes nothing; set prices.long_context_input_usd_per_mtok and"
            " prices.long_context_output_usd_per_mtok, or drop it",
        ),
        (  # the $9 rate never applied
            {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2, "long_context_input_usd_per_mtok": 9},
            "options[API].prices.long_context_input_usd_per_mtok: prices.long_context_input_usd_per_mtok is set but no"
            " long_context_threshold_tokens, so it never applies; set prices.long_context_threshold_tokens (the input"
            " tokens above which a request is billed at it)",
        ),
    ],
)
def test_half_a_long_context_tier_is_refused_at_its_field(prices: dict[str, float], said: str) -> None:
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario({"prices": prices}), today=TODAY)
    assert str(info.value) == f"<dict>: {said}"


def test_a_threshold_over_a_rows_tier_moves_it_and_bills_it() -> None:
    # openai/gpt-6-astra's row has a long-context tier: a lower threshold of the option's own puts 1,000-token
    # requests in it
    moved = costcalc.analyze(
        scenario({"model": "openai/gpt-6-astra", "prices": {"long_context_threshold_tokens": 500}}), today=TODAY
    )
    plain = costcalc.analyze(scenario({"model": "openai/gpt-6-astra"}), today=TODAY)
    assert moved.option("API").breakdown["long_context_premium"] > 0
    assert plain.option("API").breakdown["long_context_premium"] == 0
