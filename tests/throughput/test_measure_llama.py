"""`measure` against a real llama.cpp server (llama-cpp-python) serving a tiny model made in code."""

from __future__ import annotations

import json

import pytest

from costcalc.throughput.loadgen import Target
from costcalc.throughput.measure import MeasureConfig, measure
from tests.support.measure_schema import assert_measure_schema

from .conftest import LLAMA_MODEL_ALIAS

pytestmark = [pytest.mark.llama_server, pytest.mark.slow]

INPUT_WORDS = 24
OUTPUT_TOKENS = 12
REQUESTS_PER_LEVEL = 6


@pytest.mark.parametrize("endpoint", ["chat", "completions"])
def test_counts_and_timings_are_consistent(llama_server: str, endpoint: str) -> None:
    target = Target(llama_server, LLAMA_MODEL_ALIAS, INPUT_WORDS, OUTPUT_TOKENS, endpoint=endpoint)
    result = measure(MeasureConfig(target, (1, 3), requests_per_level=REQUESTS_PER_LEVEL))
    doc = json.loads(json.dumps(result.to_dict()))  # what lands in the file
    assert_measure_schema(doc)
    assert doc["interrupted"] is False
    assert [level["concurrency"] for level in doc["levels"]] == [1, 3]
    for level in doc["levels"]:
        assert level["requests_completed"] == REQUESTS_PER_LEVEL, level["error_examples"]
        assert (level["requests_failed"], level["errors"]) == (0, {})
        # The tiny model never emits end-of-sequence, so the server generates max_tokens.
        assert level["output_tokens_mean"] == OUTPUT_TOKENS
        assert level["requests_per_s"] == pytest.approx(REQUESTS_PER_LEVEL / level["duration_s"])
        assert level["output_tokens_per_s"] == pytest.approx(
            REQUESTS_PER_LEVEL * OUTPUT_TOKENS / level["duration_s"])
        for metric in ("ttft_ms", "tpot_ms", "itl_ms", "e2e_ms"):
            assert level[metric]["p50"] > 0, metric
        assert level["ttft_ms"]["p50"] < level["e2e_ms"]["p50"]
        assert level["ttft_ms"]["p99"] < level["e2e_ms"]["p99"]
        assert level["e2e_ms"]["p50"] <= level["duration_s"] * 1000
        # tpot spreads decode time over the tokens after the first: e2e ~ ttft + (n-1) * tpot
        implied_e2e = level["ttft_ms"]["mean"] + (OUTPUT_TOKENS - 1) * level["tpot_ms"]["mean"]
        assert implied_e2e == pytest.approx(level["e2e_ms"]["mean"], rel=0.05)
    # llama.cpp's Python server runs one request at a time: more concurrency queues requests,
    # so time to first token grows while throughput stays about the same.
    single, three = doc["levels"]
    assert three["ttft_ms"]["p90"] > single["ttft_ms"]["p50"]


def test_unknown_route_on_a_real_server_is_an_http_error(llama_server: str) -> None:
    from costcalc.errors import ExternalError

    target = Target(llama_server + "/nowhere", LLAMA_MODEL_ALIAS, 4, 2)
    with pytest.raises(ExternalError, match="http_404: 2"):
        measure(MeasureConfig(target, (1,), requests_per_level=2))
