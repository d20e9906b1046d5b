"""Every command reads one number from one place: for generated scenarios, report, both sides of diff, sweep at
the base point, sensitivity's base, simulate with zero-width distributions and the markdown PR comment agree
to the cent (issue 10), each priced on the same --today, before or after a scheduled price change (issue 9)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.analysis.sensitivity import sensitivity
from costcalc.analysis.sides import load_side
from costcalc.analysis.simulate import simulate
from costcalc.analysis.sweep import sweep
from costcalc.api import analyze
from costcalc.render.numbers import money
from costcalc.report.diff import compare
from costcalc.report.result import Result
from tests.support.cli import invoke

CENT = 0.005


@functools.cache
def _shipped_api_rows() -> tuple[tuple[str, str], ...]:
    """(id, provider) of two shipped API rows: the first with one price (the property is about agreement, not
    prices), and the series whose scheduled price change starts last (so the day a command prices on matters)."""
    from costcalc.pricing.book import PriceBook

    book = PriceBook.load(use_cache=False)
    rows = [p.row for p in book.rows("api")]
    plain = next(r for r in rows if "@" not in r.id)
    scheduled = max((r for r in rows if r.valid_from is not None), key=lambda r: r.valid_from or dt.date.min)
    return (plain.id, plain.provider), (scheduled.series, scheduled.provider)


@functools.cache
def _days() -> tuple[str, str]:
    """A month before and a few days after the last scheduled price change: --today on either side of it."""
    from costcalc.pricing.book import PriceBook

    start = max(p.row.valid_from or dt.date.min for p in PriceBook.load(use_cache=False).rows("api"))
    return (start - dt.timedelta(days=27)).isoformat(), (start + dt.timedelta(days=4)).isoformat()


def _price(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi).map(lambda x: round(x, 4))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario whose every number is explicit: API prices, seat prices, given throughput, owned-hardware power."""
    input_tokens = draw(st.integers(50, 4000))
    output_tokens = draw(st.integers(10, 1000))
    workload = {
        "requests_per_day": draw(st.integers(1_000, 2_000_000)),
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cached_input_share": draw(st.sampled_from([0.0, 0.3, 0.7])),
        "peak_to_average": draw(_price(1.0, 4.0)),
        "growth_per_month": draw(st.sampled_from([0.0, 0.02, 0.08])),
        "users": draw(st.integers(1, 5000)),
    }
    options: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 3))):
        prices = {
            "input_usd_per_mtok": draw(_price(0.02, 15.0)),
            "output_usd_per_mtok": draw(_price(0.05, 60.0)),
            "cached_input_usd_per_mtok": draw(_price(0.005, 1.0)),
        }
        options.append(
            {"name": f"API {i}", "kind": "api", "prices": prices, "discount": draw(st.sampled_from([0.0, 0.1]))}
        )
    if draw(st.booleans()):
        options.append(
            {
                "name": "Seats",
                "kind": "subscription",
                "usd_per_seat_month": draw(_price(5.0, 60.0)),
                "seats": draw(st.integers(1, 3000)),
            }
        )
    pricing: list[dict[str, Any]] = []
    if draw(st.booleans()):  # a price row the scenario adds itself, maybe with a provider discount on top
        row = {
            "provider": "acme",
            "model": "row-model",
            "input_usd_per_mtok": draw(_price(0.02, 15.0)),
            "output_usd_per_mtok": draw(_price(0.05, 60.0)),
            "source": "https://example.com/acme-quote",
            "as_of": "2026-08-01",
        }
        pricing.append({"table": "api", "id": "acme/row-model", "prices": row})
        if draw(st.booleans()):
            pricing.append({"provider": "acme", "discount": draw(st.sampled_from([0.15, 0.3]))})
        options.append({"name": "Row API", "kind": "api", "model": "acme/row-model"})
    row_id, provider = draw(st.sampled_from(_shipped_api_rows()))  # mostly with its provider's negotiated discount
    options.append({"name": "Table API", "kind": "api", "model": row_id})
    discount = draw(st.sampled_from([0.15, 0.3, 0.0]))
    if discount:
        pricing.append({"provider": provider, "discount": discount})
    point = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    for i in range(draw(st.integers(0, 2))):
        throughput = {"points": [{**point, "requests_per_s": draw(_price(0.2, 40.0))}]}
        operations = {"engineer_hours_per_month": draw(st.integers(0, 40)), "hourly_rate_usd": 120}
        if draw(st.booleans()):
            hardware: dict[str, Any] = {
                "gpu": "h100-sxm-80gb",
                "acquisition": "rent",
                "hourly_usd": draw(_price(0.5, 6.0)),
                "min_replicas": draw(st.integers(1, 3)),
                "gpus_per_replica": draw(st.sampled_from([1, 3])),
            }
            instance = draw(st.sampled_from([None, 4, 8]))  # whole instances the replicas are packed into
            if instance is not None:
                hardware["gpus_per_instance"] = instance
            extra: dict[str, Any] = {}
        else:
            hardware = {
                "gpu": "h100-sxm-80gb",
                "acquisition": "buy",
                "price_usd": draw(_price(15_000, 60_000)),
                "useful_life_months": draw(st.sampled_from([24, 36, 48])),
            }
            extra = {
                "power": {"idle_w_per_gpu": 90, "max_w_per_gpu": 700, "pue": 1.3, "electricity_usd_per_kwh": 0.12},
                "hosting": {"usd_per_kw_month": 150},
            }
        options.append(
            {
                "name": f"Self {i}",
                "kind": "self_hosted",
                "model": "llama-3.1-8b",
                "hardware": hardware,
                "throughput": throughput,
                "operations": operations,
                **extra,
            }
        )
    out = {"version": 1, "name": "Generated", "horizon_months": 12, "workload": workload, "options": options}
    return {**out, "pricing": pricing} if pricing else out


