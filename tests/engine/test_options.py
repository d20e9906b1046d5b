"""The one option-kind dispatch: every kind billed; its flows and horizon totals agree with the monthly bill."""

from __future__ import annotations

import typing

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.engine.api import ApiRates
from costcalc.engine.options import (
    REASONS,
    ApiCost,
    OptionCost,
    SeatCost,
    SelfHostedCost,
    break_even,
    flows,
    horizon_total,
    monthly_bill,
    usd_per_request,
)
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.shape import RequestShape
from costcalc.units import SECONDS_PER_MONTH

SHAPE = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0, peak_factor=2.0)
API = ApiCost(ApiRates(input=1.0, output=4.0))  # $0.002 a request
SEATS = SeatCost(usd_per_seat_month=25.0, seats=200)
RENT = SelfHostedCost(
    SelfHostedPlan(
        capacity_requests_per_s=5.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=2.0,
        labour_usd_per_month=1000,
    )
)
BUY = SelfHostedCost(
    SelfHostedPlan(
        capacity_requests_per_s=5.0,
        gpus_per_replica=8,
        acquisition="buy",
        price_usd_per_replica=240_000.0,
        useful_life_months=48,
        cost_of_capital_per_year=0.08,
        idle_w_per_gpu=100.0,
        max_w_per_gpu=700.0,
        pue=1.3,
        usd_per_kwh=0.12,
    )
)
EVERY = {"api": API, "subscription": SEATS, "self_hosted": RENT}


def test_every_kind_of_the_union_is_billed() -> None:
    kinds = {member.kind for member in typing.get_args(OptionCost)}
    assert kinds == set(EVERY)
    volumes = np.array([1e5, 1e6, 1e7])
    for kind, cost in EVERY.items():
        bill = monthly_bill(cost, SHAPE, volumes)
        assert bill.total.shape == volumes.shape, kind
        assert np.all(bill.total > 0), kind
        assert horizon_total(cost, SHAPE, volumes, np.zeros(3), 12).shape == volumes.shape
        assert (break_even(cost, SHAPE, 0.002) is None) == (kind == "api")


def test_hand_worked_month() -> None:
    # 3,041,666.67 requests (100k/day): API 0.002 × V = $6,083.33; seats 25 × 200 = $5,000;
    # rented: one replica carries 5 × 2,628,000 / 2 = 6.57M at the peak → 730 h × $2 + $1,000 labour = $2,460.
    v = np.array([100_000 * 730 / 24])
    assert monthly_bill(API, SHAPE, v).total[0] == pytest.approx(6083.3333333)
    assert monthly_bill(SEATS, SHAPE, v).lines == {"seats": pytest.approx(np.array([5000.0]))}
    rent = monthly_bill(RENT, SHAPE, v)
    assert rent.total[0] == pytest.approx(2460.0)
    assert rent.sizing is not None and rent.sizing.replicas[0] == 1
    assert usd_per_request(API, SHAPE) == pytest.approx(0.002)


def test_break_even_cases_and_reasons() -> None:
    rent = break_even(RENT, SHAPE, 0.002)
    assert rent is not None
    assert float(rent.requests_per_month) == pytest.approx(2460 / 0.002)
    never = break_even(RENT, SHAPE, 1e-6)  # the API is cheaper than a fully used replica
    assert never is not None and np.isnan(never.requests_per_month)
    assert REASONS[int(never.case)].startswith("a fully used replica costs more")
    seats = break_even(SEATS, SHAPE, np.array([0.002, 0.0]))
    assert seats is not None
    assert seats.requests_per_month[0] == pytest.approx(5000 / 0.002) and np.isnan(seats.requests_per_month[1])
    assert [REASONS[int(c)] for c in seats.case] == [
        "seats cost the same at any volume; above this volume they are cheaper than the API",
        "the API is free at this volume",
    ]


def test_bought_replicas_are_kept_and_paid_when_bought() -> None:
    # demand 1, 3, 2 replicas: owned replicas never drop, cash pays 1 then 2 more, nothing in month 3
    per = 5.0 * SECONDS_PER_MONTH / 2.0
    volumes = np.array([0.5, 2.5, 1.5]) * per
    found = flows(BUY, SHAPE, volumes)
    assert found.replicas is not None and list(found.replicas) == [1, 3, 3]
    assert found.capex == pytest.approx(np.array([1, 2, 0]) * 240_000.0)
    capital = found.lines["depreciation"] + found.lines["cost_of_capital"]
    assert found.running == pytest.approx(found.accrual - capital)


