"""The written scenario keeps the user's APIs, seats and the guardrails that still apply; it drops what would fail."""

from __future__ import annotations

from costcalc.analysis.recommend.handoff import scenario_dict
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import chat

CANDIDATE = {
    "name": "gpt-oss-20b on 1x l40s-48gb",
    "kind": "self_hosted",
    "model": "gpt-oss-20b",
    "hardware": {"gpu": "l40s-48gb", "acquisition": "rent", "hourly_usd": 1.0},
}


def test_guardrails_naming_dropped_options_are_left_out() -> None:
    doc = chat()
    doc["guardrails"] = [
        "monthly_cost < 5000",
        "monthly_cost[Explicit API] < 900",
        "monthly_cost[Own L40S] < 3000",
        "cheapest == 'Own L40S'",
    ]
    doc["variants"] = {"cheap": {"options[Own L40S].hardware.hourly_usd": 1.0}}
    written, dropped = scenario_dict(load_scenario(doc), [CANDIDATE], note="test")
    assert written["guardrails"] == ["monthly_cost < 5000", "monthly_cost[Explicit API] < 900"]
    assert "variants" not in written
    assert len(dropped) == 3
    assert [o["name"] for o in written["options"]] == ["Explicit API", "Seats", CANDIDATE["name"]]
    again = load_scenario(written)  # a valid scenario
    assert again.name == "Recommend test (test)"
