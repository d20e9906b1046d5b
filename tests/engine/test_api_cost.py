"""Per-token API bills worked by hand: every cost line of costcalc.engine.api, and the same through analyze()."""

from __future__ import annotations

import numpy as np
import pytest

from costcalc.api import analyze
from costcalc.engine.api import ApiRates, api_cost_lines_per_request, api_monthly
from costcalc.engine.shape import RequestShape

REL = 1e-12


def one_bucket(input_tokens: float, output_tokens: float, **kw: float) -> RequestShape:
    return RequestShape(buckets=((input_tokens, 1.0),), output_tokens=output_tokens, **kw)


def test_uncached_input_and_output() -> None:
    # 1,000 input tokens at $2/M = $0.002; 500 output tokens at $8/M = $0.004.
    lines = api_cost_lines_per_request(ApiRates(input=2.0, output=8.0), one_bucket(1000, 500))
    assert lines["input_uncached"] == pytest.approx(0.002, rel=REL)
    assert lines["output"] == pytest.approx(0.004, rel=REL)
    for other in (
        "input_cached",
        "cache_write",
        "long_context_premium",
        "batch_savings",
        "off_peak_savings",
        "discount",
    ):
        assert lines[other] == pytest.approx(0.0, abs=1e-15)
    assert sum(lines.values()) == pytest.approx(0.006, rel=REL)


def test_cached_input_and_cache_writes() -> None:
    # 1,000 input tokens: 30% read from cache, 10% written to it, 60% uncached.
    # uncached 600 × $2/M = $0.0012; cached 300 × $0.50/M = $0.00015; writes 100 × $2.50/M = $0.00025
    rates = ApiRates(input=2.0, output=8.0, cached_input=0.5, cache_write=2.5)
    lines = api_cost_lines_per_request(rates, one_bucket(1000, 500, cached_input_share=0.3, cache_write_share=0.1))
    assert lines["input_uncached"] == pytest.approx(0.0012, rel=REL)
    assert lines["input_cached"] == pytest.approx(0.00015, rel=REL)
    assert lines["cache_write"] == pytest.approx(0.00025, rel=REL)
    assert lines["output"] == pytest.approx(0.004, rel=REL)


def test_cache_prices_missing_fall_back_to_input_price() -> None:
    # No cached or write price: all 1,000 input tokens cost $2/M whatever the split → $0.002 in total.
    lines = api_cost_lines_per_request(
        ApiRates(input=2.0, output=8.0),
        one_bucket(1000, 500, cached_input_share=0.5, cache_write_share=0.2),
    )
    assert lines["input_uncached"] + lines["input_cached"] + lines["cache_write"] == pytest.approx(0.002, rel=REL)


def test_reasoning_tokens_are_billed_as_output(base_scenario: dict, today) -> None:
    # 100,000 requests/day × 730/24 days = 3,041,666.67 requests/month.
    # Output per request 250 visible + 750 reasoning = 1,000 tokens at $4/M = $0.004 → $12,166.67/month.
    base_scenario["workload"]["reasoning_tokens"] = 750
    base_scenario["options"] = base_scenario["options"][:1]
    result = analyze(base_scenario, today=today)
    api = result.option("Explicit API")
    requests = 100_000 * 730 / 24
    assert api.breakdown["output"] == pytest.approx(requests * 1000 * 4.0 / 1e6, rel=1e-9)
    assert result.workload.output_tokens_per_month == pytest.approx(requests * 1000, rel=1e-9)


def test_long_context_tier_bills_whole_request_at_tier_rate() -> None:
    # Threshold 200k tokens; half the requests have 100k input, half 300k; 1,000 output tokens each.
    # Standard: input $3/M, output $15/M. Tier: input $6/M, output $22.50/M (whole request, not the excess).
    # Short half: 0.5 × 0.1M × $3 = $0.15 input, 0.5 × 0.001M × $15 = $0.0075 output.
    # Long half:  0.5 × 0.3M × $6 = $0.90 input (all 300k at $6, not 100k), 0.5 × 0.001M × $22.5 = $0.01125.
    # Billed $1.06875. At standard prices: 0.2M × $3 + 0.001M × $15 = $0.615 → premium $0.45375.
    rates = ApiRates(
        input=3.0,
        output=15.0,
        long_context_threshold_tokens=200_000,
        long_context_input=6.0,
        long_context_output=22.5,
    )
    shape = RequestShape(buckets=((100_000, 0.5), (300_000, 0.5)), output_tokens=1000)
    lines = api_cost_lines_per_request(rates, shape)
    assert lines["input_uncached"] == pytest.approx(0.6, rel=REL)
    assert lines["output"] == pytest.approx(0.015, rel=REL)
    assert lines["long_context_premium"] == pytest.approx(0.45375, rel=REL)
    assert sum(lines.values()) == pytest.approx(1.06875, rel=REL)


