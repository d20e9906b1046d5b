"""An API whose price is scheduled to change (or whose off-peak share moves with summer time) bills each later month at
that month's rows with the option's own prices on top. sensitivity and simulate, which sum the horizon, scaled month 1's
bill by the path of the base's prices instead: a price the scenario gives was costed off `report --set`'s total (simulate's
median 0.7% off; internal-assistant's DeepSeek price rows $43 off). Now such a price is re-priced month by month; a price
left to the tables beside a scheduled change moves each month's table price alike (its row says so), as the negotiated
rows of both months would."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.api import analyze, sensitivity, simulate

TODAY = dt.date(2026, 12, 7)
DOUBLES = """\
version: 1
name: Gemini doubles in January
horizon_months: 12
workload:
  requests_per_day: 40000
  input_tokens: 1200
  output_tokens: 250
options:
  - name: Gemini
    kind: api
    model: google/gemini-3.6-flash
    PRICES
  - name: Rented GPU
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}
    throughput: {points: [{input_tokens: 1200, output_tokens: 250, requests_per_s: 5.0}]}
"""
INPUT = "options[Gemini].prices.input_usd_per_mtok"


def _scenario(prices: str = "") -> str:
    return DOUBLES.replace("PRICES", prices)


def _savings(overrides: list[str], prices: str = "", extra: str = "") -> float:
    """What self-hosting saves over the horizon, accrued: the metric sensitivity ranks by."""
    result = analyze(extra + _scenario(prices), overrides=overrides, today=TODAY)
    api = next(o for o in result.options if o.name == "Gemini")
    own = next(o for o in result.options if o.name == "Rented GPU")
    return api.horizon_accrual_total - own.horizon_accrual_total


def test_the_scheduled_change_is_there_to_be_kept() -> None:
    """google/gemini-3.6-flash doubles ($0.75 -> $1.50 in, $3.75 -> $7.50 out) on 2027-01-01: month 2 on."""
    result = analyze(_scenario(), today=TODAY)
    assert any("price changes on 2027-01-01" in line for line in result.assumptions)


@pytest.mark.parametrize("path", [INPUT, "options[Gemini].prices.output_usd_per_mtok"])
def test_a_given_price_swings_as_report_set_prices_it(path: str) -> None:
    """The scenario gives Gemini's prices (held in every month, the schedule's doubling not applied to them)."""
    given = "prices: {input_usd_per_mtok: 0.75, output_usd_per_mtok: 3.75}"
    row = sensitivity(_scenario(given), inputs=[path], delta=0.2, today=TODAY).iloc[0]
    for end in ("low", "high"):
        want = _savings([f"{path}={row[end]:.6g}"], given)
        assert row[f"metric_{end}"] == pytest.approx(want, abs=0.01)


def test_a_table_price_beside_a_scheduled_change_moves_every_month_alike() -> None:
    """Left to the tables, Gemini's input price at -20% is $0.60 now and $1.20 from January: the negotiated rows of both
    months say so, and sensitivity's low end is their total (re-pricing it as --set does held $0.60 in every month, so
    both ends fell below the base: 'saves $19.2k' and '$24.5k' against a base of $33.9k)."""
    row = sensitivity(_scenario(), inputs=[INPUT], delta=0.2, today=TODAY).iloc[0]
    negotiated = (
        "pricing:\n"
        "  - {id: google/gemini-3.6-flash@2026-10-14, prices: {input_usd_per_mtok: 0.6}}\n"
        "  - {id: google/gemini-3.6-flash@2027-01-01, prices: {input_usd_per_mtok: 1.2}}\n"
    )
    assert row["low"] == pytest.approx(0.6)
    assert row["metric_low"] == pytest.approx(_savings([], extra=negotiated), abs=0.01)
    assert row["metric_low"] < _savings([]) < row["metric_high"]
    assert row["label"] == "Gemini: input price per 1M tokens (each month's, its scheduled change kept)"


def test_simulate_samples_price_each_month_as_report_set_does() -> None:
    """The horizon cost rises with the price, so its median sample is the median price's: report --set's total there
    (201 samples: the median is a sample, not a mean of two)."""
    text = _scenario("prices: {input_usd_per_mtok: {dist: uniform, low: 0.3, high: 0.9}}")
    result = simulate(text, samples=201, seed=1, today=TODAY)
    price = next(row for row in result.input_rows if row["input"] == INPUT)["p50"]
    gemini = next(row for row in result.summary_rows if row["option"] == "Gemini")
    report = analyze(_scenario(), overrides=[f"{INPUT}={price!r}"], today=TODAY)
    want = next(o for o in report.options if o.name == "Gemini").horizon_accrual_total
    assert gemini["cumulative_cost_p50"] == pytest.approx(want, rel=1e-9)
