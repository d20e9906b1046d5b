"""Per-step times of one replica as lookup tables: from the estimator's timing, or measured on a server."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

# Grid sizes: the estimator is called on these many batch sizes and prompt lengths, and the event
# loop interpolates linearly between them (decode time is close to linear in batch size, and
# prefill cost close to quadratic in prompt length, so 24 and 48 log-spaced points keep the
# interpolation error well under 1%).
BATCH_GRID_POINTS = 24
PROMPT_GRID_POINTS = 48
SMALL_BATCHES = (1, 2, 3, 4, 6, 8)  # always on the grid: small batches change fastest


@dataclass(frozen=True)
class StepTimes:
    """Seconds one forward step of a replica takes, as tables the event loop reads.

    A step carrying B decodes (B >= 1) and prompt chunks takes
    decode_s[B] + decode_s_per_context_token[B] * (mean context of the B sequences)
    + the chunks' prefill cost, where a chunk of prompt positions [a, b) costs P(b) - P(a).
    A step with prompt chunks and no decode takes prefill_alone_s(tokens in the step) + that cost.
    In a step with both, the chunks' linear-layer FLOPs (prefill_linear_s_per_token per prompt
    token) hide under the decodes' spare weight-read time (decode_weight_slack_s[B]) up to that
    slack: the step's GEMMs read the weights once for all its tokens (see mixed_step_saving).
    """

    decode_s: tuple[float, ...]  # index B = 0..max batch: one decode step at zero context
    decode_s_per_context_token: tuple[float, ...]  # index B: added seconds per token of mean context
    prefill_tokens: tuple[float, ...]  # ascending prompt positions n, from 0
    prefill_cost_s: tuple[float, ...]  # P(n): seconds the first n prompt tokens add to a step
    prefill_alone_s: tuple[float, ...]  # by tokens in a step without decodes: its fixed extra seconds
    request_overhead_s: float = 0.0  # per request, outside the replica's steps (HTTP, tokenising)
    source: str = ""  # where the times come from, for the report
    # index B: seconds of a B-decode step's weight reads not covered by its FLOPs (empty: none known)
    decode_weight_slack_s: tuple[float, ...] = ()
    prefill_linear_s_per_token: float = 0.0  # linear-layer FLOP seconds per batched prompt token

    def mixed_step_saving(self, batch: int, prompt_tokens: float) -> float:
        """Seconds a step of `batch` decodes and `prompt_tokens` prompt tokens takes less than the
        decode step plus the chunks' cost: the prompt FLOPs that run under the decodes' weight reads."""
        if not self.decode_weight_slack_s or batch <= 0:
            return 0.0
        return min(self.decode_weight_slack_s[batch], prompt_tokens * self.prefill_linear_s_per_token)

    @property
    def max_batch(self) -> int:
        """Largest decode batch the tables cover."""
        return len(self.decode_s) - 1

    def prefill_cost(self, tokens: float) -> float:
        """P(n) by linear interpolation (linear extrapolation past the grid's end)."""
        return _interp(self.prefill_tokens, self.prefill_cost_s, tokens)

    def prefill_alone(self, tokens: float) -> float:
        """Fixed extra seconds of a step that runs `tokens` prompt tokens and no decode."""
        return _interp(self.prefill_tokens, self.prefill_alone_s, tokens)

    def prefill_tables(self, top: int) -> tuple[list[float], list[float]]:
        """prefill_cost(n) and prefill_alone(n) for every whole n in 0..top, bit for bit as those give them
        (the event loop reads a list instead of interpolating per chunk)."""
        n = np.arange(top + 1, dtype=float)
        return _interp_all(self.prefill_tokens, self.prefill_cost_s, n), _interp_all(
            self.prefill_tokens, self.prefill_alone_s, n
        )

    def decode(self, batch: int, mean_context: float) -> float:
        """One decode step of `batch` sequences at a mean context."""
        return self.decode_s[batch] + self.decode_s_per_context_token[batch] * mean_context


def _interp(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    i = bisect_right(xs, x) - 1
    if i < 0:
        i = 0
    elif i >= len(xs) - 1:
        i = len(xs) - 2
    x0, x1 = xs[i], xs[i + 1]
    return ys[i] + (ys[i + 1] - ys[i]) * (x - x0) / (x1 - x0)


def _interp_all(xs: tuple[float, ...], ys: tuple[float, ...], x: np.ndarray) -> list[float]:
    """_interp at every x: the same index choice and the same operations in the same order, so the same floats."""
    grid, values = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    i = np.clip(np.searchsorted(grid, x, side="right") - 1, 0, len(grid) - 2)
    x0, x1, y0, y1 = grid[i], grid[i + 1], values[i], values[i + 1]
    interpolated: list[float] = (y0 + (y1 - y0) * (x - x0) / (x1 - x0)).tolist()  # numpy types tolist() as Any
    return interpolated


def batch_grid(max_batch: int) -> np.ndarray:
    """Batch sizes to evaluate: the small ones, then log-spaced up to max_batch."""
    spaced = np.geomspace(1, max_batch, BATCH_GRID_POINTS) if max_batch > 1 else np.array([1.0])
    return np.unique(np.concatenate([[b for b in SMALL_BATCHES if b <= max_batch], np.round(spaced), [max_batch]]))


def prompt_grid(max_prompt_tokens: float) -> np.ndarray:
    """Prompt positions to evaluate: 0, then log-spaced from 1 to the longest prompt."""
    top = max(2.0, float(max_prompt_tokens))
    return np.unique(np.concatenate([[0.0], np.geomspace(1, top, PROMPT_GRID_POINTS)]))


def tabulate(
    *,
    decode_step_s: Callable[[int, float], float],
    prefill_s: Callable[[float], tuple[float, float]],
    max_batch: int,
    max_prompt_tokens: float,
    max_context_tokens: float,
    request_overhead_s: float = 0.0,
    source: str = "",
    decode_weight_slack_s: Callable[[int], float] | None = None,
    prefill_linear_s_per_token: float = 0.0,
) -> StepTimes:
    """Tables from timing functions: decode_step_s(batch, context) and prefill_s(tokens) ->
    (latency alone, cost when batched), as costcalc.throughput.timing defines them;
    decode_weight_slack_s(batch) and prefill_linear_s_per_token as StepTimes describes them.

    Decode time is taken as linear in context (it is in the estimator: KV reads and attention
    FLOPs grow with it), so two contexts per batch size give the slope.
    """
    grid = batch_grid(max_batch)
    top = max(1.0, float(max_context_tokens))
    at_zero = np.array([decode_step_s(int(b), 0.0) for b in grid])
    at_top = np.array([decode_step_s(int(b), top) for b in grid])
    every = np.arange(0, max_batch + 1, dtype=float)
    base = np.interp(every, grid, at_zero)
    slope = np.interp(every, grid, (at_top - at_zero) / top)
    base[0] = slope[0] = 0.0
    positions = prompt_grid(max_prompt_tokens)
    pairs = [prefill_s(float(n)) for n in positions]
    latency = np.array([p[0] for p in pairs])
    cost = np.array([p[1] for p in pairs])
    slack: tuple[float, ...] = ()
    if decode_weight_slack_s is not None:
        slack_grid = np.array([decode_weight_slack_s(int(b)) for b in grid])
        every_slack = np.interp(every, grid, slack_grid)
        every_slack[0] = 0.0
        slack = tuple(every_slack.tolist())
    return StepTimes(
        decode_s=tuple(base.tolist()),
        decode_s_per_context_token=tuple(slope.tolist()),
        prefill_tokens=tuple(positions.tolist()),
        prefill_cost_s=tuple(cost.tolist()),
        prefill_alone_s=tuple(np.maximum(latency - cost, 0.0).tolist()),
        request_overhead_s=request_overhead_s,
        source=source,
        decode_weight_slack_s=slack,
        prefill_linear_s_per_token=prefill_linear_s_per_token if slack else 0.0,
    )


def measured(
    *,
    decode_s_by_batch: Mapping[int, float],
    prefill_s_per_token: float,
    prefill_fixed_s: float,
    request_overhead_s: float = 0.0,
    source: str = "measured",
) -> StepTimes:
    """Tables from times measured on a server: decode step seconds at each batch size measured
    (linear in between, flat past the largest), prefill = fixed + per-token seconds.

    The fixed part counts as replica time in a step without decodes (it holds the server).
    """
    if not decode_s_by_batch or min(decode_s_by_batch) < 1:
        raise ValueError("give decode step times for batch sizes >= 1")
    batches = sorted(decode_s_by_batch)
    every = np.arange(0, batches[-1] + 1, dtype=float)
    base = np.interp(every, batches, [decode_s_by_batch[b] for b in batches])
    base[0] = 0.0
    return StepTimes(
        decode_s=tuple(base.tolist()),
        decode_s_per_context_token=(0.0,) * len(every),
        prefill_tokens=(0.0, 1.0),
        prefill_cost_s=(0.0, prefill_s_per_token),
        prefill_alone_s=(prefill_fixed_s, prefill_fixed_s),
        request_overhead_s=request_overhead_s,
        source=source,
    )
