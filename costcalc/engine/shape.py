"""RequestShape: the per-request token mix the engine prices (lengths, caching, reasoning, load shape)."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.engine.arrays import Floats


@dataclass(frozen=True)
class RequestShape:
    """Mean tokens of one request and how load spreads over the day; derived from a Workload."""

    buckets: tuple[tuple[float, float], ...]  # (input tokens, share of requests)
    output_tokens: float  # billed output per request: visible + reasoning
    cached_input_share: Floats = 0.0  # the two cache shares and the peak may be arrays (one per what-if point)
    cache_write_share: Floats = 0.0
    peak_factor: Floats = 1.0  # peak rate / mean rate
    hourly_factors: tuple[float, ...] = (1.0,) * 24  # each hour's rate / mean rate

    @property
    def input_tokens(self) -> float:
        """Mean input tokens per request."""
        return sum(tokens * share for tokens, share in self.buckets)

    @property
    def tokens_per_request(self) -> float:
        """Input + billed output tokens of a mean request."""
        return self.input_tokens + self.output_tokens
