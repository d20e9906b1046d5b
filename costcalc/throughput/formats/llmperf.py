"""Ray llmperf `<name>_summary.json` (flattened `results_*` keys, latencies in seconds)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costcalc.file_kinds import is_llmperf
from costcalc.throughput.formats._common import MissingField, count, latency, number
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.units import MS_PER_S

TOOL = "llmperf"
NAME = "llmperf *_summary.json"
SECONDS_PER_MINUTE = 60.0


def matches(doc: Mapping[str, Any]) -> bool:
    """An llmperf summary (costcalc.file_kinds.is_llmperf)."""
    return is_llmperf(doc)


def _stats(doc: Mapping[str, Any], metric: str) -> LatencyStats:
    """results_<metric>_mean / _quantiles_pNN in seconds -> LatencyStats in ms."""
    prefix = f"results_{metric}"
    values = {"mean": doc.get(f"{prefix}_mean")}
    values.update({p: doc.get(f"{prefix}_quantiles_{p}") for p in ("p50", "p90", "p95", "p99")})
    return latency(values, ms_per_unit=MS_PER_S)


def parse(doc: Mapping[str, Any], source: str) -> list[OperatingPoint]:
    """One summary = one load level (num_concurrent_requests).

    Lengths are the measured means (results_number_*_tokens_mean), else the requested ones.
    llmperf's inter_token_latency_s is the sum of all token gaps, TTFT included, divided by the
    output tokens (llmperf openai_chat_completions_client.py), so it goes to itl_ms, not tpot_ms.
    """
    out_tps = number(
        doc.get("results_mean_output_throughput_token_per_s"),
        what="results_mean_output_throughput_token_per_s",
        required=True,
    )
    output_tokens = number(doc.get("results_number_output_tokens_mean"), what="results_number_output_tokens_mean")
    if output_tokens is None:
        output_tokens = number(doc.get("mean_output_tokens"), what="mean_output_tokens", required=True)
    input_tokens = number(doc.get("results_number_input_tokens_mean"), what="results_number_input_tokens_mean")
    if input_tokens is None:
        input_tokens = number(doc.get("mean_input_tokens"), what="mean_input_tokens", required=True)
    per_min = number(
        doc.get("results_num_completed_requests_per_min"),
        what="results_num_completed_requests_per_min",
    )
    if per_min is not None:
        requests_per_s = per_min / SECONDS_PER_MINUTE
    elif output_tokens:
        requests_per_s = out_tps / output_tokens  # same window for both rates
    else:
        raise MissingField("results_num_completed_requests_per_min is missing")
    return [
        OperatingPoint(
            requests_per_s=requests_per_s,
            output_tokens_per_s=out_tps,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            concurrency=number(doc.get("num_concurrent_requests"), what="num_concurrent_requests"),
            ttft_ms=_stats(doc, "ttft_s"),
            itl_ms=_stats(doc, "inter_token_latency_s"),
            e2e_ms=_stats(doc, "end_to_end_latency_s"),
            completed=count(doc.get("results_num_completed_requests"), what="results_num_completed_requests"),
            failed=count(doc.get("results_number_errors"), what="results_number_errors"),
            model=doc.get("model"),
            tool=TOOL,
            source=source,
        )
    ]
