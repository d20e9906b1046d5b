"""A machine whose speed varies over time: measured slowdown factors applied to the simulation's steps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Slowdown:
    """A machine whose speed varies over time (a CPU shared with other work): every step time is
    multiplied by a factor for each window of `window_s`, drawn with replacement from `factors`.

    Measured, for example, as each request's TPOT over the median TPOT, with the window a
    request's decode time. A dedicated GPU server needs none.
    """

    factors: tuple[float, ...]
    window_s: float

    def __post_init__(self) -> None:
        if not self.factors or min(self.factors) <= 0 or not self.window_s > 0:
            raise ValueError("a slowdown needs positive factors and a positive window")


class _Speed:
    """Slowdown factor at time t: one seeded draw per window, drawn as the run reaches it."""

    def __init__(self, slowdown: Slowdown, seed: int) -> None:
        self.factors = np.asarray(slowdown.factors, dtype=float)
        self.window_s = slowdown.window_s
        self.rng = np.random.default_rng(seed)
        self.drawn: list[float] = []

    def __call__(self, t: float) -> float:
        w = int(t / self.window_s)
        while w >= len(self.drawn):
            self.drawn.extend(self.rng.choice(self.factors, size=1024).tolist())
        return self.drawn[w]
