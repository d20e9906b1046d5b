"""NVIDIA genai-perf `profile_export_genai_perf.json` and AIPerf `profile_export_aiperf.json`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from costcalc.file_kinds import genai_perf_metrics, is_genai_perf
from costcalc.throughput.formats._common import (
    MissingField,
    count,
    dig,
    latency,
    mapping,
    ms_per_unit,
    number,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint

TOOL = "genai-perf"
NAME = "genai-perf/AIPerf export"

# Keys only AIPerf writes (genai-perf never does): its early `records` wrapper and run bookkeeping.
_AIPERF_MARKERS = {
    "records",
    "was_cancelled",
    "error_summary",
    "telemetry_data",
    "benchmark_duration",
}


def matches(doc: Mapping[str, Any]) -> bool:
    """A genai-perf or AIPerf export (costcalc.file_kinds.is_genai_perf)."""
    return is_genai_perf(doc)


def tool_of(doc: Mapping[str, Any]) -> str:
    """'aiperf' or 'genai-perf' (same metric layout; AIPerf adds run bookkeeping keys)."""
    command = str(dig(doc, "input_config", "cli_command") or "")
    return "aiperf" if (_AIPERF_MARKERS & set(doc)) or command.startswith("aiperf") else TOOL


def _metric(metrics: Mapping[str, Any], *names: str) -> Mapping[str, Any] | None:
    """The first metric object present under one of `names` (tools renamed a few)."""
    for name in names:
        if metrics.get(name) is not None:
            return mapping(metrics[name], what=name)
    return None


@overload
def _avg(metrics: Mapping[str, Any], *names: str, required: Literal[True] = True) -> float: ...
@overload
def _avg(metrics: Mapping[str, Any], *names: str, required: bool) -> float | None: ...
def _avg(metrics: Mapping[str, Any], *names: str, required: bool = True) -> float | None:
    """metric.avg of the first metric present."""
    obj = _metric(metrics, *names)
    if obj is None:
        if required:
            raise MissingField(f"{names[0]} is missing")
        return None
    return number(obj.get("avg"), what=f"{names[0]}.avg", required=required)


def _stats(metrics: Mapping[str, Any], *names: str) -> LatencyStats:
    """A latency metric {unit, avg, p50, p90, p95, p99} converted to ms."""
    obj = _metric(metrics, *names)
    if obj is None:
        return LatencyStats()
    values = {"mean": obj.get("avg"), **{p: obj.get(p) for p in ("p50", "p90", "p95", "p99")}}
    return latency(values, ms_per_unit=ms_per_unit(obj.get("unit", "ms"), what=names[0]))


def _load_level(config: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """(concurrency, request_rate_per_s) from input_config in its three layouts.

    genai-perf flat: {concurrency, request_rate}; genai-perf nested: perf_analyzer.stimulus;
    AIPerf: loadgen {concurrency, request_rate}.
    """
    for block in (config, dig(config, "perf_analyzer", "stimulus"), dig(config, "loadgen")):
        if isinstance(block, Mapping) and (block.get("concurrency") or block.get("request_rate")):
            return (
                number(block.get("concurrency"), what="input_config concurrency"),
                number(block.get("request_rate"), what="input_config request_rate"),
            )
    return None, None


def _model(config: Mapping[str, Any]) -> str | None:
    """Model name from input_config (model, model_names or endpoint.model_names; list or str)."""
    for value in (
        config.get("model"),
        config.get("model_names"),
        dig(config, "endpoint", "model_names"),
    ):
        if isinstance(value, list) and value:
            return str(value[0])
        if isinstance(value, str):
            return value
    return None


def parse(doc: Mapping[str, Any], source: str) -> list[OperatingPoint]:
    """One export = one load level.

    genai-perf and AIPerf define inter_token_latency per request as
    (request_latency - TTFT) / (output tokens - 1) (aiperf/metrics/types/inter_token_latency_metric.py),
    which is what vLLM calls TPOT, so it fills both tpot_ms and itl_ms. output_sequence_length and
    output_token_throughput include reasoning tokens (AIPerf reports them separately as well).
    """
    metrics = genai_perf_metrics(doc)
    raw_config = doc.get("input_config")
    config: Mapping[str, Any] = raw_config if isinstance(raw_config, Mapping) else {}
    concurrency, rate = _load_level(config)
    itl = _stats(metrics, "inter_token_latency")
    return [
        OperatingPoint(
            requests_per_s=_avg(metrics, "request_throughput"),
            output_tokens_per_s=_avg(metrics, "output_token_throughput"),
            input_tokens=_avg(metrics, "input_sequence_length"),
            output_tokens=_avg(metrics, "output_sequence_length"),
            concurrency=concurrency,
            request_rate_per_s=rate,
            ttft_ms=_stats(metrics, "time_to_first_token", "ttft"),
            tpot_ms=itl,
            itl_ms=itl,
            e2e_ms=_stats(metrics, "request_latency"),
            completed=count(_avg(metrics, "request_count", required=False), what="request_count"),
            failed=count(_avg(metrics, "error_request_count", required=False), what="error_request_count"),
            model=_model(config),
            tool=tool_of(doc),
            source=source,
        )
    ]
