"""Tests of a level: the wait for its workers (await_workers), and a worker's pause after a refused connection."""

from __future__ import annotations

import threading
import time

from costcalc.throughput.loadgen.level import PROGRESS_INTERVAL_S, LevelRun, await_workers, run_level
from costcalc.throughput.loadgen.record import CONNECTION_REFUSED
from costcalc.throughput.loadgen.target import Target
from tests.support import sse_servers as stubs


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


def test_a_worker_whose_connection_is_refused_pauses_before_the_next_request() -> None:
    """qa18: against a port nothing listens on, a level bounded by a duration sent request after request without a
    pause (197,925 in a 60 s level of `costcalc measure --duration 60`); each worker now waits 50 ms, doubling to 1 s,
    after a refused connection: at most 6 requests a worker in a second (0 + 0.05 + 0.1 + 0.2 + 0.4 + 0.8 s)."""
    target = Target(f"http://127.0.0.1:{stubs.free_port()}", "m", 8, 4)
    run = run_level(target, 2, duration_s=1.0)
    assert run.records and all(r.error == CONNECTION_REFUSED for r in run.records)
    assert len(run.records) <= 2 * 6


def test_a_server_that_starts_listening_during_the_level_is_measured() -> None:
    """The pause after a refused connection is at most LONGEST_REFUSED_PAUSE_S: a server that starts listening half a
    second into a 2.5 s level (one still loading its model) serves the rest of the level."""
    port = stubs.free_port()
    target = Target(f"http://127.0.0.1:{port}", "m", 8, 4)
    runs: list[LevelRun] = []
    level = threading.Thread(target=lambda: runs.append(run_level(target, 1, duration_s=2.5)), daemon=True)
    level.start()
    time.sleep(0.5)
    with stubs.stub_server(port=port):
        level.join(timeout=30)
    records = runs[0].records
    assert records[0].error == CONNECTION_REFUSED  # it began before the server listened
    assert sum(r.ok for r in records) >= 1
