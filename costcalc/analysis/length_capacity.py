"""What-ifs over request lengths, asked to interpolate: capacity under the SLO read between searches at the grid's
lengths."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from costcalc.models import Scenario, SelfHostedOption, Workload
from costcalc.throughput.serving.length_grid import NODES_PER_DOUBLING, Along, nodes_spanned

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
# the same where the prompt and the output length vary together, at 800 random pairs of lengths (0.4x to 2.5x each,
# log-uniform) of each example with one prompt length (bench_length_error.py --pairs 800, session 22: 3.569% at
# internal-assistant's Qwen3 32B, median 0.23-0.34%); said as 3.6%
LARGEST_ERROR_BOTH = 0.0357
# distinct lengths above which a what-if not asked to interpolate says up front that it may: 200 searches of an
# estimated option take ~10-20 s of CPU (45-90 ms a search, session 21), a sweep or simulation of two options twice that
HINT_DISTINCT = 200


def interpolated_along(fallback: Sequence[str]) -> Along | None:
    """The length to interpolate capacity along where the points re-resolve request lengths and nothing else: one
    length, or "both" where the prompt and the output length vary together; else None (a length with another
    re-resolved input: a search at each point)."""
    alongs = {LENGTH_PATHS.get(path) for path in fallback}
    if not alongs or None in alongs:
        return None
    return "both" if len(alongs) > 1 else LENGTH_PATHS[fallback[0]]


NOTHING_TO_INTERPOLATE = (
    "interpolate_lengths: no request length is varied without another input that needs a new resolution"
    " (workload.input_tokens, output_tokens or reasoning_tokens, or the input and output lengths together), so every"
    " capacity is searched"
)


def largest_error(paths: Sequence[str]) -> float:
    """How far an interpolated capacity lies from the search at its lengths at most on the shipped examples, where
    `paths` vary: LARGEST_ERROR along one length, LARGEST_ERROR_BOTH where the prompt and the output vary together."""
    return LARGEST_ERROR_BOTH if interpolated_along(paths) == "both" else LARGEST_ERROR


def interpolation_note(paths: Sequence[str], interpolated: int, values: int) -> str:
    """What a sweep or simulation asked to interpolate says: at how many of its `values` distinct values of the
    request lengths `paths` (pairs where two vary) it read capacity between searches (the others: grid lengths,
    searched, or where the searches either side differ)."""
    what, of = _values_of(paths)
    if not interpolated:
        return (
            f"interpolate_lengths: no capacity at the {values:,} {what} of {of} could be read between searches"
            " (grid lengths, a mix of prompt lengths, no estimated option under a latency target, or searches either"
            " side that differ in kind): each is costed as report --set costs it"
        )
    step = 2 ** (1 / NODES_PER_DOUBLING) - 1
    rest = (
        " (the others are grid lengths, searched, or lie where the searches either side differ in kind)"
        if interpolated < values
        else ""
    )
    sets = " ".join(f"--set {path}=VALUE" for path in paths).removeprefix("--set ")
    return (
        f"interpolate_lengths: capacity under the SLO at {interpolated:,} of the {values:,} {what} of {of} is"
        f" interpolated between capacity searches at lengths {step:.0%} apart, within {largest_error(paths):.1%} of a"
        f" search at each {'value' if len(paths) == 1 else 'pair' if len(paths) == 2 else 'set'} on the shipped"
        f" examples{rest}; near a replica boundary that can move"
        f" a cost by a whole replica: explore with it, quote `report --set {sets}` (or the run without it), which"
        " searches there"
    )


def _values_of(paths: Sequence[str]) -> tuple[str, str]:
    """('values', 'workload.input_tokens'), or ('pairs of values', 'A and B') where two lengths vary together."""
    if len(paths) == 1:
        return "values", paths[0]
    return f"{'pairs' if len(paths) == 2 else 'sets'} of values", " and ".join(paths)


def searches_hint(scenario: Scenario, fallback: Sequence[str], columns: Sequence[Any]) -> str | None:
    """The line a sweep or simulation not asked to interpolate says before it starts, where request lengths alone (the
    `columns` of `fallback`'s paths) take more than HINT_DISTINCT whole values (pairs where two vary) and an estimated
    option is sized under a latency target: each is a capacity search; None otherwise."""
    if interpolated_along(fallback) is None or not _searched(scenario):
        return None
    try:
        rows = np.round(np.column_stack([np.asarray(column, dtype=float) for column in columns]))
    except (TypeError, ValueError):  # not numbers: the resolution says what is wrong
        return None
    distinct = np.unique(rows, axis=0).shape[0]
    if distinct <= max(HINT_DISTINCT, _grid_searches(fallback, rows)):  # the flag would not spare searches
        return None
    step = 2 ** (1 / NODES_PER_DOUBLING) - 1
    what, of = _values_of(fallback)
    return (
        f"{distinct:,} distinct {what} of {of}: each is a capacity search (7 to 14 serving simulations) for"
        " every estimated option under the SLO, which takes a while; --interpolate-lengths reads capacity between"
        f" searches at lengths {step:.0%} apart instead, much faster (within {largest_error(fallback):.1%} of a"
        " search on the shipped examples)"
    )


def _grid_searches(fallback: Sequence[str], rows: Any) -> int:
    """How many searches at the grid's lengths (pairs of them where two lengths vary) the flag may run over the range
    of `rows` (one column per path of `fallback`; output and reasoning tokens add up to one length): where it is no
    fewer than the distinct values, interpolating spares nothing (a 10 x 10 sweep over 600-2,400 input by 125-500 output
    tokens spans 18 x 18 pairs of grid lengths)."""
    lengths: dict[str, Any] = {}
    for path, column in zip(fallback, np.asarray(rows).T, strict=True):
        along = LENGTH_PATHS[path]
        lengths[along] = lengths.get(along, 0) + column
    return math.prod(nodes_spanned(float(np.min(v)), float(np.max(v))) for v in lengths.values())


def _searched(scenario: Scenario) -> bool:
    """Whether the scenario sizes an estimated self-hosted option under a latency target (a capacity search)."""
    workload = scenario.workload
    slo = workload.slo if isinstance(workload, Workload) else None  # a named workload resolves later: no hint
    if slo is None or (slo.ttft_p95_ms is None and slo.min_output_tokens_per_s_per_user is None):
        return False
    return any(
        isinstance(o, SelfHostedOption) and (o.throughput is None or o.throughput.estimate) for o in scenario.options
    )
