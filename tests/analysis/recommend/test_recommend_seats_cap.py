"""recommend's cheapest seats are those that may carry today's volume, as report ranks them (report/ranking.py); seats
their numeric usage cap holds below it are said so where no other seats may carry it.

20,000 requests a day x 730/24 = 608,333 requests a month. 'Capped seats': 50 seats at $10 ($500 a month) capped at
100 requests a seat, 5,000 requests; 'Seats': 50 at $20 ($1,000 a month), no cap."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.analysis.recommend.verdict import verdict
from costcalc.api import analyze
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat

CAPPED = {
    "name": "Capped seats",
    "kind": "subscription",
    "usd_per_seat_month": 10.0,
    "cap_requests_per_user_per_month": 100,
}


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    scenario = chat()
    scenario["options"].insert(0, CAPPED)
    limits = Constraints(gpus=("l4-24gb", "l40s-48gb"), engines=("vllm",), max_gpus=2, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=1)
    return recommend(load_scenario(scenario), PriceSource(), request, today=dt.date.fromisoformat(TODAY), cache=None)


def test_the_cheapest_seats_are_those_that_may_carry_the_volume(run) -> None:  # type: ignore[no-untyped-def]
    r = run.recommendation
    top = r.candidates[0]
    assert top.gap_to_cheapest_seat == pytest.approx(top.monthly_cost - 1000.0)  # against Seats, not $500
    line = next(x for x in r.verdict.lines if x.startswith("Cheapest seats"))
    assert line.startswith("Cheapest seats: Seats at $1,000/month; self-hosting costs"), line
    seats = [x.name for x in r.references if x.kind == "subscription"]
    assert seats == ["Seats", "Capped seats"]  # the report's order: over their cap last


def test_seats_over_their_cap_named_as_the_cheapest_seats_say_they_cannot_carry_it(run) -> None:  # type: ignore[no-untyped-def]
    # where they are the only seats: 608,333 requests on 50 seats = 12,167 a seat a month, 400 a day
    scenario = chat()
    scenario["options"].insert(0, CAPPED)
    result = analyze(scenario, today=dt.date.fromisoformat(TODAY))
    capped = result.option("Capped seats")
    top = run.recommendation.candidates[0]
    lines = verdict([top], None, capped, result, "USD", result.workload.tokens_per_month, (1000, 200)).lines
    line = next(x for x in lines if x.startswith("Cheapest seats"))
    assert line.startswith(
        "Cheapest seats: Capped seats at $500/month, which cannot carry today's volume: 14.6M tokens a seat a month"
        " (about 400 requests a day), above the cap of 100 requests a seat a month (at most 6M tokens/month on the 50"
        " seats); self-hosting costs"
    ), line


def test_the_scenario_s_seats_fewer_than_its_users_are_said_in_report_s_words() -> None:
    # qa22 finding 18: 'Cheapest seats: Seats at $60/month' for 50 users on 3 seats, and no word that 47 have none
    scenario = chat()
    scenario["options"][1]["seats"] = 3
    limits = Constraints(gpus=("l4-24gb",), engines=("vllm",), max_gpus=1, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=1)
    today = dt.date.fromisoformat(TODAY)
    r = recommend(load_scenario(scenario), PriceSource(), request, today=today, cache=None).recommendation
    report = [w for w in analyze(scenario, today=today).warnings if w.startswith("Seats: 3 seats for 50 users")]
    assert report and [w for w in r.warnings if w.startswith("Seats: ")] == report
