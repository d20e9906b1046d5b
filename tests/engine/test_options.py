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
    growth_path,
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
    assert [REASONS[int(c)] for c in seats.case] == [SEATS_FLAT_REASON, FREE_REASON]


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


def _flows_total(cost: OptionCost, shape: RequestShape, v0: float, growth: float, months: int) -> float:
    """One path's horizon accrual month by month (the reference every horizon total must equal)."""
    return float(flows(cost, shape, v0 * (1 + growth) ** np.arange(months)).accrual.sum())


def test_horizon_points_come_from_whichever_input_carries_them() -> None:
    # One volume and one growth rate for every point, the points set by the API's yearly price change (3 values):
    # three totals, each its own month-by-month sum (a yearly change compounds monthly: 1.1^(m/12)).
    # And the other way round: volumes per point, one growth rate as a 0-d array; and the peak factor per point.
    import dataclasses

    from costcalc.engine.terms import Terms

    change = np.array([0.0, 0.1, -0.3])
    api = dataclasses.replace(API, terms=Terms(price_change_per_year=change))
    got = horizon_total(api, SHAPE, np.array(1e6), np.array(0.02), 24)
    assert got.shape == (3,)
    for i in range(3):
        one = dataclasses.replace(API, terms=Terms(price_change_per_year=float(change[i])))
        assert got[i] == pytest.approx(_flows_total(one, SHAPE, 1e6, 0.02, 24), rel=1e-12)
    # no change: $2,000 (1M requests at $0.002) × Σ 1.02^m over 24 months = $2,000 × (1.02^24 − 1) / 0.02
    assert got[0] == pytest.approx(2000.0 * (1.02**24 - 1) / 0.02, rel=1e-12)

    v0 = np.array([1e6, 5e6, 2e7])
    for cost in (API, SEATS, RENT, BUY):
        got = horizon_total(cost, SHAPE, v0, np.array(0.05), 12)
        assert got.shape == (3,)
        for i in range(3):
            assert got[i] == pytest.approx(_flows_total(cost, SHAPE, float(v0[i]), 0.05, 12), rel=1e-12)
    peaks = np.array([1.0, 2.0, 4.0])
    got = horizon_total(RENT, dataclasses.replace(SHAPE, peak_factor=peaks), np.array([2e7]), np.array([0.0]), 6)
    assert got.shape == (3,)
    for i in range(3):
        alone = dataclasses.replace(SHAPE, peak_factor=float(peaks[i]))
        assert got[i] == pytest.approx(_flows_total(RENT, alone, 2e7, 0.0, 6), rel=1e-12)
    # 2e7 requests at 13.14M a replica (peak 1), 6.57M (peak 2), 3.285M (peak 4): 2, 4 and 7 replicas
    np.testing.assert_allclose(got, 6 * (np.array([2, 4, 7]) * 730 * 2.0 + 1000), rtol=1e-12)


def test_a_one_off_horizon_with_a_yearly_price_change() -> None:
    # The API's price rises 20% a year, compounded monthly: month m costs 1.2^(m/12) × $2,000 (1M requests at
    # $0.002), so 12 months cost $2,000 × Σ 1.2^(m/12) = $2,000 × (1.2 − 1) / (1.2^(1/12) − 1).
    import dataclasses

    from costcalc.engine.terms import Terms

    api = dataclasses.replace(API, terms=Terms(price_change_per_year=0.2))
    expected = 2000.0 * 0.2 / (1.2 ** (1 / 12) - 1)
    got = horizon_total(api, SHAPE, np.array([1e6, 1e6]), np.array([0.0, 0.0]), 12)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # a single path (0-d volume and growth) gives a 0-d total
    assert horizon_total(api, SHAPE, np.array(1e6), np.array(0.0), 12) == pytest.approx(expected, rel=1e-12)


