"""Capacity under the SLO of a replica the estimator describes: its step times, limits and full load, then the search."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput.estimate import Estimate
from costcalc.throughput.factors import Factors
from costcalc.throughput.load_cycle import layouts
from costcalc.throughput.serving import length_grid
from costcalc.throughput.serving.capacity import (
    Between,
    LowestLoad,
    ServingCapacity,
    Targets,
    lowest_load,
    search_capacity,
)
from costcalc.throughput.serving.searched import searched
from costcalc.throughput.serving.steps import StepTimes
from costcalc.throughput.serving.unit_draw import unit_draw

if TYPE_CHECKING:
    from costcalc.throughput.serving.replica import Replica
    from costcalc.throughput.serving.server_args import ServerArgs


@dataclass(frozen=True)
class ReplicaConfig:
    """One replica as the estimator reads it: GPUs, model, precision, engine and its release and flags, and the
    workload's request lengths (prompt lengths with their shares, the output length)."""

    gpu: GpuSpec
    model: ModelSpec
    gpu_count: int
    precision: str | None
    engine: str
    input_tokens: tuple[float, ...]
    shares: tuple[float, ...]
    output_tokens: int
    engine_version: str | None
    server_args: ServerArgs | None

    @property
    def mean_input_tokens(self) -> int:
        """The workload's mean prompt length, in whole tokens."""
        return round(sum(i * s for i, s in zip(self.input_tokens, self.shares, strict=True)))

    def with_lengths(self, input_tokens: tuple[float, ...], output_tokens: int) -> ReplicaConfig:
        """The same replica serving requests of other lengths."""
        return replace(self, input_tokens=input_tokens, output_tokens=output_tokens)


@dataclass(frozen=True)
class EstimatedCapacity:
    """The estimator's full-load figures and the simulated capacity under the SLO of one configuration."""

    full_load: Estimate  # the estimator at the workload's mean lengths, as many requests as fit
    serving: ServingCapacity | None  # None when the configuration does not fit
    steps: StepTimes | None  # None also where the capacity is read between searches (_between): nothing simulated
    # the estimator at the simulation's mean concurrency at capacity, when that is below full load
    # (None when capacity is the full-load throughput): its error band is the one for serving at a rate
    at_capacity: Estimate | None = None

    @property
    def banded(self) -> Estimate:
        """The estimate whose error band the capacity quotes: at the simulated load at capacity, else at full load."""
        return self.at_capacity or self.full_load

    @property
    def error_band(self) -> float | None:
        """The estimator's expected error for this way of serving (p90 of its calibration)."""
        return self.banded.error_band


def estimated_capacity(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
    factors: Factors | None = None,
    engine_version: str | None = None,
    server_args: ServerArgs | None = None,
) -> EstimatedCapacity:
    """Capacity under the SLO of one replica whose step times come from the estimator.

    Cached per configuration with the shipped factors (sweeps re-resolve the same ones often). Inside
    length_grid.interpolating (a sweep or simulation asked to interpolate lengths), a length between two of the grid's
    nodes reads its capacity from the searches at those nodes where it can (_between).

    The estimator gives full-load throughput at the mean lengths (the search's upper end), the
    memory limits and every step time; the serving simulation finds the highest rate meeting the
    p95 targets. Under a target each parallel layout a multi-GPU replica takes is searched (load_cycle.layouts, on
    any link), and the capacity is the one serving the most (_layout_runs, _chosen): every figure of it (full load,
    the band's estimate) is at that layout. Every caller (report, sweep, simulate, estimate) reads
    capacity under an SLO from here. engine_version: the release the server runs (None: today's), as
    build_replica and estimate read it (llama-server's unasked slots, older vLLM scheduler defaults); server_args:
    the flags the server is started with (serving.engine_args: slots, sequences, token budget, ...), which replace
    the release's defaults in the full load and the simulation alike.
    """
    config = ReplicaConfig(
        gpu, model, gpu_count, precision, engine, input_tokens, shares, output_tokens, engine_version, server_args
    )
    if factors is None:
        asked = length_grid.current()
        between = None if asked is None or not targets.given else _between(asked, config, targets)
        return between or _cached_capacity(config, targets)
    return _estimated_capacity(config, targets, factors)


