"""`measure` against a real llama.cpp server (llama-cpp-python) serving a tiny in-code model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig, measure
from tests.support.llama_server import MODEL_ALIAS as LLAMA_MODEL_ALIAS
from tests.support.measure_schema import assert_measure_schema

pytestmark = [pytest.mark.llama_server, pytest.mark.slow]

INPUT_WORDS = 24
OUTPUT_TOKENS = 12
REQUESTS_PER_LEVEL = 6


@pytest.mark.parametrize("endpoint", ["chat", "completions"])
def test_counts_and_timings_are_consistent(llama_server_url: str, endpoint: str) -> None:
    target = Target(llama_server_url, LLAMA_MODEL_ALIAS, INPUT_WORDS, OUTPUT_TOKENS, endpoint=endpoint)
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
        assert level["output_tokens_per_s"] == pytest.approx(REQUESTS_PER_LEVEL * OUTPUT_TOKENS / level["duration_s"])
        for metric in ("ttft_ms", "tpot_ms", "itl_ms", "e2e_ms"):
            assert level[metric]["p50"] > 0, metric
        assert level["ttft_ms"]["p50"] < level["e2e_ms"]["p50"]
        assert level["ttft_ms"]["p99"] < level["e2e_ms"]["p99"]
        assert level["e2e_ms"]["p50"] <= level["duration_s"] * 1000
        # tpot spreads decode time over the tokens after the first: e2e ~ ttft + (n-1) * tpot
        implied_e2e = level["ttft_ms"]["mean"] + (OUTPUT_TOKENS - 1) * level["tpot_ms"]["mean"]
        assert implied_e2e == pytest.approx(level["e2e_ms"]["mean"], rel=0.05)
    # llama.cpp's Python server runs one request at a time: at concurrency 3 a request queues behind another's whole
    # generation, so its time to first token holds at least that request's decode. Compared within the level, so a
    # load spike on a shared machine during the other level cannot flip it (single's p50 against three's p90 did).
    single, three = doc["levels"]
    decode_of_one_ms = (OUTPUT_TOKENS - 1) * three["tpot_ms"]["p50"]
    assert three["ttft_ms"]["p90"] > decode_of_one_ms > 0, (three["ttft_ms"], single["ttft_ms"], decode_of_one_ms)


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


def test_measured_file_feeds_the_report(llama_server_url: str, tmp_path: Path) -> None:
    """measure → result file → `throughput: {measured: FILE}` → a report sized on that capacity."""
    import datetime as dt

    import costcalc
    from costcalc.render.measure import render_json
    from costcalc.units import SECONDS_PER_MONTH

    target = Target(llama_server_url, LLAMA_MODEL_ALIAS, INPUT_WORDS, OUTPUT_TOKENS)
    result = measure(MeasureConfig(target, (1, 2), requests_per_level=3))
    (tmp_path / "measured.json").write_text(render_json(result.to_dict()))
    doc = json.loads((tmp_path / "measured.json").read_text())
    best_rps = max(level["requests_per_s"] for level in doc["levels"])
    input_mean = doc["levels"][0]["input_tokens_mean"]
    scenario = tmp_path / "s.yaml"
    # the workload has the measured lengths, so no scaling: capacity = the best level's rate
    scenario.write_text(
        "version: 1\n"
        f"workload: {{requests_per_day: 1000, input_tokens: {input_mean}, output_tokens: {OUTPUT_TOKENS}}}\n"
        "options:\n"
        "  - {name: API, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 2}}\n"
        "  - name: Tiny on a rented GPU\n"
        "    kind: self_hosted\n"
        "    model: llama-3.2-3b\n"
        "    hardware: {gpu: l4-24gb, acquisition: rent, hourly_usd: 0.5}\n"
        "    throughput: {measured: measured.json}\n",
        encoding="utf-8",
    )
    report = costcalc.analyze(str(scenario), today=dt.date(2026, 11, 26))
    option = report.option("Tiny on a rented GPU")
    assert option.throughput is not None and option.throughput.basis == "measured"
    assert option.throughput.requests_per_s_per_replica == pytest.approx(best_rps)
    # one replica carries 1000/day easily: 730 h × $0.5
    assert option.replicas == 1
    assert option.monthly_cost == pytest.approx(730 * 0.5)
    assert option.utilisation == pytest.approx(1000 * 730 / 24 / SECONDS_PER_MONTH / best_rps)


def test_the_server_is_checked_and_run_apart_from_the_test_process(llama_server_url: str) -> None:
    import sys

    # llama_cpp opens two /dev/null files at import and never closes them: imported here, the test run would end with
    # two "sys:1: ResourceWarning: unclosed file <_io.TextIOWrapper name='/dev/null'>" lines
    assert "llama_cpp" not in sys.modules
