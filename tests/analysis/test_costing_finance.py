"""Finance through the one analysis path: asset life in the report, capex and totals, NPV and payback, sites,
purchases by the server, commitments, annual seats, one-off costs, price changes and fiscal years."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from costcalc.api import analyze
from costcalc.pricing.book import PriceBook

TODAY = dt.date(2026, 12, 5)
BOOK = PriceBook.load(use_cache=False, on=TODAY)
POINT = {"input_tokens": 1000, "output_tokens": 300, "requests_per_s": 5}
SILENT = {"idle_w_per_gpu": 0, "max_w_per_gpu": 1, "pue": 1.0, "electricity_usd_per_kwh": 0.0}


def scenario(*options: dict[str, Any], **top: Any) -> dict[str, Any]:
    base = {
        "version": 1,
        "name": "finance",
        "horizon_months": 36,
        "workload": {"requests_per_day": 7000, "input_tokens": 1000, "output_tokens": 300},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 3, "output_usd_per_mtok": 15}},
            *options,
        ],
    }
    return {**base, **top}


def gpu(name: str = "GPU", **hardware: Any) -> dict[str, Any]:
    """One H100 bought for $15,000 with a 12-month life; no power or hosting cost unless given."""
    hw = {"gpu": "h100-sxm-80gb", "acquisition": "buy", "price_usd": 15_000, "useful_life_months": 12, **hardware}
    return {
        "name": name,
        "kind": "self_hosted",
        "model": "llama-3.3-70b",
        "precision": "fp8",
        "hardware": hw,
        "throughput": {"points": [POINT]},
        "power": SILENT,
        "hosting": {"usd_per_kw_month": 0},
    }


def run(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return analyze(data, prices=BOOK, today=TODAY)


def test_useful_life_case_replaces_at_13_and_25_and_pays_back_within_a_life() -> None:
    # API: 7,000 × 730/24 requests × (1000 × $3 + 300 × $15)/1M = $1,596.88 a month. The GPU: $15,000 up front.
    # 15,000 / 1,596.88 = 9.39 months, inside its 12-month life.
    res = run(scenario(gpu()))
    assert res.timeline is not None
    capex = res.timeline.capex["GPU"]
    assert [m for m, c in zip(res.timeline.months, capex) if c] == [1, 13, 25]
    be = res.break_even[0]
    assert be.payback_months_exact == pytest.approx(15_000 / (7000 * 730 / 24 * 7.5e-3))
    assert be.payback_months == 10 and be.payback_reason is None
    o = res.option("GPU")
    assert o.capex_upfront == 15_000 and o.horizon_cash_total == pytest.approx(45_000)
    assert o.servers == 1 and o.useful_life_months == 12 and o.at_end_of_life == "replace"
    assert any("$15,000 of capex up front (1 server)" in v for v in res.verdict)


def test_useful_life_case_accrues_each_assets_depreciation_in_its_own_life_only() -> None:
    # issue 11's case: a $15,000 GPU, 12-month life, 36-month horizon. Each of the three purchases depreciates
    # $15,000 / 12 = $1,250 in its own 12 months, so the accrual is $1,250 every month and $45,000 in all
    # (not the $45,285 of depreciation running on past the life), and the cash timeline buys in months 1, 13, 25.
    res = run(scenario(gpu()))
    assert res.timeline is not None
    assert res.timeline.monthly_cost["GPU"] == pytest.approx((1_250.0,) * 36)
    assert [m for m, c in zip(res.timeline.months, res.timeline.monthly_cash["GPU"]) if c > 0] == [1, 13, 25]
    o = res.option("GPU")
    assert o.breakdown["depreciation"] == pytest.approx(1_250.0)
    assert o.horizon_accrual_total == pytest.approx(45_000) and o.terminal_value == pytest.approx(0.0)
    # the verdict does not say "never stays cheaper" beside a payback month
    assert any("pays back in month 10 (9.4 months)" in v for v in res.verdict)
    assert not any("never" in v for v in res.verdict)


def test_the_verdict_names_the_capex_of_every_buy_option() -> None:
    lease = gpu("Leased")
    lease["hardware"] = {
        "gpu": "h100-sxm-80gb",
        "acquisition": "lease",
        "lease": {"usd_per_month": 900, "term_months": 24},
    }
    server = gpu("Server", price_usd=240_000, gpus_per_server=8, useful_life_months=48)
    res = run(scenario(gpu(), server, lease))
    assert any(v.startswith("GPU needs $15,000 of capex up front (1 server)") for v in res.verdict)
    assert any(v.startswith("Server needs $240,000 of capex up front (1 server)") for v in res.verdict)
    assert "Leased is leased: nothing up front, $900/month." in res.verdict


def test_payback_after_the_hardwares_life_is_null_with_the_reason() -> None:
    # 2,000 requests a day: API $456/month, so a $15,000 GPU needs 33 months, past its 12-month life
    data = scenario(gpu())
    data["workload"]["requests_per_day"] = 2000
    be = run(data).break_even[0]
    assert be.payback_months is None and be.payback_months_exact is None
    assert be.payback_reason is not None and "12-month life" in be.payback_reason
    # with a life past the payback it pays back, in month 33 (32.9 months)
    data["options"][1]["hardware"]["useful_life_months"] = 36
    be = run(data).break_even[0]
    assert be.payback_months == 33 and be.payback_months_exact == pytest.approx(15_000 / (2000 * 730 / 24 * 7.5e-3))


def test_the_assumptions_state_bought_hardwares_life_its_end_and_its_resale_value() -> None:
    # The life, the end and the resale value set depreciation, replacements, terminal value and payback; a report
    # stated none of them (only "Payback is on cash, never past the hardware's life", and a life only when payback
    # fell past it).
    given = run(scenario(gpu(residual_value_share=0.15)))
    assert (
        "GPU: bought hardware serves 12 months (as given), then is bought again; resold at 15% of its price (as given);"
        " depreciation and payback count within that life" in given.assumptions
    )
    retired = run(scenario(gpu(at_end_of_life="retire")))
    assert any("serves 12 months (as given), then is retired (the option stops serving); no resale value" in a
               for a in retired.assumptions)  # fmt: skip
    defaulted = run(scenario(gpu(useful_life_months=None)))
    life = defaulted.option("GPU").useful_life_months
    assert any(
        f"GPU: bought hardware serves {life} months (the data-centre table's useful_life_months)" in a
        for a in defaulted.assumptions
    )
    assert any(p.id == "useful_life_months" for p in defaulted.option("GPU").prices)  # its source and date are cited


def test_a_given_resale_share_and_cost_of_capital_say_they_were_given() -> None:
    """Both are the scenario's figures, not a table's: the assumptions read 'resold at 15% of its price' and 'cost of
    capital 7.0% a year' beside 'serves 48 months (as given)', so a reader could not tell where they came from."""
    said = run(scenario(gpu(residual_value_share=0.15, cost_of_capital_per_year=0.07))).assumptions
    assert any("then is bought again; resold at 15% of its price (as given);" in a for a in said), said
    assert "GPU: cost of capital 7.0% a year (as given) in the accrual view; NPV and discounted payback use the" \
        " scenario's discount rate 0.0%" in said  # fmt: skip


