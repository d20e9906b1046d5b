"""Self-hosted and seat bills worked by hand: rental, scaling, depreciation, capital, energy, hosting, labour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from costcalc.api import analyze
from costcalc.engine.self_hosted import SelfHostedPlan, breakpoints, self_hosted_monthly, step_intervals, total
from costcalc.units import SECONDS_PER_MONTH

FLAT = (1.0,) * 24
REL = 1e-12


def at(plan: SelfHostedPlan, requests_per_month: float, peak: float = 1.0, hours=FLAT) -> dict[str, float]:
    lines = self_hosted_monthly(plan, np.array([requests_per_month]), peak_factor=peak, hourly_factors=hours)
    return {k: float(v[0]) for k, v in lines.items()}


def test_rental_always_on_is_replicas_gpus_730h_price() -> None:
    # Capacity 2 req/s a replica. 6,000,000 requests/month = 2.283 req/s mean; peak ×2 = 4.566 req/s
    # → ceil(4.566 / 2) = 3 replicas. 3 replicas × 2 GPUs × 730 h × $2.50 = $10,950.
    plan = SelfHostedPlan(capacity_requests_per_s=2.0, gpus_per_replica=2, acquisition="rent", usd_per_gpu_hour=2.5)
    lines = at(plan, 6_000_000, peak=2.0)
    assert lines["replicas"] == 3
    assert lines["gpu_rental"] == pytest.approx(10_950.0, rel=REL)
    assert lines["replica_hours"] == pytest.approx(3 * 730, rel=REL)


def test_rental_min_replicas_kept_when_idle() -> None:
    # No traffic, min_replicas 2: 2 × 1 GPU × 730 h × $3 = $4,380; utilisation 0.
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=3.0,
        min_replicas=2,
    )
    lines = at(plan, 0.0)
    assert lines["replicas"] == 2
    assert lines["gpu_rental"] == pytest.approx(4380.0, rel=REL)
    assert lines["utilisation"] == 0.0


def test_rental_follow_profile_bills_hourly_replicas() -> None:
    # Capacity 1 req/s. Profile: 12 hours at 0.5× the mean, 12 hours at 1.5× (mean 1).
    # Volume 2 req/s mean = 2 × 2,628,000 s = 5,256,000 requests/month.
    # Quiet hours 1 req/s → 1 replica; busy hours 3 req/s → 3 replicas.
    # Replica-hours: (12 × 1 + 12 × 3) × 730/24 days = 48 × 30.4167 = 1,460 h; × $2 × 1 GPU = $2,920.
    # Always-on at the same peak (1.5) needs 3 × 730 h × $2 = $4,380.
    hours = (0.5,) * 12 + (1.5,) * 12
    follow = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=2.0,
        scaling="follow_profile",
    )
    lines = at(follow, 2 * SECONDS_PER_MONTH, peak=1.5, hours=hours)
    assert lines["replicas"] == 3  # the peak hour's count
    assert lines["replica_hours"] == pytest.approx(1460.0, rel=REL)
    assert lines["gpu_rental"] == pytest.approx(2920.0, rel=REL)
    always = SelfHostedPlan(capacity_requests_per_s=1.0, gpus_per_replica=1, acquisition="rent", usd_per_gpu_hour=2.0)
    assert at(always, 2 * SECONDS_PER_MONTH, peak=1.5)["gpu_rental"] == pytest.approx(4380.0, rel=REL)


def bought(**kw: float) -> SelfHostedPlan:
    base = {
        "capacity_requests_per_s": 1.0,
        "gpus_per_replica": 8,
        "acquisition": "buy",
        "price_usd_per_replica": 240_000.0,
    }
    return SelfHostedPlan(**{**base, **kw})  # type: ignore[arg-type]


def test_depreciation_straight_line_less_residual() -> None:
    # $240,000 over 48 months, 20% residual: 240,000 × 0.8 / 48 = $4,000 a month; no interest → no capital cost.
    lines = at(bought(useful_life_months=48, residual_value_share=0.2), 0.5 * SECONDS_PER_MONTH)
    assert lines["depreciation"] == pytest.approx(4000.0, rel=REL)
    assert lines["cost_of_capital"] == pytest.approx(0.0, abs=1e-9)


def test_cost_of_capital_is_annuity_minus_depreciation() -> None:
    # $12,000 over 12 months at 12%/year (1%/month), no residual.
    # Loan payment PMT = 12,000 × 0.01 / (1 − 1.01^−12) = 12,000 × 0.01 / 0.112551 = $1,066.1855 (by hand).
    # Straight-line depreciation $1,000 → cost of capital $66.1855 a month.
    plan = bought(
        price_usd_per_replica=12_000.0,
        useful_life_months=12,
        cost_of_capital_per_year=0.12,
        gpus_per_replica=1,
    )
    lines = at(plan, 0.5 * SECONDS_PER_MONTH)
    assert lines["depreciation"] == pytest.approx(1000.0, rel=REL)
    assert lines["cost_of_capital"] == pytest.approx(66.1855, abs=5e-4)
    # Over the life the payments exceed the price by the interest: 12 × 66.1855 = $794.23 in total.
    assert 12 * lines["cost_of_capital"] == pytest.approx(794.23, abs=0.01)


def test_cost_of_capital_with_residual() -> None:
    # Residual 50% of $12,000 at 1%/month over 12 months: PMT = (12,000 − 6,000 / 1.01^12) × 0.01 / (1 − 1.01^−12)
    # 1.01^12 = 1.126825; 6,000 / 1.126825 = 5,324.70; (6,675.30) × 0.088849 = $593.09; depreciation 500 → $93.09.
    plan = bought(
        price_usd_per_replica=12_000.0,
        useful_life_months=12,
        cost_of_capital_per_year=0.12,
        residual_value_share=0.5,
        gpus_per_replica=1,
    )
    lines = at(plan, 0.5 * SECONDS_PER_MONTH)
    assert lines["depreciation"] == pytest.approx(500.0, rel=REL)
    assert lines["cost_of_capital"] == pytest.approx(93.09, abs=0.01)


def test_energy_idle_to_max_by_utilisation() -> None:
    # 8 GPUs at 100 W idle, 700 W max; 1,000 W server overhead. Capacity 1 req/s; 0.5 req/s mean → 50% utilised.
    # Watts: 8 × (100 + 600 × 0.5) + 1,000 = 4,200 W = 4.2 kW × 730 h = 3,066 kWh × PUE 1.25 = 3,832.5 kWh
    # × $0.10 = $383.25.
    plan = bought(
        useful_life_months=48,
        idle_w_per_gpu=100,
        max_w_per_gpu=700,
        server_overhead_w=1000,
        pue=1.25,
        usd_per_kwh=0.10,
    )
    lines = at(plan, 0.5 * SECONDS_PER_MONTH)
    assert lines["utilisation"] == pytest.approx(0.5, rel=REL)
    assert lines["energy"] == pytest.approx(383.25, rel=1e-9)


def test_hosting_per_kw_month_and_flat() -> None:
    # Provisioned power: 8 × 700 W + 1,000 W = 6.6 kW × $150/kW-month = $990, + $500 flat = $1,490 per replica-set.
    plan = bought(
        useful_life_months=48,
        max_w_per_gpu=700,
        server_overhead_w=1000,
        hosting_usd_per_kw_month=150.0,
        hosting_flat_usd_per_month=500.0,
    )
    assert at(plan, 0.5 * SECONDS_PER_MONTH)["hosting"] == pytest.approx(1490.0, rel=REL)
    # Two replicas (1.5 req/s mean): 2 × $990 + $500 flat = $2,480.
    assert at(plan, 1.5 * SECONDS_PER_MONTH)["hosting"] == pytest.approx(2480.0, rel=REL)


def test_labour_is_hours_times_rate_whatever_the_volume() -> None:
    # 20 engineer-hours × $120 = $2,400 a month, at 0 and at 10 replicas.
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1.0,
        labour_usd_per_month=20 * 120,
    )
    assert at(plan, 0.0)["labour"] == pytest.approx(2400.0)
    assert at(plan, 10 * SECONDS_PER_MONTH)["labour"] == pytest.approx(2400.0)


def test_owned_replicas_bought_earlier_keep_costing() -> None:
    # Depreciation $4,000/replica; volume needs 1 replica but 3 are owned → $12,000.
    lines = self_hosted_monthly(
        bought(useful_life_months=48, residual_value_share=0.2),
        np.array([0.5 * SECONDS_PER_MONTH]),
        peak_factor=1.0,
        hourly_factors=FLAT,
        owned_replicas=np.array([3.0]),
    )
    assert float(lines["depreciation"][0]) == pytest.approx(12_000.0)


def test_rented_option_through_analyze(base_scenario: dict, today) -> None:
    # 3,041,666.67 requests/month = 1.1574 req/s mean; peak ×2 = 2.315 req/s; 5 req/s a replica → 1 replica.
    # 1 × 1 GPU × 730 h × $2 = $1,460 rental + 10 h × $100 labour = $2,460.
    opt = analyze(base_scenario, today=today).option("Rented GPUs")
    assert opt.replicas == 1 and opt.gpus == 1
    assert opt.breakdown == pytest.approx({"gpu_rental": 1460.0, "labour": 1000.0})
    assert opt.monthly_cost == pytest.approx(2460.0)
    # utilisation: 1.1574 req/s / 5 req/s = 23.1%
    assert opt.utilisation == pytest.approx(100_000 / 86_400 / 5.0, rel=1e-9)


def test_bought_option_through_analyze(base_scenario: dict, today) -> None:
    # One replica of 2 GPUs bought for $60,000 over 60 months (no residual, no interest): $1,000/month.
    # Energy at 23.15% utilisation: 2 × (80 + 620 × 0.23148) + 200 = 647.04 W × 730 h × 1.5 / 1000 × $0.20 = $141.70
    # Hosting: (2 × 700 + 200) W = 1.6 kW × $100 = $160 + $40 flat = $200.
    base_scenario["options"] = [
        {
            "name": "Owned",
            "kind": "self_hosted",
            "model": "llama-3.1-8b",
            "hardware": {
                "gpu": "h100-sxm-80gb",
                "gpus_per_replica": 2,
                "acquisition": "buy",
                "price_usd": 60_000,
                "useful_life_months": 60,
            },
            "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 250, "requests_per_s": 5.0}]},
            "power": {
                "idle_w_per_gpu": 80,
                "max_w_per_gpu": 700,
                "server_overhead_w": 200,
                "pue": 1.5,
                "electricity_usd_per_kwh": 0.2,
            },
            "hosting": {"usd_per_kw_month": 100, "flat_usd_per_month": 40},
        }
    ]
    opt = analyze(base_scenario, today=today).option("Owned")
    util = 100_000 / 86_400 / 5.0
    watts = 2 * (80 + 620 * util) + 200
    assert opt.breakdown["depreciation"] == pytest.approx(1000.0)
    assert opt.breakdown["cost_of_capital"] == pytest.approx(0.0, abs=1e-9)
    assert opt.breakdown["energy"] == pytest.approx(watts / 1000 * 730 * 1.5 * 0.2, rel=1e-9)
    assert opt.breakdown["energy"] == pytest.approx(141.70, abs=0.01)
    assert opt.breakdown["hosting"] == pytest.approx(200.0)


SEAT_CSV = (
    "id,provider,plan,monthly_usd_per_seat,annual_usd_per_seat_month,source,as_of\n"
    "acme/team,acme,Acme Team,30,25,https://example.com/acme-pricing,2026-08-01\n"
    "acme/solo,acme,Acme Solo,20,,https://example.com/acme-pricing,2026-08-01\n"
)


@pytest.mark.parametrize(("plan", "usd_per_seat"), [("acme/team", 25.0), ("acme/solo", 20.0)])
def test_default_billing_is_annual_when_published_else_monthly(
    base_scenario: dict, today, tmp_path: Path, plan: str, usd_per_seat: float
) -> None:
    # acme/team publishes both: annual $25 wins; acme/solo publishes only monthly: $20
    prices = tmp_path / "seats.csv"
    prices.write_text(SEAT_CSV, encoding="utf-8")
    base_scenario["options"] = [{"name": "Acme", "kind": "subscription", "plan": plan}]
    opt = analyze(base_scenario, pricing_files=[str(prices)], today=today).option("Acme")
    assert opt.monthly_cost == pytest.approx(200 * usd_per_seat)


def test_asking_for_an_unpublished_billing_is_an_error(base_scenario: dict, today, tmp_path: Path) -> None:
    from costcalc.errors import InputError

    prices = tmp_path / "seats.csv"
    prices.write_text(SEAT_CSV, encoding="utf-8")
    base_scenario["options"] = [{"name": "Acme", "kind": "subscription", "plan": "acme/solo", "billing": "annual"}]
    with pytest.raises(InputError, match="publishes no annual price; set billing: monthly"):
        analyze(base_scenario, pricing_files=[str(prices)], today=today)


@pytest.mark.parametrize(("billing", "usd_per_seat"), [("monthly", 30.0), ("annual", 25.0)])
def test_seats_monthly_vs_annual_billing_seats_from_users(
    base_scenario: dict, today, tmp_path: Path, billing: str, usd_per_seat: float
) -> None:
    # 200 users → 200 seats; monthly billing $30 → $6,000; annual $25/seat-month → $5,000.
    prices = tmp_path / "seats.csv"
    prices.write_text(SEAT_CSV, encoding="utf-8")
    base_scenario["options"] = [{"name": "Acme", "kind": "subscription", "plan": "acme/team", "billing": billing}]
    opt = analyze(base_scenario, pricing_files=[str(prices)], today=today).option("Acme")
    assert opt.seats == 200
    assert opt.monthly_cost == pytest.approx(200 * usd_per_seat)
    assert opt.breakdown == {"seats": pytest.approx(200 * usd_per_seat)}
    assert opt.per_user_monthly_cost == pytest.approx(usd_per_seat)


def test_explicit_seats_override_users(base_scenario: dict, today) -> None:
    # 50 seats × $25 = $1,250 although the workload has 200 users.
    base_scenario["options"] = [{"name": "Seats", "kind": "subscription", "usd_per_seat_month": 25.0, "seats": 50}]
    opt = analyze(base_scenario, today=today).option("Seats")
    assert opt.monthly_cost == pytest.approx(1250.0)
    assert opt.seats == 50


def test_seat_break_even_is_seat_bill_over_api_cost_per_request(base_scenario: dict, today) -> None:
    # API: $0.002 a request. Seats: 200 × $25 = $5,000 → equal at 2,500,000 requests = 3.125e9 tokens (1,250 each).
    res = analyze(base_scenario, today=today)
    be = next(b for b in res.break_even if b.option == "Seats")
    assert be.requests_per_month == pytest.approx(2_500_000)
    assert be.tokens_per_month == pytest.approx(2_500_000 * 1250)
    assert be.payback_months is None


def test_cost_lines_sum_to_total() -> None:
    plan = bought(
        useful_life_months=36,
        cost_of_capital_per_year=0.08,
        idle_w_per_gpu=90,
        max_w_per_gpu=700,
        pue=1.3,
        usd_per_kwh=0.12,
        hosting_usd_per_kw_month=120,
        labour_usd_per_month=500,
    )
    lines = at(plan, 1.3 * SECONDS_PER_MONTH)
    parts = ("depreciation", "cost_of_capital", "energy", "hosting", "labour")
    assert sum(lines[k] for k in parts) == pytest.approx(float(total({k: np.array([v]) for k, v in lines.items()})[0]))


def test_tiny_cost_of_capital_is_not_a_division_by_zero() -> None:
    # 1 − 1.0000...01^−48 rounds to 0 in floats; the annuity must still tend to straight-line depreciation.
    plan = bought(useful_life_months=48, cost_of_capital_per_year=1e-17)
    lines = at(plan, 0.5 * SECONDS_PER_MONTH)
    assert lines["depreciation"] == pytest.approx(5000.0)
    assert lines["cost_of_capital"] == pytest.approx(0.0, abs=1e-6)


def test_seat_cap_exceeded_is_a_warning(base_scenario: dict, today) -> None:
    # 3,041,666.67 requests / 200 users = 15,208 a user-month, above a cap of 10,000.
    base_scenario["options"][2]["cap_requests_per_user_per_month"] = 10_000
    result = analyze(base_scenario, today=today)
    assert "Seats: 15,208 requests per user per month exceed the plan's cap of 10,000" in result.warnings


def test_breakpoints_always_on() -> None:
    # 5 requests/s a replica at peak ×2 → 6.57M requests a month a replica. Sizing adds replica k + 1 above
    # (k + 1e-9) × 6.57M (as replicas_for rounds): at 0.00657, 6,570,000.00657, 13,140,000.00657, ...; exactly at
    # 13.14M the second replica still carries the load, so up to 13.14M there are two steps, not a third (with no
    # minimum, the first step is the first replica)
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", min_replicas=0)
    got = breakpoints(plan, 2.0, FLAT, 13_140_000.0)
    np.testing.assert_allclose(got, [0.00657, 6_570_000.00657], rtol=1e-12)
    np.testing.assert_allclose(breakpoints(plan, 2.0, FLAT, 13_140_000.01)[-1], 13_140_000.00657, rtol=1e-15)
    np.testing.assert_allclose(breakpoints(plan, 2.0, FLAT, 6_000_000.0), [0.00657], rtol=1e-12)
    for step in got:  # the replicas billed change there: one fewer just below, as sizing rounds
        below, above = (at(plan, v, peak=2.0)["replicas"] for v in (step * (1 - 1e-12), step * (1 + 1e-12)))
        assert above == below + 1


def test_breakpoints_follow_profile() -> None:
    # hours at 0.5× and 1.5× the mean: a replica carries 5 × 2,628,000 / f = 26.28M or 8.76M requests a month.
    # An hour needs k + 1 replicas above (k + 1e-9) of that (as replicas_for rounds): up to 30M the steps are
    # 1e-9 × 8.76M, 1e-9 × 26.28M, then (1 + 1e-9) × 8.76M, (2 + 1e-9) × 8.76M, (3 + 1e-9) × 8.76M and
    # (1 + 1e-9) × 26.28M (26.28M plus 0.00876 and plus 0.02628: two steps).
    from costcalc.engine.self_hosted import breakpoints

    hours = (0.5,) * 12 + (1.5,) * 12
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", scaling="follow_profile")
    got = breakpoints(plan, 1.5, hours, 30e6)
    np.testing.assert_allclose(got[:2], [0.00876, 0.02628], rtol=1e-9)
    expected = [(1 + 1e-9) * 8.76e6, (2 + 1e-9) * 8.76e6, (3 + 1e-9) * 8.76e6, (1 + 1e-9) * 26.28e6]
    np.testing.assert_allclose(got[2:], expected, rtol=1e-12)
    assert breakpoints(plan, 1.5, (0.0,) * 24, 30e6).size == 0


def test_breakpoints_follow_profile_after_an_idle_hour_and_up_to_a_step() -> None:
    # Twelve idle hours, then twelve at 2× the mean: only the busy hours step, every 5 × 2,628,000 / 2 = 6.57M
    # requests, at (k + 1e-9) × 6.57M (idle hours skipped, the busy ones after them still counted). Up to exactly
    # 2 × 6.57M the step (2 + 1e-9) × 6.57M, just past it, is not included.
    hours = (0.0,) * 12 + (2.0,) * 12
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", scaling="follow_profile")
    got = breakpoints(plan, 2.0, hours, 2 * 6.57e6)
    np.testing.assert_allclose(got, [1e-9 * 6.57e6, (1 + 1e-9) * 6.57e6], rtol=1e-12)
    got = breakpoints(plan, 2.0, hours, 3 * 6.57e6)
    np.testing.assert_allclose(got, [1e-9 * 6.57e6, (1 + 1e-9) * 6.57e6, (2 + 1e-9) * 6.57e6], rtol=1e-12)


def test_utilisation_with_no_replica_up_is_zero() -> None:
    # follow_profile, min_replicas 0, no traffic: no replica runs, nothing is billed, utilisation 0 (not NaN)
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0, gpus_per_replica=1, acquisition="rent", min_replicas=0, scaling="follow_profile"
    )
    lines = at(plan, 0.0)
    assert lines["replicas"] == 0 and lines["utilisation"] == 0.0 and lines["gpu_rental"] == 0.0


def test_spare_gpus_of_a_block_draw_idle_power() -> None:
    # A replica on 8 GPUs plus 2 spare GPUs of its block (powered, never used): 50% utilised.
    # Watts: 8 × (100 + 600 × 0.5) + 2 × 100 idle + 1,000 = 4,400 W = 4.4 kW × 730 h = 3,212 kWh × PUE 1.25
    # = 4,015 kWh × $0.10 = $401.50 (the same replica without spares: $383.25, above).
    plan = bought(
        useful_life_months=48,
        spare_gpus_per_replica=2,
        idle_w_per_gpu=100,
        max_w_per_gpu=700,
        server_overhead_w=1000,
        pue=1.25,
        usd_per_kwh=0.10,
    )
    assert at(plan, 0.5 * SECONDS_PER_MONTH)["energy"] == pytest.approx(401.50, rel=1e-9)


@pytest.mark.parametrize("scaling", ["always_on", "follow_profile"])
@pytest.mark.parametrize("start", [0.0, 1.0, 1.6e6, 2.5e6, 5e6, 3.3e7, 9.9e7])
def test_step_intervals_from_a_start_are_the_full_lists_tail(scaling: str, start: float) -> None:
    # Break-even prices only the intervals near its answer: from `start` on they must be exactly the full list's,
    # from one holding `start` or a little before it, each end the same float; from 0 the first starts at 0.
    hours = tuple(np.array([1, 1, 2, 4, 8, 12, 14, 13, 10, 0, 3, 1e-6] * 2) / 5.83333333)
    plan = SelfHostedPlan(capacity_requests_per_s=0.7, gpus_per_replica=1, acquisition="rent", scaling=scaling)
    all_starts, all_ends = step_intervals(plan, 2.4, hours, 1e8)
    starts, ends = step_intervals(plan, 2.4, hours, 1e8, start)
    assert np.array_equal(all_starts[1:], all_ends[:-1]) and all_starts[0] == 0.0
    assert starts[0] <= start  # the interval holding start, or one a little before it
    if start >= 5e6:  # several replicas' worth in: the intervals well below start's are left out
        assert ends.size < all_ends.size * (1 - start / 1e8) + 30
    tail = all_ends.size - ends.size
    assert np.array_equal(ends, all_ends[tail:]) and np.array_equal(starts, all_starts[tail:])


def test_step_intervals_of_a_replica_carrying_under_one_request_a_month_start_at_the_one_holding_start() -> None:
    # A replica carries half a request a month: always-on steps at 0.5k + t (t = 1e-9 x 0.5, as sizing rounds):
    # t, 0.5 + t, ... 2.5 + t up to 3.0. From 0.75 the intervals start at 0.5 + t (the one holding 0.75), not at 0;
    # from 0 they start at 0.
    plan = SelfHostedPlan(capacity_requests_per_s=0.5 / SECONDS_PER_MONTH, gpus_per_replica=1, acquisition="rent")
    t = 0.5e-9
    starts, ends = step_intervals(plan, 1.0, FLAT, 3.0, 0.75)
    np.testing.assert_allclose(starts, np.array([0.5, 1.0, 1.5, 2.0]) + t, rtol=1e-15)
    np.testing.assert_allclose(ends, np.array([1.0, 1.5, 2.0, 2.5]) + t, rtol=1e-15)
    starts, ends = step_intervals(plan, 1.0, FLAT, 3.0)
    np.testing.assert_allclose(starts, [0.0, t, 0.5 + t, 1.0 + t, 1.5 + t, 2.0 + t], rtol=1e-15)


def test_whole_purchase_blocks_and_minimum_steps() -> None:
    # Servers of 2 replicas: 4 replicas needed fill exactly 2 servers (not 3), 5 need 3; a minimum of 3 replicas
    # is 2 whole servers, of 4 also 2, of 0 none.
    import dataclasses

    from costcalc.engine.self_hosted import min_steps

    plan = SelfHostedPlan(capacity_requests_per_s=1.0, gpus_per_replica=1, acquisition="buy", replica_block=2)
    np.testing.assert_array_equal(plan.replicas_for(np.array([0.5, 4.0, 4.5, 5.0])), [2.0, 4.0, 6.0, 6.0])
    for minimum, steps in ((3, 2.0), (4, 2.0), (0, 0.0)):
        assert min_steps(dataclasses.replace(plan, min_replicas=minimum)) == steps


@pytest.mark.parametrize("scaling", ["always_on", "follow_profile"])
def test_a_trickle_below_the_rounding_tolerance_starts_no_replica(scaling: str) -> None:
    # min_replicas 0 and 0.001 requests a month (1e-9 of a replica's load is rounding): no replica, nothing
    # billed, utilisation 0, and no numpy warning on the way
    import warnings

    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=2.0,
        min_replicas=0,
        scaling=scaling,  # type: ignore[arg-type]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lines = self_hosted_monthly(plan, 1e-3, peak_factor=1.0, hourly_factors=FLAT)
    assert lines["replicas"] == 0 and lines["utilisation"] == 0.0 and lines["gpu_rental"] == 0.0
