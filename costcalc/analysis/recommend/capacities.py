"""Capacity of each searched configuration: an upper bound from the estimator, and the capacity under the SLO.

The bound is the estimator's full-load throughput at the workload's mean lengths (milliseconds a
configuration); the serving simulation never sizes a replica above it. The capacity under the SLO comes from
resolve_throughput, the function `report` sizes an estimated option with, so a configuration costed here
and the same option in a scenario get the same capacity; it is kept in the CapacityStore between runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from costcalc.analysis.recommend.space import Config
from costcalc.analysis.recommend.store import CapacityStore
from costcalc.errors import InputError
from costcalc.models import Hardware, SelfHostedOption, Workload
from costcalc.resolve.throughput import ThroughputBasis, chosen_layout_miss, misses_at_every_load, resolve_throughput
from costcalc.throughput.estimate import Estimate, estimate


@dataclass(frozen=True)
class Bound:
    """A configuration's full-load estimate: whether it fits, and the most requests/s a replica can serve."""

    fits: bool
    requests_per_s: float
    reason: str | None


# the store's miss entries of a configuration's chosen layout are keyed under this word (Capacities.miss_example)
CHOSEN_MISS = "chosen layout"


@dataclass(frozen=True)
class Missed:
    """A configuration whose replica misses the SLO at every load, found from the capacity search's first run."""

    reason: str


def workload_shape(workload: Workload) -> dict[str, object]:
    """What a capacity depends on besides the configuration (the CapacityStore's key)."""
    slo = workload.slo
    return {
        "buckets": [list(b) for b in workload.buckets],
        "output_tokens": workload.billed_output_tokens,
        "ttft_p95_ms": slo.ttft_p95_ms,
        "min_output_tokens_per_s_per_user": slo.min_output_tokens_per_s_per_user,
    }


def full_load(config: Config, workload: Workload) -> Bound:
    """The estimator at the workload's mean lengths with as many requests as fit: the bound on capacity."""
    est: Estimate = estimate(
        config.gpu,
        config.model,
        gpu_count=config.gpus,
        precision=config.precision,
        engine=config.engine,
        input_tokens=round(sum(tokens * share for tokens, share in workload.buckets)),  # as the simulation's
        output_tokens=max(1, round(workload.billed_output_tokens)),
    )
    return Bound(est.fits, est.requests_per_s, est.reason)


def probe_option(config: Config) -> SelfHostedOption:
    """The self-hosted option of a configuration, as resolve_throughput reads it (hardware is not priced here)."""
    return SelfHostedOption(
        name=f"{config.model.id} on {config.gpus}x {config.gpu.id}",
        kind="self_hosted",
        model=config.model.id,
        precision=config.precision,
        engine=config.engine,
        hardware=Hardware(gpu=config.gpu.id, gpus_per_replica=config.gpus, acquisition="rent", hourly_usd=1.0),
    )


def missed(config: Config, workload: Workload) -> Missed | None:
    """Missed when the capacity search's first run shows the SLO unmet at every load: one run, not the search."""
    reason = misses_at_every_load(probe_option(config), config.gpu, config.model, config.gpus, workload)
    return None if reason is None else Missed(reason)


def capacity(config: Config, workload: Workload) -> ThroughputBasis:
    """Capacity of one replica under the workload's SLO, exactly as `report` resolves an estimated option."""
    return resolve_throughput(probe_option(config), config.gpu, config.model, config.gpus, workload)


class Capacities:
    """Capacities under the SLO, read from the store or simulated once each; counts what it simulated."""

    def __init__(self, workload: Workload, store: CapacityStore, progress: Callable[[int], None] | None = None):
        self.workload = workload
        self.store = store
        self.progress = progress
        self.simulated = 0
        self.from_store = 0
        self._memo: dict[tuple[object, ...], ThroughputBasis | Missed | InputError] = {}

    def bound(self, config: Config) -> Bound:
        """The configuration's full-load bound, from the store or the estimator."""
        stored = self.store.get_bound(config.key)
        if stored is not None:
            return Bound(*stored)
        found = full_load(config, self.workload)
        self.store.put_bound(config.key, found.fits, found.requests_per_s, found.reason)
        return found

    def miss_example(self, config: Config, found: Missed) -> str:
        """A missed configuration's reason as its report gives it: on GPUs that take more than one layout, the layout
        its capacity is chosen at (the searches the miss check spared, run for the one configuration shown and kept
        in the store beside the miss), else the miss check's own."""
        from costcalc.throughput.load_cycle import layouts

        if len(layouts(config.gpu, config.gpus)) < 2:
            return found.reason
        key = (CHOSEN_MISS, *config.key)
        stored = self.store.get_miss(key)
        if stored is not None:
            return stored
        chosen = chosen_layout_miss(probe_option(config), config.gpu, config.model, config.gpus, self.workload)
        said = found.reason if chosen is None else chosen
        self.store.put_miss(key, said)
        return said

    def get(self, config: Config) -> ThroughputBasis | Missed | InputError:
        """The basis of a configuration; Missed when it misses the SLO at every load (told by the search's first
        run, the rest of the search is skipped); or the InputError resolve_throughput raised for it."""
        key = config.key
        if key in self._memo:
            return self._memo[key]
        stored = self.store.get(key)
        miss = self.store.get_miss(key)
        found: ThroughputBasis | Missed | InputError
        if stored is not None or miss is not None:
            found = stored if stored is not None else Missed(str(miss))
            self.from_store += 1
        else:
            try:
                early = missed(config, self.workload)
                if early is not None:
                    found = early
                    self.store.put_miss(key, early.reason)
                else:
                    found = capacity(config, self.workload)
                    self.store.put(key, found)
            except InputError as exc:
                found = exc
            self.simulated += 1
            if self.progress is not None:
                self.progress(self.simulated)
        self._memo[key] = found
        return found