def test_long_context_tier_depends_on_buckets_not_the_mean() -> None:
    # Same mean input (200k) as one bucket: 200k is not above the 200k threshold → no premium at all.
    rates = ApiRates(
        input=3.0,
        output=15.0,
        long_context_threshold_tokens=200_000,
        long_context_input=6.0,
        long_context_output=22.5,
    )
    lines = api_cost_lines_per_request(rates, one_bucket(200_000, 1000))
    assert lines["long_context_premium"] == pytest.approx(0.0, abs=1e-15)
    assert sum(lines.values()) == pytest.approx(0.615, rel=REL)


def test_long_context_tier_with_cached_input() -> None:
    # One bucket of 400k input (above 200k), half cached. Tier: input $6/M, cached $0.60/M, output $22.5/M.
    # uncached 0.2M × $6 = $1.20; cached 0.2M × $0.60 = $0.12; output 0.001M × $22.5 = $0.0225 → $1.3425.
    rates = ApiRates(
        input=3.0,
        output=15.0,
        cached_input=0.3,
        long_context_threshold_tokens=200_000,
        long_context_input=6.0,
        long_context_cached_input=0.6,
        long_context_output=22.5,
    )
    lines = api_cost_lines_per_request(rates, one_bucket(400_000, 1000, cached_input_share=0.5))
    assert sum(lines.values()) == pytest.approx(1.3425, rel=REL)


def test_input_length_buckets_through_analyze(base_scenario: dict, today) -> None:
    # 1,000 requests/day → 30,416.67 requests/month. Buckets: 75% at 100k, 25% at 300k (mean 150k, below 200k).
    # Per request: 0.75 × 0.1M × $3 + 0.25 × 0.3M × $6 = $0.225 + $0.45 = $0.675 input;
    # output 0.75 × 0.0002M × $15 + 0.25 × 0.0002M × $22.5 = $0.00225 + $0.001125 = $0.003375 → $0.678375.
    wl = base_scenario["workload"]
    wl.update(requests_per_day=1000, output_tokens=200)
    del wl["input_tokens"]
    wl["input_length_buckets"] = [
        {"input_tokens": 100_000, "share": 0.75},
        {"input_tokens": 300_000, "share": 0.25},
    ]
    base_scenario["options"] = [
        {
            "name": "Tiered",
            "kind": "api",
            "prices": {
                "input_usd_per_mtok": 3.0,
                "output_usd_per_mtok": 15.0,
                "long_context_threshold_tokens": 200_000,
                "long_context_input_usd_per_mtok": 6.0,
                "long_context_output_usd_per_mtok": 22.5,
            },
        }
    ]
    result = analyze(base_scenario, today=today)
    assert result.option("Tiered").monthly_cost == pytest.approx(1000 * 730 / 24 * 0.678375, rel=1e-9)


def test_batch_savings() -> None:
    # 40% of requests via batch at half price (input $1/M, output $4/M instead of $2 and $8).
    # Standard request: $0.002 input + $0.004 output = $0.006. Savings: 0.4 × 0.5 × $0.006 = $0.0012.
    rates = ApiRates(input=2.0, output=8.0, batch_input=1.0, batch_output=4.0, batch_share=0.4)
    lines = api_cost_lines_per_request(rates, one_bucket(1000, 500))
    assert lines["batch_savings"] == pytest.approx(-0.0012, rel=REL)
    assert sum(lines.values()) == pytest.approx(0.0048, rel=REL)


def test_off_peak_savings() -> None:
    # 25% of requests off-peak: input $0.50/M (vs $2), cached $0.10/M (vs $0.50), output $2/M (vs $8).
    # Request: 1,000 input, 40% cached; 500 output.
    # Standard: uncached 600 × $2/M = $0.0012, cached 400 × $0.5/M = $0.0002, output $0.004 → $0.0054.
    # Off-peak:  600 × $0.5/M = $0.0003, 400 × $0.1/M = $0.00004, 500 × $2/M = $0.001 → $0.00134.
    # Savings: 0.25 × ($0.0054 − $0.00134) = $0.001015.
    rates = ApiRates(
        input=2.0,
        output=8.0,
        cached_input=0.5,
        off_peak_input=0.5,
        off_peak_cached_input=0.1,
        off_peak_output=2.0,
        off_peak_share=0.25,
    )
    lines = api_cost_lines_per_request(rates, one_bucket(1000, 500, cached_input_share=0.4))
    assert lines["off_peak_savings"] == pytest.approx(-0.001015, rel=REL)
    assert sum(lines.values()) == pytest.approx(0.0054 - 0.001015, rel=REL)


def test_discount_applies_to_the_whole_bill_after_savings() -> None:
    # $0.0048 after batch savings (see test_batch_savings); 10% discount = −$0.00048 → $0.00432.
    rates = ApiRates(input=2.0, output=8.0, batch_input=1.0, batch_output=4.0, batch_share=0.4, discount=0.1)
    lines = api_cost_lines_per_request(rates, one_bucket(1000, 500))
    assert lines["discount"] == pytest.approx(-0.00048, rel=REL)
    assert sum(lines.values()) == pytest.approx(0.00432, rel=REL)