def test_self_hosted_horizon_is_costed_in_blocks_of_at_most_the_chunk_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # HORIZON_CHUNK_CELLS bounds the points × months costed at once (the memory the what-if grid needs): every
    # point is costed exactly once, in blocks as large as that allows, and with every array field (plan, terms,
    # shape) cut to the block's points. 2,500 points × 120 months: blocks of 131,072 // 120 = 1,092 points.
    import dataclasses

    import costcalc.engine.options as options
    from costcalc.engine.terms import Terms

    seen: list[tuple[int, ...]] = []
    original = options.self_hosted_horizon_accrual

    def spy(cost: SelfHostedCost, shape: RequestShape, volumes: np.ndarray) -> np.ndarray:
        seen.append(volumes.shape)
        return original(cost, shape, volumes)

    monkeypatch.setattr(options, "self_hosted_horizon_accrual", spy)
    n, months = 2500, 120
    hourly = np.linspace(1.0, 4.0, n)
    change = np.linspace(-0.2, 0.3, n)
    peaks = np.linspace(1.0, 3.0, n)
    cost = SelfHostedCost(
        dataclasses.replace(RENT.plan, usd_per_gpu_hour=hourly), terms=Terms(price_change_per_year=change)
    )
    shape = dataclasses.replace(SHAPE, peak_factor=peaks)
    v0 = np.linspace(1e6, 3e7, n)
    got = horizon_total(cost, shape, v0, np.full(n, 0.01), months)
    step = options.HORIZON_CHUNK_CELLS // months
    assert step == 1092
    assert seen == [(step, months), (step, months), (n - 2 * step, months)]
    monkeypatch.undo()
    for i in (0, step - 1, step, 2 * step + 5, n - 1):
        one = SelfHostedCost(
            dataclasses.replace(RENT.plan, usd_per_gpu_hour=float(hourly[i])),
            terms=Terms(price_change_per_year=float(change[i])),
        )
        alone = dataclasses.replace(SHAPE, peak_factor=float(peaks[i]))
        assert got[i] == pytest.approx(_flows_total(one, alone, float(v0[i]), 0.01, months), rel=1e-9)


def test_a_one_month_horizon_takes_every_point_of_a_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    # one month: a block holds HORIZON_CHUNK_CELLS points, so one more point than that needs exactly two blocks
    import costcalc.engine.options as options

    n = options.HORIZON_CHUNK_CELLS + 1
    calls: list[int] = []
    original = options.self_hosted_horizon_accrual

    def spy(cost: SelfHostedCost, shape: RequestShape, volumes: np.ndarray) -> np.ndarray:
        calls.append(volumes.shape[0])
        return original(cost, shape, volumes)

    monkeypatch.setattr(options, "self_hosted_horizon_accrual", spy)
    got = horizon_total(RENT, SHAPE, np.full(n, 1e6), np.zeros(n), 1)
    assert calls == [options.HORIZON_CHUNK_CELLS, 1]
    np.testing.assert_allclose(got, 730 * 2.0 + 1000, rtol=1e-12)  # one replica, $2 a GPU-hour, $1,000 labour


def test_growth_path_of_one_point_and_of_a_grid() -> None:
    # v0·(1+g)^m, months on the last axis, for a 0-d point, for one growth rate shared by a (2, 3) grid of
    # volumes, and for a (2, 3) grid of growth rates
    m = np.arange(4)
    one = growth_path(np.array(100.0), np.array(0.5), 4)
    np.testing.assert_allclose(one, [100.0, 150.0, 225.0, 337.5], rtol=1e-12)
    v0 = np.arange(1.0, 7.0).reshape(2, 3)
    shared = growth_path(v0, np.array(0.1), 4)
    assert shared.shape == (2, 3, 4)
    np.testing.assert_allclose(shared, v0[..., None] * 1.1**m, rtol=1e-12)
    growth = np.array([[0.0, 0.1, 0.2], [0.3, 0.4, 0.5]])
    each = growth_path(v0, growth, 4)
    assert each.shape == (2, 3, 4)
    np.testing.assert_allclose(each, v0[..., None] * (1 + growth[..., None]) ** m, rtol=1e-12)
    varied = growth_path(np.array(100.0), np.array([0.0, 0.5]), 3)
    np.testing.assert_allclose(varied, [[100.0, 100.0, 100.0], [100.0, 150.0, 225.0]], rtol=1e-12)
    same = growth_path(np.array(100.0), np.array([0.5, 0.5]), 3)
    np.testing.assert_allclose(same, [[100.0, 150.0, 225.0]] * 2, rtol=1e-12)