def test_retired_hardware_serves_only_its_life() -> None:
    res = run(scenario(gpu(at_end_of_life="retire")))
    assert res.timeline is not None
    assert res.timeline.monthly_cost["GPU"][12:] == (0.0,) * 24
    assert any("retired at the end of its 12-month life" in w for w in res.warnings)


def test_npv_discounts_cash_and_subtracts_the_terminal_value() -> None:
    # 18-month life in a 12-month horizon: $5,000 of book value left; at 0% NPV = 15,000 − 5,000
    data = scenario(gpu(useful_life_months=18), horizon_months=12)
    o = run(data).option("GPU")
    assert o.terminal_value == pytest.approx(5_000) and o.npv == pytest.approx(10_000)
    data["discount_rate_per_year"] = 0.10
    res = run(data)
    assert res.option("GPU").npv == pytest.approx(15_000 - 5_000 / 1.1)
    api = res.option("API")
    assert api.npv < api.horizon_cash_total  # later bills are worth less today
    assert res.break_even[0].discounted_payback_months > res.break_even[0].payback_months_exact
    assert any(a.startswith("Discount rate 10.0% a year (as given)") for a in res.assumptions)


def test_missing_cost_of_capital_and_discount_rate_are_stated() -> None:
    res = run(scenario(gpu()))
    assert any(a.startswith("Discount rate 0.0% a year (the default") for a in res.assumptions)
    assert any("GPU: no cost_of_capital_per_year given" in a for a in res.assumptions)
    assert res.option("GPU").breakdown["cost_of_capital"] == 0.0
    data = scenario(gpu(), discount_rate_per_year=0.12)
    assert run(data).option("GPU").breakdown["cost_of_capital"] > 0  # the discount rate is the default


