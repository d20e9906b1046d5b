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


def test_a_level_bounded_by_requests_starts_no_more_workers_than_requests(monkeypatch) -> None:
    """`--concurrency 100000000 --requests 1` started 10^8 threads (10 GB) before its one request."""
    from costcalc.throughput.loadgen.level import run_level
    from costcalc.throughput.loadgen.target import Target
    from tests.support import sse_servers as stubs

    started: list[str] = []
    start = threading.Thread.start

    def counting_start(self: threading.Thread) -> None:
        if self.name.startswith("costcalc-measure-"):
            started.append(self.name)
        start(self)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    with stubs.stub_server() as (url, stub):
        run = run_level(Target(url, "m", 8, 2), 500, requests=3)
        assert len(run.records) == len(stub.received) == 3
    assert len(started) == 3
    started.clear()
    with stubs.stub_server() as (url, _):
        run_level(Target(url, "m", 8, 2), 4, duration_s=0.05)  # a duration needs every worker
    assert len(started) == 4
