"""Small scenarios for the what-if tests: explicit prices and given throughput, so catalog updates do not move them."""

from __future__ import annotations

BASE = """\
version: 1
name: What-if test
horizon_months: 12
workload:
  requests_per_day: 200000
  input_tokens: 1500
  output_tokens: 300
  cached_input_share: 0.5
  peak_to_average: 2.0
  growth_per_month: 0.05
  users: 400
options:
  - name: API A
    kind: api
    prices: {input_usd_per_mtok: 0.25, output_usd_per_mtok: 2.0, cached_input_usd_per_mtok: 0.025}
  - name: API B
    kind: api
    prices: {input_usd_per_mtok: 0.4, output_usd_per_mtok: 1.6}
    discount: 0.1
  - name: Rented H100
    kind: self_hosted
    model: gpt-oss-120b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.49}
    throughput:
      points: [{input_tokens: 1500, output_tokens: 300, requests_per_s: 4.0}]
    operations: {engineer_hours_per_month: 10, hourly_rate_usd: 120}
  - name: Owned H100
    kind: self_hosted
    model: gpt-oss-120b
    hardware: {gpu: h100-sxm-80gb, acquisition: buy, price_usd: 30000, useful_life_months: 48,
               cost_of_capital_per_year: 0.08}
    power: {idle_w_per_gpu: 100, max_w_per_gpu: 700, pue: 1.3, electricity_usd_per_kwh: 0.12}
    hosting: {usd_per_kw_month: 150}
    throughput:
      points: [{input_tokens: 1500, output_tokens: 300, requests_per_s: 4.0}]
    operations: {engineer_hours_per_month: 20, hourly_rate_usd: 120}
  - name: Seats
    kind: subscription
    usd_per_seat_month: 25
"""

RENT = "options[Rented H100]"
OWNED = "options[Owned H100]"
