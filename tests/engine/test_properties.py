"""Hypothesis properties of the engine: linearity, price scaling, monotone bills, break-even invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from costcalc.engine.api import ApiRates, api_cost_lines_per_request, api_monthly
from costcalc.engine.breakeven import break_even_volume, break_even_volumes
from costcalc.engine.flows import option_flows
from costcalc.engine.options import SelfHostedCost
from costcalc.engine.self_hosted import SelfHostedPlan, follow_profile_bill_ceiling, self_hosted_monthly, total
from costcalc.engine.shape import RequestShape
from costcalc.units import HOURS_PER_MONTH, SECONDS_PER_MONTH, WATTS_PER_KW

SETTINGS = settings(max_examples=50, deadline=None)
FLAT = (1.0,) * 24

price = st.floats(min_value=0.01, max_value=100.0)
maybe_price = st.none() | price
share = st.floats(min_value=0.0, max_value=1.0)
k_factor = st.floats(min_value=0.01, max_value=1000.0)


@st.composite
def api_rates(draw: st.DrawFn) -> ApiRates:
    batch_share = draw(share)
    off_peak_share = draw(st.floats(min_value=0.0, max_value=1.0 - batch_share))
    tiered = draw(st.booleans())
    return ApiRates(
        input=draw(price),
        output=draw(price),
        cached_input=draw(maybe_price),
        cache_write=draw(maybe_price),
        batch_input=draw(price),
        batch_output=draw(price),
        long_context_threshold_tokens=draw(st.floats(1000, 200_000)) if tiered else None,
        long_context_input=draw(price) if tiered else None,
        long_context_cached_input=draw(maybe_price) if tiered else None,
        long_context_output=draw(price) if tiered else None,
        off_peak_input=draw(price),
        off_peak_cached_input=draw(maybe_price),
        off_peak_output=draw(price),
        batch_share=batch_share,
        off_peak_share=off_peak_share,
        discount=draw(st.floats(min_value=0.0, max_value=0.9)),
    )


@st.composite
def shapes(draw: st.DrawFn) -> RequestShape:
    n = draw(st.integers(1, 3))
    weights = [draw(st.floats(0.1, 1.0)) for _ in range(n)]
    buckets = tuple((draw(st.floats(1.0, 500_000.0)), w / sum(weights)) for w in weights)
    cached = draw(share)
    write = draw(st.floats(0.0, 1.0 - cached))
    return RequestShape(
        buckets=buckets,
        output_tokens=draw(st.floats(1.0, 10_000.0)),
        cached_input_share=cached,
        cache_write_share=write,
    )


@st.composite
def plans(draw: st.DrawFn, acquisition: str | None = None) -> SelfHostedPlan:
    acq = acquisition or draw(st.sampled_from(["rent", "buy"]))
    common = {
        "capacity_requests_per_s": draw(st.floats(0.05, 50.0)),
        "gpus_per_replica": draw(st.integers(1, 8)),
        "min_replicas": draw(st.integers(0, 3)),
        "labour_usd_per_month": draw(st.floats(0.0, 5000.0)),
    }
    if acq == "rent":
        return SelfHostedPlan(acquisition="rent", usd_per_gpu_hour=draw(st.floats(0.1, 10.0)), **common)
    idle = draw(st.floats(0.0, 300.0))
    return SelfHostedPlan(
        acquisition="buy",
        price_usd_per_replica=draw(st.floats(1000.0, 500_000.0)),
        useful_life_months=draw(st.integers(12, 72)),
        residual_value_share=draw(st.floats(0.0, 0.5)),
        cost_of_capital_per_year=draw(st.floats(0.0, 0.2)),
        idle_w_per_gpu=idle,
        max_w_per_gpu=idle + draw(st.floats(1.0, 1000.0)),
        server_overhead_w=draw(st.floats(0.0, 2000.0)),
        pue=draw(st.floats(1.0, 2.0)),
        usd_per_kwh=draw(st.floats(0.0, 0.5)),
        hosting_usd_per_kw_month=draw(st.floats(0.0, 300.0)),
        hosting_flat_usd_per_month=draw(st.floats(0.0, 2000.0)),
        **common,
    )


def self_total(plan: SelfHostedPlan, volumes, peak: float = 1.0, hours=FLAT) -> np.ndarray:
    return total(self_hosted_monthly(plan, np.asarray(volumes, dtype=float), peak_factor=peak, hourly_factors=hours))


@SETTINGS
@given(rates=api_rates(), shape=shapes(), volume=st.floats(1.0, 1e9), k=k_factor)
def test_api_cost_is_linear_in_volume(rates: ApiRates, shape: RequestShape, volume: float, k: float) -> None:
    one = api_monthly(rates, shape, volume)
    scaled = api_monthly(rates, shape, k * volume)
    # lines such as long_context_premium are differences, with rounding noise relative to the whole bill
    noise = 1e-9 * k * sum(abs(float(v)) for v in one.values())
    for line in one:
        assert float(scaled[line]) == pytest.approx(k * float(one[line]), rel=1e-9, abs=noise)


PRICE_FIELDS_API = [
    f.name
    for f in dataclasses.fields(ApiRates)
    if f.name not in ("long_context_threshold_tokens", "batch_share", "off_peak_share", "discount")
]


@SETTINGS
@given(rates=api_rates(), shape=shapes(), volume=st.floats(1.0, 1e9), k=k_factor)
def test_scaling_every_api_price_scales_every_api_cost(
    rates: ApiRates, shape: RequestShape, volume: float, k: float
) -> None:
    scaled_rates = dataclasses.replace(
        rates,
        **{f: getattr(rates, f) * k for f in PRICE_FIELDS_API if getattr(rates, f) is not None},
    )
    one = api_monthly(rates, shape, volume)
    scaled = api_monthly(scaled_rates, shape, volume)
    # lines such as long_context_premium are differences, with rounding noise relative to the whole bill
    noise = 1e-9 * k * sum(abs(float(v)) for v in one.values())
    for line in one:
        assert float(scaled[line]) == pytest.approx(k * float(one[line]), rel=1e-9, abs=noise)


PRICE_FIELDS_SELF = (
    "usd_per_gpu_hour",
    "price_usd_per_replica",
    "usd_per_kwh",
    "hosting_usd_per_kw_month",
    "hosting_flat_usd_per_month",
    "labour_usd_per_month",
)


@SETTINGS
@given(plan=plans(), volume=st.floats(0.0, 1e9), peak=st.floats(1.0, 4.0), k=k_factor)
def test_scaling_every_self_hosted_price_scales_every_cost(
    plan: SelfHostedPlan, volume: float, peak: float, k: float
) -> None:
    scaled_plan = dataclasses.replace(plan, **{f: getattr(plan, f) * k for f in PRICE_FIELDS_SELF})
    one = self_hosted_monthly(plan, np.array([volume]), peak_factor=peak, hourly_factors=FLAT)
    scaled = self_hosted_monthly(scaled_plan, np.array([volume]), peak_factor=peak, hourly_factors=FLAT)
    # cost_of_capital is annuity − depreciation: rounding noise relative to the whole bill
    noise = 1e-9 * k * float(total(one)[0]) + 1e-9
    for line in ("gpu_rental", "depreciation", "cost_of_capital", "energy", "hosting", "labour"):
        if line in one:
            assert float(scaled[line][0]) == pytest.approx(k * float(one[line][0]), rel=1e-9, abs=noise)
    assert float(scaled["replicas"][0]) == float(one["replicas"][0])  # sizing does not depend on prices


profiles = st.lists(st.floats(0.0, 10.0), min_size=24, max_size=24).filter(lambda v: max(v) > 0.01)


@SETTINGS
@given(
    plan=plans(),
    peak=st.floats(1.0, 4.0),
    volumes=st.lists(st.floats(0.0, 1e9), min_size=2, max_size=20),
)
def test_more_volume_never_lowers_a_self_hosted_bill(plan: SelfHostedPlan, peak: float, volumes: list[float]) -> None:
    v = np.sort(np.array(volumes))
    bills = self_total(plan, v, peak)
    assert np.all(np.diff(bills) >= -1e-9 * np.maximum(bills[1:], 1.0))


@SETTINGS
@given(
    plan=plans(acquisition="rent"),
    profile=profiles,
    volumes=st.lists(st.floats(0.0, 1e9), min_size=2, max_size=20),
)
def test_more_volume_never_lowers_a_follow_profile_bill(
    plan: SelfHostedPlan, profile: list[float], volumes: list[float]
) -> None:
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    follow = dataclasses.replace(plan, scaling="follow_profile")
    v = np.sort(np.array(volumes))
    bills = self_total(follow, v, max(hours), hours)
    assert np.all(np.diff(bills) >= -1e-9 * np.maximum(bills[1:], 1.0))


def full_use_usd_per_request(plan: SelfHostedPlan, peak: float) -> float:
    """Independent of the engine: what one more fully used replica adds per request it carries."""
    per_replica = plan.capacity_requests_per_s * SECONDS_PER_MONTH / peak
    if plan.acquisition == "rent":
        replica_month = plan.gpus_per_replica * HOURS_PER_MONTH * plan.usd_per_gpu_hour
    else:
        # capital (annuity) + energy at the utilisation a full peak-sized replica runs at (1/peak)
        # + provisioned-power hosting; flat hosting and labour do not grow with replicas
        util = 1.0 / peak
        watts = plan.gpus_per_replica * (plan.idle_w_per_gpu + (plan.max_w_per_gpu - plan.idle_w_per_gpu) * util)
        watts += plan.server_overhead_w
        energy = watts / WATTS_PER_KW * HOURS_PER_MONTH * plan.pue * plan.usd_per_kwh
        hosting = plan.max_w_per_replica / WATTS_PER_KW * plan.hosting_usd_per_kw_month
        replica_month = plan.annuity_usd_per_replica_month + energy + hosting
    return replica_month / per_replica


@SETTINGS
@given(plan=plans(), peak=st.floats(1.0, 3.0), ratio=st.floats(0.05, 20.0))
def test_break_even_is_never_exactly_when_a_full_replica_costs_more(
    plan: SelfHostedPlan, peak: float, ratio: float
) -> None:
    m = full_use_usd_per_request(plan, peak)
    api = m * ratio  # API price per request on either side of the full-use cost
    assume(abs(ratio - 1.0) > 1e-3)
    be = break_even_volume(plan, api, peak_factor=peak, hourly_factors=FLAT)
    assert (be.requests_per_month is None) == (m >= api)


@SETTINGS
@given(
    plan=plans(),
    peak=st.floats(1.0, 3.0),
    ratio=st.floats(1.01, 50.0),
    above=st.lists(st.floats(0.0, 100.0), min_size=1, max_size=30),
)
def test_at_and_above_break_even_self_hosting_is_not_dearer(
    plan: SelfHostedPlan, peak: float, ratio: float, above: list[float]
) -> None:
    api = full_use_usd_per_request(plan, peak) * ratio
    be = break_even_volume(plan, api, peak_factor=peak, hourly_factors=FLAT)
    assert be.requests_per_month is not None
    v_star = be.requests_per_month
    per_replica = plan.capacity_requests_per_s * SECONDS_PER_MONTH / peak
    # v* itself, a little above it, and sampled higher volumes up to 100 replicas' worth further
    volumes = np.array([v_star, v_star * (1 + 1e-6)] + [v_star + a * per_replica for a in above])
    bills = self_total(plan, volumes, peak)
    tolerance = 1e-7 * np.maximum(api * volumes, 1.0)
    assert np.all(bills <= api * volumes + tolerance)


@SETTINGS
@given(plan=plans(acquisition="rent"), ratio=st.floats(1.01, 50.0), frac=st.floats(0.01, 0.999))
def test_break_even_is_the_smallest_such_volume(plan: SelfHostedPlan, ratio: float, frac: float) -> None:
    # Just below v* (within the same replica step) self-hosting must be dearer, or v* would not be the smallest.
    api = full_use_usd_per_request(plan, 1.0) * ratio
    be = break_even_volume(plan, api, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month is not None
    v_star = be.requests_per_month
    assume(v_star > 0)
    # skip exact ties at a replica step (e.g. (k + 1) / k == ratio): any volume past the tie is then valid
    per_replica = plan.capacity_requests_per_s * SECONDS_PER_MONTH
    steps = np.arange(1, v_star / per_replica + 2) * per_replica
    after_step = self_total(plan, steps * (1 + 1e-6)) - api * steps
    assume(np.all(np.abs(after_step) > 1e-6 * api * steps))
    below = v_star * (1 - 1e-6 * frac) - 1e-9
    assert self_total(plan, [below])[0] > api * below


@SETTINGS
@given(
    plan=plans(acquisition="rent"),
    profile=profiles,
    ratio=st.floats(1.05, 50.0),
    above=st.lists(st.floats(0.0, 100.0), min_size=1, max_size=30),
)
def test_follow_profile_break_even_holds_above(
    plan: SelfHostedPlan, profile: list[float], ratio: float, above: list[float]
) -> None:
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    follow = dataclasses.replace(plan, scaling="follow_profile")
    # full use when every hour's replicas are busy: replica-hours follow the mean load → 730 h per mean replica
    per_mean_replica = plan.capacity_requests_per_s * SECONDS_PER_MONTH
    api = plan.gpus_per_replica * HOURS_PER_MONTH * plan.usd_per_gpu_hour / per_mean_replica * ratio
    be = break_even_volume(follow, api, peak_factor=max(hours), hourly_factors=hours)
    assert be.requests_per_month is not None
    v_star = be.requests_per_month
    volumes = np.array([v_star, v_star * (1 + 1e-6)] + [v_star + a * per_mean_replica for a in above])
    bills = self_total(follow, volumes, max(hours), hours)
    assert np.all(bills <= api * volumes + 1e-7 * np.maximum(api * volumes, 1.0))


# ---- broadcasting: array-valued inputs give, element by element, the scalar engine's answer -------------

POINTS = 4


def stack(items: list) -> object:
    """One dataclass whose numeric fields are arrays over `items` (None prices and text stay as in the first)."""
    first = items[0]
    arrays = {
        f.name: np.array([float(getattr(i, f.name)) for i in items])
        for f in dataclasses.fields(first)
        if isinstance(getattr(first, f.name), (int, float)) and not isinstance(getattr(first, f.name), bool)
    }
    return dataclasses.replace(first, **arrays)


def element(stacked: object, i: int) -> object:
    """Element i of a stacked dataclass, as plain floats."""
    return dataclasses.replace(
        stacked,
        **{
            f.name: float(getattr(stacked, f.name)[i])
            for f in dataclasses.fields(stacked)
            if isinstance(getattr(stacked, f.name), np.ndarray)
        },
    )


def per_point(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(values, min_size=POINTS, max_size=POINTS)


@st.composite
def stacked_plans(draw: st.DrawFn) -> SelfHostedPlan:
    """POINTS plans of one acquisition kind as one plan whose numeric fields are arrays."""
    acquisition = draw(st.sampled_from(["rent", "buy"]))
    return stack([draw(plans(acquisition=acquisition)) for _ in range(POINTS)])  # type: ignore[return-value]


def same_none_pattern(items: list[ApiRates]) -> list[ApiRates]:
    """The rates with the first one's absent prices: None is decided per field, not per element."""
    absent = [f.name for f in dataclasses.fields(ApiRates) if getattr(items[0], f.name) is None]
    present = [f.name for f in dataclasses.fields(ApiRates) if getattr(items[0], f.name) is not None]
    return [
        dataclasses.replace(
            r,
            **dict.fromkeys(absent),
            **{k: getattr(items[0], k) for k in present if getattr(r, k) is None},
        )
        for r in items
    ]


