"""A sweep's points resolved ahead in worker processes: the same rows, byte for byte, errors as in process, few points
kept in process."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from costcalc.analysis import ahead
from costcalc.analysis.ahead import checked_jobs, default_jobs, usable_cpus, workers_for
from costcalc.api import analyze, load_scenario, sweep
from costcalc.errors import InputError
from costcalc.render.sweep import render_csv, render_json
from costcalc.throughput.serving import estimated

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
TODAY = dt.date(2026, 12, 7)
LENGTHS = ["workload.input_tokens=600,900,1200,1500"]  # 4 points, each 2 capacity searches (its L40S and H100)


def _swept(vary: list[str] = LENGTHS, **kwargs: Any) -> pd.DataFrame:
    estimated.clear_cache()  # every search runs again (in the workers where there are some)
    return sweep(EXAMPLE, vary, today=TODAY, **kwargs)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert render_csv(a) == render_csv(b)
    assert render_json(a) == render_json(b)
    assert a.attrs == b.attrs


@pytest.fixture()
def searches_here(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The capacity searches run in this process (a worker's are counted in its own copy of the list)."""
    ran: list[object] = []
    search = estimated.search_capacity

    def counted(*args: Any, **kwargs: Any) -> Any:
        ran.append(kwargs["input_tokens"])
        return search(*args, **kwargs)

    monkeypatch.setattr(estimated, "search_capacity", counted)
    return ran


def test_workers_give_the_rows_of_one_process_byte_for_byte_and_run_its_searches(searches_here: list[object]) -> None:
    alone = _swept(jobs=1)
    assert len(searches_here) == 8  # 4 lengths x 2 options, in this process
    searches_here.clear()
    _same(_swept(jobs=2), alone)
    assert searches_here == []  # every search ran in a worker and was handed back


def test_each_row_a_worker_searched_costs_what_report_costs_at_its_point() -> None:
    frame = _swept(jobs=2)
    for _, row in frame.iterrows():
        estimated.clear_cache()  # report searches afresh, in this process
        result = analyze(EXAMPLE, overrides=[f"workload.input_tokens={row['workload.input_tokens']:g}"], today=TODAY)
        for option in result.options:  # the capacity each self-hosted option is sized with, the same to the bit
            assert row[f"monthly_cost[{option.name}]"] == option.monthly_cost


def test_a_sweep_of_a_length_and_a_count_keeps_its_warnings_and_order(searches_here: list[object]) -> None:
    vary = ["workload.input_tokens=800,2400", "options[5].hardware.gpus_per_replica=1,2"]  # the H100 option
    alone = _swept(vary, jobs=1)
    searches_here.clear()
    _same(_swept(vary, jobs=2), alone)
    assert searches_here == []  # the warnings' searches (a half replica) too


def test_a_point_a_worker_cannot_resolve_is_the_same_error_as_in_process() -> None:
    vary = ["workload.input_tokens=600,900,2000000,1200,1500"]  # 2,000,250 tokens: longer than gpt-oss-20b takes
    errors = []
    for jobs in (1, 2):
        with pytest.raises(InputError) as caught:
            _swept(vary, jobs=jobs)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "at workload.input_tokens=2000000" in errors[0]


def _dies_at_1200(settings: dict[str, Any]) -> Any:
    """A worker killed while it resolves the third point (as the kernel kills one out of memory)."""
    if settings.get("workload.input_tokens") == 1200:
        os._exit(9)
    return RESOLVE(settings)


RESOLVE = ahead._resolve


def test_a_worker_killed_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _swept(jobs=1)
    monkeypatch.setattr(ahead, "_resolve", _dies_at_1200)
    _same(_swept(jobs=2), alone)


def test_few_points_start_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(EXAMPLE)
    assert workers_for(scenario, 3, 8) == 0  # 1 worker of 2 points or more: in process
    assert workers_for(scenario, 4, 8) == 2 and workers_for(scenario, 9, 4) == 4
    assert workers_for(scenario, 400, 1) == 0
    measured = scenario.model_copy(update={"options": [o for o in scenario.options if o.kind != "self_hosted"]})
    assert workers_for(measured, 400, 8) == 0  # no estimated option: nothing to search ahead

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a worker started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)  # ahead imports it when it starts one
    _swept(["workload.input_tokens=600,900,1200"], jobs=8)
    _swept(jobs=1)
    _swept(["workload.requests_per_day=1000:100000:50"], jobs=8)  # one resolution: nothing re-resolved


def test_spawned_workers_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _swept(jobs=1)
    monkeypatch.setattr(ahead, "START_METHOD", "spawn")  # as on macOS and Windows: costcalc imported afresh
    _same(_swept(jobs=2), alone)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_a_count_of_processes_is_a_whole_number_of_1_or_more(jobs: object) -> None:
    with pytest.raises(InputError, match="is not a count of processes; give a whole number, 1 or more"):
        checked_jobs(jobs)


def test_by_default_the_usable_cpus_on_linux_at_most_8(monkeypatch: pytest.MonkeyPatch) -> None:
    forked = ahead.START_METHOD == "fork"
    assert checked_jobs(None) == default_jobs() == (min(usable_cpus(), 8) if forked else 1)
    assert checked_jobs(3) == 3 and checked_jobs(64) == 64  # a count given is kept
    monkeypatch.setattr(ahead, "usable_cpus", lambda: 64)  # a large machine: the sweep's own process would bind
    assert default_jobs() == (8 if forked else 1)
