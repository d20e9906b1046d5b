"""GuideLLM benchmark reports: the v0.4+ schema (metadata/args/benchmarks) and the v0.2/0.3 one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from costcalc.file_kinds import is_guidellm
from costcalc.throughput.formats._common import (
    MissingField,
    count,
    dig,
    latency,
    mapping,
    number,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.units import MS_PER_S

TOOL = "guidellm"
NAME = "GuideLLM report"

# metrics.<name> -> (OperatingPoint field, ms per unit). request_latency is in seconds in both schemas.
_LATENCIES = {
    "time_to_first_token_ms": ("ttft_ms", 1.0),
    "time_per_output_token_ms": ("tpot_ms", 1.0),
    "inter_token_latency_ms": ("itl_ms", 1.0),
    "request_latency": ("e2e_ms", MS_PER_S),
}


def matches(doc: Mapping[str, Any]) -> bool:
    """A GuideLLM report (costcalc.file_kinds.is_guidellm)."""
    return is_guidellm(doc)


@overload
def _successful(metrics: Mapping[str, Any], name: str, *, required: Literal[True]) -> Mapping[str, Any]: ...
@overload
def _successful(metrics: Mapping[str, Any], name: str, *, required: bool) -> Mapping[str, Any] | None: ...
def _successful(metrics: Mapping[str, Any], name: str, *, required: bool) -> Mapping[str, Any] | None:
    """metrics[name].successful (the distribution over successful requests)."""
    dist = dig(metrics, name, "successful")
    if dist is None:
        if required:
            raise MissingField(f"metrics.{name}.successful is missing")
        return None
    return mapping(dist, what=f"metrics.{name}.successful")


def _stats(dist: Mapping[str, Any] | None, ms_per_unit: float, *, what: str) -> LatencyStats:
    """GuideLLM distribution {mean, median, percentiles{p50..}} -> LatencyStats in ms.

    The v0.3 test asset's percentiles have no p50, so the median stands in for it.
    """
    if dist is None:
        return LatencyStats()
    pct = mapping(dist.get("percentiles") or {}, what=f"{what}.percentiles")
    values = {
        "mean": dist.get("mean"),
        "p50": pct.get("p50", dist.get("median")),
        "p90": pct.get("p90"),
        "p95": pct.get("p95"),
        "p99": pct.get("p99"),
    }
    return latency(values, ms_per_unit=ms_per_unit)


def _load_level(bench: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """(concurrency, request_rate_per_s) the strategy allowed; None = unbounded / as fast as possible.

    v0.4+: benchmark.config.strategy; v0.2/0.3: benchmark.args.strategy. Types: synchronous
    (one at a time), concurrent (`streams`), throughput (everything at once, optional
    max_concurrency), constant / poisson (`rate` requests/s, optional max_concurrency).
    """
    strategy = mapping(dig(bench, "config", "strategy") or dig(bench, "args", "strategy") or {}, what="strategy")
    kind = str(strategy.get("type_", "")).lower()
    concurrency = number(strategy.get("max_concurrency"), what="strategy.max_concurrency")
    if kind == "synchronous":
        concurrency = 1.0
    elif kind == "concurrent":
        concurrency = number(strategy.get("streams"), what="strategy.streams") or concurrency
    rate = None
    if kind in {"constant", "poisson", "async_constant", "async_poisson"}:
        rate = number(strategy.get("rate"), what="strategy.rate")
    return concurrency, rate


def _model(doc: Mapping[str, Any], bench: Mapping[str, Any]) -> str | None:
    """The served model's name where the report records it: the first non-empty string of the three places."""
    for value in (
        dig(bench, "config", "backend", "model"),
        dig(bench, "worker", "backend_model"),
        dig(doc, "args", "model"),
    ):
        if isinstance(value, str) and value:
            return value
    return None


def parse_benchmark(doc: Mapping[str, Any], bench: Any, index: int, source: str) -> OperatingPoint:
    """One benchmark (one load level of a sweep) -> one OperatingPoint."""
    bench = mapping(bench, what=f"benchmarks[{index}]")
    metrics = mapping(bench.get("metrics"), what=f"benchmarks[{index}].metrics")
    totals = mapping(metrics.get("request_totals") or bench.get("request_totals") or {}, what="request_totals")
    completed = count(totals.get("successful"), what="request_totals.successful")
    failed = count(totals.get("errored"), what="request_totals.errored")

    def mean_of(name: str) -> float:
        dist = _successful(metrics, name, required=True)
        if not completed:  # a level where nothing succeeded may hold nulls; dropped later
            return number(dist.get("mean"), what=f"metrics.{name}.successful.mean") or 0.0
        return number(dist.get("mean"), what=f"metrics.{name}.successful.mean", required=True)

    concurrency, rate = _load_level(bench)
    fields = {
        field: _stats(_successful(metrics, name, required=False), scale, what=f"metrics.{name}.successful")
        for name, (field, scale) in _LATENCIES.items()
    }
    return OperatingPoint(
        requests_per_s=mean_of("requests_per_second"),
        output_tokens_per_s=mean_of("output_tokens_per_second"),
        input_tokens=mean_of("prompt_token_count"),
        output_tokens=mean_of("output_token_count"),
        concurrency=concurrency,
        request_rate_per_s=rate,
        completed=completed,
        failed=failed,
        model=_model(doc, bench),
        tool=TOOL,
        source=source,
        **fields,
    )


def parse(doc: Mapping[str, Any], source: str) -> list[OperatingPoint]:
    """Every benchmark in the report (a sweep holds one per load level)."""
    return [parse_benchmark(doc, b, i, source) for i, b in enumerate(doc["benchmarks"])]