def _metric(result: Result) -> float:
    """Sensitivity's base metric, read from a report: over the horizon, best API − best self-hosted total, else the
    cheapest option's total (each the sum of the report's timeline)."""
    totals = {o.name: sum(result.full_timeline.monthly_cost[o.name]) for o in result.options}
    apis = [totals[o.name] for o in result.options if o.kind == "api"]
    selfs = [totals[o.name] for o in result.options if o.kind == "self_hosted"]
    return min(apis) - min(selfs) if apis and selfs else min(totals.values())


def _zero_width(scenario: dict[str, Any]) -> dict[str, Any]:
    """The same scenario with a few numbers written as distributions of zero width."""
    out = yaml.safe_load(yaml.safe_dump(scenario))
    rpd = out["workload"]["requests_per_day"]
    out["workload"]["requests_per_day"] = {"dist": "triangular", "low": rpd, "mode": rpd, "high": rpd}
    price = out["options"][0]["prices"]["input_usd_per_mtok"]
    out["options"][0]["prices"]["input_usd_per_mtok"] = {"dist": "uniform", "low": price, "high": price}
    return out


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios(), day=st.sampled_from(_days()))
def test_every_command_agrees_to_the_cent(scenario: dict[str, Any], day: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("agree")
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    uncertain = folder / "u.yaml"
    uncertain.write_text(yaml.safe_dump(_zero_width(scenario), sort_keys=False), encoding="utf-8")

    today = dt.date.fromisoformat(day)
    report = analyze(str(path), today=today)
    costs = {o.name: o.monthly_cost for o in report.options}

    # `costcalc report -f json`, the command a person runs, gives the API's numbers
    code, printed, err = invoke("report", str(path), "-f", "json", "--today", day)
    assert code == 0, err
    for option in json.loads(printed)["options"]:
        assert abs(option["monthly_cost"] - costs[option["name"]]) < CENT, option["name"]

    # both sides of a diff of the file against itself
    base, head = load_side(str(path), today=today), load_side(str(path), today=today)
    for side in (base, head):
        for name, cost in costs.items():
            assert abs(side.report.option(name).monthly_cost - cost) < CENT, name

    # sweep at the base point
    rpd = scenario["workload"]["requests_per_day"]
    frame = sweep(str(path), [f"workload.requests_per_day={rpd}"], today=today)
    for name, cost in costs.items():
        assert abs(frame[f"monthly_cost[{name}]"].iloc[0] - cost) < CENT, name
        be = report.headline_break_even(name)
        column = f"break_even_tokens_per_month[{name}]"
        if be is not None and column in frame:
            swept = frame[column].iloc[0]
            if be.tokens_per_month is None:
                assert math.isnan(swept), name
            else:
                assert math.isclose(swept, be.tokens_per_month, rel_tol=1e-6), name

    # sensitivity's base
    tornado = sensitivity(str(path), inputs=["workload.requests_per_day"], today=today)
    assert abs(tornado.attrs["base_metric"] - _metric(report)) < CENT * report.horizon_months

    # simulate with zero-width distributions: every percentile is the report's number
    sim = simulate(str(uncertain), samples=8, seed=1, throughput_band=False, today=today)
    summary = sim.summary.set_index("option")
    assert report.timeline is not None
    for name, cost in costs.items():
        for q in ("p10", "p50", "p90"):
            assert abs(summary.loc[name, f"monthly_cost_{q}"] - cost) < CENT, name
            horizon = sum(report.timeline.monthly_cost[name])
            assert abs(summary.loc[name, f"cumulative_cost_{q}"] - horizon) < CENT * 12, name

    # the markdown PR comment (`costcalc diff -f markdown`) shows the report's figure, rounded the same way
    code, comment, err = invoke("diff", str(path), str(path), "-f", "markdown", "--today", day)
    assert code == 0, err
    for name, cost in costs.items():
        shown = money(cost)
        row = next(line for line in comment.splitlines() if line.startswith(f"| {name}") or f"**{name}**" in line)
        assert f"| {shown} | {shown} |" in row, (name, row)
    diff = compare(base, head)
    assert all(o.monthly_cost_change == 0 for o in diff.options)


def test_the_generator_covers_every_kind() -> None:
    """The strategy above does reach seats, rented and bought hardware (so the property checks them all)."""
    seen: set[str] = set()

    # a fixed sequence of examples (whether 60 reach every kind does not vary run to run), and no health check on
    # generation speed, the one part that depends on the machine's load (this test failed once in a full run on a
    # loaded machine, 2026-12-07, and passed alone; its output was not kept)
    @settings(
        max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(scenario=scenarios())
    def collect(scenario: dict[str, Any]) -> None:
        for o in scenario["options"]:
            seen.add(o["kind"] if o["kind"] != "self_hosted" else o["hardware"]["acquisition"])
            if "gpus_per_instance" in o.get("hardware", {}):
                seen.add("rent by the instance")
        seen.update(f"pricing {'discount' if 'discount' in p else 'row'}" for p in scenario.get("pricing", []))

    collect()
    assert seen == {"api", "subscription", "rent", "rent by the instance", "buy", "pricing row", "pricing discount"}


def test_zero_width_distributions_sample_their_point() -> None:
    out = _zero_width({"workload": {"requests_per_day": 5}, "options": [{"prices": {"input_usd_per_mtok": 1.25}}]})
    assert out["workload"]["requests_per_day"]["low"] == out["workload"]["requests_per_day"]["high"] == 5
    assert np.isclose(out["options"][0]["prices"]["input_usd_per_mtok"]["high"], 1.25)