def estimated_lowest_load(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: tuple[float, ...],
    shares: tuple[float, ...],
    output_tokens: int,
    targets: Targets,
    engine_version: str | None = None,
    server_args: ServerArgs | None = None,
) -> LowestLoad | None:
    """The capacity search's first run alone, with the shipped factors (None: it does not fit, or no target).

    Its `missed` says in one run whether estimated_capacity finds the SLO unmet at every load; the run is
    cached, and estimated_capacity with the same arguments starts from it instead of running it again. Where the
    GPUs take more than one layout, one run each: a layout's that meets the targets where one does (the capacity is
    chosen among those), else the full-load layout's, whose `missed` holds for every layout; its reason's p95 is that
    layout's, where the capacity may be chosen at another (finding which takes the searches this run spares: the
    recommend search's long-prompt example ran 75 searches instead of 21, 23 s of CPU instead of 9).
    """
    config = ReplicaConfig(
        gpu, model, gpu_count, precision, engine, input_tokens, shares, output_tokens, engine_version, server_args
    )
    runs = _layout_runs(lambda layout: _cached_first(config, targets, layout), config, targets)
    firsts = [first for _, first in runs.values()]
    meeting = [first for first in firsts if first is not None and not first.missed]
    return meeting[0] if meeting else firsts[0]


def clear_cache() -> None:
    """Forget every cached capacity and simulation draw (a benchmark's cold start, a test that must simulate afresh)."""
    unit_draw.cache_clear()
    _cached_capacity.cache_clear()
    _cached_first.cache_clear()
    _read_between.cache_clear()


# The capacity search's first run of a replica at a layout (None: the one serving more at full load)
FirstOf = Callable[[str | None], tuple["Replica", LowestLoad | None]]


def _layout_runs(
    first_of: FirstOf, config: ReplicaConfig, targets: Targets
) -> dict[str, tuple[Replica, LowestLoad | None]]:
    """The replica and its first run at each layout the capacity is chosen among, by layout, the full-load layout
    first: that one alone without a target, where the GPUs take one layout (load_cycle.layouts) or where the engine
    arguments state it (-tp 8: ServerArgs.layout, which estimate() runs at full load), else every
    layout the GPUs take, since the one serving more at full load is not always the one serving more within the
    targets (4 RTX 4090s pipeline parallel take longer over one 8,000-token prompt than tensor parallel)."""
    replica, first = first_of(None)
    runs = {replica.full_load.parallelism: (replica, first)}
    stated = config.server_args is not None and config.server_args.layout(config.gpu_count) is not None
    if replica.steps is None or not targets.given or stated:  # a layout the engine arguments state is not searched
        return runs
    for layout in layouts(config.gpu, config.gpu_count):
        if layout not in runs:
            runs[layout] = first_of(layout)
    return runs


def _chosen(
    runs: dict[str, tuple[Replica, LowestLoad | None]],
    capacity_of: Callable[[Replica, LowestLoad | None], EstimatedCapacity],
) -> EstimatedCapacity:
    """The capacity at the layout serving the most: one meeting the targets before one missing them, then the higher
    rate; the full-load layout on a tie. A layout is searched only where it can win: it meets the targets at its
    lowest load or the best so far misses them, and its full-load throughput (its capacity's upper end) is above the
    best capacity so far where both meet them or both miss."""
    (replica, first), *others = runs.values()
    best = capacity_of(replica, first)
    for replica, first in others:
        if best.serving is None or first is None:
            continue
        meets = not first.missed
        if best.serving.meets_slo and not meets:
            continue
        if meets == best.serving.meets_slo and replica.full_load.requests_per_s <= best.serving.requests_per_s:
            continue
        cap = capacity_of(replica, first)
        if cap.serving is not None and _rank(cap.serving) > _rank(best.serving):
            best = cap
    return best


def _rank(serving: ServingCapacity) -> tuple[bool, float]:
    return serving.meets_slo, serving.requests_per_s