@settings(max_examples=40, deadline=None)
@given(
    v0=st.floats(1e3, 1e9),
    growth=st.floats(-0.05, 0.2),
    months=st.integers(1, 60),
    which=st.sampled_from(["api", "subscription", "rent", "buy"]),
)
def test_flat_terms_bill_each_month_as_the_monthly_bill(v0: float, growth: float, months: int, which: str) -> None:
    # No price path, no one-off costs, a life past the horizon: month m's accrual is the monthly bill at
    # month m's volume (bought replicas kept from their busiest month), and the horizon total is their sum.
    cost = {"api": API, "subscription": SEATS, "rent": RENT, "buy": BUY}[which]
    volumes = v0 * (1 + growth) ** np.arange(months)
    owned = None
    if which == "buy":
        owned = np.maximum.accumulate(BUY.plan.replicas_for(volumes / SECONDS_PER_MONTH * SHAPE.peak_factor))
    expected = monthly_bill(cost, SHAPE, volumes, owned_replicas=owned).total
    assert flows(cost, SHAPE, volumes).accrual == pytest.approx(expected, rel=1e-9)
    got = horizon_total(cost, SHAPE, np.array([v0]), np.array([growth]), months)
    assert got[0] == pytest.approx(expected.sum(), rel=1e-9)


