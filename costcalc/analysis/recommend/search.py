"""Branch and bound over the search space: every candidate costed at its capacity bound, the serving simulation
run only where a candidate could still make the top N.

A replica's capacity under the SLO never exceeds the estimator's full-load throughput, and a bill never
rises when capacity rises (fewer or equal replicas, no more energy). So the bill at the full-load bound is
a lower bound on a candidate's true bill. Configurations are simulated in the order of their cheapest
bound; the search stops when the next configuration's bound is above the N-th cheapest true bill found,
since nothing after it can enter the top N. `exhaustive` simulates every configuration that fits.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from costcalc.analysis.recommend.capacities import Bound, Capacities, Missed
from costcalc.analysis.recommend.pricing import Pricer
from costcalc.analysis.recommend.space import Config, Offer, Space
from costcalc.errors import InputError
from costcalc.models import Workload
from costcalc.report.money_words import money
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.throughput import ThroughputBasis

NO_PRICE = "no price"
DOES_NOT_FIT = "does not fit"
CANNOT_PRICE = "cannot be priced"
MISSES_SLO = "misses the SLO"
NOT_SIMULATED = "not simulated"
REASONS = (DOES_NOT_FIT, MISSES_SLO, NO_PRICE, CANNOT_PRICE, NOT_SIMULATED)
REASON_HELP = {
    NO_PRICE: "no rental offer or purchase price for the GPU at this size under the constraints",
    DOES_NOT_FIT: "weights and one request's KV cache do not fit in the replica's memory",
    CANNOT_PRICE: "the offer exists but cannot be costed (its message says what is missing)",
    MISSES_SLO: "the serving simulation misses a p95 target even at low load",
    NOT_SIMULATED: "even at full-load throughput it costs more than the N-th cheapest: it cannot make the top N",
}


@dataclass(frozen=True)
class Costed:
    """A candidate at its capacity under the SLO: its month-1 cost (USD) and the basis it was sized with."""

    config: Config
    offer: Offer
    usd: float
    basis: ThroughputBasis

    @property
    def order(self) -> tuple[float, tuple[object, ...], str]:
        """Rank order: cost, then the configuration's ids, then the offer's (ties break the same way every run)."""
        return (self.usd, self.config.key, self.offer.id)


@dataclass
class Exclusions:
    """Candidates left out, counted by reason, with the first one's explanation as an example."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, count: int, example: str) -> None:
        """Count `count` candidates under `reason`."""
        if count <= 0:
            return
        self.counts[reason] += count
        self.examples.setdefault(reason, example)


@dataclass
class Found:
    """What the search found: costed candidates that meet the SLO (ranked), exclusions and the search's size."""

    ranked: list[Costed]
    excluded: Exclusions
    configurations: int
    candidates: int
    fitting: int
    simulated: int  # configurations whose capacity was looked up (store or simulation)
    newly_simulated: int  # of those, run through the serving simulation in this search
    pricer: Pricer
    bounds: dict[tuple[object, ...], Bound]


def _describe(config: Config, offer: Offer | None = None) -> str:
    where = f" ({offer.id})" if offer else ""
    return f"{config.model.id} {config.precision} on {config.gpus}x {config.gpu.id} with {config.engine}{where}"


def search(
    space: Space,
    workload: Workload,
    pricer: Pricer,
    capacities: Capacities,
    *,
    top: int,
    exhaustive: bool = False,
    on_total: Callable[[int], None] | None = None,
    money: Callable[[float], str] = money,
) -> Found:
    """Rank the space's candidates that meet the SLO by month-1 cost; the top `top` are exact. `money` writes an
    amount in USD in the report's currency (for the reasons given)."""
    excluded = Exclusions()
    bounds: dict[tuple[object, ...], Bound] = {}
    pending: list[tuple[Config, list[tuple[Offer, ResolvedSelfHosted]]]] = []
    for config in space.configs:
        offers = space.offers_of[config.key]
        if not offers:
            excluded.add(NO_PRICE, 1, f"{_describe(config)}: no offer of {config.gpu.id} within the constraints")
            continue
        bound = bounds[config.key] = capacities.bound(config)
        if not bound.fits:
            excluded.add(DOES_NOT_FIT, len(offers), f"{_describe(config)}: {bound.reason}")
            continue
        usable = []
        for offer in offers:
            template = pricer.template(config, offer)
            if isinstance(template, InputError):
                excluded.add(CANNOT_PRICE, 1, f"{_describe(config, offer)}: {template.detail}")
            else:
                usable.append((offer, template))
        if usable:
            pending.append((config, usable))
    fitting = sum(1 for b in bounds.values() if b.fits)
    lower = _lower_bounds(pending, bounds, pricer)
    order = sorted(range(len(pending)), key=lambda i: (lower[i], pending[i][0].key))
    if on_total is not None:
        on_total(len(order))
    ranked: list[Costed] = []
    nth: list[float] = []  # max-heap (negated) of the `top` cheapest true costs so far
    looked_up = 0
    for step, i in enumerate(order):
        config, usable = pending[i]
        if not exhaustive and len(nth) >= top and lower[i] > -nth[0]:
            rest = order[step:]
            excluded.add(
                NOT_SIMULATED,
                sum(len(pending[j][1]) for j in rest),
                f"{_describe(pending[rest[0]][0])}: costs at least {money(lower[rest[0]])}/month at full load",
            )
            break
        basis = capacities.get(config)
        looked_up += 1
        if isinstance(basis, InputError):
            excluded.add(DOES_NOT_FIT, len(usable), f"{_describe(config)}: {basis.detail}")
            continue
        if isinstance(basis, Missed):
            # the example shown quotes the latency its report quotes: the chosen layout's (capacities.miss_example)
            said = basis.reason if MISSES_SLO in excluded.examples else capacities.miss_example(config, basis)
            excluded.add(MISSES_SLO, len(usable), f"{_describe(config)}: {said}")
            continue
        if not basis.meets_slo:
            excluded.add(MISSES_SLO, len(usable), f"{_describe(config)}: {basis.detail}")
            continue
        costs = pricer.monthly_usd_rows([t for _, t in usable], np.full(len(usable), basis.requests_per_s))
        for (offer, _), value in zip(usable, costs, strict=True):
            usd = float(value)
            ranked.append(Costed(config, offer, usd, basis))
            if len(nth) < top:
                heapq.heappush(nth, -usd)
            elif usd < -nth[0]:
                heapq.heapreplace(nth, -usd)
    ranked.sort(key=lambda c: c.order)
    return Found(
        ranked=ranked,
        excluded=excluded,
        configurations=len(space.configs),
        candidates=space.candidates,
        fitting=fitting,
        simulated=looked_up,
        newly_simulated=capacities.simulated,
        pricer=pricer,
        bounds=bounds,
    )


def _lower_bounds(
    pending: Sequence[tuple[Config, list[tuple[Offer, ResolvedSelfHosted]]]],
    bounds: dict[tuple[object, ...], Bound],
    pricer: Pricer,
) -> list[float]:
    """Each configuration's cheapest bill at its full-load bound: every candidate a row of one engine call per kind of
    bill (the templates' plans stacked into arrays)."""
    owner = [i for i, (_, usable) in enumerate(pending) for _ in usable]
    templates = [t for _, usable in pending for _, t in usable]
    caps = np.array([bounds[pending[i][0].key].requests_per_s for i in owner])
    lower = np.full(len(pending), np.inf)
    if templates:
        np.minimum.at(lower, np.array(owner), pricer.monthly_usd_rows(templates, caps))
    return [float(x) for x in lower]