def test_a_workstation_on_a_desk_takes_pue_1_and_no_hosting() -> None:
    mac = {
        "name": "Mac",
        "kind": "self_hosted",
        "model": "llama-3.3-70b",
        "precision": "q4_k_m",
        "engine": "llamacpp",
        "hardware": {"offer": "apple-mac-studio-m3-ultra", "acquisition": "buy", "useful_life_months": 36},
        "throughput": {"points": [POINT]},
        "power": {"idle_w_per_gpu": 10, "max_w_per_gpu": 100, "electricity_usd_per_kwh": 0.2},
    }
    res = run(scenario(mac))
    o = res.option("Mac")
    assert o.site == "office" and o.breakdown["hosting"] == 0.0
    # one replica at 5 req/s carrying 2.46 req/s: 10 + 90 × 0.4931 W = 54.4 W × 730 h × PUE 1 × $0.20
    util = 7000 / 86400 / 5
    assert o.breakdown["energy"] == pytest.approx((10 + 90 * util) / 1000 * 730 * 0.2)
    assert any("Mac: site office (the default for a workstation" in a for a in res.assumptions)
    server = run(scenario(gpu(site="colocation"))).option("GPU")
    assert server.site == "colocation"


def test_a_datacenter_takes_the_tables_pue_and_colocation_fee() -> None:
    option = gpu()
    del option["hosting"]
    option["power"] = {**SILENT, "max_w_per_gpu": 1000}
    del option["power"]["pue"]
    o = run(scenario(option)).option("GPU")
    pue = BOOK.datacenter("pue").row.value
    fee = BOOK.datacenter("colocation_usd_per_kw_month").row.value
    assert o.site == "datacenter"
    assert o.breakdown["hosting"] == pytest.approx(fee)  # 1 kW provisioned
    assert pue == pytest.approx(1.54)


def test_purchases_by_the_server() -> None:
    # 3 replicas of 1 GPU needed (12 req/s at the peak, 5 a replica) on $240,000 8-GPU servers: one server,
    # or 3 GPUs at $30,000 with purchase_unit: gpu; 9 replicas buy two servers
    def owned(**hw: Any) -> dict[str, Any]:
        return gpu(price_usd=240_000, gpus_per_server=8, useful_life_months=48, **hw)

    data = scenario(owned())
    data["workload"]["requests_per_day"] = 12 * 86400 - 1
    o = run(data).option("GPU")
    assert (o.servers, o.replicas, o.capex_upfront) == (1, 8, 240_000)
    data["options"][1] = owned(purchase_unit="gpu")
    o = run(data).option("GPU")
    assert (o.servers, o.gpus, o.capex_upfront) == (None, 3, 90_000)
    data["options"][1] = owned()
    data["workload"]["requests_per_day"] = 44 * 86400
    o = run(data).option("GPU")
    assert (o.servers, o.replicas, o.capex_upfront) == (2, 16, 480_000)


def test_annual_seats_are_paid_up_front_each_year() -> None:
    seats = {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 25, "seats": 40, "billing": "annual"}
    res = run(scenario(seats, horizon_months=30))
    o = res.option("Seats")
    assert o.prepaid_upfront == pytest.approx(12_000) and o.opex_monthly == pytest.approx(1_000)
    assert res.timeline is not None and res.timeline.opex["Seats"][12] == pytest.approx(12_000)
    assert o.horizon_cash_total == pytest.approx(36_000) and o.terminal_value == pytest.approx(6_000)


def test_a_reserved_offer_is_a_commitment() -> None:
    reserved = {
        "name": "Reserved",
        "kind": "self_hosted",
        "model": "llama-3.3-70b",
        "precision": "fp8",
        "hardware": {"offer": "azure/Standard_ND96isr_H100_v5/reserved-1y/eastus", "acquisition": "rent"},
        "throughput": {"points": [POINT]},
    }
    res = run(scenario(reserved))
    assert res.option("Reserved").commitment_months == 12
    assert any("committed for 12 months (the offer's reserved-1y rate)" in a for a in res.assumptions)


def test_one_off_costs_are_in_the_timeline_not_the_monthly_cost() -> None:
    api = scenario()["options"][0]
    api["one_off_costs"] = [{"name": "integration", "usd": 6_000, "month": 1}]
    res = run(scenario(horizon_months=12) | {"options": [api]})
    o = res.option("API")
    assert o.prepaid_upfront == 6_000
    assert o.horizon_cash_total == pytest.approx(o.monthly_cost * 12 + 6_000)
    assert o.horizon_accrual_total == pytest.approx(o.horizon_cash_total)  # amortised over the 12 months
    assert o.breakdown.get("one_off") is None


