"""`recommend`: search the configurations that serve a scenario's workload, cost the best through `report`'s path.

Search (branch and bound, engine arrays) → the top N and the cost-versus-latency frontier → those written as a
scenario next to the user's APIs and seats → that scenario evaluated by analysis.run.evaluate, the one path
behind every Result, with the capacities the search found → a Recommendation whose numbers are the Result's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costcalc.analysis.recommend.assemble import assemble
from costcalc.analysis.recommend.capacities import Capacities, workload_shape
from costcalc.analysis.recommend.checks import checked, models_to_search, nothing_left
from costcalc.analysis.recommend.custom import custom_gpus
from costcalc.analysis.recommend.frontier import pareto, unique
from costcalc.analysis.recommend.handoff import option_dict, option_name, scenario_dict
from costcalc.analysis.recommend.pricing import Pricer, profiles
from costcalc.analysis.recommend.request import DEFAULT_REQUEST, Request
from costcalc.analysis.recommend.result import Recommendation
from costcalc.analysis.recommend.search import Costed, search
from costcalc.analysis.recommend.space import build_space, priced_gpus
from costcalc.analysis.recommend.store import CapacityStore
from costcalc.catalog import list_gpus
from costcalc.errors import InputError
from costcalc.models import Scenario, Workload
from costcalc.report.money_words import money
from costcalc.report.result import Result
from costcalc.resolve.book import PriceSource
from costcalc.resolve.scenario import request_shape
from costcalc.resolve.throughput import ThroughputBasis
from costcalc.scenario.loaders import ScenarioSource

DEFAULT_WRITE_TOP = 3


@dataclass(frozen=True)
class Outcome:
    """A Recommendation, and the scenario document of its top candidates (for --write-scenario)."""

    recommendation: Recommendation
    scenario: Scenario
    chosen: tuple[tuple[Costed, str], ...]  # shown candidates with their option names, rank order
    option_docs: dict[str, dict[str, Any]]
    newly_simulated: int = 0  # configurations simulated in this run (the others came from the capacity cache)

    def scenario_doc(self, top: int = DEFAULT_WRITE_TOP) -> tuple[dict[str, Any], list[str]]:
        """The scenario with the top `top` candidates as self-hosted options beside its APIs and seats."""
        names = [name for _, name in self.chosen[:top]]
        note = f"costcalc recommend: top {len(names)}"
        return scenario_dict(self.scenario, [self.option_docs[n] for n in names], note=note)


def recommend(
    scenario: Scenario,
    prices: PriceSource,
    request: Request = DEFAULT_REQUEST,
    *,
    today: dt.date | None = None,
    cache: Path | None = None,
    on_total: Callable[[int], None] | None = None,
    on_step: Callable[[int], None] | None = None,
) -> Outcome:
    """Search, rank and cost; `cache` is the folder of the capacity store (None: no store)."""
    workload = scenario.workload
    assert isinstance(workload, Workload), "usage files are loaded by the loader"
    if request.top < 1:
        raise InputError("must be at least 1", param="top")
    models = models_to_search(scenario, request.models)
    own = custom_gpus(scenario)  # the scenario's custom GPUs, priced as their options price them
    limits = checked(request.limits, tuple(g.id for g in own.gpus))
    book = prices.for_scenario(scenario, on=today)
    code, per_usd, _ = prices.currency(scenario)
    catalog = priced_gpus(book, list_gpus()) + own.gpus
    space = build_space(models, catalog, book, limits, own.offers)
    if space.candidates == 0:
        raise nothing_left(models, catalog, book, limits, own.offers)
    shape = request_shape(workload)
    pricer = Pricer(scenario, workload, shape, book, profiles(scenario, [m.id for m in models]))
    store = CapacityStore(cache, workload_shape(workload))
    capacities = Capacities(workload, store, on_step)
    try:
        found = search(
            space,
            workload,
            pricer,
            capacities,
            top=request.top,
            exhaustive=request.exhaustive,
            on_total=on_total,
            money=lambda usd: money(usd * per_usd, code),
        )
    finally:
        store.save()
    shown = found.ranked[: request.top]
    frontier = pareto(found.ranked)
    chosen = unique(shown + frontier)
    names = {id(c): option_name(c.config, c.offer) for c in chosen}
    prof = pricer.profiles
    docs = {names[id(c)]: option_dict(names[id(c)], c.config, c.offer, prof[c.config.model.id]) for c in chosen}
    result = _evaluate(scenario, prices, today, docs, {names[id(c)]: c.basis for c in chosen}) if chosen else None
    rec = assemble(scenario, workload, models, request, limits, found, catalog, shown, frontier, names, result, code)
    return Outcome(rec, scenario, tuple((c, names[id(c)]) for c in shown), docs, found.newly_simulated)


def _evaluate(
    scenario: Scenario,
    prices: PriceSource,
    today: dt.date | None,
    docs: dict[str, dict[str, Any]],
    throughputs: dict[str, ThroughputBasis],
) -> Result:
    """The chosen candidates costed by the report's own path (evaluate), beside the scenario's APIs and seats."""
    from costcalc.analysis.run import evaluate

    doc, _ = scenario_dict(scenario, list(docs.values()), note="costcalc recommend")
    built = ScenarioSource.load(doc).build()
    return evaluate(built, prices, today=today, throughputs=throughputs).result
