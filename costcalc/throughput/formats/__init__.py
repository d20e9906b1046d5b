"""One parser per benchmark tool; each exposes `NAME`, `matches(doc)` and `parse(doc, source)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from costcalc.throughput.formats import (
    costcalc_measure,
    genai_perf,
    guidellm,
    llmperf,
    vllm,
)
from costcalc.throughput.points import OperatingPoint


class FormatParser(Protocol):
    """What ingest needs of a format module (each module satisfies it with module-level names)."""

    NAME: str

    def matches(self, doc: Mapping[str, Any]) -> bool: ...

    def parse(self, doc: Mapping[str, Any], source: str) -> list[OperatingPoint]: ...


# Order matters only for documents that could look like two tools: the most specific first.
PARSERS: tuple[FormatParser, ...] = (costcalc_measure, guidellm, genai_perf, llmperf, vllm)

__all__ = ["PARSERS", "FormatParser"]
