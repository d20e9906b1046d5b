"""`measure` against a real llama.cpp server (llama-cpp-python) serving a tiny model made in code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costcalc.throughput.loadgen import Target
from costcalc.throughput.measure import MeasureConfig, measure
from tests.support.measure_schema import assert_measure_schema

from tests.support.llama_server import MODEL_ALIAS as LLAMA_MODEL_ALIAS

pytestmark = [pytest.mark.llama_server, pytest.mark.slow]

INPUT_WORDS = 24
OUTPUT_TOKENS = 12
REQUESTS_PER_LEVEL = 6


@pytest.mark.parametrize("endpoint", ["chat", "completions"])
def test_counts_and_timings_are_consistent(llama_server_url: str, endpoint: str) -> None:
    target = Target(llama_server_url, LLAMA_MODEL_ALIAS, INPUT_WORDS, OUTPUT_TOKENS,
                    endpoint=endpoint)
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


def test_result_file_feeds_the_benchmark_ingest(llama_server_url: str, tmp_path: Path) -> None:
    from costcalc.render.measure import render_json
    from costcalc.throughput.ingest import read_points

    target = Target(llama_server_url, LLAMA_MODEL_ALIAS, INPUT_WORDS, OUTPUT_TOKENS)
    result = measure(MeasureConfig(target, (1, 2), requests_per_level=3))
    path = tmp_path / "measured.json"
    path.write_text(render_json(result.to_dict()))
    points = read_points(path)
    assert [p.concurrency for p in points] == [1, 2]
    assert all(p.output_tokens == OUTPUT_TOKENS and p.completed == 3 for p in points)
    assert all(p.output_tokens_per_s > 0 and p.ttft_ms.p95 is not None for p in points)


def test_unknown_route_on_a_real_server_is_an_http_error(llama_server_url: str) -> None:
    from costcalc.errors import ExternalError

    target = Target(llama_server_url + "/nowhere", LLAMA_MODEL_ALIAS, 4, 2)
    with pytest.raises(ExternalError, match="http_404: 2"):
        measure(MeasureConfig(target, (1,), requests_per_level=2))


def test_streams_the_server_cuts_short_are_errors_not_short_successes(
    interrupting_llama_server_url: str,
) -> None:
    # With interrupt_requests on (its default) llama-cpp-python ends the running stream with
    # [DONE] and no finish_reason whenever another request waits: only the last one finishes.
    target = Target(interrupting_llama_server_url, LLAMA_MODEL_ALIAS, INPUT_WORDS, 32)
    level = measure(MeasureConfig(target, (3,), requests_per_level=REQUESTS_PER_LEVEL)).levels[0]
    assert level["requests_completed"] + level["requests_failed"] == REQUESTS_PER_LEVEL
    assert level["requests_completed"] >= 1
    assert level["errors"].get("stream_cut", 0) >= 1, level
    assert level["output_tokens_mean"] == 32  # completed requests really got every token
