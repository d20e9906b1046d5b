"""Month-by-month flows: asset life, replacement and resale, terminal value, prepaid seats, commitments, leases,
one-off costs, price paths; and the invariant that ties cash to accrual."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.engine.api import ApiRates
from costcalc.engine.costs import ApiCost, SeatCost, SelfHostedCost
from costcalc.engine.flows import ONE_OFF, one_off_line, option_flows, self_hosted_horizon_accrual
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.shape import RequestShape
from costcalc.engine.terms import Lifecycle, OneOff, Terms, price_factors
from costcalc.units import SECONDS_PER_MONTH

SHAPE = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0)
PER_REPLICA = 5.0 * SECONDS_PER_MONTH  # requests a month one replica carries (peak = mean)

GPU = SelfHostedPlan(  # a $15,000 GPU with a 12-month life, nothing else to pay
    capacity_requests_per_s=5.0,
    gpus_per_replica=1,
    acquisition="buy",
    price_usd_per_replica=15_000.0,
    useful_life_months=12,
)


def steady(months: int, replicas: float = 1.0) -> np.ndarray:
    return np.full(months, 0.5 * replicas * PER_REPLICA)


def test_the_useful_life_case() -> None:
    # $15,000 GPU, 12-month life, 36-month horizon: bought in month 1 and again in months 13 and 25;
    # each depreciates $1,250 a month for its 12 months, so $45,000 of depreciation for three purchases.
    found = option_flows(SelfHostedCost(GPU), SHAPE, steady(36))
    purchases = [m + 1 for m in np.nonzero(found.capex)[0]]
    assert purchases == [1, 13, 25]
    assert found.capex[[0, 12, 24]] == pytest.approx([15_000.0] * 3)
    assert found.lines["depreciation"] == pytest.approx(np.full(36, 1_250.0))
    assert found.terminal_value == pytest.approx(0.0)  # the third one is fully depreciated at month 36


def test_depreciation_stops_at_the_end_of_each_assets_life() -> None:
    # retired, the GPU depreciates in months 1-12 only, and the option costs nothing after
    retire = SelfHostedCost(GPU, Lifecycle(at_end_of_life="retire"))
    found = option_flows(retire, SHAPE, steady(36))
    assert found.lines["depreciation"][:12] == pytest.approx(np.full(12, 1_250.0))
    assert found.lines["depreciation"][12:] == pytest.approx(np.zeros(24))
    assert found.replicas is not None and found.replicas[12:].sum() == 0
    assert found.capex.sum() == pytest.approx(15_000.0)


def test_a_second_asset_bought_later_has_its_own_life() -> None:
    # demand needs a second GPU from month 5: it is replaced in month 17, the first in months 13 and 25
    volumes = np.where(np.arange(30) < 4, 0.5, 1.5) * PER_REPLICA
    found = option_flows(SelfHostedCost(GPU), SHAPE, volumes)
    assert [m + 1 for m in np.nonzero(found.capex)[0]] == [1, 5, 13, 17, 25, 29]
    # at the end of month 30 the first's third copy is 6 months old, the second's 2 months old
    assert found.terminal_value == pytest.approx(15_000 * (6 / 12) + 15_000 * (10 / 12))


def test_residual_value_comes_back_at_end_of_life_and_book_value_at_the_horizon() -> None:
    # 20% residual: each replacement costs $15,000 less the old one's $3,000; at month 30 the third
    # purchase is 6 months into its life: book value 15,000 − 12,000 × 6/12 = 9,000
    plan = dataclasses.replace(GPU, residual_value_share=0.2)
    found = option_flows(SelfHostedCost(plan), SHAPE, steady(30))
    assert found.capex[[0, 12, 24]] == pytest.approx([15_000.0, 12_000.0, 12_000.0])
    assert found.lines["depreciation"] == pytest.approx(np.full(30, 1_000.0))
    assert found.terminal_value == pytest.approx(9_000.0)


def test_retired_hardware_is_sold_at_book_value() -> None:
    # a second GPU bought in month 7 is sold with the first at the end of month 12, 6 months old:
    # 15,000 × (1 − 6/12) = 7,500 back in month 13; the first one is worth nothing (no residual)
    volumes = np.where(np.arange(24) < 6, 0.5, 1.5) * PER_REPLICA
    found = option_flows(SelfHostedCost(GPU, Lifecycle(at_end_of_life="retire")), SHAPE, volumes)
    assert found.capex[[0, 6, 12]] == pytest.approx([15_000.0, 15_000.0, -7_500.0])
    assert found.terminal_value == 0.0


def test_bought_by_the_server() -> None:
    # 3 one-GPU replicas needed, servers of 8 GPUs at $240,000: one server, 8 replicas' capacity
    plan = dataclasses.replace(GPU, price_usd_per_replica=30_000.0, replica_block=8, useful_life_months=48)
    found = option_flows(SelfHostedCost(plan), SHAPE, steady(12, replicas=2.5 * 2))
    assert found.replicas is not None and found.replicas[0] == 8
    assert found.capex[0] == pytest.approx(240_000.0)
    more = option_flows(SelfHostedCost(plan), SHAPE, steady(12, replicas=9 * 2))  # 9 replicas: 2 servers
    assert more.capex[0] == pytest.approx(480_000.0)


def test_annual_seats_are_paid_a_year_ahead() -> None:
    # 100 seats × $30, billed annually: $36,000 in months 1, 13 and 25; at month 30, 6 paid months unused
    seats = SeatCost(30.0, 100, prepay_months=12)
    found = option_flows(seats, SHAPE, steady(30))
    assert found.prepaid[[0, 12, 24]] == pytest.approx([36_000.0] * 3)
    assert found.prepaid.sum() == pytest.approx(108_000.0)
    assert found.accrual == pytest.approx(np.full(30, 3_000.0))
    assert found.terminal_value == pytest.approx(6 * 3_000.0)


def test_a_commitment_pays_its_busiest_month_every_hour() -> None:
    # 12-month terms at $2/GPU-hour, 25% up front. Demand: 1 replica, then 3 from month 7, then 1.
    # Term 1 (months 1-12) commits 3 replicas: 3 × 730 × $2 = $4,380 a month, $13,140 of it up front
    # (0.25 × 12 × 4,380); term 2 (months 13-24) commits 1 replica: $1,460 a month, $4,380 up front.
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", usd_per_gpu_hour=2.0)
    volumes = np.array([0.5] * 6 + [2.5] * 3 + [0.5] * 15) * PER_REPLICA
    found = option_flows(SelfHostedCost(plan, Lifecycle(commitment_months=12, upfront_share=0.25)), SHAPE, volumes)
    assert found.lines["gpu_rental"][:12] == pytest.approx(np.full(12, 4_380.0))
    assert found.lines["gpu_rental"][12:] == pytest.approx(np.full(12, 1_460.0))
    assert found.prepaid[[0, 12]] == pytest.approx([13_140.0, 4_380.0])
    assert found.running[0] == pytest.approx(0.75 * 4_380.0)
    assert found.cash.sum() == pytest.approx(found.accrual.sum())


def test_a_lease_without_buy_out_is_renewed() -> None:
    plan = dataclasses.replace(GPU, acquisition="lease", price_usd_per_replica=0.0, lease_usd_per_replica_month=800.0)
    found = option_flows(SelfHostedCost(plan, Lifecycle(lease_term_months=12)), SHAPE, steady(24))
    assert found.lines["lease"] == pytest.approx(np.full(24, 800.0))
    assert found.capex.sum() == 0.0 and found.running == pytest.approx(found.accrual)


def test_a_lease_bought_out_is_then_owned_to_the_end_of_its_life() -> None:
    # $800 a month for 12 months, then a $4,800 buy-out depreciated over the 24 months left of a 36-month life
    plan = dataclasses.replace(
        GPU, acquisition="lease", price_usd_per_replica=0.0, lease_usd_per_replica_month=800.0, useful_life_months=36
    )
    life = Lifecycle(lease_term_months=12, lease_buyout_usd_per_replica=4_800.0)
    found = option_flows(SelfHostedCost(plan, life), SHAPE, steady(24))
    assert found.lines["lease"] == pytest.approx(np.r_[np.full(12, 800.0), np.zeros(12)])
    assert found.lines["depreciation"] == pytest.approx(np.r_[np.zeros(12), np.full(12, 200.0)])
    assert found.capex[12] == pytest.approx(4_800.0) and found.capex.sum() == pytest.approx(4_800.0)
    assert found.terminal_value == pytest.approx(4_800.0 - 12 * 200.0)


def test_one_off_costs_are_cash_once_and_accrual_spread() -> None:
    cost = ApiCost(
        ApiRates(input=1.0, output=4.0), terms=Terms(one_offs=(OneOff(12_000.0, month=2, amortise_months=6),))
    )
    found = option_flows(cost, SHAPE, steady(12))
    assert found.prepaid == pytest.approx(np.where(np.arange(12) == 2, 12_000.0, 0.0))
    assert found.lines[ONE_OFF] == pytest.approx(np.where((np.arange(12) >= 2) & (np.arange(12) < 8), 2_000.0, 0.0))


def test_a_price_change_compounds_month_by_month() -> None:
    # -30% a year: month 13 costs 0.7 × month 1, month 7 √0.7 × month 1
    cost = ApiCost(ApiRates(input=1.0, output=4.0), terms=Terms(price_change_per_year=-0.3))
    bill = option_flows(cost, SHAPE, steady(24)).accrual
    assert bill[12] / bill[0] == pytest.approx(0.7)
    assert bill[6] / bill[0] == pytest.approx(0.7**0.5)
    # a dated price change (half price from month 3) and the yearly change make one path
    both = price_factors(5, scheduled=np.array([1.0, 1.0, 0.5]), change_per_year=-0.3)
    assert both == pytest.approx(np.array([1.0, 1.0, 0.5, 0.5, 0.5]) * 0.7 ** (np.arange(5) / 12))
    scheduled = dataclasses.replace(cost, price_path=np.array([1.0, 1.0, 0.5]))
    assert option_flows(scheduled, SHAPE, steady(5)).accrual == pytest.approx(bill[0] * both)


@settings(max_examples=60, deadline=None)
@given(
    life=st.integers(1, 30),
    residual=st.floats(0.0, 0.9),
    months=st.integers(1, 40),
    growth=st.floats(0.0, 0.15),
    retire=st.booleans(),
    kind=st.sampled_from(["buy", "lease", "lease-buyout", "commit", "seats"]),
)
def test_cash_less_terminal_value_is_the_accrual(
    life: int, residual: float, months: int, growth: float, retire: bool, kind: str
) -> None:
    # Without a capital charge, everything paid over the horizon is either used up in it (accrual) or still
    # held at its end (terminal value): Σ cash − terminal value = Σ accrual, whatever the path.
    volumes = 0.7 * PER_REPLICA * (1 + growth) ** np.arange(months)
    end = "retire" if retire else "replace"
    plan = dataclasses.replace(GPU, useful_life_months=life + 1, residual_value_share=residual)
    if kind == "buy":
        cost = SelfHostedCost(plan, Lifecycle(at_end_of_life=end))
    elif kind == "lease":
        lease = dataclasses.replace(plan, acquisition="lease", lease_usd_per_replica_month=700.0)
        cost = SelfHostedCost(lease, Lifecycle(at_end_of_life=end, lease_term_months=life))
    elif kind == "lease-buyout":
        lease = dataclasses.replace(plan, acquisition="lease", lease_usd_per_replica_month=700.0)
        term = max(1, life // 2)
        cost = SelfHostedCost(lease, Lifecycle(end, lease_term_months=term, lease_buyout_usd_per_replica=3_000.0))
    elif kind == "commit":
        rent = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", usd_per_gpu_hour=2.0)
        cost = SelfHostedCost(rent, Lifecycle(commitment_months=life, upfront_share=residual))
    else:
        cost = SeatCost(25.0, 40, prepay_months=12)
    found = option_flows(cost, SHAPE, volumes)
    assert found.cash.sum() - float(found.terminal_value) == pytest.approx(found.accrual.sum(), rel=1e-9, abs=1e-6)


def test_an_empty_or_short_price_schedule_holds_its_last_value() -> None:
    # no dated change: every month at month 1's prices; a schedule shorter than the horizon holds its last value
    assert price_factors(3, scheduled=np.array([])) == pytest.approx([1.0, 1.0, 1.0])
    assert price_factors(4, scheduled=np.array([1.0, 1.1])) == pytest.approx([1.0, 1.1, 1.1, 1.1])


@pytest.mark.parametrize("end", ["replace", "retire"])
def test_a_life_per_point_gives_each_points_own_flows(end: str) -> None:
    # A what-if over the useful life (one life per point) must give, point by point, the flows of that life
    # alone: a 6-month life renewed or retired mid-horizon, a 12-month one ending with the 12-month horizon
    # (retired, its resale is in the month after: no terminal value), a 13-month one still held at the end.
    lives = np.array([6.0, 12.0, 13.0])
    plan = dataclasses.replace(GPU, useful_life_months=lives, residual_value_share=0.2)
    life = Lifecycle(at_end_of_life=end)
    together = option_flows(SelfHostedCost(plan, life), SHAPE, np.broadcast_to(steady(12), (3, 12)))
    for i, months in enumerate(lives):
        alone = option_flows(
            SelfHostedCost(dataclasses.replace(plan, useful_life_months=float(months)), life), SHAPE, steady(12)
        )
        assert together.capex[i] == pytest.approx(alone.capex), months
        assert together.accrual[i] == pytest.approx(alone.accrual), months
        assert together.cash[i] == pytest.approx(alone.cash), months
        assert together.terminal_value[i] == pytest.approx(alone.terminal_value), months


def test_each_flow_names_its_lines_and_owned_hardware_carries_its_sizing() -> None:
    # reports show the cost lines by these names; seats billed monthly or a year up front are one line
    for prepay in (1, 12):
        assert set(option_flows(SeatCost(30.0, 100, prepay_months=prepay), SHAPE, steady(24)).lines) == {"seats"}
    # one $15,000 GPU at half load: 50% utilised each month, one unit bought in month 1 and again in month 13
    owned = option_flows(SelfHostedCost(GPU), SHAPE, steady(24))
    assert owned.utilisation is not None and owned.utilisation == pytest.approx(np.full(24, 0.5))
    assert owned.units_bought is not None and owned.units_bought[[0, 12]] == pytest.approx([1.0, 1.0])
    assert owned.units_bought.sum() == pytest.approx(2.0)


def _accrual_sum(cost: SelfHostedCost, volumes: np.ndarray) -> np.ndarray:
    return option_flows(cost, SHAPE, volumes).accrual.sum(axis=-1)


def test_horizon_sums_of_one_path_and_of_a_grid_of_paths_are_the_flows_sums() -> None:
    # self_hosted_horizon_accrual takes paths with any leading axes (none: one path); each sum is the path's
    # month-by-month accrual summed, for a rental whose rate rises 30% a year, bought GPUs, a retired purchase
    # and a lease that is bought out (summed month by month).
    rent = SelfHostedCost(
        dataclasses.replace(GPU, acquisition="rent", usd_per_gpu_hour=2.0, labour_usd_per_month=100.0),
        terms=Terms(price_change_per_year=0.3),
    )
    lease = dataclasses.replace(GPU, acquisition="lease", lease_usd_per_replica_month=900.0)
    costs = [
        rent,
        SelfHostedCost(GPU),
        SelfHostedCost(GPU, Lifecycle(at_end_of_life="retire")),
        SelfHostedCost(lease, Lifecycle(lease_term_months=6, lease_buyout_usd_per_replica=2_000.0)),
    ]
    one = np.linspace(0.5, 3.5, 18) * PER_REPLICA
    grid = np.stack([one, one * 0.5, one * 2, one * 0.1]).reshape(2, 2, 18)
    for cost in costs:
        got = self_hosted_horizon_accrual(cost, SHAPE, one)
        assert np.shape(got) == ()
        assert got == pytest.approx(_accrual_sum(cost, one), rel=1e-12)
        on_grid = self_hosted_horizon_accrual(cost, SHAPE, grid)
        assert on_grid.shape == (2, 2)
        np.testing.assert_allclose(on_grid, _accrual_sum(cost, grid), rtol=1e-12)
    # the rental by hand: one replica for the first 3 months, then more; month m's rate 1.3^(m/12) × $2/GPU-hour
    replicas = np.ceil(one / PER_REPLICA - 1e-9)
    by_hand = (replicas * 730 * 2.0 * 1.3 ** (np.arange(18) / 12) + 100.0).sum()
    assert self_hosted_horizon_accrual(rent, SHAPE, one) == pytest.approx(by_hand, rel=1e-12)


def test_horizon_sum_of_retired_purchases_with_a_life_per_point() -> None:
    # Two points, lives of 6 and 12 months, retired at their end: one $15,000 GPU each, depreciated over its life
    # ($2,500 or $1,250 a month) and nothing after, so over 18 months both accrue $15,000, plus labour of $100
    # only while they serve (6 or 12 months).
    plan = dataclasses.replace(GPU, useful_life_months=np.array([6.0, 12.0]), labour_usd_per_month=100.0)
    cost = SelfHostedCost(plan, Lifecycle(at_end_of_life="retire"))
    volumes = np.stack([steady(18), steady(18)])
    got = self_hosted_horizon_accrual(cost, SHAPE, volumes)
    np.testing.assert_allclose(got, [15_000.0 + 600.0, 15_000.0 + 1_200.0], rtol=1e-12)
    np.testing.assert_allclose(got, _accrual_sum(cost, volumes), rtol=1e-12)


def test_no_traffic_and_no_minimum_bills_only_the_fixed_costs() -> None:
    # min_replicas 0 and no requests: no replica is ever running, so no depreciation, energy or per-kW hosting;
    # 12 months of $300 labour and a $50 flat hosting fee = $4,200, with no numpy warning on the way.
    import warnings

    plan = dataclasses.replace(
        GPU,
        min_replicas=0,
        idle_w_per_gpu=100.0,
        max_w_per_gpu=700.0,
        usd_per_kwh=0.2,
        hosting_usd_per_kw_month=150.0,
        hosting_flat_usd_per_month=50.0,
        labour_usd_per_month=300.0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = self_hosted_horizon_accrual(SelfHostedCost(plan), SHAPE, np.zeros(12))
    assert got == pytest.approx(12 * (300.0 + 50.0), rel=1e-12)


def test_a_one_off_past_the_horizon_adds_nothing_and_skips_none_after_it() -> None:
    # 6 months: $9,000 in month 8 is past the horizon; $1,200 in month 2 (index 1) amortised over 4 months still counts
    cash, line = one_off_line(
        (OneOff(9_000.0, month=7, amortise_months=3), OneOff(1_200.0, month=1, amortise_months=4)), 6
    )
    np.testing.assert_allclose(cash, [0, 1_200.0, 0, 0, 0, 0])
    np.testing.assert_allclose(line, [0, 300.0, 300.0, 300.0, 300.0, 0])
    # one starting in the horizon's last month is paid there and amortised only inside the horizon
    cash, line = one_off_line((OneOff(600.0, month=5, amortise_months=3),), 6)
    np.testing.assert_allclose(cash, [0, 0, 0, 0, 0, 600.0])
    np.testing.assert_allclose(line, [0, 0, 0, 0, 0, 200.0])


def test_a_lease_without_buy_out_retired_ends_with_its_term() -> None:
    # a 6-month lease at $800 a month, not renewed: paid in months 1-6 only, however long the hardware's life
    plan = dataclasses.replace(GPU, acquisition="lease", price_usd_per_replica=0.0, lease_usd_per_replica_month=800.0)
    found = option_flows(
        SelfHostedCost(plan, Lifecycle(lease_term_months=6, at_end_of_life="retire")), SHAPE, steady(12)
    )
    assert found.lines["lease"] == pytest.approx(np.r_[np.full(6, 800.0), np.zeros(6)])
    assert found.replicas is not None and list(found.replicas) == [1] * 6 + [0] * 6


def test_retired_hardware_with_a_residual_leaves_no_terminal_value_once_sold() -> None:
    # 20% residual, 12-month life, retired: at the end of month 12 the GPU is worth $3,000 and is sold in month 13.
    # Over 24 months nothing is left at the end; over exactly 12 months it is still held: $3,000 of terminal value.
    plan = dataclasses.replace(GPU, residual_value_share=0.2)
    retire = SelfHostedCost(plan, Lifecycle(at_end_of_life="retire"))
    longer = option_flows(retire, SHAPE, steady(24))
    assert longer.capex[[0, 12]] == pytest.approx([15_000.0, -3_000.0])
    assert longer.terminal_value == 0.0
    exact = option_flows(retire, SHAPE, steady(12))
    assert exact.capex[0] == pytest.approx(15_000.0) and exact.capex[1:].sum() == 0.0
    assert exact.terminal_value == pytest.approx(3_000.0)
    # the same with a life per point (12 and 30 months): the first is sold, the second held at book value
    # 15,000 − 12,000 × 24/30 = 5,400 after 24 months
    per_point = dataclasses.replace(plan, useful_life_months=np.array([12.0, 30.0]))
    both = option_flows(
        SelfHostedCost(per_point, Lifecycle(at_end_of_life="retire")), SHAPE, np.stack([steady(24)] * 2)
    )
    np.testing.assert_allclose(both.terminal_value, [0.0, 5_400.0], rtol=1e-12)


def test_monthly_seats_per_point_have_no_terminal_value_per_point() -> None:
    # two seat prices (one per point), billed monthly: nothing is prepaid, so each point's terminal value is 0
    found = option_flows(SeatCost(np.array([20.0, 30.0]), 10), SHAPE, steady(6))
    assert found.lines["seats"].shape == (2, 6) and found.terminal_value.shape == (2,)
    np.testing.assert_allclose(found.lines["seats"][:, 0], [200.0, 300.0])
    assert np.all(found.terminal_value == 0.0)


def test_one_off_costs_keep_the_sizing_and_the_running_cash() -> None:
    # a $5,000 one-off in month 2 adds a line and prepaid cash, and leaves replicas, utilisation, units bought and
    # the running cash as they are without it
    plain = option_flows(SelfHostedCost(GPU), SHAPE, steady(6))
    with_one_off = option_flows(
        SelfHostedCost(GPU, terms=Terms(one_offs=(OneOff(5_000.0, month=1),))), SHAPE, steady(6)
    )
    for name in ("replicas", "utilisation", "units_bought", "capex", "running", "terminal_value"):
        got, want = getattr(with_one_off, name), getattr(plain, name)
        assert got is not None and want is not None, name
        np.testing.assert_array_equal(got, want)
    assert with_one_off.prepaid[1] == pytest.approx(5_000.0) and with_one_off.lines[ONE_OFF][1] == pytest.approx(
        5_000.0
    )


def test_rented_flows_carry_their_sizing() -> None:
    # rented at half a replica's load, then 1.5: 1 then 2 replicas, 50% then 75% utilised
    rent = dataclasses.replace(GPU, acquisition="rent", usd_per_gpu_hour=2.0)
    found = option_flows(SelfHostedCost(rent), SHAPE, np.r_[steady(2), steady(2, replicas=3.0)])
    assert found.replicas is not None and list(found.replicas) == [1, 1, 2, 2]
    assert found.utilisation is not None and found.utilisation == pytest.approx([0.5, 0.5, 0.75, 0.75])


def test_a_buy_out_one_month_before_the_end_of_life_depreciates_in_that_month() -> None:
    # a 12-month lease of hardware with a 13-month life, bought out for $1,200: all of it depreciates in month 13
    plan = dataclasses.replace(
        GPU, acquisition="lease", price_usd_per_replica=0.0, lease_usd_per_replica_month=800.0, useful_life_months=13
    )
    life = Lifecycle(lease_term_months=12, lease_buyout_usd_per_replica=1_200.0)
    found = option_flows(SelfHostedCost(plan, life), SHAPE, steady(13))
    assert found.lines["depreciation"] == pytest.approx(np.r_[np.zeros(12), 1_200.0])


def test_a_bought_out_lease_renewed_sells_the_old_hardware_at_its_residual() -> None:
    # 6-month lease, $1,200 buy-out at month 7, 12-month life, 25% residual, replaced: at month 13 the old unit is
    # sold for 25% of its buy-out ($300 back) as a new lease starts; nothing else is capital
    plan = dataclasses.replace(
        GPU,
        acquisition="lease",
        price_usd_per_replica=0.0,
        lease_usd_per_replica_month=800.0,
        useful_life_months=12,
        residual_value_share=0.25,
    )
    life = Lifecycle(lease_term_months=6, lease_buyout_usd_per_replica=1_200.0)
    found = option_flows(SelfHostedCost(plan, life), SHAPE, steady(18))
    assert found.capex == pytest.approx(
        np.where(np.arange(18) == 6, 1_200.0, np.where(np.arange(18) == 12, -300.0, 0.0))
    )


def test_a_one_off_line_per_point() -> None:
    # seats priced per point (2 points) with a $600 one-off in month 1 amortised over 3 months: the one-off line
    # has each point's months, like every other line
    cost = SeatCost(np.array([20.0, 30.0]), 10, terms=Terms(one_offs=(OneOff(600.0, month=0, amortise_months=3),)))
    found = option_flows(cost, SHAPE, steady(4))
    assert found.lines[ONE_OFF].shape == (2, 4)
    np.testing.assert_allclose(found.lines[ONE_OFF], [[200.0, 200.0, 200.0, 0.0]] * 2)


def test_a_one_month_commitment_pays_its_upfront_share_every_month() -> None:
    # 1-month terms, half up front: one replica at $2/GPU-hour is $1,460 a month, $730 prepaid at each month's
    # start and $730 through the month
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", usd_per_gpu_hour=2.0)
    found = option_flows(SelfHostedCost(plan, Lifecycle(commitment_months=1, upfront_share=0.5)), SHAPE, steady(3))
    assert found.prepaid == pytest.approx(np.full(3, 730.0)) and found.running == pytest.approx(np.full(3, 730.0))


def test_retired_hardware_keeps_every_replica_bought_while_the_load_falls() -> None:
    # Bought, retired at the end of its life: 1.5 replicas' load in month 0 buys 2 replicas, which stay in service
    # (and powered) when the load falls to half a replica's: utilisation 75% then 25% of 2 replicas. Energy at
    # 100 W idle, 1 kW full, $1/kWh, 730 h: 2 × (100 + 900 × 0.75) W = 1,550 W → $1,131.50, then 2 × 325 W → $474.50.
    plan = dataclasses.replace(GPU, idle_w_per_gpu=100.0, max_w_per_gpu=1000.0, usd_per_kwh=1.0)
    volumes = np.array([1.5, 0.5, 0.5]) * PER_REPLICA
    found = option_flows(SelfHostedCost(plan, Lifecycle(at_end_of_life="retire")), SHAPE, volumes)
    assert found.replicas is not None and found.utilisation is not None
    np.testing.assert_allclose(found.replicas, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(found.utilisation, [0.75, 0.25, 0.25], rtol=1e-12)
    np.testing.assert_allclose(found.lines["energy"], [1_131.5, 474.5, 474.5], rtol=1e-12)


def test_an_api_has_no_terminal_value_at_each_point() -> None:
    # an API on two volume paths of 3 months: $1 + $4 per million tokens, 1,000 in and 250 out a request = $0.002
    # a request; nothing is held at the end, at either point
    cost = ApiCost(ApiRates(input=1.0, output=4.0))
    found = option_flows(cost, SHAPE, np.array([[1e6] * 3, [2e6] * 3]))
    assert found.terminal_value.shape == (2,) and np.all(found.terminal_value == 0.0)
    np.testing.assert_allclose(found.accrual, [[2_000.0] * 3, [4_000.0] * 3], rtol=1e-12)


def test_a_commitment_at_a_peak_twice_the_mean_reserves_its_busiest_months_replicas() -> None:
    # Peak 2× the mean: 0.75 of a replica's mean load peaks at 1.5 replicas (2 needed), then 0.25 peaks at 0.5 (1).
    # A 2-month term reserves 2 replicas for both months: 2 × 730 h × $2 = $2,920 a month, utilisation 0.75 / 2
    # then 0.25 / 2 of the 2 replicas.
    plan = SelfHostedPlan(capacity_requests_per_s=5.0, gpus_per_replica=1, acquisition="rent", usd_per_gpu_hour=2.0)
    peaked = dataclasses.replace(SHAPE, peak_factor=2.0)
    volumes = np.array([0.75, 0.25]) * PER_REPLICA
    found = option_flows(SelfHostedCost(plan, Lifecycle(commitment_months=2)), peaked, volumes)
    assert found.replicas is not None and found.utilisation is not None
    np.testing.assert_allclose(found.replicas, [2.0, 2.0])
    np.testing.assert_allclose(found.utilisation, [0.375, 0.125], rtol=1e-12)
    np.testing.assert_allclose(found.lines["gpu_rental"], [2_920.0, 2_920.0], rtol=1e-12)


def test_a_buy_out_one_month_before_the_end_of_life_is_held_at_its_residual() -> None:
    # a 12-month lease, a 13-month life, bought out for $1,200 with a 25% residual: month 13 depreciates $900 and the
    # horizon ends with the hardware held at its residual, $300
    plan = dataclasses.replace(
        GPU,
        acquisition="lease",
        price_usd_per_replica=0.0,
        lease_usd_per_replica_month=800.0,
        useful_life_months=13,
        residual_value_share=0.25,
    )
    life = Lifecycle(lease_term_months=12, lease_buyout_usd_per_replica=1_200.0)
    found = option_flows(SelfHostedCost(plan, life), SHAPE, steady(13))
    assert found.lines["depreciation"] == pytest.approx(np.r_[np.zeros(12), 900.0])
    assert found.terminal_value == pytest.approx(300.0)
