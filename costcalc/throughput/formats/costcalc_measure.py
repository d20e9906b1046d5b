"""costcalc's own `costcalc measure` output (schema costcalc.measure/1): one point per level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costcalc.file_kinds import MEASURE_SCHEMA_PREFIX, is_costcalc_measure
from costcalc.throughput.formats._common import (
    FormatProblem,
    MissingField,
    count,
    latency,
    mapping,
    number,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint

TOOL = "costcalc-measure"
NAME = "costcalc measure output"
SCHEMA_PREFIX = MEASURE_SCHEMA_PREFIX
SUPPORTED_SCHEMAS = ("costcalc.measure/1",)


def matches(doc: Mapping[str, Any]) -> bool:
    """A costcalc.measure/N document (costcalc.file_kinds.is_costcalc_measure)."""
    return is_costcalc_measure(doc)


def _stats(level: Mapping[str, Any], name: str, where: str) -> LatencyStats:
    """level[name] = {mean, p50, p90, p95, p99} in ms, or empty stats when absent."""
    value = level.get(name)
    return LatencyStats() if value is None else latency(mapping(value, what=f"{where}.{name}"))


def parse(doc: Mapping[str, Any], source: str) -> list[OperatingPoint]:
    """Every level in `levels` (one per concurrency, or per request rate, the measurement ran)."""
    if "schema" not in doc:
        raise MissingField(
            f"schema is missing (format says {doc['format']!r})",
            fix="costcalc measure writes the version under schema: rename format to schema",
        )
    if doc["schema"] not in SUPPORTED_SCHEMAS:
        raise FormatProblem(
            f"schema {doc['schema']!r} is not supported (this costcalc reads {', '.join(SUPPORTED_SCHEMAS)})"
        )
    levels = doc.get("levels")
    if levels is None:
        raise MissingField("levels is missing (the list of measured levels, one per concurrency or request rate)")
    if not isinstance(levels, list):
        raise FormatProblem("levels should be a list")
    points = []
    for i, raw in enumerate(levels):
        where = f"levels[{i}]"
        level = mapping(raw, what=where)

        def num(key: str, *, where: str = where, level: Mapping[str, Any] = level) -> float:
            return number(level.get(key), what=f"{where}.{key}", required=True)

        def num_or_none(
            key: str, *, required: bool = False, where: str = where, level: Mapping[str, Any] = level
        ) -> float | None:
            return number(level.get(key), what=f"{where}.{key}", required=required)

        completed = count(level.get("requests_completed"), what=f"{where}.requests_completed")
        lengths_known = completed != 0  # a level where nothing completed may have null means
        points.append(
            OperatingPoint(
                requests_per_s=num("requests_per_s"),
                output_tokens_per_s=num("output_tokens_per_s"),
                input_tokens=num_or_none("input_tokens_mean", required=lengths_known) or 0.0,
                output_tokens=num_or_none("output_tokens_mean", required=lengths_known) or 0.0,
                concurrency=num_or_none("concurrency"),
                request_rate_per_s=num_or_none("request_rate_per_s"),
                ttft_ms=_stats(level, "ttft_ms", where),
                tpot_ms=_stats(level, "tpot_ms", where),
                itl_ms=_stats(level, "itl_ms", where),
                e2e_ms=_stats(level, "e2e_ms", where),
                completed=completed,
                failed=count(level.get("requests_failed"), what=f"{where}.requests_failed"),
                model=doc.get("model"),
                tool=TOOL,
                source=source,
            )
        )
    return points