def test_seats_break_even_per_point_of_seat_prices_and_api_prices() -> None:
    # Seats at $20 or $30 for 200 seats: $4,000 or $6,000 a month, flat. Against an API at $0.002 a request they are
    # cheaper above 2M or 3M requests; against a free API never (NaN). No full-use cost: NaN at every point.
    import dataclasses
    import warnings

    seats = dataclasses.replace(SEATS, usd_per_seat_month=np.array([[20.0], [30.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = break_even(seats, SHAPE, np.array([0.002, 0.0, 0.004]))
    assert found is not None
    np.testing.assert_allclose(found.requests_per_month, [[2e6, np.nan, 1e6], [3e6, np.nan, 1.5e6]], rtol=1e-12)
    assert found.full_use_usd_per_request.shape == (2, 3) and np.all(np.isnan(found.full_use_usd_per_request))
    assert [REASONS[c] for c in found.case] == [SEATS_FLAT_REASON, FREE_REASON, SEATS_FLAT_REASON]  # per API price


SEATS_FLAT_REASON = (
    "seats cost the same whatever each seat carries; above this volume they are cheaper than the API, where the seats"
    " may carry it (the option's cap_requests_per_seat_month and usage_cap)"
)
FREE_REASON = "the API is free at this volume"


def test_seats_capped_below_their_break_even_never_break_even() -> None:
    # 200 seats at $25 = $5,000 a month; against an API at $0.002 a request they break even at 2.5M requests, 12,500
    # a seat. A cap of 10,000 a seat carries 2M: never (at the cap a seat costs $25 / 10,000 = $0.0025 a request,
    # more than the API's $0.002); a cap of 20,000 (4M) carries the 2.5M; a free API stays free
    import dataclasses

    capped = dataclasses.replace(SEATS, cap_requests_per_seat_month=np.array([10_000.0, 20_000.0, 20_000.0]))
    found = break_even(capped, SHAPE, np.array([0.002, 0.002, 0.0]))
    assert found is not None
    np.testing.assert_allclose(found.requests_per_month, [np.nan, 2.5e6, np.nan], rtol=1e-12)
    np.testing.assert_allclose(found.full_use_usd_per_request, [0.0025, 0.00125, 0.00125], rtol=1e-12)
    assert [REASONS[c] for c in found.case] == [
        "seats used up to their usage cap cost more per token than the API",
        SEATS_FLAT_REASON,
        FREE_REASON,
    ]
    assert found.case.dtype == np.int64


def test_break_even_cases_are_integer_indices_of_the_reasons() -> None:
    # case indexes REASONS: an integer array for every kind and shape of input
    for cost in (RENT, SEATS):
        found = break_even(cost, SHAPE, np.array([1e-6, 0.002, 0.01]))
        assert found is not None and found.case.dtype == np.int64, cost
    one = break_even(RENT, SHAPE, 0.002)
    assert one is not None and one.case.dtype == np.int64 and one.full_use_usd_per_request.dtype == np.float64


def test_the_monthly_bill_keeps_replicas_already_owned() -> None:
    # 1M requests need one replica; 3 already bought are kept and billed: 3 × $240,000 / 48 months of depreciation
    bill = monthly_bill(BUY, SHAPE, np.array([1e6]), owned_replicas=np.array([3.0]))
    assert bill.sizing is not None and bill.sizing.replicas[0] == 3.0
    assert bill.lines["depreciation"][0] == pytest.approx(3 * 240_000 / 48)
