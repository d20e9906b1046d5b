"""The cost-versus-latency frontier of the ranked configurations, and the shown ones without repeats."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from costcalc.analysis.recommend.search import Costed

PARETO_LIMIT = 10


def pareto(ranked: Sequence[Costed]) -> list[Costed]:
    """Cost versus p95 TTFT at capacity: each configuration at its cheapest offer, kept when no cheaper one is as fast."""
    best: dict[tuple[object, ...], Costed] = {}
    for c in ranked:  # ranked is cheapest first: the first of a configuration is its cheapest offer
        if c.basis.ttft_p95_ms is not None and c.config.key not in best:
            best[c.config.key] = c
    frontier: list[Costed] = []
    fastest = np.inf
    for c in sorted(best.values(), key=lambda c: (c.usd, c.basis.ttft_p95_ms, c.config.key)):
        ttft = float(c.basis.ttft_p95_ms or np.inf)
        if ttft < fastest:
            frontier.append(c)
            fastest = ttft
    return frontier[:PARETO_LIMIT]


def unique(items: Sequence[Costed]) -> list[Costed]:
    """The candidates in their order, each configuration at each offer once."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for c in items:
        key = (c.config.key, c.offer.id)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
