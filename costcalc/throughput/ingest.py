"""Read benchmark result files (vLLM, GuideLLM, genai-perf/AIPerf, llmperf, costcalc measure) into points.

The format is detected from the content, never the file name. A file may hold several points
(a GuideLLM sweep, a costcalc measure run, vLLM `--append-result` JSON lines).

Failed levels: a level where no request completed, or whose throughput is zero, is not a usable
operating point. It is dropped with an `IngestWarning` (`warnings.warn`; the CLI prints these to
stderr). When a file holds no usable level at all, `read_points` raises ThroughputError (exit 2).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from costcalc.errors import ThroughputError
from costcalc.file_kinds import file_kind, said_as
from costcalc.inputs import BENCHMARK_MAX_BYTES, read_text
from costcalc.safeparse import parse_json, parse_json_documents, parse_yaml, parse_yaml_documents, repeated_top_key
from costcalc.throughput.curve import load_label
from costcalc.throughput.formats import PARSERS
from costcalc.throughput.formats._common import FormatProblem, problem_to_error
from costcalc.throughput.points import OperatingPoint
from costcalc.units import MS_PER_S
from costcalc.words import counted

EXPECTED = (
    "vLLM bench serve JSON, GuideLLM report, genai-perf/AIPerf export, "
    "llmperf *_summary.json or costcalc measure output"
)
MAX_KEYS_SHOWN = 8


class IngestWarning(UserWarning):
    """A level in a benchmark file was skipped (nothing completed, zero throughput)."""


class NoUsableResult(ThroughputError):
    """A benchmark file in which no level completed a request (read_many skips it beside files that did)."""


def _not_recognised(source: str, doc: Any) -> ThroughputError:
    """The error for a parsable file of no known shape, listing what it does contain."""
    sibling = _sibling_of_a_result(doc)
    if sibling is not None:
        return ThroughputError(sibling, file=source)
    kind = file_kind(doc)  # a report, a scenario, a lock, ingest's own output: named for what it is
    if kind is not None and kind.name != "benchmark result":
        return ThroughputError(said_as(kind, "a benchmark result"), file=source)
    if isinstance(doc, Mapping):
        keys = [str(k) for k in doc]
        shown = ", ".join(keys[:MAX_KEYS_SHOWN]) + ("…" if len(keys) > MAX_KEYS_SHOWN else "")
        found = f"found keys: {shown}" if keys else "found an empty object"
    elif isinstance(doc, list):  # a top-level list none of whose items is an object
        kinds = sorted({_json_kind(item)[1] for item in doc})
        found = "found a list of " + (f"{', '.join(kinds[:-1])} and {kinds[-1]}" if len(kinds) > 1 else kinds[0])
    else:
        found = f"found {_json_kind(doc)[0]}"
    return ThroughputError(f"not a recognised benchmark result (expected {EXPECTED}); {found}", file=source)


def _sibling_of_a_result(doc: Any) -> str | None:
    """What a file the tools write beside their result is, and which file to give instead; None for other files."""
    if not isinstance(doc, Mapping):
        return None
    if doc.get("benchmarks") == [] and ("metadata" in doc or "args" in doc):
        return "a GuideLLM report with no benchmarks in it (no load level finished); rerun the benchmark"
    experiments = doc.get("experiments")
    if isinstance(experiments, list) and experiments and isinstance(experiments[0], Mapping):
        if "experiment" in experiments[0] and "requests" in experiments[0]:
            return (
                "perf_analyzer's per-request export (genai-perf's profile_export.json), not its summary; give"
                " profile_export_genai_perf.json from the same folder"
            )
    if {"ttft_s", "end_to_end_latency_s"} <= set(doc) and not any(str(k).startswith("results_") for k in doc):
        return "llmperf's per-request file (*_individual_responses.json), not its summary; give the *_summary.json beside it"
    return None


def _json_kind(value: Any) -> tuple[str, str]:
    """A JSON value's kind in JSON's words, one and many: ('a number', 'numbers'), ('null', 'nulls'), ..."""
    if value is None:
        return "null", "nulls"
    if isinstance(value, bool):
        return "true or false", "true or false values"
    if isinstance(value, int | float):
        return "a number", "numbers"
    if isinstance(value, str):
        return "a text", "texts"
    if isinstance(value, list):
        return "a list", "lists"
    return "an object", "objects"


def _documents(text: str, source: str) -> list[Any]:
    """The JSON (or JSON lines, or YAML) documents in `text`."""
    if not text.strip():
        raise ThroughputError(f"the file is empty (expected {EXPECTED})", file=source)
    # NaN and Infinity are read (as the parsers' missing values): llmperf writes pandas' std() of one completed
    # request, NaN, into its summary with json.dump
    try:
        doc = parse_json(text, source, ThroughputError, allow_nan=True)
    except json.JSONDecodeError as json_error:
        if json_error.msg == "Extra data":
            try:  # vLLM --append-result writes one JSON object a line; `cat a.json b.json` puts indented ones together
                return parse_json_documents(text, source, ThroughputError, allow_nan=True)
            except json.JSONDecodeError as later_error:
                json_error = later_error  # where a later document breaks, not where the first one ended
        return _yaml_documents(text, source, json_error)
    if doc == []:
        raise ThroughputError(
            f"the file holds no benchmark result, only an empty list (expected {EXPECTED})", file=source
        )
    if isinstance(doc, list) and not any(isinstance(item, Mapping) for item in doc):
        raise _not_recognised(source, doc)  # named as the list it is ('[1, 2, 3]' was 'a JSON int', its first item)
    return doc if isinstance(doc, list) else [doc]


def _yaml_documents(text: str, source: str, json_error: json.JSONDecodeError) -> list[Any]:
    """The YAML mappings of the file (GuideLLM writes YAML reports; several separated by '---'), else a parse error
    naming JSON's complaint. qa24: two reports with '---' between them read 'not valid JSON or YAML (JSON: ...)', and
    two appended without it were read as the second alone (a YAML reader keeps a key's last value)."""
    try:
        docs: list[Any] | None = parse_yaml_documents(text, source, ThroughputError)
    except ThroughputError:
        docs = None  # too deep, too many values, or not YAML: the one-document reader below says which
    if docs is not None and len(docs) > 1 and all(isinstance(doc, Mapping) for doc in docs):
        return docs
    if docs is not None and (repeated := repeated_top_key(text)) is not None:  # composed only within the limits
        key, first, again = repeated
        raise ThroughputError(
            f"the key {key!r} is on line {first} and again on line {again}: two results appended without '---'"
            " between them (a YAML reader keeps only the last); put a line '---' between them, or give each file on its own",
            file=source,
            line=again,
        )
    return [_yaml_document(text, source, json_error)]


def _yaml_document(text: str, source: str, json_error: json.JSONDecodeError) -> Any:
    """A YAML mapping (GuideLLM writes YAML reports), else a parse error naming JSON's complaint."""
    try:
        doc = parse_yaml(text, source, ThroughputError)
    except ThroughputError as error:
        if error.detail.startswith(("not valid YAML", "control character")):
            doc = None  # neither JSON nor YAML: the JSON complaint below says more
        else:
            raise
    if not isinstance(doc, Mapping) and _looks_like_csv(text):
        raise ThroughputError(
            "a CSV table, not a JSON result; give the tool's JSON export (genai-perf and AIPerf write"
            " profile_export_*.json beside their CSV)",
            file=source,
        )
    if not isinstance(doc, Mapping) and _cut_short(text):
        raise ThroughputError(
            "the JSON ends with brackets or a text still open: the file was cut short, as an interrupted copy,"
            " download or run leaves it; copy or export the whole file again",
            file=source,
        )
    if not isinstance(doc, Mapping):
        raise ThroughputError(
            f"not valid JSON or YAML (JSON: {json_error.msg}, line {json_error.lineno} "
            f"column {json_error.colno}); expected {EXPECTED}",
            file=source,
        )
    return doc


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*(")?\\?|[\[\]{}]')  # a JSON text (closed or not) or a bracket
_OPENS = {"}": "{", "]": "["}


def _cut_short(text: str) -> bool:
    """Whether JSON text ends inside itself: in a text never closed, or with brackets still open, those it closed
    closed in order (one closed out of order, or a line break inside a text, is malformed, not cut). qa23: a result
    file cut short read 'not valid JSON or YAML (JSON: Unterminated string starting at, line 1 column 5978)'."""
    text = text.strip()  # an editor's last line break after the cut
    if not text.startswith(("{", "[")):
        return False
    opened: list[str] = []
    for token in _JSON_TOKEN.finditer(text):
        if token.group().startswith('"'):
            if token.group(1) is None:  # never closed: cut at the end of the file, else broken by a line break
                return token.end() == len(text)
        elif token.group() in "{[":
            opened.append(token.group())
        elif not opened or opened.pop() != _OPENS[token.group()]:
            return False
    return bool(opened)


def _looks_like_csv(text: str) -> bool:
    """Whether the first line is a comma-separated header of three or more names (a CSV export), not JSON."""
    first = text.lstrip().split("\n", 1)[0]
    return not first.startswith(("{", "[")) and first.count(",") >= 2


def _parse_document(doc: Any, source: str) -> list[OperatingPoint]:
    """Points from one document, by the first parser whose shape it matches."""
    if isinstance(doc, Mapping):
        for parser in PARSERS:
            if parser.matches(doc):
                try:
                    return parser.parse(doc, source)
                except FormatProblem as problem:
                    raise problem_to_error(source, parser.NAME, problem) from None
    raise _not_recognised(source, doc)


def _usable(point: OperatingPoint) -> bool:
    """A level where requests completed and tokens came back."""
    nothing_completed = point.completed is not None and point.completed <= 0
    return not nothing_completed and point.requests_per_s > 0 and point.output_tokens_per_s > 0


def read_points(path: str | Path) -> list[OperatingPoint]:
    """Every usable operating point in one benchmark result file, in file order.

    Raises ThroughputError (exit 2) for a missing, unreadable, unknown, malformed or empty file (an empty list), and
    for a file in which no level completed a request.
    """
    source = str(path)
    text = read_text(source, limit=BENCHMARK_MAX_BYTES, error=ThroughputError, what="a benchmark result file")
    points = [p for doc in _documents(text, source) for p in _parse_document(doc, source)]
    for point in points:
        _check_plausible(point, source)
    usable = [p for p in points if _usable(p)]
    if not usable:
        raise NoUsableResult(
            f"no usable result: no request completed ({counted(len(points), 'level')}, "
            f"{counted(sum(p.failed or 0 for p in points), 'failed request')}); check the server and rerun the benchmark",
            file=source,
        )
    for p in points:
        if not _usable(p):
            warnings.warn(
                f"{source}: skipped a {p.tool} level at {load_label(p)}: {_fmt(p.completed)} requests "
                f"completed, {_fmt(p.failed)} failed, {p.requests_per_s:g} requests/s",
                IngestWarning,
                stacklevel=2,
            )
    return usable


def _check_plausible(point: OperatingPoint, source: str) -> None:
    """Refuse a level whose numbers no server produces (costcalc.limits, shared with scenarios and prices)."""
    from costcalc import limits

    bounds = {
        "requests_per_s": limits.MAX_REQUESTS_PER_S,
        "output_tokens_per_s": limits.MAX_TOKENS_PER_S,
        "input_tokens": limits.MAX_TOKENS_PER_REQUEST,
        "output_tokens": limits.MAX_TOKENS_PER_REQUEST,
        "concurrency": limits.MAX_CONCURRENCY,
        "request_rate_per_s": limits.MAX_REQUESTS_PER_S,
        "completed": limits.MAX_REQUEST_COUNT,
        "failed": limits.MAX_REQUEST_COUNT,
    }
    values = {name: getattr(point, name) for name in bounds}
    for stats in ("ttft_ms", "tpot_ms", "itl_ms", "e2e_ms"):
        for pct, value in vars(getattr(point, stats)).items():
            values[f"{stats}.{pct}"] = value
            bounds[f"{stats}.{pct}"] = limits.MAX_LATENCY_MS
    for name, value in values.items():
        if value is None:
            continue
        if not math.isfinite(value) or value < 0 or value > bounds[name]:
            raise ThroughputError(
                f"{name} {value:g} at {load_label(point)} is not a plausible measurement"
                f" (0..{bounds[name]:g}); check the file or re-run the benchmark",
                file=source,
            )
    tpot = point.tpot_ms.p50 if point.tpot_ms.p50 is not None else point.tpot_ms.mean
    if tpot is not None and tpot < limits.MIN_TPOT_MS and point.output_tokens >= 2 and _usable(point):
        raise ThroughputError(
            f"TPOT {tpot:.2g} ms at {load_label(point)} is no decode ({MS_PER_S / max(tpot, 1e-9):,.0f} tokens/s for"
            " one user): the text arrived in one piece, as behind a proxy that buffers the stream; run the benchmark"
            " against the server itself",
            file=source,
        )


def _fmt(value: float | None) -> str:
    """'unknown' for None, else the number without trailing zeros."""
    return "unknown" if value is None else f"{value:g}"


def _load_order(point: OperatingPoint) -> tuple[float, float, float]:
    """Sort key: concurrency, then offered rate, then throughput; unbounded (None) last."""
    inf = float("inf")
    return (
        inf if point.concurrency is None else point.concurrency,
        inf if point.request_rate_per_s is None else point.request_rate_per_s,
        point.requests_per_s,
    )


def read_many(paths: Iterable[str | Path]) -> list[OperatingPoint]:
    """The points of every file (a concurrency sweep as one curve), sorted by concurrency.

    A file in which no level completed a request (vLLM writes one file per level, so a sweep's highest level that
    failed is a file of its own) is skipped with an IngestWarning, as such a level inside one file is; when no file
    has a usable level, the first such file's error is raised.
    """
    points: list[OperatingPoint] = []
    failed: list[NoUsableResult] = []
    for path in paths:
        try:
            points += read_points(path)
        except NoUsableResult as error:
            failed.append(error)
    if not points and failed:
        raise failed[0]
    for skipped in failed:
        warnings.warn(f"{skipped.file}: skipped: {skipped.detail}", IngestWarning, stacklevel=2)
    return sorted(_without_repeats(points), key=_load_order)


def _without_repeats(points: list[OperatingPoint]) -> list[OperatingPoint]:
    """The points less any that repeats an earlier one figure for figure (a result appended to its file twice, one
    file given twice), each dropped with an IngestWarning; no two measurements agree in every figure. qa23: a result
    appended twice gave two identical points, unsaid."""
    first_seen: dict[OperatingPoint, OperatingPoint] = {}
    kept: list[OperatingPoint] = []
    for point in points:
        earlier = first_seen.setdefault(dataclasses.replace(point, source=""), point)
        if earlier is point:
            kept.append(point)
            continue
        where = "this file" if earlier.source == point.source else earlier.source
        warnings.warn(
            f"{point.source}: the {point.tool} level at {load_label(point)} repeats one already read from {where}, every"
            " figure the same (a result appended twice, or one file given twice): read once",
            IngestWarning,
            stacklevel=3,
        )
    return kept
