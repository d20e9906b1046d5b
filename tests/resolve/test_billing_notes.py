"""An API option's batch share and negotiated discount are stated in the assumptions (nightly-batch's 100% batch and
coding-assistant's 15% discount were told only by the options' names)."""

from __future__ import annotations

from costcalc.api import analyze

SCENARIO = {
    "version": 1,
    "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 100},
    "options": [
        {"name": "Plain", "kind": "api", "model": "openai/gpt-6-luna"},
        {"name": "Deal", "kind": "api", "model": "openai/gpt-6-luna", "batch_share": 0.4, "discount": 0.15},
    ],
}


def test_batch_share_and_discount_are_stated_for_the_option_that_has_them() -> None:
    said = analyze(SCENARIO, today="2026-12-06").assumptions
    assert "Deal: 40% of requests sent through the batch API, at its prices (as given)" in said
    assert "Deal: a negotiated discount of 15% on the whole bill (as given)" in said
    assert not [a for a in said if a.startswith("Plain:") and ("batch API" in a or "discount" in a)]
