"""What-ifs over a request length, asked to interpolate: capacity under the SLO read between searches at the grid's
lengths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from costcalc.models import Scenario, SelfHostedOption, Workload
from costcalc.throughput.serving.length_grid import NODES_PER_DOUBLING, Along

# the request lengths a what-if may vary, and the length of the serving simulation's requests each one moves
LENGTH_PATHS: dict[str, Along] = {
    "workload.input_tokens": "input",
    "workload.output_tokens": "output",
    "workload.reasoning_tokens": "output",
}
# largest difference between an interpolated capacity and the search at that length, over the shipped examples'
# estimated options at every length from 0.4x to 2.5x their own, 1% apart (benchmarks/bench_length_error.py,
# session 21: 2.201% at internal-assistant's Qwen3 32B over output_tokens, median 0.2-0.3%); said as 2.2%
LARGEST_ERROR = 0.0221
# distinct lengths above which a what-if not asked to interpolate says up front that it may: 200 searches of an
# estimated option take ~10-20 s of CPU (45-90 ms a search, session 21), a sweep or simulation of two options twice that
HINT_DISTINCT = 200


def interpolated_along(fallback: Sequence[str]) -> Along | None:
    """The length to interpolate capacity along where the points re-resolve one request length and nothing else;
    else None (two lengths, or a length with another re-resolved input: a search at each point)."""
    return LENGTH_PATHS.get(fallback[0]) if len(fallback) == 1 else None


NOTHING_TO_INTERPOLATE = (
    "interpolate_lengths: no request length alone is varied (workload.input_tokens, output_tokens or"
    " reasoning_tokens, and no other input that needs a new resolution), so every capacity is searched"
)


def interpolation_note(path: str, interpolated: int, values: int) -> str:
    """What a sweep or simulation asked to interpolate says: at how many of its `values` distinct values of `path` it
    read capacity between searches (the others: grid lengths, searched, or where the searches either side differ)."""
    if not interpolated:
        return (
            f"interpolate_lengths: no capacity at the {values:,} values of {path} could be read between searches"
            " (grid lengths, a mix of prompt lengths, no estimated option under a latency target, or searches either"
            " side that differ in kind): each is costed as report --set costs it"
        )
    step = 2 ** (1 / NODES_PER_DOUBLING) - 1
    rest = (
        " (the others are grid lengths, searched, or lie where the searches either side differ in kind)"
        if interpolated < values
        else ""
    )
    return (
        f"interpolate_lengths: capacity under the SLO at {interpolated:,} of the {values:,} values of {path} is"
        f" interpolated between capacity searches at lengths {step:.0%} apart, within {LARGEST_ERROR:.1%} of a search"
        f" at each value on the shipped examples{rest}; near a replica boundary that can move a cost by a whole"
        f" replica: explore with it, quote `report --set {path}=VALUE` (or the run without it), which searches there"
    )


def searches_hint(scenario: Scenario, fallback: Sequence[str], column: Any) -> str | None:
    """The line a sweep or simulation not asked to interpolate says before it starts, where one request length alone
    takes more than HINT_DISTINCT whole values and an estimated option is sized under a latency target: each value is
    a capacity search; None otherwise."""
    if interpolated_along(fallback) is None or not _searched(scenario):
        return None
    try:
        distinct = np.unique(np.round(np.asarray(column, dtype=float))).size
    except (TypeError, ValueError):  # not numbers: the resolution says what is wrong
        return None
    if distinct <= HINT_DISTINCT:
        return None
    step = 2 ** (1 / NODES_PER_DOUBLING) - 1
    return (
        f"{distinct:,} distinct values of {fallback[0]}: each is a capacity search (7 to 14 serving simulations) for"
        " every estimated option under the SLO, which takes a while; --interpolate-lengths reads capacity between"
        f" searches at lengths {step:.0%} apart instead, much faster (within {LARGEST_ERROR:.1%} of a search on the"
        " shipped examples)"
    )


def _searched(scenario: Scenario) -> bool:
    """Whether the scenario sizes an estimated self-hosted option under a latency target (a capacity search)."""
    workload = scenario.workload
    slo = workload.slo if isinstance(workload, Workload) else None  # a named workload resolves later: no hint
    if slo is None or (slo.ttft_p95_ms is None and slo.min_output_tokens_per_s_per_user is None):
        return False
    return any(
        isinstance(o, SelfHostedOption) and (o.throughput is None or o.throughput.estimate) for o in scenario.options
    )
