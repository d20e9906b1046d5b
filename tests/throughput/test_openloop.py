"""Open-loop `measure --rate`: Poisson arrivals sent whatever the server's pace, timed from their schedule."""

from __future__ import annotations

import itertools
import statistics

import pytest

from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig, measure
from costcalc.throughput.openloop import arrival_offsets_s, run_rate_level
from tests.support import sse_servers as stubs
from tests.support.measure_schema import assert_measure_schema


def target(url: str, output_tokens: int = 4) -> Target:
    return Target(url, "stub-model", 10, output_tokens)


def test_arrivals_are_a_seeded_poisson_process():
    gaps = lambda seed: [  # noqa: E731
        b - a for a, b in itertools.pairwise(itertools.islice(arrival_offsets_s(4.0, seed), 20001))
    ]
    first = gaps(7)
    assert first == gaps(7) and first != gaps(8)
    assert statistics.mean(first) == pytest.approx(0.25, rel=0.03)  # 1 / rate
    assert statistics.stdev(first) == pytest.approx(0.25, rel=0.05)  # exponential: sd = mean


def test_a_rate_level_sends_its_requests_without_waiting_for_answers():
    # each request takes 4 x 50 ms; 8 arrivals at 40/s come ~25 ms apart, so they overlap:
    # the level ends after about 0.2 s + 8 / 40 s, where one at a time would take 1.6 s
    with stubs.stub_server(stubs.StubConfig(token_delay_s=0.05)) as (url, stub):
        run = run_rate_level(target(url), 40.0, requests=8, seed=1)
    assert len(run.records) == 8 and all(r.ok for r in run.records) and len(stub.received) == 8
    assert run.concurrency is None and run.request_rate_per_s == 40.0
    assert run.duration_s < 1.0


def test_requests_are_timed_from_their_scheduled_arrival():
    # one request at a time (max_in_flight 1), each 4 x 50 ms: later arrivals wait for a slot,
    # and that wait is part of their time to first token
    with stubs.stub_server(stubs.StubConfig(token_delay_s=0.05)) as (url, _):
        run = run_rate_level(target(url), 50.0, requests=5, seed=3, max_in_flight=1)
    ttfts = sorted(r.first_token_s - r.start_s for r in run.records if r.first_token_s is not None)
    assert ttfts[-1] > 0.4  # the last of 5 waited for about 4 x 0.2 s less its arrival offset


def test_measure_with_rates_writes_rate_levels():
    with stubs.stub_server(stubs.StubConfig()) as (url, _):
        config = MeasureConfig(target(url), request_rates=(20.0, 50.0), requests_per_level=6, seed=5)
        doc = measure(config).to_dict()
    assert_measure_schema(doc)
    assert [(lv["concurrency"], lv["request_rate_per_s"]) for lv in doc["levels"]] == [(None, 20.0), (None, 50.0)]
    assert all(lv["requests_completed"] == 6 for lv in doc["levels"])
    assert (doc["arrivals"], doc["seed"]) == ("poisson", 5)


def test_a_rate_must_be_positive():
    from costcalc.errors import InputError

    with pytest.raises(InputError, match="^request_rates=: "):  # the field; the command line says --rate
        MeasureConfig(target("http://127.0.0.1:1"), request_rates=(0.0,))