def test_horizon_totals_over_points_equal_each_point_alone() -> None:
    # array fields (one value per point) give, point by point, what each scalar option gives alone
    import dataclasses

    prices = np.array([1.0, 2.0, 3.0])
    lives = np.array([6, 12, 48])
    points = {
        "api": (
            API,
            ApiCost(ApiRates(input=prices, output=4.0)),
            lambda i: ApiCost(ApiRates(input=prices[i], output=4.0)),
        ),
        "buy": (
            BUY,
            SelfHostedCost(dataclasses.replace(BUY.plan, useful_life_months=lives)),
            lambda i: SelfHostedCost(dataclasses.replace(BUY.plan, useful_life_months=int(lives[i]))),
        ),
    }
    v0, growth = np.array([1e6, 3e6, 2e7]), np.array([0.0, 0.05, 0.1])
    for _, (_, varied, alone) in points.items():
        together = horizon_total(varied, SHAPE, v0, growth, 24)
        for i in range(3):
            single = horizon_total(alone(i), SHAPE, v0[i : i + 1], growth[i : i + 1], 24)
            assert together[i] == pytest.approx(single[0], rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    growth=st.lists(st.floats(-0.05, 0.2), min_size=3, max_size=3),
    change=st.lists(st.floats(-0.9, 1.0), min_size=3, max_size=3),
    months=st.integers(1, 60),
    scheduled=st.booleans(),
    annual=st.booleans(),
    one_off_month=st.integers(0, 70),
)
def test_horizon_closed_forms_equal_the_flows(
    growth: list[float], change: list[float], months: int, scheduled: bool, annual: bool, one_off_month: int
) -> None:
    # the API's and the seats' horizon totals (closed forms) are the sums of their month-by-month accrual
    import dataclasses

    from costcalc.engine.terms import OneOff, Terms

    v0, g, c = np.array([1e5, 2e6, 3e7]), np.array(growth), np.array(change)
    path = np.array([1.0, 1.0, 0.6, 0.6, 1.4]) if scheduled else None
    terms = Terms(price_change_per_year=c, one_offs=(OneOff(5_000.0, one_off_month, 7),))
    api = dataclasses.replace(API, price_path=path, terms=terms)
    seats = dataclasses.replace(SEATS, price_path=path, terms=terms, prepay_months=12 if annual else 1)
    for cost in (api, seats):
        got = horizon_total(cost, SHAPE, v0, g, months)
        for i in range(3):
            one = dataclasses.replace(cost, terms=dataclasses.replace(terms, price_change_per_year=c[i]))
            volumes = v0[i] * (1 + g[i]) ** np.arange(months)
            assert got[i] == pytest.approx(flows(one, SHAPE, volumes).accrual.sum(), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["rent", "follow", "commit", "buy", "retire", "lease", "buyout"]),
    life=st.sampled_from([3, 7, 12, 30]),
    change=st.floats(-0.8, 1.0),
    growth=st.floats(-0.05, 0.2),
    months=st.integers(1, 40),
    one_off=st.booleans(),
)
def test_self_hosted_horizon_sums_equal_the_flows(
    kind: str, life: int, change: float, growth: float, months: int, one_off: bool
) -> None:
    # the what-if horizon total (one bill of the mean sizing per path) is the sum of the monthly accrual
    import dataclasses

    from costcalc.engine.terms import Lifecycle, OneOff, Terms

    terms = Terms(one_offs=(OneOff(3_000.0, 1, 5),) if one_off else ())
    buy = dataclasses.replace(BUY.plan, useful_life_months=life + 1, labour_usd_per_month=500.0)
    lease = dataclasses.replace(buy, acquisition="lease", lease_usd_per_replica_month=6_000.0)
    profile = tuple([0.2] * 12 + [1.8] * 12)
    cost = {
        "rent": SelfHostedCost(RENT.plan, terms=dataclasses.replace(terms, price_change_per_year=change)),
        "follow": SelfHostedCost(dataclasses.replace(RENT.plan, scaling="follow_profile", min_replicas=0)),
        "commit": SelfHostedCost(
            RENT.plan,
            Lifecycle(commitment_months=life, upfront_share=0.3),
            dataclasses.replace(terms, price_change_per_year=change),
        ),
        "buy": SelfHostedCost(buy, terms=terms),
        "retire": SelfHostedCost(buy, Lifecycle(at_end_of_life="retire"), terms),
        "lease": SelfHostedCost(lease, Lifecycle(lease_term_months=life), terms),
        "buyout": SelfHostedCost(
            lease, Lifecycle(lease_term_months=max(1, life // 2), lease_buyout_usd_per_replica=9e4)
        ),
    }[kind]
    shape = dataclasses.replace(SHAPE, hourly_factors=profile) if kind == "follow" else SHAPE
    v0 = np.array([3e6, 2e7])
    got = horizon_total(cost, shape, v0, np.array([growth, growth / 2]), months)
    for i, g in enumerate((growth, growth / 2)):
        volumes = v0[i] * (1 + g) ** np.arange(months)
        assert got[i] == pytest.approx(flows(cost, shape, volumes).accrual.sum(), rel=1e-9)


def test_horizon_of_many_points_in_chunks() -> None:
    # 30,000 rental prices over 12 months, more points than one chunk holds (131,072 cells / 12 months): every
    # point stays one replica (3.04M ≤ 6.57M), so each total is 12 × (730 h × hourly + $1,000).
    import dataclasses

    from costcalc.engine.options import HORIZON_CHUNK_CELLS

    n = 30_000
    assert n > HORIZON_CHUNK_CELLS // 12
    hourly = np.linspace(0.5, 6.0, n)
    cost = SelfHostedCost(dataclasses.replace(RENT.plan, usd_per_gpu_hour=hourly))
    got = horizon_total(cost, SHAPE, np.full(n, 100_000 * 730 / 24), np.zeros(n), 12)
    np.testing.assert_allclose(got, 12 * (730 * hourly + 1000), rtol=1e-12)


def test_horizon_of_bought_replicas_per_point() -> None:
    # two points on different growth paths: each total is its own month-by-month sum (replicas kept once bought)
    v0 = np.array([2.0e6, 2.0e6])
    growth = np.array([0.0, 0.3])
    got = horizon_total(BUY, SHAPE, v0, growth, 6)
    for i in range(2):
        expected = flows(BUY, SHAPE, v0[i] * (1 + growth[i]) ** np.arange(6)).accrual.sum()
        assert got[i] == pytest.approx(expected, rel=1e-12)
    assert got[1] > got[0]


def test_horizon_closed_form_for_the_api_and_seats() -> None:
    # API: $0.002 × 1M × (1.1^3 − 1) / 0.1 = $0.002 × 3.31M = $6,620; no growth: 3 × $2,000. Seats: 3 × $5,000.
    got = horizon_total(API, SHAPE, np.array([1e6, 1e6]), np.array([0.1, 0.0]), 3)
    np.testing.assert_allclose(got, [6620.0, 6000.0], rtol=1e-12)
    np.testing.assert_allclose(horizon_total(SEATS, SHAPE, np.array([1e6, 2e6]), np.array([0.1, 0.0]), 3), 15_000.0)
