"""A sweep's re-resolved points resolved ahead in worker processes, which hand their capacity searches back."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from costcalc.errors import CostcalcError, InputError
from costcalc.models import Scenario, SelfHostedOption
from costcalc.throughput.serving.searched import reading, recording

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from costcalc.analysis.sweep_warnings import PointWarnings
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource

# Points a worker at least, else none. A re-resolved point of an estimated option costs ~70-90 ms of CPU, nearly all
# of it capacity searches; with workers this process still resolves it and reads its searches back (~9 ms, against
# ~5 ms resolving it with the searches cached), and starting 2 workers by fork takes 16-30 ms (session 24, load 3-4):
# one point a worker would spend most of what it saves on the start; two repay it
MIN_POINTS_A_WORKER = 2
# Workers by default at most: past ~8 the sweep's own process is the bottleneck (it still resolves and costs every
# point, ~9-10 ms against a point's ~75-90 ms of searches), and each worker holds ~30 MB of its own (PSS, session 24)
MOST_DEFAULT_JOBS = 8
TASKS_A_WORKER = 2  # points handed out ahead of the one the sweep costs next, a worker: its queue never runs dry
# workers start by fork where the platform's processes do (Linux): they begin with this process's modules and
# tables loaded; elsewhere (macOS, Windows) by spawn, which imports costcalc afresh in each
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"

Found = dict[Hashable, Any]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the platform says, else every CPU)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def default_jobs() -> int:
    """Worker processes when the caller names none: the usable CPUs where workers start by fork, at most
    MOST_DEFAULT_JOBS; else 1 (in process: spawned workers import costcalc afresh, about a second each, which only a
    long sweep repays)."""
    return min(usable_cpus(), MOST_DEFAULT_JOBS) if START_METHOD == "fork" else 1


def checked_jobs(jobs: object) -> int:
    """`jobs` as a count of processes (None: default_jobs), or the one-line error naming the fix."""
    if jobs is None:
        return default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InputError(
            f"{jobs!r} is not a count of processes; give a whole number, 1 or more (1: in this process)", param="jobs"
        )
    return jobs


def searches(scenario: Scenario) -> bool:
    """Whether resolving the scenario runs capacity searches: an option's throughput is estimated."""
    return any(
        isinstance(o, SelfHostedOption) and (o.throughput is None or o.throughput.estimate) for o in scenario.options
    )


def workers_for(scenario: Scenario, points: int, jobs: int) -> int:
    """Worker processes for `points` re-resolved points of `scenario`: at most `jobs`, each with MIN_POINTS_A_WORKER
    points or more; 0 (none, in process) where that leaves fewer than 2, or where no search runs (searches)."""
    workers = min(jobs, points // MIN_POINTS_A_WORKER)
    return workers if workers >= 2 and searches(scenario) else 0


@contextmanager
def resolved_ahead(
    source: ScenarioSource,
    book: PriceSource,
    settings: Sequence[Mapping[str, Any]],
    workers: int,
    warnings: PointWarnings | None,
) -> Iterator[Callable[[int], None]]:
    """`workers` processes resolving the points of `settings` in order (and their warnings' searches, where
    `warnings` is collected), the block's capacity searches taken from them (serving/searched.py); it yields
    wait(k), which returns once the k-th point's searches are here. A point a worker could not resolve, and every
    point after it, is resolved in process, so the error the caller meets is its own (the same line and exit as
    without workers). The figures are the same: the same searches, run elsewhere. No workers (0): wait does nothing.
    """
    if workers == 0:
        yield lambda k: None
        return
    from concurrent.futures import ProcessPoolExecutor  # here, not at start-up: most commands start no worker

    found: Found = {}
    context = _context()
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(source, book, warnings is not None)
    )
    ahead = _Ahead(pool, settings, found, workers * TASKS_A_WORKER)
    done = False
    try:
        with reading(found):
            yield ahead.wait
        done = True
    finally:
        # interrupted or failed: queued points are dropped, and the running ones end with their search
        pool.shutdown(wait=done, cancel_futures=True)


def _context() -> Any:
    import multiprocessing

    return multiprocessing.get_context(START_METHOD)


class _Ahead:
    """The points handed to the workers, a window ahead of the one the caller waits for."""

    def __init__(self, pool: ProcessPoolExecutor, settings: Sequence[Mapping[str, Any]], found: Found, window: int):
        self.pool, self.settings, self.found, self.window = pool, settings, found, window
        self.pending: dict[int, Future[Found | None]] = {}
        self.keys: dict[int, list[Hashable]] = {}  # the searches each point's worker handed back
        self.handed = 0  # points handed out so far
        self.stopped = False  # a worker could not resolve a point: the rest resolve in process

    def wait(self, k: int) -> None:
        """Return once the k-th point's searches are in `found` (or it resolves in process); those of the point before
        it that its resolution did not take (a first run, where the search was taken whole) leave `found`."""
        from concurrent.futures.process import BrokenProcessPool

        for key in self.keys.pop(k - 1, ()):
            self.found.pop(key, None)
        if self.stopped:
            return
        while self.handed < min(k + 1 + self.window, len(self.settings)):
            self.pending[self.handed] = self.pool.submit(_resolve, dict(self.settings[self.handed]))
            self.handed += 1
        future = self.pending.pop(k, None)
        try:
            entries = None if future is None else future.result()
        except BrokenProcessPool:  # a worker was killed (out of memory): this process does the rest
            entries = None
        if entries is None:
            self.stopped = True
            self.pending.clear()
            self.pool.shutdown(wait=False, cancel_futures=True)
            return
        self.found.update(entries)
        self.keys[k] = list(entries)


# a worker's scenario, prices and whether the sweep collects warnings (set once, when it starts)
_job: tuple[ScenarioSource, PriceSource, bool] | None = None


def _start(source: ScenarioSource, book: PriceSource, warned: bool) -> None:
    """A worker's start: its inputs, and Ctrl-C left to the sweep's process (which stops the workers), Python warnings
    to it too (the caller's own resolution says them)."""
    import signal
    import warnings

    global _job
    _job = source, book, warned
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore")


def _resolve(settings: dict[str, Any]) -> Found | None:
    """The searches one point's resolution runs (and its warnings', where the sweep collects them), by key; None
    where it cannot be resolved (the caller resolves it, and says why)."""
    import numpy as np

    from costcalc.analysis.sweep_warnings import PointWarnings
    from costcalc.resolve.scenario import resolve_scenario

    assert _job is not None
    source, book, warned = _job
    with recording() as found:
        try:
            scenario = source.build(settings)
            resolved = resolve_scenario(scenario, book.for_scenario(scenario))  # as analysis/points.resolve
            if warned:
                PointWarnings(0, today=book.today).group(resolved, np.arange(0))
        except CostcalcError:
            return None
    return found
