"""A closed-loop level: N threads stream requests until a count is done or a duration has passed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from costcalc.throughput.loadgen.prompts import build_prompt
from costcalc.throughput.loadgen.record import CONNECTION_REFUSED, RequestRecord
from costcalc.throughput.loadgen.stream import StreamClient
from costcalc.throughput.loadgen.target import Target

MIN_DRAIN_S = 2.0  # with --duration, requests in flight at the end get max(this, the duration) to finish


PROGRESS_INTERVAL_S = 0.1
# A server not listening (yet: one still loading its model) refuses a connection at once, so a worker of a level bounded
# by a duration sent request after request without pause: 197,925 of them in a 60 s level on one core. After a refused
# connection such a worker waits, doubling from the first pause to the longest (reset by any other outcome), so a server
# that starts listening is reached within the longest pause. A level bounded by a count sends that count either way.
FIRST_REFUSED_PAUSE_S = 0.05
LONGEST_REFUSED_PAUSE_S = 1.0


@dataclass
class LevelRun:
    """Raw outcome of one level (a concurrency, or a request rate): every finished request and the wall time."""

    concurrency: int | None  # None for a request-rate level (costcalc.throughput.openloop)
    records: list[RequestRecord]
    duration_s: float
    abandoned: int = 0  # requests in flight when the run was stopped (Ctrl-C)
    stopped: bool = False
    request_rate_per_s: float | None = None  # Poisson arrival rate of a request-rate level


@dataclass(frozen=True)
class LevelProgress:
    """A snapshot for progress bars, taken by the thread that runs the level."""

    concurrency: int | None  # None for a request-rate level
    completed: int
    failed: int
    elapsed_s: float
    target_requests: int | None
    target_duration_s: float | None
    request_rate_per_s: float | None = None


def await_workers(
    threads: list[threading.Thread], stop: threading.Event, hard_deadline_s: float | None, report: Callable[[], None]
) -> float:
    """Wait for a level's workers, reporting progress, until they end, `stop` is set or the hard deadline passes.

    Returns the perf_counter time the wait ended. A request stuck in a silent read past the hard deadline
    is abandoned: its daemon thread ends with the process.
    """
    while any(t.is_alive() for t in threads) and not stop.is_set():
        if hard_deadline_s is not None and time.perf_counter() > hard_deadline_s + PROGRESS_INTERVAL_S:
            break
        stop.wait(PROGRESS_INTERVAL_S)
        report()
    return time.perf_counter()


def run_level(
    target: Target,
    concurrency: int,
    *,
    requests: int | None = None,
    duration_s: float | None = None,
    stop: threading.Event | None = None,
    on_progress: Callable[[LevelProgress], None] | None = None,
    first_variant: int = 0,
) -> LevelRun:
    """Run `concurrency` closed-loop workers until `requests` are done or `duration_s` has passed.

    A level bounded by `requests` starts min(concurrency, requests) workers: the others would find no request to
    send (`--concurrency 100000000 --requests 1` started 10^8 threads and took 10 GB before its one request).

    Requests in flight at the deadline may finish and count within max(MIN_DRAIN_S, duration_s)
    more; the level then ends whatever the server does (a stream that never ends is cut there).
    When `stop` is set the level returns at once with what has finished; requests still in flight
    are abandoned (their daemon threads end with the process) and counted in `abandoned`.
    """
    if (requests is None) == (duration_s is None):
        raise ValueError("give exactly one of requests and duration_s")
    stop = stop or threading.Event()
    lock = threading.Lock()
    records: list[RequestRecord] = []
    issued = 0
    failed = 0
    started_s = time.perf_counter()
    deadline_s = started_s + duration_s if duration_s is not None else None
    hard_deadline_s = deadline_s + max(MIN_DRAIN_S, duration_s) if deadline_s is not None and duration_s else None

    def claim() -> int | None:
        nonlocal issued
        with lock:
            if stop.is_set():
                return None
            if requests is not None and issued >= requests:
                return None
            if deadline_s is not None and time.perf_counter() >= deadline_s:
                return None
            issued += 1
            return first_variant + issued

    def worker() -> None:
        nonlocal failed
        client = StreamClient(target)
        pause_s = 0.0
        try:
            while (variant := claim()) is not None:
                record = client.request(build_prompt(target.input_tokens, variant), deadline_s=hard_deadline_s)
                with lock:
                    records.append(record)
                    failed += 0 if record.ok else 1
                if deadline_s is None or record.error != CONNECTION_REFUSED:
                    pause_s = 0.0
                    continue
                pause_s = min(LONGEST_REFUSED_PAUSE_S, max(FIRST_REFUSED_PAUSE_S, 2 * pause_s))
                stop.wait(min(pause_s, max(0.0, deadline_s - time.perf_counter())))
        finally:
            client.close()

    workers = concurrency if requests is None else min(concurrency, requests)
    threads = [threading.Thread(target=worker, name=f"costcalc-measure-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()

    def report() -> None:
        if on_progress is None:
            return
        with lock:
            done, done_failed = len(records), failed
        on_progress(
            LevelProgress(
                concurrency, done - done_failed, done_failed, time.perf_counter() - started_s, requests, duration_s
            )
        )

    ended_s = await_workers(threads, stop, hard_deadline_s, report)
    with lock:
        finished = list(records)
        abandoned = issued - len(finished)
    report()
    return LevelRun(concurrency, finished, ended_s - started_s, abandoned, stop.is_set())
