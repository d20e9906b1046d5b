"""The request lengths a what-if asked to interpolate runs capacity searches at, and the switch that asks for them.

A sweep or a simulation that re-resolves one request length at many values runs a capacity search (7 to 14
simulations) at every value. Asked to interpolate (`--interpolate-lengths`: analysis/points.py enters
`interpolating(...)`), capacity at a length between two nodes is read from the searches at those two nodes instead
(serving/estimated.py); where the prompt and the output length vary together, at a pair of lengths between nodes of
both, from the searches at the four pairs of nodes around it. The nodes are fixed, round(2^(k / NODES_PER_DOUBLING))
tokens, so a length's capacity does not depend on which other lengths a what-if asks for, and a node's is the
search's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Literal, TypeVar

from costcalc.throughput.serving.batching import Percentiles, SimResult
from costcalc.throughput.serving.capacity import Between

# the length that varies: the prompt (one length, no buckets), the output, or both together
Along = Literal["input", "output", "both"]
T = TypeVar("T")
NODES_PER_DOUBLING = 8  # nodes 2^(1/8) - 1 = 9.05% apart


@dataclass
class Interpolation:
    """A block's request: the length to interpolate along, and how many capacities were read between nodes."""

    along: Along
    reads: int = 0


_CURRENT: ContextVar[Interpolation | None] = ContextVar("costcalc_capacity_interpolation", default=None)


@contextmanager
def interpolating(along: Along | None) -> Iterator[Interpolation | None]:
    """Within the block, capacity at a length between two nodes of `along` is interpolated (None: searched as ever);
    the block gets the record that counts how many were."""
    record = None if along is None else Interpolation(along)
    token = _CURRENT.set(record)
    try:
        yield record
    finally:
        _CURRENT.reset(token)


def current() -> Interpolation | None:
    """The current block's interpolation, if any."""
    return _CURRENT.get()


def node(k: int) -> int:
    """The k-th node, in tokens."""
    return round(2 ** (k / NODES_PER_DOUBLING))


def nodes_around(length: float) -> tuple[int, int] | None:
    """The nodes either side of `length` (low < length < high); None at a node itself or below the first node."""
    if not length > 1:
        return None
    k = _below(length)
    return None if node(k) == length else (node(k), node(k + 1))


def nodes_spanned(low: float, high: float) -> int:
    """How many nodes the searches of lengths from `low` to `high` may run at: those within, and one either side."""
    if not high > 1:
        return 0
    return _below(high) + 1 - _below(max(low, 1.0)) + 1


def _below(length: float) -> int:
    """The index of the highest node at or below `length` (> 1)."""
    k = math.floor(NODES_PER_DOUBLING * math.log2(length))
    while node(k) > length:  # rounding can put the k-th node just above the length
        k -= 1
    while node(k + 1) <= length:
        k += 1
    return k


def position(length: float, low: int, high: int) -> float:
    """Where `length` lies between two nodes, 0 at `low` to 1 at `high`, in log length."""
    return math.log(length / low) / math.log(high / low)


def blend(low: SimResult, high: SimResult, w: float, rate_per_s: float) -> SimResult:
    """Two passing runs' percentiles and load, each taken `w` of the way from `low` to `high`, at `rate_per_s`."""

    def mix(a: float, b: float) -> float:
        return a + w * (b - a)

    def percentiles(a: Percentiles, b: Percentiles) -> Percentiles:
        return Percentiles(*(mix(getattr(a, f.name), getattr(b, f.name)) for f in fields(Percentiles)))

    return SimResult(
        rate_per_s=rate_per_s,
        ttft_ms=percentiles(low.ttft_ms, high.ttft_ms),
        tpot_ms=percentiles(low.tpot_ms, high.tpot_ms),
        requests=round(mix(low.requests, high.requests)),
        output_tokens_per_s=mix(low.output_tokens_per_s, high.output_tokens_per_s),
        mean_in_flight=mix(low.mean_in_flight, high.mean_in_flight),
    )


def folded(corners: Sequence[T], weights: Sequence[float], mix: Callable[[T, T, float], T]) -> T:
    """What lies `weights` of the way across the box whose corners are given (every pair of nodes, the last length's
    fastest, as itertools.product lists them): the last length's pairs mixed first, then the first's. With one length,
    mix(low, high, w)."""
    items = list(corners)
    for w in reversed(weights):
        items = [mix(items[i], items[i + 1], w) for i in range(0, len(items), 2)]
    (one,) = items
    return one


@dataclass(frozen=True)
class Corners(Between):
    """The four capacity searches a capacity is interpolated between where the prompt and the output length vary
    together: the prompt's nodes (lengths), the output's nodes (output_lengths), and each search's capacity
    (requests_per_s: the lowest and highest of the four; corners: all four, the output's nodes fastest)."""

    output_lengths: tuple[int, int] = (0, 0)
    corners: tuple[float, ...] = ()

    def _where(self) -> str:
        (a, b), (c, d) = self.lengths, self.output_lengths
        return f"{a:,} and {b:,} input tokens by {c:,} and {d:,} output tokens"

    def missed(self) -> str:
        """Why an interpolated capacity misses the SLO: all four searches found it missed."""
        return f"the SLO is missed at every load at all four of {self._where()}"

    def words(self) -> str:
        """'interpolated between the capacity searches at 1,117 and 1,218 input tokens by 235 and 256 output tokens
        (2.27 to 2.56 requests/s)': gpt-oss-20b on an L40S at 1,180 / 245 tokens."""
        low, high = self.requests_per_s
        return f"interpolated between the capacity searches at {self._where()} ({low:.3g} to {high:.3g} requests/s)"
