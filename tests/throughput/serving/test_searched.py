"""Searches handed from a worker process to the sweep's: recorded where run, taken once where handed in."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.throughput.serving.searched import reading, recording, searched


def _counted(ran: list[str], value: str) -> Callable[[], str]:
    def run() -> str:
        ran.append(value)
        return value

    return run


def test_outside_both_blocks_a_search_runs_and_is_kept_nowhere() -> None:
    ran: list[str] = []
    assert searched("k", _counted(ran, "v")) == "v" and searched("k", _counted(ran, "v")) == "v"
    assert ran == ["v", "v"]


def test_recording_keeps_each_search_run_by_its_key() -> None:
    ran: list[str] = []
    with recording() as found:
        searched(("capacity", 1), _counted(ran, "a"))
        searched(("first", 1, None), _counted(ran, "b"))
    assert found == {("capacity", 1): "a", ("first", 1, None): "b"} and ran == ["a", "b"]
    searched(("capacity", 1), _counted(ran, "c"))  # the block is over: nothing more is kept
    assert len(found) == 2


def test_reading_takes_a_handed_search_once_and_runs_the_others() -> None:
    ran: list[str] = []
    handed = {"k": "from a worker"}
    with reading(handed):
        assert searched("k", _counted(ran, "here")) == "from a worker"
        assert handed == {}  # taken: the caller's own cache holds it from here on
        assert searched("k", _counted(ran, "here")) == "here"
        assert searched("other", _counted(ran, "there")) == "there"
    assert ran == ["here", "there"] and handed == {}  # what ran here is not handed back


def test_a_block_inside_another_gives_the_outer_one_back() -> None:
    ran: list[str] = []
    with reading({"k": "handed"}):
        with recording() as found:
            searched("k", _counted(ran, "run"))
        assert found == {"k": "run"}
        assert searched("k", _counted(ran, "run")) == "handed"
