"""One parser per benchmark tool; each exposes `TOOL`, `matches(doc)` and `parse(doc, source)`."""

from costcalc.throughput.formats import (
    costcalc_measure,
    genai_perf,
    guidellm,
    llmperf,
    vllm,
)

# Order matters only for documents that could look like two tools: the most specific first.
PARSERS = (costcalc_measure, guidellm, genai_perf, llmperf, vllm)

__all__ = ["PARSERS"]
