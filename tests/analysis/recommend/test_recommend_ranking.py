"""Ranking against a brute-force loop: every candidate of a small catalog slice costed one at a time by `report`'s
path (costcalc.analyze on a scenario holding that one option), then sorted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import costcalc
from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import Outcome, recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.errors import ThroughputError
from costcalc.pricing.book import PriceBook
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat

DAY = dt.date.fromisoformat(TODAY)
MODEL = "gpt-oss-20b"
GPUS = ("l4-24gb", "l40s-48gb")
ENGINES = ("vllm", "llamacpp")
COUNTS = (1, 2)


def run(top: int, *, exhaustive: bool) -> Outcome:
    limits = Constraints(gpus=GPUS, engines=ENGINES, max_gpus=max(COUNTS))
    request = Request(models=(MODEL,), limits=limits, top=top, exhaustive=exhaustive)
    return recommend(load_scenario(chat()), PriceSource(), request, today=DAY, cache=None)


def brute_force() -> list[tuple[float, str]]:
    """(month-1 cost, option name) of every candidate that fits and meets the SLO, cheapest first."""
    rows = [p.row for p in PriceBook.load(on=DAY).rows("rental") if p.row.gpu in GPUS]
    out = []
    for row in rows:
        for engine in ENGINES:
            for n in COUNTS:
                name = f"{MODEL} on {n}x {row.gpu}, {engine} mxfp4, {row.id}"
                option: dict[str, Any] = {
                    "name": name,
                    "kind": "self_hosted",
                    "model": MODEL,
                    "precision": "mxfp4",
                    "engine": engine,
                    "hardware": {"gpu": row.gpu, "gpus_per_replica": n, "acquisition": "rent", "offer": row.id},
                    "operations": {"engineer_hours_per_month": 4, "hourly_rate_usd": 100},
                }
                doc = chat()
                doc["options"] = [doc["options"][0], option]
                try:
                    result = costcalc.analyze(doc, today=DAY)
                except ThroughputError:
                    continue  # does not fit
                o = result.option(name)
                assert o.throughput is not None
                if o.throughput.meets_slo:
                    out.append((o.monthly_cost, name))
    return sorted(out)


@pytest.fixture(scope="module")
def truth() -> list[tuple[float, str]]:
    return brute_force()


def _key(c: Any) -> str:
    return f"{c.model} on {c.gpus_per_replica}x {c.gpu}, {c.engine} {c.precision}, {c.offer}"


def test_exhaustive_ranking_is_the_brute_force_order(truth: list[tuple[float, str]]) -> None:
    rec = run(len(truth) + 5, exhaustive=True).recommendation
    got = [(c.monthly_cost, _key(c)) for c in rec.candidates]
    assert len(truth) >= 8, "the slice should hold enough candidates to rank"
    assert [round(c, 2) for c, _ in got] == [round(c, 2) for c, _ in truth]  # same costs, same order
    assert {n for _, n in got} == {n for _, n in truth}
    assert [c.rank for c in rec.candidates] == list(range(1, len(got) + 1))


def test_pruned_search_finds_the_same_top_n(truth: list[tuple[float, str]]) -> None:
    top = 4
    out = run(top, exhaustive=False)
    rec = out.recommendation
    assert [round(c.monthly_cost, 2) for c in rec.candidates] == [round(c, 2) for c, _ in truth[:top]]
    costs = dict((n, c) for c, n in truth)
    for c in rec.candidates:
        assert c.monthly_cost == pytest.approx(costs[_key(c)], abs=0.005)  # each to the cent
    assert rec.search.simulated_configurations <= rec.search.fitting_configurations
    not_simulated = {e.reason: e.count for e in rec.excluded}.get("not simulated", 0)
    assert not_simulated > 0, "the bound should spare some simulations on this slice"
