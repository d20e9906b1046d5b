"""Open-loop load: requests sent at Poisson arrival times (a request rate), whatever the server's pace."""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Iterator

from costcalc.throughput.loadgen.level import MIN_DRAIN_S, PROGRESS_INTERVAL_S, LevelProgress, LevelRun, await_workers
from costcalc.throughput.loadgen.prompts import build_prompt
from costcalc.throughput.loadgen.record import RequestRecord
from costcalc.throughput.loadgen.stream import StreamClient
from costcalc.throughput.loadgen.target import Target

DEFAULT_MAX_IN_FLIGHT = 512  # requests open at once; past it a request waits for one to finish


def arrival_offsets_s(rate_per_s: float, seed: int) -> Iterator[float]:
    """Seconds from the level's start of each arrival: a Poisson process (exponential gaps), seeded."""
    rng = random.Random(seed)
    t = 0.0
    while True:
        t += rng.expovariate(rate_per_s)
        yield t


def run_rate_level(
    target: Target,
    rate_per_s: float,
    *,
    requests: int | None = None,
    duration_s: float | None = None,
    seed: int = 0,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    stop: threading.Event | None = None,
    on_progress: Callable[[LevelProgress], None] | None = None,
    first_variant: int = 0,
) -> LevelRun:
    """Send requests at Poisson arrival times of `rate_per_s` until `requests` were sent or `duration_s` passed.

    The gaps between arrivals are exponential draws from a generator seeded with `seed`. Each
    request is timed from its scheduled arrival, not from when a thread got to send it, so a late
    client counts against the server's latency, never for it. Requests in flight at the end finish
    and count (with `duration_s`, within max(MIN_DRAIN_S, duration_s) more, as run_level allows);
    when `stop` is set the level returns at once and those are abandoned.
    """
    if (requests is None) == (duration_s is None):
        raise ValueError("give exactly one of requests and duration_s")
    if not rate_per_s > 0:
        raise ValueError("the request rate must be positive")
    stop = stop or threading.Event()
    arrivals = arrival_offsets_s(rate_per_s, seed)
    lock = threading.Lock()
    records: list[RequestRecord] = []
    failed = 0
    slots = threading.Semaphore(max_in_flight)
    idle: queue.SimpleQueue[StreamClient] = queue.SimpleQueue()
    clients: list[StreamClient] = []
    threads: list[threading.Thread] = []
    started_s = time.perf_counter()
    deadline_s = started_s + duration_s if duration_s is not None else None
    hard_deadline_s = deadline_s + max(MIN_DRAIN_S, duration_s) if deadline_s is not None and duration_s else None

    def send(variant: int, scheduled_s: float) -> None:
        nonlocal failed
        try:
            client = idle.get_nowait()
        except queue.Empty:
            client = StreamClient(target)
            with lock:
                clients.append(client)
        try:
            record = client.request(build_prompt(target.input_tokens, variant), deadline_s=hard_deadline_s)
            record.start_s = min(record.start_s, scheduled_s)
            with lock:
                records.append(record)
                failed += 0 if record.ok else 1
        finally:
            idle.put(client)
            slots.release()

    def report() -> None:
        if on_progress is None:
            return
        with lock:
            done, done_failed = len(records), failed
        elapsed = time.perf_counter() - started_s
        on_progress(LevelProgress(None, done - done_failed, done_failed, elapsed, requests, duration_s, rate_per_s))

    issued = 0
    last_report = started_s
    while not stop.is_set():
        next_s = started_s + next(arrivals)
        if requests is not None and issued >= requests:
            break
        if deadline_s is not None and next_s >= deadline_s:
            break
        while not stop.is_set():
            now = time.perf_counter()
            if now >= next_s:
                break
            stop.wait(min(next_s - now, PROGRESS_INTERVAL_S))
            if time.perf_counter() - last_report >= PROGRESS_INTERVAL_S:
                report()
                last_report = time.perf_counter()
        if stop.is_set():
            break
        while not slots.acquire(timeout=PROGRESS_INTERVAL_S):
            if stop.is_set():
                break
        if stop.is_set():
            break
        issued += 1
        thread = threading.Thread(
            target=send, args=(first_variant + issued, next_s), name=f"costcalc-rate-{issued}", daemon=True
        )
        threads.append(thread)
        thread.start()
    ended_s = await_workers(threads, stop, hard_deadline_s, report)
    with lock:
        finished = list(records)
        for client in clients:
            client.close()
    report()
    return LevelRun(
        None, finished, ended_s - started_s, issued - len(finished), stop.is_set(), request_rate_per_s=rate_per_s
    )
