"""What a JSON or YAML file holds, told by its top-level keys: costcalc's own files and the benchmark results it reads.

One place answers for every reader (a scenario, a price table, a benchmark result, a report), so a file given to the
wrong command is named the same way everywhere, with the command or key that reads it. The benchmark recognisers are
those `costcalc ingest` parses by (throughput/formats/ calls them): imported from here, no reader below throughput/
needs to import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MEASURE_SCHEMA_PREFIX = "costcalc.measure/"

# Keys only vLLM's result writes (benchmark_serving.py and `vllm bench serve`, every version read): three of them
# say a file is vLLM's even when one it needs is missing, so the parser can name that one.
VLLM_OWN_KEYS = frozenset(
    {
        "request_throughput",
        "output_throughput",
        "completed",
        "total_input_tokens",
        "total_output_tokens",
        "mean_ttft_ms",
        "median_ttft_ms",
        "mean_tpot_ms",
        "median_tpot_ms",
        "mean_itl_ms",
        "input_lens",
        "output_lens",
    }
)
VLLM_MIN_OWN_KEYS = 3

BENCHMARK_USE = "it goes under a self-hosted option's throughput: {measured: FILE}; `costcalc ingest` shows its points"


@dataclass(frozen=True)
class FileKind:
    """A kind of file: `name` to compare ('report', 'scenario', 'pricing lock', 'benchmark result', 'output'),
    `what` it is in a sentence ('a costcalc report (schema_version 1.17)'), and `use`, what reads it."""

    name: str
    what: str
    use: str


def is_costcalc_measure(doc: Mapping[str, Any]) -> bool:
    """Any costcalc.measure/N document (an unsupported N is reported by its parser), also one naming it under
    `format` (the parser says the key is `schema`)."""
    return any(str(doc.get(key, "")).startswith(MEASURE_SCHEMA_PREFIX) for key in ("schema", "format"))


def is_guidellm(doc: Mapping[str, Any]) -> bool:
    """A GuideLLM report is {benchmarks: [{metrics: {requests_per_second: {...}}}, ...], ...}."""
    benchmarks = doc.get("benchmarks")
    if not isinstance(benchmarks, list) or not benchmarks or not isinstance(benchmarks[0], Mapping):
        return False
    metrics = benchmarks[0].get("metrics")
    return isinstance(metrics, Mapping) and isinstance(metrics.get("requests_per_second"), Mapping)


def genai_perf_metrics(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    """genai-perf's metric objects: top level (genai-perf, AIPerf >= late 2025) or under `records` (early AIPerf)."""
    records = doc.get("records")
    return records if isinstance(records, Mapping) else doc


def is_genai_perf(doc: Mapping[str, Any]) -> bool:
    """Metric objects with a unit and an avg, e.g. request_throughput: {unit, avg} (genai-perf and AIPerf)."""
    throughput = genai_perf_metrics(doc).get("request_throughput")
    return isinstance(throughput, Mapping) and "avg" in throughput


def is_llmperf(doc: Mapping[str, Any]) -> bool:
    """llmperf summaries carry num_concurrent_requests and results_* keys."""
    return "num_concurrent_requests" in doc and any(str(k).startswith("results_") for k in doc)


def is_vllm(doc: Mapping[str, Any]) -> bool:
    """A vLLM result: a scalar request_throughput next to output_throughput or completed, or (one lacking a field
    it needs, which the parser then names) three of the keys only vLLM writes and no request_throughput object."""
    keys = {str(k).lower().rstrip(":") for k in doc}
    if isinstance(doc.get("request_throughput"), Mapping):
        return False  # another tool's {mean, ...} statistics
    companion = bool(keys & {"output_throughput", "completed", "total_output_tokens"})
    return ("request_throughput" in doc and companion) or len(keys & VLLM_OWN_KEYS) >= VLLM_MIN_OWN_KEYS


# (what the file is, its recogniser), in the order ingest tries its parsers: the most specific first
_BENCHMARKS: tuple[tuple[str, Callable[[Mapping[str, Any]], bool]], ...] = (
    ("a GuideLLM report", is_guidellm),
    ("a genai-perf/AIPerf export", is_genai_perf),
    ("an llmperf summary", is_llmperf),
    ("a vLLM bench serve result", is_vllm),
)


def file_kind(doc: Any) -> FileKind | None:
    """What `doc` (a parsed file's top level) is, or None for a mapping of no kind known here (a scenario with
    typos is no kind: its reader names the keys)."""
    if not isinstance(doc, Mapping):
        return None
    if is_costcalc_measure(doc):
        return FileKind(
            "benchmark result", f"a result of `costcalc measure` (schema {doc.get('schema')})", BENCHMARK_USE
        )
    version = doc.get("schema_version")
    if isinstance(version, str) and "version" not in doc:
        return _costcalc_output(doc, version)
    if {"version", "rows"} <= set(doc):
        return FileKind("pricing lock", "a pricing lock", "give it with --pricing-lock")
    for what, recognise in _BENCHMARKS:
        if recognise(doc):
            return FileKind("benchmark result", what, BENCHMARK_USE)
    if {"workload", "options"} <= set(doc):
        return FileKind("scenario", "a scenario", "`costcalc report` reads and checks it")
    return None


def _costcalc_output(doc: Mapping[str, Any], version: str) -> FileKind:
    """A file a costcalc command wrote with its JSON schema_version: a report, or another command's output."""
    if "options" in doc:
        return FileKind(
            "report", f"a costcalc report (schema_version {version})", "`costcalc diff` compares saved reports"
        )
    kind = doc.get("kind")
    if kind == "ingest":
        return FileKind(
            "output",
            f"costcalc ingest's output (schema_version {version}: the points it read)",
            "give the benchmark files it read",
        )
    named = f"{kind} output" if isinstance(kind, str) else "output"
    return FileKind("output", f"a costcalc {named} (schema_version {version})", "")


def said_as(kind: FileKind, instead_of: str) -> str:
    """'a pricing lock, not a scenario (give it with --pricing-lock)': what a reader expecting `instead_of` says of
    a file of another kind."""
    return f"{kind.what}, not {instead_of}" + (f" ({kind.use})" if kind.use else "")
