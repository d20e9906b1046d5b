"""vLLM `bench serve --save-result` / `benchmark_serving.py` JSON (old and new key sets)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from costcalc.file_kinds import is_vllm
from costcalc.throughput.curve import SLO_PERCENTILE
from costcalc.throughput.formats._common import (
    MissingField,
    count,
    latency,
    mean_per_request,
    number,
)
from costcalc.throughput.percentiles import percentile
from costcalc.throughput.points import OperatingPoint
from costcalc.units import MS_PER_S

TOOL = "vllm"
NAME = "vLLM bench serve"

# Latency metrics vLLM can save (`--percentile-metrics`), and their OperatingPoint field.
# "latency" is the e2e metric under its older name (Lambda Labs' copies of benchmark_serving.py).
_METRICS = {
    "ttft": "ttft_ms",
    "tpot": "tpot_ms",
    "itl": "itl_ms",
    "e2el": "e2e_ms",
    "latency": "e2e_ms",
}
_PERCENTILES = ("p50", "p90", "p95", "p99")


def matches(doc: Mapping[str, Any]) -> bool:
    """A vLLM result (costcalc.file_kinds.is_vllm, shared with the readers that name a file given to them)."""
    return is_vllm(doc)


def _stat(lower: Mapping[str, Any], metric: str, stat: str) -> float | None:
    """One statistic of one metric, trying the key spellings seen across vLLM versions and forks.

    Upstream: mean_ttft_ms, median_ttft_ms, p99_ttft_ms. Forks: mean_TTFT, TTFT_P90 (lower-cased here).
    """
    names = [f"{stat}_{metric}_ms", f"{stat}_{metric}", f"{metric}_{stat}_ms", f"{metric}_{stat}"]
    if stat == "p50":
        names += [f"median_{metric}_ms", f"median_{metric}"]
    for name in names:
        if name in lower:
            return number(lower[name], what=name)
    return None


def _latencies(lower: Mapping[str, Any]) -> dict[str, Any]:
    """LatencyStats (ms) for every metric the file has, keyed by OperatingPoint field; a p95 the file does not state
    is taken from its per-request arrays where it keeps them (`_p95_from_requests`)."""
    out: dict[str, Any] = {}
    from_requests = _p95_from_requests(lower)
    for metric, field in _METRICS.items():
        stats = {s: _stat(lower, metric, s) for s in ("mean", *_PERCENTILES)}
        if field in out and all(v is None for v in stats.values()):
            continue  # e2el present; do not overwrite with an absent "latency"
        if stats["p95"] is None and metric in from_requests:
            stats["p95"] = from_requests[metric]
        out[field] = latency(stats)
    return out


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _p95_from_requests(lower: Mapping[str, Any]) -> dict[str, float]:
    """{'ttft': ms, 'tpot': ms}: the p95s of the successful requests in the arrays vLLM's result kept before
    `--save-detailed` (ttfts and itls in seconds, output_lens, errors), as vLLM computes its percentiles: TTFT of each
    request, TPOT = its token gaps / (output tokens - 1) for requests of 2+ tokens. {} when the arrays are absent, hold
    anything but numbers, or do not count the file's completed requests. (Files of 2024-25 state only p99; on the
    real ones the arrays give vLLM's own p99 and median to 1e-6.)"""
    ttfts, itls, lens, errors = (lower.get(k) for k in ("ttfts", "itls", "output_lens", "errors"))
    if not (isinstance(ttfts, list) and isinstance(itls, list) and isinstance(lens, list)):
        return {}
    if not len(ttfts) == len(itls) == len(lens) or not all(_finite(v) for v in [*ttfts, *lens]):
        return {}
    failed = errors if isinstance(errors, list) and len(errors) == len(lens) else [""] * len(lens)
    ok = [i for i, n in enumerate(lens) if n > 0 and not failed[i]]
    if not ok or lower.get("completed") not in (None, len(ok)):
        return {}
    gaps = [itls[i] for i in ok if lens[i] > 1]
    if not all(isinstance(g, list) and all(_finite(v) for v in g) for g in gaps):
        return {}
    out = {"ttft": percentile(sorted(ttfts[i] * MS_PER_S for i in ok), SLO_PERCENTILE)}
    tpots = sorted(sum(itls[i]) * MS_PER_S / (lens[i] - 1) for i in ok if lens[i] > 1)
    if tpots:
        out["tpot"] = percentile(tpots, SLO_PERCENTILE)
    return out


def parse_one(doc: Mapping[str, Any], source: str) -> OperatingPoint:
    """One vLLM result object -> one OperatingPoint (zero rates when every request failed)."""
    lower = {k.lower().rstrip(":"): v for k, v in doc.items()}  # "request_goodput:" quirk
    completed = count(lower.get("completed"), what="completed")
    if completed is None and isinstance(lower.get("output_lens"), list):
        completed = sum(1 for n in lower["output_lens"] if n)
    failed = count(lower.get("failed"), what="failed")
    requests_per_s = number(lower.get("request_throughput"), what="request_throughput", required=True)
    output_tokens_per_s = number(lower.get("output_throughput"), what="output_throughput")
    total_in = number(lower.get("total_input_tokens"), what="total_input_tokens")
    total_out = number(lower.get("total_output_tokens"), what="total_output_tokens")
    if output_tokens_per_s is None:
        duration_s = number(lower.get("duration"), what="duration")
        if total_out is None or not duration_s:
            raise MissingField("output_throughput is missing (and no total_output_tokens/duration)")
        output_tokens_per_s = total_out / duration_s
    if total_in is None or total_out is None:
        raise MissingField("total_input_tokens/total_output_tokens are missing (needed for mean lengths)")
    if completed is None and requests_per_s > 0 and total_out > 0:
        # Same duration under both rates, so total_out / completed = output_throughput / request_throughput.
        output_tokens = output_tokens_per_s / requests_per_s
        input_tokens = total_in / total_out * output_tokens
    else:
        output_tokens = mean_per_request(total_out, completed)
        input_tokens = mean_per_request(total_in, completed)
    # request_rate is the string "inf" when requests were sent as fast as possible -> None.
    rate = number(lower.get("request_rate"), what="request_rate")
    concurrency = number(lower.get("max_concurrency"), what="max_concurrency")
    return OperatingPoint(
        requests_per_s=requests_per_s,
        output_tokens_per_s=output_tokens_per_s,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=concurrency,
        request_rate_per_s=rate,
        completed=completed,
        failed=failed,
        model=lower.get("model_id") or lower.get("model"),
        tool=TOOL,
        source=source,
        **_latencies(lower),
    )


def parse(doc: Mapping[str, Any], source: str) -> list[OperatingPoint]:
    """A vLLM result file holds one point (JSON lines are split before this is called)."""
    return [parse_one(doc, source)]
