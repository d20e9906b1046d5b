"""Capacity searches run in another process (a sweep's worker processes), taken here instead of run again."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# the searches handed in (reading) or run here (recording), by key; None: neither, every search runs as it comes
_found: dict[Hashable, Any] | None = None
_recording = False


@contextmanager
def recording() -> Iterator[dict[Hashable, Any]]:
    """Every search run inside the block, by its key, in the dict it yields (what a worker process hands back)."""
    global _found, _recording
    before = _found, _recording
    _found, _recording = {}, True
    try:
        yield _found
    finally:
        _found, _recording = before


@contextmanager
def reading(found: dict[Hashable, Any]) -> Iterator[None]:
    """Inside the block, a search whose key is in `found` (which the caller fills as worker processes hand searches
    back) is taken from it instead of run; it leaves `found` when taken, since the caller's caches keep it from then."""
    global _found, _recording
    before = _found, _recording
    _found, _recording = found, False
    try:
        yield
    finally:
        _found, _recording = before


def searched(key: Hashable, run: Callable[[], T]) -> T:
    """`run()`'s result: handed in under `key` where it was (reading), else run (and kept under `key` if recording)."""
    if _found is None:
        return run()
    if not _recording and key in _found:
        value: T = _found.pop(key)
        return value
    value = run()
    if _recording:
        _found[key] = value
    return value
