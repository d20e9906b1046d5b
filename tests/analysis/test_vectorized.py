"""The vectorised engine against the scalar one: bills, API cost per request and break-even on random inputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.analysis.vectorized import (
    _annuity,
    _plan,
    api_usd_per_request,
    break_even_requests,
    self_hosted_cost,
)
from costcalc.engine.api import ApiRates, api_cost_lines_per_request
from costcalc.engine.breakeven import break_even_volume
from costcalc.engine.self_hosted import SelfHostedPlan, self_hosted_monthly, total
from costcalc.engine.shape import RequestShape

SETTINGS = settings(max_examples=60, deadline=None)
price = st.floats(min_value=0.01, max_value=50.0)
maybe = st.none() | price
PROFILE = tuple(float(v) for v in np.r_[np.linspace(0.3, 1.7, 12), np.linspace(1.7, 0.3, 12)])


@st.composite
def plans(draw: st.DrawFn) -> SelfHostedPlan:
    acquisition = draw(st.sampled_from(["rent", "buy"]))
    scaling = draw(st.sampled_from(["always_on", "follow_profile"])) if acquisition == "rent" else "always_on"
    return SelfHostedPlan(
        capacity_requests_per_s=draw(st.floats(0.05, 50.0)),
        gpus_per_replica=draw(st.integers(1, 8)),
        acquisition=acquisition,
        min_replicas=draw(st.integers(0, 4)),
        scaling=scaling,
        usd_per_gpu_hour=draw(st.floats(0.2, 10.0)),
        price_usd_per_replica=draw(st.floats(1000.0, 400_000.0)),
        useful_life_months=draw(st.integers(12, 72)),
        residual_value_share=draw(st.floats(0.0, 0.5)),
        cost_of_capital_per_year=draw(st.sampled_from([0.0, 1e-7, 0.05, 0.12])),
        idle_w_per_gpu=draw(st.floats(0.0, 200.0)),
        max_w_per_gpu=draw(st.floats(200.0, 1200.0)),
        server_overhead_w=draw(st.floats(0.0, 2000.0)),
        pue=draw(st.floats(1.0, 2.0)),
        usd_per_kwh=draw(st.floats(0.0, 0.4)),
        hosting_usd_per_kw_month=draw(st.floats(0.0, 300.0)),
        hosting_flat_usd_per_month=draw(st.floats(0.0, 5000.0)),
        labour_usd_per_month=draw(st.floats(0.0, 20_000.0)),
    )


def _arrays(plan: SelfHostedPlan, n: int) -> dict:
    return _plan(plan, {}, (0.0, 0.0), n) | {"labour_usd_per_month": np.full(n, plan.labour_usd_per_month)}


@SETTINGS
@given(
    plan=plans(),
    volumes=st.lists(st.floats(0.0, 5e9), min_size=1, max_size=6),
    peak=st.floats(1.0, 4.0),
)
def test_self_hosted_cost_matches_the_engine(plan: SelfHostedPlan, volumes: list[float], peak: float) -> None:
    v = np.asarray(volumes)
    hourly = PROFILE if plan.scaling == "follow_profile" else (1.0,) * 24
    scalar = total(self_hosted_monthly(plan, v, peak_factor=peak, hourly_factors=hourly))
    vector = self_hosted_cost(_arrays(plan, v.size), v, np.full(v.size, peak), hourly)
    np.testing.assert_allclose(vector, scalar, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(plan=plans())
def test_annuity_matches_the_engine(plan: SelfHostedPlan) -> None:
    assert float(_annuity(_arrays(plan, 1))[0]) == pytest.approx(plan.annuity_usd_per_replica_month, rel=1e-12)


@SETTINGS
@given(plans(), st.floats(1.0, 4.0), st.floats(0.05, 20.0))
def test_break_even_matches_the_engine(plan: SelfHostedPlan, peak: float, api_usd_per_mreq: float) -> None:
    """The candidate-step search lands on the engine's step; the root inside it is the engine's too."""
    a = api_usd_per_mreq * 1e-3  # USD per request: 0.05 .. 20 USD per 1k requests
    hourly = PROFILE if plan.scaling == "follow_profile" else (1.0,) * 24
    peak_used = max(PROFILE) / (sum(PROFILE) / 24) if plan.scaling == "follow_profile" else peak
    expected = break_even_volume(plan, a, peak_factor=peak_used, hourly_factors=hourly).requests_per_month
    got = break_even_requests(_arrays(plan, 1), np.array([a]), np.array([peak_used]), hourly)[0]
    if expected is None:
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)


@st.composite
def rates(draw: st.DrawFn) -> ApiRates:
    batch = draw(st.floats(0.0, 1.0))
    tiered = draw(st.booleans())
    return ApiRates(
        input=draw(price),
        output=draw(price),
        cached_input=draw(maybe),
        cache_write=draw(maybe),
        batch_input=draw(maybe),
        batch_output=draw(maybe),
        long_context_threshold_tokens=draw(st.floats(1000, 100_000)) if tiered else None,
        long_context_input=draw(maybe) if tiered else None,
        long_context_cached_input=draw(maybe) if tiered else None,
        long_context_output=draw(maybe) if tiered else None,
        off_peak_input=draw(maybe),
        off_peak_cached_input=draw(maybe),
        off_peak_output=draw(maybe),
        batch_share=batch,
        off_peak_share=draw(st.floats(0.0, 1.0 - batch)),
        discount=draw(st.floats(0.0, 0.9)),
    )


@SETTINGS
@given(
    r=rates(),
    cached=st.floats(0.0, 0.6),
    write=st.floats(0.0, 0.4),
    buckets=st.lists(st.tuples(st.floats(10, 300_000), st.floats(0.05, 1.0)), min_size=1, max_size=3),
)
def test_api_cost_matches_the_engine(r: ApiRates, cached: float, write: float, buckets: list) -> None:
    total_share = sum(s for _, s in buckets)
    shape = RequestShape(
        buckets=tuple((t, s / total_share) for t, s in buckets),
        output_tokens=400.0,
        cached_input_share=cached,
        cache_write_share=write,
    )
    scalar = sum(api_cost_lines_per_request(r, shape).values())
    fields = {f.name: getattr(r, f.name) for f in dataclasses.fields(r)}
    vector = api_usd_per_request(fields, shape.buckets, shape.output_tokens, np.array([cached]), np.array([write]))
    assert vector[0] == pytest.approx(scalar, rel=1e-9, abs=1e-15)


def test_array_inputs_broadcast_row_by_row() -> None:
    """A price array gives, row by row, the scalar engine's bill at that price."""
    base = SelfHostedPlan(capacity_requests_per_s=3.0, gpus_per_replica=2, acquisition="rent", usd_per_gpu_hour=2.0)
    prices = np.array([1.0, 2.5, 4.0])
    p = _arrays(base, 3) | {"usd_per_gpu_hour": prices}
    got = self_hosted_cost(p, np.full(3, 2e7), np.full(3, 2.0), (1.0,) * 24)
    for i, usd in enumerate(prices):
        one = dataclasses.replace(base, usd_per_gpu_hour=float(usd))
        want = total(self_hosted_monthly(one, np.array([2e7]), peak_factor=2.0, hourly_factors=(1.0,) * 24))[0]
        assert got[i] == pytest.approx(want, rel=1e-12)
