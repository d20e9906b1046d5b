"""Tests of the level's wait for its workers (costcalc.throughput.loadgen.level.await_workers)."""

from __future__ import annotations

import threading
import time

from costcalc.throughput.loadgen.level import PROGRESS_INTERVAL_S, await_workers


def _worker(release: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    return thread


def test_the_wait_ends_when_the_workers_end_and_reports_while_it_waits() -> None:
    release, stop = threading.Event(), threading.Event()
    reports: list[float] = []
    threads = [_worker(release)]
    threading.Timer(3 * PROGRESS_INTERVAL_S, release.set).start()
    ended_s = await_workers(threads, stop, None, lambda: reports.append(time.perf_counter()))
    assert not threads[0].is_alive()
    assert len(reports) >= 2
    assert ended_s >= reports[-1]


def test_a_worker_stuck_past_the_hard_deadline_is_abandoned() -> None:
    release, stop = threading.Event(), threading.Event()
    threads = [_worker(release)]
    started_s = time.perf_counter()
    ended_s = await_workers(threads, stop, started_s + 0.2, lambda: None)
    assert threads[0].is_alive()  # abandoned, not joined
    assert 0.2 <= ended_s - started_s < 0.2 + 5 * PROGRESS_INTERVAL_S
    release.set()


def test_stop_ends_the_wait_at_once() -> None:
    release, stop = threading.Event(), threading.Event()
    threads = [_worker(release)]
    stop.set()
    started_s = time.perf_counter()
    await_workers(threads, stop, None, lambda: None)
    assert time.perf_counter() - started_s < PROGRESS_INTERVAL_S
    release.set()
