"""Cost-versus-volume curves: they agree with the Result at today's volume and cross at break-even."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.analysis.curves import MARGIN, cost_curves, volume_grid
from costcalc.api import analyze, load_scenario, price_book
from costcalc.resolve import resolve_scenario


def _resolved(data):
    scenario = load_scenario(data)
    return scenario, resolve_scenario(scenario, price_book(scenario))


def test_curves_equal_the_report_at_todays_volume(base_scenario, today):
    scenario, resolved = _resolved(base_scenario)
    result = analyze(scenario, today=today)
    v0 = resolved.workload.requests_per_month
    curves = cost_curves(resolved, np.array([v0]))
    for o in result.options:
        assert curves.monthly_cost[o.name][0] == pytest.approx(o.monthly_cost, rel=1e-12)


def test_hand_checked_costs(base_scenario):
    # 100,000 requests/day = 3,041,666.7 requests/month; API: 1,000 in x $1 + 250 out x $4 per 1M = $0.002 a request
    # rented: 1 replica (peak 2.3 rps < 5 rps) x 730 h x $2 = $1,460 + labour 10 h x $100 = $2,460; seats 200 x $25
    _, resolved = _resolved(base_scenario)
    curves = cost_curves(resolved, np.array([3_041_666.6666666665]))
    assert curves.monthly_cost["Explicit API"][0] == pytest.approx(6083.333333, rel=1e-9)
    assert curves.monthly_cost["Rented GPUs"][0] == pytest.approx(2460.0)
    assert curves.monthly_cost["Seats"][0] == pytest.approx(5000.0)
    assert curves.tokens_per_month[0] == pytest.approx(3_041_666.6666666665 * 1250)


def test_curves_cross_at_the_reported_break_even(base_scenario, today):
    # $2,460 / $0.002 per request = 1,230,000 requests/month = 1.5375B tokens/month
    scenario, resolved = _resolved(base_scenario)
    result = analyze(scenario, today=today)
    be = result.headline_break_even("Rented GPUs")
    assert be is not None and be.requests_per_month == pytest.approx(1_230_000)
    v = be.requests_per_month
    curves = cost_curves(resolved, np.array([v * 0.99, v, v * 1.01]))
    api, own = curves.monthly_cost["Explicit API"], curves.monthly_cost["Rented GPUs"]
    assert own[1] == pytest.approx(api[1], rel=1e-9)
    assert own[0] > api[0] and own[2] < api[2]


def test_grid_holds_todays_volume_and_every_break_even(base_scenario, today):
    scenario, resolved = _resolved(base_scenario)
    result = analyze(scenario, today=today)
    far = result.workload.tokens_per_month * 1000
    grid = volume_grid(resolved, include_tokens_per_month=[far])
    tpr = resolved.shape.tokens_per_request
    assert grid[0] < resolved.workload.requests_per_month < grid[-1]
    assert grid[-1] >= far / tpr * MARGIN * (1 - 1e-12)
    assert np.all(np.diff(grid) > 0)


def test_grid_draws_replica_steps_as_jumps(base_scenario):
    # one replica carries 5 rps at the peak = 5 / 2 x 2,628,000 s = 6,570,000 requests/month; a step there
    _, resolved = _resolved(base_scenario)
    curves = cost_curves(resolved)
    step = 6_570_000.0
    i = int(np.searchsorted(curves.requests_per_month, step))
    assert curves.requests_per_month[i] == pytest.approx(step)
    own = curves.monthly_cost["Rented GPUs"]
    assert own[i + 1] - own[i] == pytest.approx(1460.0)  # one more replica-month at $2 x 730 h


def test_money_is_converted_to_the_report_currency(base_scenario):
    _, resolved = _resolved(base_scenario)
    v = np.array([1e6, 1e7])
    usd = cost_curves(resolved, v)
    eur = cost_curves(resolved, v, per_usd=0.9)
    for name in usd.monthly_cost:
        np.testing.assert_allclose(eur.monthly_cost[name], usd.monthly_cost[name] * 0.9)


@pytest.fixture(scope="module")
def resolved_base():
    from tests.conftest import BASE_SCENARIO

    return _resolved(copy.deepcopy(BASE_SCENARIO))[1]


@settings(max_examples=25, deadline=None)
@given(volumes=st.lists(st.floats(min_value=1e3, max_value=1e10), min_size=2, max_size=20))
def test_more_volume_never_costs_less(resolved_base, volumes):
    resolved = resolved_base
    v = np.sort(np.array(volumes))
    curves = cost_curves(resolved, v)
    for name, series in curves.monthly_cost.items():
        assert np.all(np.diff(series) >= -1e-9 * np.maximum(series[1:], 1)), name