@SETTINGS
@given(rates=per_point(api_rates()), shape=shapes(), shares=per_point(shapes()))
def test_api_lines_broadcast_element_by_element(
    rates: list[ApiRates], shape: RequestShape, shares: list[RequestShape]
) -> None:
    rates = same_none_pattern(rates)
    many = stack(rates)
    cached = np.array([s.cached_input_share for s in shares])
    write = np.array([s.cache_write_share for s in shares])
    lines = api_cost_lines_per_request(
        many, dataclasses.replace(shape, cached_input_share=cached, cache_write_share=write)
    )
    for i in range(POINTS):
        one = api_cost_lines_per_request(
            element(many, i), dataclasses.replace(shape, cached_input_share=cached[i], cache_write_share=write[i])
        )
        assert all(isinstance(usd, float) for usd in one.values())  # scalar inputs, plain floats out
        for name, usd in one.items():
            assert lines[name][i] == pytest.approx(usd, rel=1e-12, abs=1e-15)


@SETTINGS
@given(
    many=stacked_plans(), volumes=per_point(st.floats(0.0, 1e9)), peaks=per_point(st.floats(1.0, 4.0)), profile=profiles
)
def test_self_hosted_lines_broadcast_element_by_element(
    many: SelfHostedPlan, volumes: list[float], peaks: list[float], profile: list[float]
) -> None:
    hours = tuple(p / (sum(profile) / 24) for p in profile)
    for plan in (many, dataclasses.replace(many, scaling="follow_profile")):
        lines = self_hosted_monthly(plan, np.array(volumes), peak_factor=np.array(peaks), hourly_factors=hours)
        for i in range(POINTS):
            one = self_hosted_monthly(element(plan, i), volumes[i], peak_factor=peaks[i], hourly_factors=hours)
            for name, value in one.items():
                assert lines[name][i] == pytest.approx(float(value), rel=1e-12, abs=1e-9)
    assert isinstance(element(many, 0).annuity_usd_per_replica_month, float)
    annuities = many.annuity_usd_per_replica_month
    for i in range(POINTS):
        assert annuities[i] == pytest.approx(element(many, i).annuity_usd_per_replica_month, rel=1e-12)


