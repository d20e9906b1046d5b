"""The what-if grid's numbers worked by hand: bills, break-even and horizon totals at many points at once.

The conftest scenario: 100,000 requests/day (3,041,666.67 a month) of 1,000 input + 250 output tokens, peak ×2.
Explicit API: $1/$4 per 1M → $0.001 + $0.001 = $0.002 a request → $6,083.33 a month.
Rented GPUs: 5 requests/s a replica, so one replica carries 5 × 2,628,000 / 2 = 6,570,000 requests a month;
730 h × 1 GPU × $hourly, plus labour 10 h × $100 = $1,000. Seats: $25 × 200 users = $5,000.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from costcalc.analysis.vectorized import WORKLOAD, evaluate
from costcalc.pricing.book import PriceBook
from costcalc.resolve.scenario import ResolvedScenario, resolve_scenario
from costcalc.scenario.loaders import load_scenario

MONTH = 100_000 * 730 / 24  # requests a month
PER_REPLICA = 5 * 730 * 3600 / 2  # requests a month one replica carries at the peak
RENT = "Rented GPUs"
HOURLY = (RENT, "hardware.hourly_usd")


@pytest.fixture
def resolved(base_scenario: dict[str, Any]) -> ResolvedScenario:
    return resolve_scenario(load_scenario(base_scenario), PriceBook())


def test_rental_bill_over_a_price_array(resolved: ResolvedScenario) -> None:
    hourly = np.array([1.0, 2.0, 4.0])
    ev = evaluate(resolved, {HOURLY: hourly}, 3)
    np.testing.assert_allclose(ev.monthly_usd[RENT], 730 * hourly + 1000, rtol=1e-12)  # $1,730 / $2,460 / $3,920
    np.testing.assert_allclose(ev.monthly_usd["Explicit API"], 0.002 * MONTH, rtol=1e-12)  # $6,083.33
    np.testing.assert_allclose(ev.monthly_usd["Seats"], 5000.0, rtol=1e-12)


def test_break_even_over_a_price_array(resolved: ResolvedScenario) -> None:
    # one replica: $730·hourly + $1,000 = $0.002·V → V = (730·hourly + 1000) / 0.002, inside the first step
    # (≤ 6.57M) for hourly 1 and 2; at $20/hour a full replica costs $14,600 / 6.57M = $0.00222 a request,
    # more than the API's $0.002: never.
    hourly = np.array([1.0, 2.0, 20.0])
    ev = evaluate(resolved, {HOURLY: hourly}, 3)
    got = ev.break_even_requests[RENT]
    np.testing.assert_allclose(got[:2], [865_000.0, 1_230_000.0], rtol=1e-9)
    assert np.isnan(got[2])
    np.testing.assert_allclose(ev.break_even_requests["Seats"], 5000 / 0.002, rtol=1e-12)  # 2.5M requests


def test_break_even_past_the_first_replica_step(resolved: ResolvedScenario) -> None:
    # k replicas cost 730·hourly·k + 1,000; just past the step at (k−1)·6.57M the API costs $13,140·(k−1).
    # hourly $12: dearer there while 8,760k + 1,000 > 13,140(k−1), i.e. k ≤ 3; in step 3 the bill $27,280
    # equals $0.002·V at V = 13.64M (≤ 19.71M). hourly $17: 12,410k + 1,000 > 13,140(k−1) while k ≤ 19;
    # in step 19, $236,790 = $0.002·V at V = 118.395M (≤ 124.83M).
    hourly = np.array([12.0, 17.0])
    ev = evaluate(resolved, {HOURLY: hourly}, 2)
    np.testing.assert_allclose(ev.break_even_requests[RENT], [13_640_000.0, 118_395_000.0], rtol=1e-9)


def test_volume_array_sizes_replicas(resolved: ResolvedScenario) -> None:
    # 400,000 requests/day = 12.17M a month → 2 replicas at the peak: 2 × $1,460 + $1,000 = $3,920
    per_day = np.array([50_000.0, 100_000.0, 400_000.0])
    ev = evaluate(resolved, {(WORKLOAD, "requests_per_day"): per_day}, 3)
    np.testing.assert_allclose(ev.requests_per_month, per_day * 730 / 24, rtol=1e-12)
    np.testing.assert_allclose(ev.monthly_usd[RENT], [2460.0, 2460.0, 3920.0], rtol=1e-12)
    np.testing.assert_allclose(ev.monthly_usd["Explicit API"], 0.002 * per_day * 730 / 24, rtol=1e-12)
    np.testing.assert_allclose(ev.tokens_per_month, per_day * 730 / 24 * 1250, rtol=1e-12)


def test_horizon_totals_over_a_growth_array(resolved: ResolvedScenario) -> None:
    # 12 months; API: $6,083.33 × Σ 1.05^m = × (1.05^12 − 1) / 0.05; rented stays one replica (month 12:
    # 3.04M × 1.05^11 = 5.20M ≤ 6.57M) → 12 × $2,460; seats 12 × $5,000.
    growth = np.array([0.0, 0.05])
    ev = evaluate(resolved, {(WORKLOAD, "growth_per_month"): growth}, 2, timeline=True)
    assert ev.cumulative_usd is not None
    np.testing.assert_allclose(
        ev.cumulative_usd["Explicit API"], 0.002 * MONTH * np.array([12.0, (1.05**12 - 1) / 0.05]), rtol=1e-12
    )
    np.testing.assert_allclose(ev.cumulative_usd[RENT], 12 * 2460.0, rtol=1e-12)
    np.testing.assert_allclose(ev.cumulative_usd["Seats"], 12 * 5000.0, rtol=1e-12)


def test_peak_and_capacity_arrays(resolved: ResolvedScenario) -> None:
    # peak ×4: one replica carries 3.285M ≥ 3.04M (still one); peak ×5 → 2.628M < 3.04M → two: $3,920.
    # capacity ×0.5 at peak ×2: 3.285M per replica → one.
    ev = evaluate(resolved, {(WORKLOAD, "peak_to_average"): np.array([4.0, 5.0])}, 2)
    np.testing.assert_allclose(ev.monthly_usd[RENT], [2460.0, 3920.0], rtol=1e-12)
    ev = evaluate(resolved, {(RENT, "throughput.scale"): np.array([0.5, 0.25])}, 2)
    np.testing.assert_allclose(ev.monthly_usd[RENT], [2460.0, 3920.0], rtol=1e-12)
