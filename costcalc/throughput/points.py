"""OperatingPoint: one measured or estimated load level of a serving replica."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LatencyStats:
    """Summary of one latency metric in milliseconds; any field may be unknown (None)."""

    mean: float | None = None
    p50: float | None = None
    p90: float | None = None
    p95: float | None = None
    p99: float | None = None

    def nearest(self, pct: int = 95) -> tuple[float | None, str | None]:
        """(value, name) of the requested percentile; when it is unknown, the nearest higher one
        (conservative), else the nearest lower one, else the mean; (None, None) when nothing is known.

        The name ('p95', 'p99', ..., 'mean') says which one was used, so that a caller checking a
        p95 target can say when it had to use another.
        """
        known = {50: self.p50, 90: self.p90, 95: self.p95, 99: self.p99}
        above = sorted(p for p in known if p >= pct)
        below = sorted((p for p in known if p < pct), reverse=True)
        for p in [*above, *below]:
            if known[p] is not None:
                return known[p], f"p{p}"
        return (self.mean, "mean") if self.mean is not None else (None, None)


@dataclass(frozen=True)
class OperatingPoint:
    """Throughput and latency of one replica at one load level (a concurrency or request rate).

    Rates are for the whole replica (all its GPUs together); token counts are means per request.
    """

    requests_per_s: float
    output_tokens_per_s: float
    input_tokens: float
    output_tokens: float
    concurrency: float | None = None  # max in-flight requests the client allowed (None = unbounded)
    request_rate_per_s: float | None = None  # offered rate; None = as fast as possible
    ttft_ms: LatencyStats = field(default_factory=LatencyStats)
    tpot_ms: LatencyStats = field(default_factory=LatencyStats)  # time per output token after the first
    itl_ms: LatencyStats = field(default_factory=LatencyStats)  # inter-token latency
    e2e_ms: LatencyStats = field(default_factory=LatencyStats)  # whole-request latency
    completed: int | None = None
    failed: int | None = None
    model: str | None = None
    tool: str = "unknown"  # vllm, guidellm, genai-perf, aiperf, llmperf, costcalc-measure, estimate
    source: str = ""  # file path, URL or "estimate"

    @property
    def output_tokens_per_s_per_user(self) -> float | None:
        """Decode speed a typical user sees, for display: 1000 / median TPOT (else its mean).

        Not what an SLO is checked against: that is 1000 / TPOT p95 (costcalc.throughput.curve).
        """
        tpot = self.tpot_ms.p50 if self.tpot_ms.p50 is not None else self.tpot_ms.mean
        return 1000.0 / tpot if tpot else None
