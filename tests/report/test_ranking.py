"""Seats their numeric usage cap holds below today's volume are not the cheapest while another option may carry it:
one ranking (report/ranking.py) for the verdict, every table, the CSV, the JSON and recommend.

The scenario, worked by hand: 2,400 requests a day x 730/24 days = 73,000 requests a month of 800 + 200 tokens (73M
tokens). The API at $1 / $5 per 1M: 800 x $1 + 200 x $5 per 1M = $0.0018 a request, $131.40 a month. 100 seats at $1
= $100 a month, capped at 500 requests a seat: they carry at most 50,000 requests (50M tokens) of the 73,000.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

import costcalc
from costcalc.render import report_html, report_markdown, report_table
from costcalc.report.ranking import carries, most_requests, ranked
from tests.support.cli import invoke

TODAY = "2026-12-07"
OVER = (
    "Seats, at $100/month, would be cheaper but cannot carry today's volume: 730k tokens a seat a month (about 24"
    " requests a day), above the cap of 500 requests a seat a month (at most 50M tokens/month on the 100 seats)"
)


def _scenario(*, cap: float | None = 500, api: bool = True) -> dict[str, Any]:
    seats: dict[str, Any] = {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 1.0}
    if cap is not None:
        seats["cap_requests_per_user_per_month"] = cap
    prices = {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 5.0}
    return {
        "version": 1,
        "name": "Capped seats",
        "horizon_months": 12,
        "workload": {"users": 100, "requests_per_day": 2400, "input_tokens": 800, "output_tokens": 200},
        "options": [seats, *([{"name": "API", "kind": "api", "prices": prices}] if api else [])],
    }


def test_seats_over_their_cap_rank_after_every_option_that_may_carry_the_volume() -> None:
    result = costcalc.analyze(_scenario(), today=TODAY)
    seats, api = result.option("Seats"), result.option("API")
    assert (seats.monthly_cost, round(api.monthly_cost, 2)) == (100.0, 131.4)  # the seats cost less ...
    assert most_requests(seats) == 50_000 and not carries(seats, 73_000)  # ... but carry 50,000 of 73,000 requests
    assert [o.name for o in ranked(result.options, 73_000)] == ["API", "Seats"]
    assert result.cheapest == "API" and [o.name for o in result.ranked] == ["API", "Seats"]
    assert result.headline[:2] == (
        f"Cheapest now: API at $131/month ($1.80 per 1M tokens); {OVER}.",
        "It is the only option that may carry today's volume.",
    )
    assert result.tie is None  # no tie with seats that cannot carry the volume


def _report(tmp_path: Path, fmt: str) -> str:
    path = tmp_path / "capped.yaml"
    path.write_text(json.dumps(_scenario()), encoding="utf-8")  # JSON is YAML
    code, out, err = invoke("report", str(path), "--today", TODAY, "-f", fmt)
    assert code == 0, err
    return out


def test_every_format_says_the_same_cheapest_and_marks_the_seats_over_their_cap(tmp_path: Path) -> None:
    result = costcalc.analyze(_scenario(), today=TODAY)
    table = report_table.options_table(result, width=200)
    assert table.index("API") < table.index("Seats") and "over usage cap" in table
    md = report_markdown.render(result)
    assert "| **API** | $131 | cheapest |" in md and "| Seats | $100 | over usage cap |" in md
    html = report_html.render(result)
    assert "data-option='Seats'><td class='name'>Seats<span class='tie-note'>over usage cap</span>" in html
    assert html.index("data-option='API'") < html.index("data-option='Seats'")
    csv = pd.read_csv(io.StringIO(_report(tmp_path, "csv"))).set_index("option")
    assert (csv.loc["API", "cheapest"], csv.loc["Seats", "cheapest"], csv.loc["Seats", "over_usage_cap"]) == (
        "yes",
        "no",
        "yes",
    )
    assert pd.isna(csv.loc["API", "over_usage_cap"])  # applies to seats only
    data = json.loads(_report(tmp_path, "json"))
    assert data["cheapest"] == "API" and data["headline"][0].endswith(f"{OVER}.")


def test_seats_within_their_cap_or_without_one_rank_by_cost_as_before() -> None:
    for cap in (1000, None):  # 100 x 1,000 = 100,000 requests carry today's 73,000; no cap: no limit
        result = costcalc.analyze(_scenario(cap=cap), today=TODAY)
        assert result.cheapest == "Seats" and result.headline[0].startswith("Cheapest now: Seats at $100/month")
        assert "cannot carry" not in " ".join(result.headline)


def test_where_no_option_may_carry_the_volume_the_cheapest_is_the_cheapest_and_says_it_is_above_its_cap() -> None:
    result = costcalc.analyze(_scenario(api=False), today=TODAY)
    assert result.cheapest == "Seats"
    assert result.headline[0].endswith(
        "(about 24 requests a day), above the cap of 500 requests a seat a month (at most 50M tokens/month on the 100"
        " seats)."
    )
    assert "over usage cap" not in report_markdown.render(result)


def test_the_cap_warning_counts_the_seats_bought_not_the_users() -> None:
    # 50 seats for the 100 users: 73,000 / 50 = 1,460 requests a seat, above a cap of 1,000 (50,000 on 50 seats),
    # while 730 a user are within it: the warning once said nothing, and now says what the ranking does
    scenario = _scenario(cap=1000)
    scenario["options"][0]["seats"] = 50
    result = costcalc.analyze(scenario, today=TODAY)
    assert result.cheapest == "API"
    assert "Seats: 1,460 requests a seat a month exceed the plan's cap of 1,000" in result.warnings