@functools.lru_cache(maxsize=256)
def _cached_capacity(config: ReplicaConfig, targets: Targets) -> EstimatedCapacity:
    """The search with the shipped factors, or its result from a sweep's worker process (serving/searched.py)."""
    from costcalc.throughput.factors import load_factors

    def run() -> EstimatedCapacity:
        runs = _layout_runs(lambda layout: _cached_first(config, targets, layout), config, targets)
        return _chosen(runs, lambda replica, first: _capacity(replica, first, config, targets, load_factors()))

    return searched(("capacity", config, targets), run)


@functools.lru_cache(maxsize=512)
def _cached_first(
    config: ReplicaConfig, targets: Targets, parallelism: str | None = None
) -> tuple[Replica, LowestLoad | None]:
    """The search's first run with the shipped factors, or its result from a sweep's worker process."""
    from costcalc.throughput.factors import load_factors

    def run() -> tuple[Replica, LowestLoad | None]:
        replica = _replica(config, load_factors(), parallelism)
        return replica, _first(replica, config, targets)

    return searched(("first", config, targets, parallelism), run)


def _between(asked: length_grid.Interpolation, config: ReplicaConfig, targets: Targets) -> EstimatedCapacity | None:
    """Capacity at a length between two of length_grid's nodes (_read_between), counted in the block's record."""
    read = _read_between(asked.along, config, targets)
    if read is not None:
        asked.reads += 1
    return read


@functools.lru_cache(maxsize=4096)
def _read_between(along: length_grid.Along, config: ReplicaConfig, targets: Targets) -> EstimatedCapacity | None:
    """Capacity at a length between two of length_grid's nodes, read from the capacity searches at those nodes: its
    share of the full-load throughput taken linearly in log length between theirs, times the full-load throughput at
    this length (the estimator's, exact); where the prompt and the output length vary together ("both"), at a pair of
    lengths between nodes of each, from the four searches at the pairs of nodes around it, the output's share taken
    first, then the prompt's (a pair with one length at a node: between the two searches along the other). None where
    the search runs instead: at a node (of both), a mix of prompt lengths, where the searches differ in kind (one meets
    the SLO and another misses it at every load, one is bound by it and another not, another layout or load class) or
    where this length does not fit. Cached: a simulation's samples of a length re-resolve the same whole-token lengths
    many times."""
    from costcalc.throughput.factors import load_factors

    if along != "output" and len(config.input_tokens) != 1:
        return None
    inputs = length_grid.nodes_around(config.input_tokens[0]) if along != "output" else None
    outputs = length_grid.nodes_around(config.output_tokens) if along != "input" else None
    axes = [(a, around) for a, around in (("input", inputs), ("output", outputs)) if around is not None]
    if not axes:
        return None

    def searched(pair: tuple[int, ...]) -> EstimatedCapacity:
        lengths = dict(zip((a for a, _ in axes), pair, strict=True))
        at_input = (float(lengths["input"]),) if "input" in lengths else config.input_tokens
        return _cached_capacity(config.with_lengths(at_input, lengths.get("output", config.output_tokens)), targets)

    found = [searched(pair) for pair in itertools.product(*(around for _, around in axes))]
    first = found[0]
    if any(c.serving is None or c.serving.at is None for c in found):
        return None
    kinds = {
        (c.serving.meets_slo, c.serving.bound_by_slo, c.full_load.parallelism, c.banded.band_scenario)
        for c in found
        if c.serving is not None
    }
    if len(kinds) != 1:
        return None
    f = load_factors()
    layout = first.full_load.parallelism
    replica = _replica(config, f, tables=False)
    if replica.full_load.parallelism != layout:
        replica = _replica(config, f, layout, tables=False)
    if replica.scheduler is None:
        return None
    servings = [c.serving for c in found if c.serving is not None]
    weights = [
        length_grid.position(config.input_tokens[0] if a == "input" else config.output_tokens, *around)
        for a, around in axes
    ]
    shares = [s.requests_per_s / c.full_load.requests_per_s for s, c in zip(servings, found, strict=True)]
    full = replica.full_load.requests_per_s
    rate = full * length_grid.folded(shares, weights, lambda low, high, w: low + w * (high - low))
    runs = [s.at for s in servings if s.at is not None]
    at = length_grid.folded(runs, weights, lambda low, high, w: length_grid.blend(low, high, w, rate))
    rates = tuple(s.requests_per_s for s in servings)
    if len(axes) == 1:
        (axis, around), (low_rate, high_rate) = axes[0], rates
        between: Between = Between(axis, around, (low_rate, high_rate))
    else:
        assert inputs is not None and outputs is not None
        between = length_grid.Corners("both", inputs, (min(rates), max(rates)), outputs, rates)
    meets = servings[0].meets_slo
    serving = ServingCapacity(
        rate, meets, at, targets, replica.scheduler, full, None if meets else between.missed(), between
    )
    return EstimatedCapacity(replica.full_load, serving, None, _at_capacity(replica, serving, config, f))