def test_price_change_per_year_moves_the_timeline_not_month_1() -> None:
    data = scenario()
    data["options"][0]["price_change_per_year"] = -0.3
    res = run(data)
    assert res.timeline is not None
    monthly = res.timeline.monthly_cost["API"]
    assert monthly[12] == pytest.approx(0.7 * monthly[0]) and monthly[24] == pytest.approx(0.49 * monthly[0])
    assert res.option("API").monthly_cost == pytest.approx(monthly[0])
    assert any("per-token prices change -30% a year" in a for a in res.assumptions)


def test_fiscal_years_split_the_horizon_and_sum_to_its_totals() -> None:
    # today 2026-12-05, fiscal years from July: Dec-Jun is FY2027 (7 months), then FY2028, FY2029, and FY2030's
    # first 5 months (36 = 7 + 12 + 12 + 5)
    res = run(scenario(gpu(), fiscal_year_start_month=7))
    assert [(y.label, y.first_month, y.months) for y in res.fiscal_years] == [
        ("FY2027", 1, 7),
        ("FY2028", 8, 12),
        ("FY2029", 20, 12),
        ("FY2030", 32, 5),
    ]
    for o in res.options:
        cash = sum(y.capex[o.name] + y.opex[o.name] for y in res.fiscal_years)
        assert cash == pytest.approx(o.horizon_cash_total)
        assert sum(y.accrual[o.name] for y in res.fiscal_years) == pytest.approx(o.horizon_accrual_total)
    assert res.fiscal_years[1].capex["GPU"] == pytest.approx(15_000)  # the month-13 replacement: Dec 2027


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("options[API].price_change_per_year", [-0.5, -0.3, 0.0, 0.2]),
        ("options[GPU].hardware.useful_life_months", [6, 12, 30, 48]),
        ("options[GPU].hardware.price_usd", [100_000, 240_000]),
        ("options[Rented].hardware.price_change_per_year", [-0.4, 0.1]),
    ],
)
def test_what_if_horizon_totals_equal_the_report(path: str, values: list[float]) -> None:
    # the vectorised evaluation (sweep, simulate, sensitivity --horizon) and the report share the flows
    import numpy as np

    from costcalc.analysis.points import evaluate_points, load_book
    from costcalc.scenario.loaders import ScenarioSource

    rented = {
        "name": "Rented",
        "kind": "self_hosted",
        "model": "llama-3.3-70b",
        "precision": "fp8",
        "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.5},
        "throughput": {"points": [POINT]},
    }
    owned = gpu(price_usd=240_000, gpus_per_server=8, useful_life_months=12)
    data = scenario(owned, rented)
    data["workload"]["growth_per_month"] = 0.08
    source = ScenarioSource.load(data)
    pts = evaluate_points(
        source, {path: np.array(values, dtype=float)}, len(values), book=load_book(prices=BOOK), timeline=True
    )
    assert pts.cumulative is not None
    for i, value in enumerate(values):
        res = analyze(data, overrides=[f"{path}={value}"], prices=BOOK, today=TODAY)
        for o in res.options:
            assert pts.cumulative[o.name][i] == pytest.approx(o.horizon_accrual_total, rel=1e-9), (o.name, value)


def test_price_change_is_an_input_to_sensitivity() -> None:
    from costcalc.analysis.sensitivity import sensitivity

    data = scenario(gpu(useful_life_months=36))
    data["options"][0]["price_change_per_year"] = -0.3
    path = "options[API].price_change_per_year"
    frame = sensitivity(data, prices=BOOK, inputs=[path])
    row = frame.iloc[0]
    # low = base × 0.8 = -24% a year, high = -36%: the faster fall makes the API cheaper, so self-hosting saves less
    assert (row["low"], row["high"]) == pytest.approx((-0.24, -0.36)) and row["metric_high"] < row["metric_low"]


def test_simulate_samples_a_price_change() -> None:
    from costcalc.analysis.simulate import simulate

    data = scenario(gpu(useful_life_months=36))
    data["options"][0]["price_change_per_year"] = {"dist": "uniform", "low": -0.6, "high": 0.0}
    sim = simulate(data, prices=BOOK, samples=400, seed=1)
    row = next(r for r in sim.summary_rows if r["option"] == "API")
    assert row["cumulative_cost_p10"] < row["cumulative_cost_p90"]
    assert row["monthly_cost_p10"] == pytest.approx(row["monthly_cost_p90"])
