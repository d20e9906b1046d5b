"""The one option-kind dispatch: every kind billed, its horizon closed forms equal the month-by-month sum."""

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
    horizon_total,
    monthly_bill,
    monthly_cash,
    path_bill,
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
    bill = path_bill(BUY, SHAPE, volumes)
    assert bill.sizing is not None
    assert list(bill.sizing.replicas) == [1, 3, 3]
    cash = monthly_cash(BUY, bill)
    capital = bill.lines["depreciation"] + bill.lines["cost_of_capital"]
    assert cash - (bill.total - capital) == pytest.approx(np.array([1, 2, 0]) * 240_000.0)


@settings(max_examples=40, deadline=None)
@given(
    v0=st.floats(1e3, 1e9),
    growth=st.floats(-0.05, 0.2),
    months=st.integers(1, 60),
    which=st.sampled_from(["api", "subscription", "rent", "buy"]),
)
def test_horizon_closed_forms_equal_the_month_by_month_sum(v0: float, growth: float, months: int, which: str) -> None:
    cost = {"api": API, "subscription": SEATS, "rent": RENT, "buy": BUY}[which]
    volumes = v0 * (1 + growth) ** np.arange(months)
    expected = path_bill(cost, SHAPE, volumes).total.sum()
    got = horizon_total(cost, SHAPE, np.array([v0]), np.array([growth]), months)
    assert got[0] == pytest.approx(expected, rel=1e-9)
