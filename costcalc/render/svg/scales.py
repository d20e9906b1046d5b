"""Value-to-pixel scales of a chart's axes, logarithmic and linear, with their round ticks."""

from __future__ import annotations

import math
from dataclasses import dataclass

LOG_TICK_STEPS = (1.0, 2.0, 5.0)


@dataclass(frozen=True)
class LogScale:
    """Maps [lo, hi] (both > 0) onto pixels [p0, p1] logarithmically."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, v: float) -> float:
        """Pixel of value v."""
        t = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return self.p0 + t * (self.p1 - self.p0)

    def ticks(self) -> list[float]:
        """1-2-5 ticks inside the range (decades only when there are too many)."""
        out = []
        for k in range(math.floor(math.log10(self.lo)), math.ceil(math.log10(self.hi)) + 1):
            for step in LOG_TICK_STEPS:
                v = step * 10.0**k
                if self.lo <= v <= self.hi:
                    out.append(v)
        if len(out) > 8:
            out = [v for v in out if math.isclose(math.log10(v) % 1, 0, abs_tol=1e-9)]
        return out


@dataclass(frozen=True)
class LinearScale:
    """Maps [lo, hi] onto pixels [p0, p1] linearly."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, v: float) -> float:
        """Pixel of value v."""
        span = self.hi - self.lo or 1.0
        return self.p0 + (v - self.lo) / span * (self.p1 - self.p0)

    def ticks(self, n: int = 5) -> list[float]:
        """About n round ticks."""
        span = self.hi - self.lo
        if span <= 0:
            return [self.lo]
        raw = span / n
        mag = 10 ** math.floor(math.log10(raw))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
        first = math.ceil(self.lo / step) * step
        count = math.floor((self.hi - first) / step + 1e-9) + 1
        return [first + i * step for i in range(count)]