def test_monthly_is_per_request_times_volume() -> None:
    # $0.006 a request (see the first test) × [0, 1,000, 2.5M] requests = [$0, $6, $15,000].
    monthly = api_monthly(ApiRates(input=2.0, output=8.0), one_bucket(1000, 500), np.array([0.0, 1000.0, 2.5e6]))
    total = sum(monthly.values())
    np.testing.assert_allclose(total, [0.0, 6.0, 15_000.0], rtol=1e-12)


def test_batch_and_discount_through_analyze(base_scenario: dict, today) -> None:
    # 3,041,666.67 requests/month × $0.002 (1,000 × $1/M + 250 × $4/M) = $6,083.33 standard.
    # 50% batch at half price saves 25% → $4,562.50; 20% discount → $3,650.00.
    base_scenario["options"] = [
        {
            "name": "Batchy",
            "kind": "api",
            "batch_share": 0.5,
            "discount": 0.2,
            "prices": {
                "input_usd_per_mtok": 1.0,
                "output_usd_per_mtok": 4.0,
                "batch_input_usd_per_mtok": 0.5,
                "batch_output_usd_per_mtok": 2.0,
            },
        }
    ]
    api = analyze(base_scenario, today=today).option("Batchy")
    requests = 100_000 * 730 / 24
    assert api.monthly_cost == pytest.approx(requests * 0.002 * 0.75 * 0.8, rel=1e-9)
    assert api.breakdown["batch_savings"] == pytest.approx(-requests * 0.002 * 0.25, rel=1e-9)
    # $/1M tokens: monthly / (requests × 1,250 tokens / 1M)
    assert api.cost_per_million_tokens == pytest.approx(api.monthly_cost / (requests * 1250 / 1e6), rel=1e-12)


def test_tokens_per_month_workload(base_scenario: dict, today) -> None:
    # 1.25e9 tokens/month at 1,000 + 250 tokens a request = 1,000,000 requests × $0.002 = $2,000.
    wl = base_scenario["workload"]
    del wl["requests_per_day"]
    wl["tokens_per_month"] = 1.25e9
    result = analyze(base_scenario, today=today)
    assert result.workload.requests_per_month == pytest.approx(1_000_000)
    assert result.option("Explicit API").monthly_cost == pytest.approx(2000.0)
    assert result.option("Explicit API").cost_per_million_tokens == pytest.approx(1.6)  # $2,000 / 1,250M


def test_off_peak_cached_input_takes_the_inputs_off_peak_ratio_when_it_has_none() -> None:
    # 1,000 input tokens, 40% cached; every request off-peak, where input is half price and no off-peak
    # cached price is published: cached input is then half price too, output keeps its price.
    # uncached 600 × $2/M = $0.0012, cached 400 × $0.50/M = $0.0002: saving -(0.0012 + 0.0002) × 0.5 = -$0.0007
    rates = ApiRates(input=2.0, output=8.0, cached_input=0.5, off_peak_input=1.0, off_peak_share=1.0)
    lines = api_cost_lines_per_request(rates, one_bucket(1000, 500, cached_input_share=0.4))
    assert lines["off_peak_savings"] == pytest.approx(-0.0007, rel=REL)


def test_a_batch_price_beside_a_free_standard_price() -> None:
    # input free ($0/M) with a batch input price set, everything sent as batch: nothing to save on input (the
    # ratio is 1 where the standard price is 0), output at $4/M unchanged: 250 tokens = $0.001 a request
    rates = ApiRates(input=0.0, output=4.0, batch_input=0.5, batch_share=1.0)
    lines = api_cost_lines_per_request(rates, RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0))
    assert lines["batch_savings"] == 0.0
    assert sum(lines.values()) == pytest.approx(0.001, rel=1e-12)


def test_no_bucket_past_the_tier_has_no_premium_at_all() -> None:
    """Below the long-context threshold the premium is exactly 0, not float noise: GPT-6 Luna at 1,800 tokens with
    60% cached carried 2.5e-13 (the tiered total less the other lines), and the breakdown chart's legend listed a
    'long-context tier' no bar showed. Three buckets whose shares sum to 1 only up to rounding (0.1 + 0.2 + 0.7)."""
    rates = ApiRates(
        input=1.1, output=4.4, cached_input=0.11, long_context_threshold_tokens=200_000, long_context_input=2.2
    )
    shape = RequestShape(
        buckets=((900.0, 0.1), (1800.0, 0.2), (2700.0, 0.7)), output_tokens=350, cached_input_share=0.6
    )
    assert api_cost_lines_per_request(rates, shape)["long_context_premium"] == 0.0
    tiered = RequestShape(buckets=((1800.0, 0.5), (300_000.0, 0.5)), output_tokens=350)
    # half the requests pass 200k: 300,000 × 0.5 = 150,000 tokens a mean request at $2.20 - $1.10 more per M
    assert api_cost_lines_per_request(rates, tiered)["long_context_premium"] == pytest.approx(0.165, rel=REL)