@SETTINGS
@given(many=stacked_plans(), peaks=per_point(st.floats(1.0, 3.0)), ratios=per_point(st.floats(0.5, 20.0)))
def test_break_even_broadcasts_element_by_element(
    many: SelfHostedPlan, peaks: list[float], ratios: list[float]
) -> None:
    apis = np.array([full_use_usd_per_request(element(many, i), peaks[i]) * ratios[i] for i in range(POINTS)])
    got = break_even_volumes(many, apis, peak_factor=np.array(peaks), hourly_factors=FLAT)
    for i in range(POINTS):
        want = break_even_volume(element(many, i), float(apis[i]), peak_factor=peaks[i], hourly_factors=FLAT)
        if want.requests_per_month is None:
            assert np.isnan(got[i])
        else:
            assert got[i] == pytest.approx(want.requests_per_month, rel=1e-12, abs=1e-9)


@SETTINGS
@given(plan=plans(), min_replicas=st.integers(0, 60), peak=st.floats(1.0, 3.0), ratio=st.floats(1.01, 20.0))
# an exact tie at a replica step ((k + 1) / k = ratio): both methods must call it the same volume and reason
@example(
    plan=SelfHostedPlan(acquisition="rent", capacity_requests_per_s=4.78125, gpus_per_replica=1, usd_per_gpu_hour=5.0),
    min_replicas=2,
    peak=1.125,
    ratio=2.0,
)
# the API at twice the full-use cost, labour a hundred-thousandth of a dollar: sizing adds the second replica only
# CEIL_TOLERANCE past a whole replica, where it is no longer dearer (the formula once placed it at the whole replica)
@example(
    plan=SelfHostedPlan(
        acquisition="rent",
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        usd_per_gpu_hour=7.0,
        labour_usd_per_month=1e-5,
    ),
    min_replicas=0,
    peak=1.0,
    ratio=2.0,
)
def test_always_on_break_even_formula_matches_checking_every_step(
    plan: SelfHostedPlan, min_replicas: int, peak: float, ratio: float
) -> None:
    # An hourly profile flat at the peak sizes every hour as always-on does, and follow_profile's break-even
    # checks every replica step, where always-on's finds the last dear step by formula: both must agree,
    # below min_replicas (a flat bill) as well as above.
    plan = dataclasses.replace(plan, min_replicas=min_replicas)
    api = full_use_usd_per_request(plan, peak) * ratio
    formula = break_even_volume(plan, api, peak_factor=peak, hourly_factors=FLAT)
    flat_at_peak = (peak,) * 24
    every_step = break_even_volume(
        dataclasses.replace(plan, scaling="follow_profile"), api, peak_factor=peak, hourly_factors=flat_at_peak
    )
    assert formula.requests_per_month == pytest.approx(every_step.requests_per_month, rel=1e-9, abs=1e-6)
    assert formula.reason == every_step.reason


