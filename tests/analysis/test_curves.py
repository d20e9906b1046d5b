"""Cost-versus-volume curves: they agree with the Result at today's volume and cross at break-even."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.analysis.curves import GRID_POINTS, MARGIN, cost_curves, volume_grid
from costcalc.api import analyze, load_scenario, price_book
from costcalc.engine.options import monthly_bill
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


def _edges(per_step: float, per_replica: float, upto: float) -> list[float]:
    """Where sizing adds a step, worked by hand: k steps' volume + 1e-9 of a replica's (replicas_for's tolerance)."""
    return [k * per_step + 1e-9 * per_replica for k in range(1, int(upto / per_step) + 1)]


@pytest.mark.parametrize("case", ["always_on", "instances of 4", "follow_profile"])
def test_the_curve_costs_what_the_engine_bills_just_either_side_of_each_step(base_scenario, case):
    # A replica carries 5 requests/s: 5 x 2,628,000 s / 2 (peak) = 6.57M requests a month. Always-on sizing adds one
    # at k x 6.57M + 0.00657 (1e-9 of a replica), on instances of 4 a whole instance at k x 26.28M + 0.00657; a
    # follow_profile hour of factor f adds one at (k + 1e-9) x 13.14M / f. Just below and just above each step
    # (1e-10 either side, inside the engine's tolerance) the curve, read between its points as a chart draws it,
    # costs what the engine bills there.
    rented = base_scenario["options"][1]
    if case == "instances of 4":
        rented["hardware"]["gpus_per_instance"] = 4
        edges = _edges(4 * 6.57e6, 6.57e6, 2e8)
    elif case == "follow_profile":
        del base_scenario["workload"]["peak_to_average"]
        base_scenario["workload"]["hourly_profile"] = [0.5 / 24] * 12 + [1.5 / 24] * 12
        rented["hardware"]["scaling"] = "follow_profile"
        edges = sorted(_edges(13.14e6 / 1.5, 13.14e6 / 1.5, 2e8) + _edges(13.14e6 / 0.5, 13.14e6 / 0.5, 2e8))
    else:
        edges = _edges(6.57e6, 6.57e6, 2e8)
    _, resolved = _resolved(base_scenario)
    opt = next(o for o in resolved.options if o.name == "Rented GPUs")
    curves = cost_curves(resolved, include_tokens_per_month=[1e8 * resolved.shape.tokens_per_request])
    grid, drawn = curves.requests_per_month, curves.monthly_cost["Rented GPUs"]
    edges = [e for e in edges if grid[0] < e < grid[-1]]
    assert len(edges) >= 3
    for edge in edges:
        volumes = np.array([edge * (1 - 1e-10), edge * (1 + 1e-10)])
        billed = monthly_bill(opt.cost, resolved.shape, volumes).total
        assert billed[1] > billed[0]  # a step really is there
        np.testing.assert_allclose(np.interp(volumes, grid, drawn), billed, rtol=1e-12)


def test_billions_of_replicas_draw_as_a_line_without_listing_their_steps() -> None:
    """qa18: a throughput point of 1e-9 requests/s sizes 2,314,814,815 replicas; the HTML report and --details asked
    numpy for one breakpoint a replica step (517 GiB) and died with a MemoryError (exit 70). More steps than the chart
    draws (MAX_STEPS) are not listed: the curve is drawn as a line."""
    import datetime as dt

    from costcalc.analysis.run import analysis as run

    data = {
        "version": 1,
        "name": "Tiny throughput",
        "workload": {"requests_per_day": 200000, "input_tokens": 1000, "output_tokens": 200},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 4}},
            {
                "name": "Slow",
                "kind": "self_hosted",
                "model": "llama-3.1-8b",
                "hardware": {"gpu": "h100-sxm-80gb", "gpus_per_replica": 2, "acquisition": "rent", "hourly_usd": 2},
                "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 1e-9}]},
            },
        ],
    }
    done = run(data, today=dt.date(2026, 12, 5))
    assert done.result.option("Slow").replicas == 2_314_814_815
    curves = done.curves()
    assert len(curves.requests_per_month) < 2 * GRID_POINTS and np.isfinite(curves.monthly_cost["Slow"]).all()
