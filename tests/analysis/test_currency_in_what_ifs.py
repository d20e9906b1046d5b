"""A scenario's exchange rate is an input like any other: sweep, sensitivity and simulate convert each point at that
point's rate, as `report --set currency.per_usd=...` does (they converted every point at the base's rate, so a swept
or sampled rate changed nothing)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from costcalc.api import analyze, sensitivity, simulate, sweep
from costcalc.errors import InputError

TODAY = dt.date(2026, 12, 5)
EUR = """\
version: 1
name: Euro budget
horizon_months: 12
currency: {code: EUR, per_usd: RATE, as_of: 2026-11-30, source: ECB}
workload:
  requests_per_day: 40000
  input_tokens: 1000
  output_tokens: 200
options:
  - name: API A
    kind: api
    prices: {input_usd_per_mtok: 1.0, output_usd_per_mtok: 4.0}
  - name: Rented GPU
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}
    throughput: {points: [{input_tokens: 1000, output_tokens: 200, requests_per_s: 5.0}]}
"""


def _scenario(rate: str = "0.9") -> str:
    return EUR.replace("RATE", rate)


def test_a_swept_exchange_rate_converts_each_point_at_its_own_rate() -> None:
    frame = sweep(_scenario(), ["currency.per_usd=0.8,1.1"], today=TODAY)
    for rate, (_, row) in zip((0.8, 1.1), frame.iterrows(), strict=True):
        report = analyze(_scenario(), overrides=[f"currency.per_usd={rate}"], today=TODAY)
        for option in report.options:
            assert row[f"monthly_cost[{option.name}]"] == pytest.approx(option.monthly_cost)
    # API A: 40,000 x 30.42 days x (1,000 x $1 + 200 x $4) / 1M = $2,190 a month; x 0.8 = 1,752 and x 1.1 = 2,409
    assert frame["monthly_cost[API A]"].tolist() == pytest.approx([1752.0, 2409.0])


def test_sensitivity_moves_the_savings_with_the_exchange_rate() -> None:
    result = sensitivity(_scenario(), inputs=["currency.per_usd"], delta=0.2, today=TODAY)
    row = result.iloc[0]
    base = result.attrs["base_metric"]
    # every figure is in EUR: the rate 20% lower or higher moves the savings by 20% too
    assert (row["metric_low"], row["metric_high"]) == pytest.approx((0.8 * base, 1.2 * base))


def test_a_sampled_exchange_rate_spreads_the_costs() -> None:
    text = _scenario("{dist: uniform, low: 0.8, high: 1.0}")
    result = simulate(text, samples=400, seed=1, today=TODAY)
    api = next(row for row in result.summary_rows if row["option"] == "API A")
    usd = 2190.0  # the month's cost in USD (above)
    assert api["monthly_cost_p10"] == pytest.approx(usd * 0.82, rel=0.02)
    assert api["monthly_cost_p90"] == pytest.approx(usd * 0.98, rel=0.02)
    assert np.isfinite(api["monthly_cost_p50"])


def test_a_sweep_cannot_mix_currencies() -> None:
    with pytest.raises(InputError, match="currency"):
        sweep(_scenario(), ["currency.code=EUR,GBP"], today=TODAY)
