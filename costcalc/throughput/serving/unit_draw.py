"""A simulation's random requests at one request a second: arrival times and prompt lengths, drawn once a mix."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=64)
def unit_draw(
    input_tokens: tuple[float, ...], shares: tuple[float, ...], warm: int, requests: int, total: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times at one request a second and prompt lengths (read-only) of `total` requests: `warm` before the
    `requests` counted ones, the rest after. A capacity search's runs at a dozen rates share them: drawn once."""
    rng = np.random.default_rng(seed)
    at_unit_rate = np.cumsum(rng.standard_exponential(total))
    counted_prompts = _prompt_lengths(input_tokens, shares, requests, rng)
    other = _prompt_lengths(input_tokens, shares, total - requests, rng)
    prompts = np.concatenate([other[:warm], counted_prompts, other[warm:]])
    at_unit_rate.flags.writeable = prompts.flags.writeable = False
    return at_unit_rate, prompts


def _prompt_lengths(
    input_tokens: tuple[float, ...], shares: tuple[float, ...], total: int, rng: np.random.Generator
) -> np.ndarray:
    """Prompt lengths in random order, each length exactly its share of the requests.

    Exact counts (largest remainders) rather than independent draws: a p95 is decided by the
    slowest 5% of requests, and a mix with 5% of long prompts would otherwise pass or fail the
    target by the luck of the draw.
    """
    share = np.asarray(shares, dtype=float)
    exact = share / share.sum() * total
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    lengths = np.repeat(np.maximum(np.rint(np.asarray(input_tokens)), 1).astype(np.int64), counts)
    return rng.permutation(lengths)
