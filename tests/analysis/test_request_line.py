"""The assumptions say what one request is (volume, lengths, prompt-cache shares, reasoning), the inputs behind every
API bill: startup-chatbot's 'half the input cached' appeared nowhere in its report, whose header shows only totals."""

from __future__ import annotations

from costcalc.analysis.request_line import request_line
from costcalc.models import Workload


def test_a_request_with_a_cached_share() -> None:
    w = Workload(requests_per_day=40000, input_tokens=1200, output_tokens=250, cached_input_share=0.5)
    assert request_line(w) == (
        "Workload (as given): 40,000 requests a day; each 1,200 input tokens, 50% read from a prompt cache;"
        " 250 output tokens."
    )


def test_length_buckets_cache_writes_and_reasoning() -> None:
    w = Workload.model_validate(
        {
            "tokens_per_month": 3e10,
            "input_length_buckets": [{"input_tokens": 20000, "share": 0.75}, {"input_tokens": 300000, "share": 0.25}],
            "output_tokens": 600,
            "reasoning_tokens": 800,
            "cached_input_share": 0.85,
            "cache_write_share": 0.05,
        }
    )
    assert request_line(w) == (
        "Workload (as given): 30B tokens a month; each 90,000 input tokens on average (75% at 20,000, 25% at"
        " 300,000), 85% read from a prompt cache, 5% written to it; 600 output tokens plus 800 reasoning tokens"
        " (billed and generated as output)."
    )


def test_one_of_anything_is_said_in_the_singular() -> None:
    """qa15: a classifier's one-token answer read 'Workload (as given): ...; 1 output tokens.' in every format's
    assumptions (the PR comment's folded sources among them)."""
    w = Workload(requests_per_day=1, input_tokens=1, output_tokens=1, reasoning_tokens=1)
    assert request_line(w) == (
        "Workload (as given): 1 request a day; each 1 input token; 1 output token plus 1 reasoning token (billed and"
        " generated as output)."
    )