def _estimated_capacity(config: ReplicaConfig, targets: Targets, f: Factors) -> EstimatedCapacity:
    def first_of(layout: str | None) -> tuple[Replica, LowestLoad | None]:
        replica = _replica(config, f, layout)
        return replica, _first(replica, config, targets)

    runs = _layout_runs(first_of, config, targets)
    return _chosen(runs, lambda replica, first: _capacity(replica, first, config, targets, f))


def _replica(config: ReplicaConfig, f: Factors, parallelism: str | None = None, tables: bool = True) -> Replica:
    """The estimator's replica at the workload's mean lengths, with tables covering its longest request (tables False:
    without them)."""
    from costcalc.throughput.serving.replica import build_replica

    longest, shortest = max(config.input_tokens), min(config.input_tokens)
    return build_replica(
        config.gpu,
        config.model,
        gpu_count=config.gpu_count,
        precision=config.precision,
        engine=config.engine,
        input_tokens=config.mean_input_tokens,
        output_tokens=config.output_tokens,
        max_prompt_tokens=longest,
        max_context_tokens=longest + config.output_tokens,
        min_context_tokens=shortest + config.output_tokens,
        factors=f,
        engine_version=config.engine_version,
        server_args=config.server_args,
        parallelism=parallelism,
        tables=tables,
    )


def _first(replica: Replica, config: ReplicaConfig, targets: Targets) -> LowestLoad | None:
    """The capacity search's lowest-load run of a replica that fits, when there is a target to check."""
    if replica.scheduler is None or replica.steps is None or not targets.given:
        return None
    return lowest_load(
        replica.steps,
        replica.scheduler,
        input_tokens=config.input_tokens,
        shares=config.shares,
        output_tokens=config.output_tokens,
        targets=targets,
        full_load_requests_per_s=replica.full_load.requests_per_s,
    )


def _capacity(
    replica: Replica, first: LowestLoad | None, config: ReplicaConfig, targets: Targets, f: Factors
) -> EstimatedCapacity:
    """The search from the lowest-load run, and the estimator at the simulation's concurrency at capacity."""
    full = replica.full_load
    if replica.scheduler is None or replica.steps is None:
        return EstimatedCapacity(full, None, None)
    scheduler, steps = replica.scheduler, replica.steps
    serving = search_capacity(
        steps,
        scheduler,
        input_tokens=config.input_tokens,
        shares=config.shares,
        output_tokens=config.output_tokens,
        targets=targets,
        full_load_requests_per_s=full.requests_per_s,
        first=first,
    )
    return EstimatedCapacity(full, serving, steps, _at_capacity(replica, serving, config, f))


def _at_capacity(replica: Replica, serving: ServingCapacity, config: ReplicaConfig, f: Factors) -> Estimate | None:
    """The estimator at the simulation's mean concurrency at capacity, where capacity is below full load."""
    from costcalc.throughput.estimate import estimate

    full = replica.full_load
    if serving.at is None or not serving.requests_per_s < full.requests_per_s:
        return None
    return estimate(
        config.gpu,
        config.model,
        gpu_count=config.gpu_count,
        precision=config.precision,
        engine=config.engine,
        input_tokens=config.mean_input_tokens,
        output_tokens=config.output_tokens,
        concurrency=max(1, round(serving.at.mean_in_flight)),
        factors=f,
        engine_version=config.engine_version,
        server_args=config.server_args,
        parallelism=full.parallelism,  # the replica's own layout, chosen at full load or within the targets
    )