@SETTINGS
@given(
    plan=plans(),
    peak=st.floats(1.0, 3.0),
    volumes=st.lists(st.floats(0.0, 1e9), min_size=1, max_size=24),
    profile=profiles,
)
def test_growth_path_total_is_the_sum_of_its_monthly_bills(
    plan: SelfHostedPlan, peak: float, volumes: list[float], profile: list[float]
) -> None:
    # Month by month as analyze's timeline: a bought replica stays (and is paid for) once bought.
    hours = tuple(p / (sum(profile) / 24) for p in profile)
    v = np.array(volumes)
    plans = [plan] if plan.acquisition == "buy" else [plan, dataclasses.replace(plan, scaling="follow_profile")]
    for path_plan in plans:
        path_plan = dataclasses.replace(path_plan, useful_life_months=len(volumes))  # no end of life inside
        owned = None
        if path_plan.acquisition == "buy":
            owned = np.maximum.accumulate(path_plan.replicas_for(v / SECONDS_PER_MONTH * peak))
        monthly = self_hosted_monthly(path_plan, v, peak_factor=peak, hourly_factors=hours, owned_replicas=owned)
        shape = RequestShape(buckets=((1000.0, 1.0),), output_tokens=100.0, peak_factor=peak, hourly_factors=hours)
        got = option_flows(SelfHostedCost(path_plan), shape, v).accrual
        assert got == pytest.approx(total(monthly), rel=1e-9)


@SETTINGS
@given(plan=plans(), profile=profiles, volumes=st.lists(st.floats(0.0, 1e12), min_size=1, max_size=20))
def test_follow_profile_bill_stays_under_its_ceiling(plan: SelfHostedPlan, profile: list[float], volumes: list[float]):
    # The ceiling bounds where break-even looks for dearer steps: a bill above it would hide one.
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    follow = dataclasses.replace(plan, scaling="follow_profile")
    high0, high1 = follow_profile_bill_ceiling(follow, hours)
    v = np.array(volumes)
    bills = self_total(follow, v, max(hours), hours)
    x = v / (plan.capacity_requests_per_s * SECONDS_PER_MONTH)
    assert np.all(bills <= (high0 + high1 * x) * (1 + 1e-12))
