"""Parsing each benchmark tool's result file into OperatingPoints, checked against the fixture numbers."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest

from costcalc.errors import ThroughputError
from costcalc.throughput.ingest import IngestWarning, read_many, read_points
from costcalc.throughput.points import LatencyStats

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "throughput"


def one(name: str):
    """The single point in a fixture file."""
    points = read_points(FIXTURES / name)
    assert len(points) == 1
    return points[0]


def approx_stats(mean=None, p50=None, p90=None, p95=None, p99=None) -> LatencyStats:
    """LatencyStats with pytest.approx in every known field (unit conversions multiply floats)."""

    def a(v):
        return None if v is None else pytest.approx(v, rel=1e-12)

    return LatencyStats(mean=a(mean), p50=a(p50), p90=a(p90), p95=a(p95), p99=a(p99))


# --- vLLM -------------------------------------------------------------------------------------


def test_vllm_old_format_without_failed_or_max_concurrency():
    p = one("vllm_old.json")
    assert (p.tool, p.model) == ("vllm", "example-org/example-8b")
    assert (p.requests_per_s, p.output_tokens_per_s) == (4.0, 512.0)
    # 51200 input and 12800 output tokens over 100 completed requests
    assert (p.input_tokens, p.output_tokens) == (512.0, 128.0)
    assert p.concurrency is None and p.request_rate_per_s is None  # request_rate "inf"
    assert (p.completed, p.failed) == (100, None)
    assert p.ttft_ms == LatencyStats(mean=250.0, p50=240.0, p99=600.0)
    assert p.tpot_ms == LatencyStats(mean=30.0, p50=29.0, p99=45.0)
    assert p.itl_ms == LatencyStats(mean=29.5, p50=28.0, p99=60.0)
    assert p.e2e_ms == LatencyStats()
    assert p.output_tokens_per_s_per_user == pytest.approx(1000 / 29.0)


def test_vllm_old_format_p95_comes_from_its_per_request_arrays(tmp_path):
    # vLLM's results of 2024-25 state only p99 but keep every request's TTFT and token gaps: the SLO was checked
    # against the p99 (on the real DeepSeek-V2.5 file TPOT p99 471 ms, p95 267 ms)
    doc = json.loads((FIXTURES / "vllm_old.json").read_text())
    ttfts_s = [0.1 * (i + 1) for i in range(20)]  # 100 ms .. 2,000 ms
    lens = [3] * 19 + [0]  # the last request failed (no tokens, an error)
    doc.update(
        completed=19,
        ttfts=ttfts_s,
        output_lens=lens,
        itls=[[0.01 * (i + 1), 0.01 * (i + 1)] for i in range(19)] + [[]],  # TPOT 10 .. 190 ms
        errors=[""] * 19 + ["Bad Gateway"],
    )
    (tmp_path / "v.json").write_text(json.dumps(doc))
    p = one_at(tmp_path / "v.json")
    # numpy's linear percentile over the 19 successful requests: rank 0.95 x 18 = 17.1
    assert p.ttft_ms.p95 == pytest.approx(1810.0) and p.tpot_ms.p95 == pytest.approx(181.0)
    assert (p.ttft_ms.p99, p.tpot_ms.p99) == (600.0, 45.0)  # the file's own figures stay
    doc["completed"] = 18  # arrays that do not count the completed requests are not used
    (tmp_path / "v.json").write_text(json.dumps(doc))
    assert one_at(tmp_path / "v.json").ttft_ms.p95 is None


def test_vllm_new_format_with_failures_percentiles_and_e2el():
    p = one("vllm_new.json")
    assert (p.concurrency, p.completed, p.failed) == (16.0, 198, 2)
    assert (p.requests_per_s, p.output_tokens_per_s) == (4.95, 1267.2)
    assert (p.input_tokens, p.output_tokens) == (1024.0, 256.0)  # 202752/198, 50688/198
    # p50_ttft_ms (281) is preferred over median_ttft_ms (280) when both are saved
    assert p.ttft_ms == LatencyStats(mean=310.0, p50=281.0, p90=450.0, p95=520.0, p99=700.0)
    assert p.e2e_ms == LatencyStats(mean=3230.0, p50=3150.0, p90=3600.0, p95=3800.0, p99=4100.0)


def test_vllm_numeric_request_rate_and_goodput_colon_key():
    p = one("vllm_rate_goodput_colon.json")
    assert (p.request_rate_per_s, p.concurrency, p.failed) == (4.0, None, None)
    assert (p.requests_per_s, p.output_tokens_per_s) == (3.125, 593.75)
    assert (p.input_tokens, p.output_tokens) == (200.0, 190.0)


def test_vllm_all_failed_raises_naming_the_file():
    with pytest.raises(ThroughputError) as err:
        read_points(FIXTURES / "vllm_all_failed.json")
    assert "vllm_all_failed.json" in str(err.value)
    assert "no request completed" in str(err.value)
    assert "no request completed (1 level, 8 failed requests); check the server" in str(err.value)  # not '1 level(s)'
    assert err.value.exit_code == 2


@pytest.mark.parametrize("text", ["[]", " [ ]\n"])
def test_an_empty_list_holds_no_benchmark_result(tmp_path, text):
    """Not 'no request completed (0 level(s), 0 failed requests); check the server and rerun the benchmark'."""
    (tmp_path / "e.json").write_text(text)
    with pytest.raises(ThroughputError) as err:
        read_points(tmp_path / "e.json")
    assert str(err.value) == (
        f"{tmp_path / 'e.json'}: the file holds no benchmark result, only an empty list (expected vLLM bench serve "
        "JSON, GuideLLM report, genai-perf/AIPerf export, llmperf *_summary.json or costcalc measure output)"
    )
    assert err.value.exit_code == 2


def test_vllm_append_result_json_lines_hold_several_points_in_file_order():
    points = read_points(FIXTURES / "vllm_append.jsonl")
    assert [p.concurrency for p in points] == [4.0, 1.0, 16.0]
    assert [p.requests_per_s for p in points] == [1.6, 0.5, 4.0]
    assert [p.output_tokens_per_s for p in points] == [409.6, 128.0, 1024.0]
    assert [p.ttft_ms.p50 for p in points] == [90.0, 60.0, 400.0]


def test_indented_results_appended_into_one_file_are_each_read(tmp_path):
    """`cat a.json b.json > both.json` of two indented vLLM results: both levels (qa23: "not valid JSON (Extra data)")."""
    levels = [json.loads(line) for line in (FIXTURES / "vllm_append.jsonl").read_text().splitlines()]
    both = tmp_path / "both.json"
    both.write_text("".join(json.dumps(level, indent=4) + "\n" for level in levels[:2]))
    assert [p.concurrency for p in read_points(both)] == [4.0, 1.0]


def test_results_saved_with_a_byte_order_mark_and_appended_are_each_read(tmp_path):
    """qa24: `cat a.json b.json` of two files a Windows tool wrote (each starting with a byte-order mark) put the second
    mark between the documents: 'not valid JSON or YAML (JSON: Expecting value, line 53 column 1)'."""
    levels = [json.loads(line) for line in (FIXTURES / "vllm_append.jsonl").read_text().splitlines()]
    both = tmp_path / "both.json"
    both.write_text("".join("\ufeff" + json.dumps(level, indent=4) + "\r\n" for level in levels[:2]), encoding="utf-8")
    assert [p.concurrency for p in read_points(both)] == [4.0, 1.0]


def test_yaml_reports_separated_by_a_document_line_are_each_read(tmp_path):
    """qa24: two GuideLLM YAML reports with '---' between them read 'not valid JSON or YAML (JSON: Expecting value ...)'."""
    import yaml

    report = yaml.safe_load((FIXTURES / "guidellm_old.yaml").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(report))
    for benchmark in other["benchmarks"]:
        benchmark["metrics"]["requests_per_second"]["successful"]["mean"] *= 2  # another run: every level twice as fast
    both = tmp_path / "both.yaml"
    both.write_text(yaml.safe_dump(report) + "---\n" + yaml.safe_dump(other), encoding="utf-8")
    once = read_points(FIXTURES / "guidellm_old.yaml")
    assert len(read_points(both)) == 2 * len(once)


def test_yaml_reports_appended_without_a_document_line_are_refused(tmp_path):
    """qa24: `cat a.yaml b.yaml` of two YAML reports was read as the second alone (a YAML reader keeps a key's last
    value), unsaid."""
    text = (FIXTURES / "guidellm_old.yaml").read_text(encoding="utf-8")
    both = tmp_path / "both.yaml"
    both.write_text(text + text, encoding="utf-8")
    again = text.count("\n") + 1
    with pytest.raises(
        ThroughputError, match=rf"both\.yaml:{again}: the key '\w+' is on line 1 and again on line {again}: two"
    ):
        read_points(both)


def test_a_broken_document_after_a_good_one_is_named_where_it_breaks(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text((FIXTURES / "vllm_new.json").read_text() + '{"date": 1,,}\n')
    line = (FIXTURES / "vllm_new.json").read_text().count("\n") + 1
    with pytest.raises(
        ThroughputError, match=rf"not valid JSON or YAML \(JSON: Expecting property name .*, line {line} "
    ):
        read_points(broken)


def test_a_result_appended_twice_is_read_once_and_said(tmp_path):
    twice = tmp_path / "twice.json"
    twice.write_text((FIXTURES / "vllm_new.json").read_text() * 2)
    with pytest.warns(
        IngestWarning,
        match=r"twice\.json: the vllm level at concurrency 16 repeats one already read from"
        r" this file, every figure the same .*: read once",
    ):
        points = read_many([twice])
    assert [dataclasses.replace(p, source="") for p in points] == [
        dataclasses.replace(p, source="") for p in read_points(FIXTURES / "vllm_new.json")
    ]


def test_one_result_in_two_files_is_read_once_and_said(tmp_path):
    copy = tmp_path / "copy.json"
    shutil.copy(FIXTURES / "vllm_new.json", copy)
    with pytest.warns(
        IngestWarning,
        match=r"copy\.json: the vllm level at concurrency 16 repeats one already read from .*vllm_new\.json",
    ):
        points = read_many([FIXTURES / "vllm_new.json", copy])
    assert [p.source for p in points] == [str(FIXTURES / "vllm_new.json")]


def test_vllm_without_completed_derives_lengths_from_rates(tmp_path):
    # total_out / completed == output_throughput / request_throughput over the same duration
    text = (FIXTURES / "vllm_old.json").read_text().replace('"completed": 100, ', "")
    (tmp_path / "r.json").write_text(text)
    p = one_at(tmp_path / "r.json")
    assert p.completed is None
    assert p.output_tokens == pytest.approx(512.0 / 4.0)
    assert p.input_tokens == pytest.approx(51200 / 12800 * 128.0)


def one_at(path: Path):
    (point,) = read_points(path)
    return point


# --- GuideLLM ---------------------------------------------------------------------------------


def test_guidellm_new_schema_sweep_skips_the_failed_level_with_a_warning():
    with pytest.warns(
        IngestWarning,
        match=r"guidellm_new\.json: skipped .* concurrency 512: 0 requests completed, 12 failed",
    ):
        points = read_points(FIXTURES / "guidellm_new.json")
    assert [p.concurrency for p in points] == [1.0, 8.0]  # synchronous, concurrent streams=8
    sync, conc = points
    assert (sync.requests_per_s, sync.output_tokens_per_s) == (0.5, 128.0)
    assert (sync.input_tokens, sync.output_tokens) == (256.0, 256.0)
    assert (sync.completed, sync.failed, sync.model) == (30, 0, "example-org/example-20b")
    assert sync.ttft_ms == LatencyStats(mean=45.0, p50=44.0, p90=50.0, p95=52.0, p99=58.0)
    assert sync.tpot_ms.p50 == 7.5 and sync.itl_ms.p50 == 7.4
    assert sync.e2e_ms == approx_stats(1980.0, 1970.0, 2020.0, 2040.0, 2100.0)  # seconds -> ms
    assert (conc.requests_per_s, conc.output_tokens_per_s, conc.failed) == (3.2, 819.2, 1)
    assert conc.ttft_ms.p95 == 210.0


@pytest.mark.parametrize("name", ["guidellm_old.json", "guidellm_old.yaml"])
def test_guidellm_old_schema_json_and_yaml(name):
    sync, constant = read_points(FIXTURES / name)
    assert (sync.tool, sync.model, sync.concurrency) == ("guidellm", "example_model", 1.0)
    assert (sync.requests_per_s, sync.output_tokens_per_s) == (1.55, 198.0)
    assert (sync.input_tokens, sync.output_tokens, sync.completed) == (257.0, 128.0, 46)
    # no p50 in the v0.3 percentiles: the median stands in
    assert sync.ttft_ms == LatencyStats(mean=16.8, p50=16.4, p90=18.5, p95=19.0, p99=21.3)
    assert sync.e2e_ms.p50 == pytest.approx(642.0)
    assert (constant.concurrency, constant.request_rate_per_s) == (None, 6.0)
    assert (constant.requests_per_s, constant.output_tokens_per_s) == (5.9, 755.0)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("config", "strategy"), "synchronous", "strategy"),
        (("metrics", "request_totals"), 30, "request_totals"),
        (
            ("metrics", "time_to_first_token_ms", "successful", "percentiles"),
            [44.0],
            "metrics.time_to_first_token_ms.successful.percentiles",
        ),
    ],
)
def test_guidellm_field_that_is_not_an_object_is_a_format_error(tmp_path, path, value, field):
    """A nested GuideLLM field that should be an object but is not: one format error naming it (was AttributeError)."""
    doc = json.loads((FIXTURES / "guidellm_new.json").read_text())
    parent = doc["benchmarks"][0]
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    (tmp_path / "g.json").write_text(json.dumps(doc))
    with pytest.raises(ThroughputError) as err:
        read_points(tmp_path / "g.json")
    found = type(value).__name__
    assert (
        f"g.json: looks like a GuideLLM report result but {field} should be an object, found {found};"
        in err.value.message
    )


@pytest.mark.parametrize(
    ("backend_model", "args_model", "expected"),
    [
        (7, "example-org/example-20b", "example-org/example-20b"),  # a non-string name is skipped, not passed on
        (["a"], None, None),
        ("", "example-org/example-20b", "example-org/example-20b"),
    ],
)
def test_guidellm_model_is_the_first_non_empty_string(tmp_path, backend_model, args_model, expected):
    """OperatingPoint.model is str | None: a GuideLLM model field that is not a string is not copied into it."""
    doc = json.loads((FIXTURES / "guidellm_new.json").read_text())
    for bench in doc["benchmarks"]:
        bench["config"]["backend"]["model"] = backend_model
    doc["args"]["model"] = args_model
    (tmp_path / "g.json").write_text(json.dumps(doc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)  # the fixture's failed level
        points = read_points(tmp_path / "g.json")
    assert [p.model for p in points] == [expected, expected]


# --- genai-perf / AIPerf ----------------------------------------------------------------------


def test_genai_perf_flat_input_config():
    p = one("genai_perf_flat.json")
    assert (p.tool, p.model, p.concurrency) == ("genai-perf", "example-org/example-20b", 8.0)
    assert (p.requests_per_s, p.output_tokens_per_s) == (2.5, 640.0)
    assert (p.input_tokens, p.output_tokens, p.completed, p.failed) == (1024.0, 256.0, 250, None)
    assert p.ttft_ms == LatencyStats(mean=420.0, p50=400.0, p90=610.0, p95=680.0, p99=820.0)
    # genai-perf's ITL is (latency - TTFT) / (tokens - 1), i.e. TPOT: it fills both
    assert p.tpot_ms == p.itl_ms == LatencyStats(mean=11.0, p50=10.8, p90=12.1, p95=12.6, p99=14.2)
    assert p.e2e_ms.p95 == 4100.0


def test_genai_perf_nested_input_config_and_seconds_unit():
    p = one("genai_perf_nested.json")
    assert (p.concurrency, p.requests_per_s, p.output_tokens_per_s) == (1.0, 0.47, 12.1)
    assert p.e2e_ms == approx_stats(2083.0, 2197.0, 2533.0, 2622.0, 2646.0)  # "sec" -> ms


def test_aiperf_export():
    p = one("aiperf.json")
    assert (p.tool, p.model, p.concurrency) == ("aiperf", "example-org/example-20b", 10.0)
    assert (p.requests_per_s, p.output_tokens_per_s) == (1.92, 544.3)
    # output_sequence_length (reasoning included), not output_token_count
    assert (p.input_tokens, p.output_tokens) == (196.4, 283.5)
    assert (p.completed, p.failed) == (96, 4)
    assert p.ttft_ms.p95 == 87.0  # time_to_first_token, not time_to_first_output_token
    assert p.tpot_ms.p50 == 18.04


def test_aiperf_early_records_layout():
    p = one("aiperf_records.json")
    assert (p.tool, p.concurrency, p.completed, p.failed) == ("aiperf", 100.0, 89, 11)
    assert (p.requests_per_s, p.output_tokens_per_s) == (9.55, 2320.7)
    assert (p.input_tokens, p.output_tokens) == (550.0, 243.0)
    assert p.ttft_ms == LatencyStats(mean=2343.2, p50=2369.3, p90=3796.9, p95=3825.3, p99=3833.4)


# --- llmperf, costcalc measure ----------------------------------------------------------------


def test_llmperf_summary_seconds_to_ms_and_per_minute_rate():
    p = one("llmperf_c8_summary.json")
    assert (p.tool, p.model, p.concurrency) == ("llmperf", "example-org/example-70b", 8.0)
    assert p.requests_per_s == pytest.approx(135.0 / 60)  # results_num_completed_requests_per_min
    assert p.output_tokens_per_s == 342.0
    assert (p.input_tokens, p.output_tokens) == (548.0, 152.0)  # measured means, not requested
    assert (p.completed, p.failed) == (117, 3)
    assert p.ttft_ms == approx_stats(300.0, 280.0, 370.0, 410.0, 550.0)
    assert p.itl_ms == approx_stats(21.0, 20.0, 26.0, 30.0, 45.0)
    assert p.tpot_ms == LatencyStats()  # llmperf's ITL includes TTFT: not a TPOT
    assert p.e2e_ms.p50 == pytest.approx(3300.0)


def test_llmperf_summary_with_nan_statistics_is_read(tmp_path):
    # llmperf json.dumps pandas' std() of its series: NaN when one request completed; the file was refused whole
    # ('not usable JSON: NaN is not a number JSON allows') for statistics costcalc does not read
    summary = json.loads((FIXTURES / "llmperf_c8_summary.json").read_text())
    stddevs = [k for k in summary if k.startswith("results_") and k.endswith("_stddev")]
    summary.update(dict.fromkeys(stddevs, float("nan")), results_ttft_s_quantiles_p95=float("nan"))
    (tmp_path / "s.json").write_text(json.dumps(summary, indent=4))
    assert '"results_ttft_s_stddev": NaN' in (tmp_path / "s.json").read_text()
    p = one_at(tmp_path / "s.json")
    assert p == dataclasses.replace(
        one("llmperf_c8_summary.json"),
        source=str(tmp_path / "s.json"),
        ttft_ms=dataclasses.replace(one("llmperf_c8_summary.json").ttft_ms, p95=None),
    )
    summary["results_mean_output_throughput_token_per_s"] = float("nan")  # a figure it needs: named
    (tmp_path / "s.json").write_text(json.dumps(summary))
    with pytest.raises(ThroughputError, match="results_mean_output_throughput_token_per_s is not a finite number"):
        read_points(tmp_path / "s.json")


def test_costcalc_measure_levels_and_failed_level_skipped():
    with pytest.warns(IngestWarning, match="concurrency 64"):
        low, high = read_points(FIXTURES / "costcalc_measure.json")
    assert (low.tool, low.model) == ("costcalc-measure", "example-org/example-8b")
    assert (low.concurrency, low.requests_per_s, low.output_tokens_per_s) == (4.0, 3.25, 416.0)
    assert (low.input_tokens, low.output_tokens, low.completed, low.failed) == (512.0, 128.0, 40, 0)
    assert low.ttft_ms == LatencyStats(mean=80.0, p50=75.0, p90=110.0, p95=125.0, p99=160.0)
    assert low.tpot_ms.p99 == 11.8 and low.itl_ms.p95 == 11.0 and low.e2e_ms.p90 == 1350.0
    assert (high.concurrency, high.requests_per_s, high.failed) == (16.0, 8.0, 1)


def test_costcalc_measure_unsupported_schema_version(tmp_path):
    text = (FIXTURES / "costcalc_measure.json").read_text().replace("costcalc.measure/1", "costcalc.measure/9")
    (tmp_path / "m.json").write_text(text)
    with pytest.raises(ThroughputError, match=r"m\.json: .*'costcalc\.measure/9' is not supported"):
        read_points(tmp_path / "m.json")


# --- detection by content, errors -------------------------------------------------------------


def test_format_is_detected_from_content_not_file_name(tmp_path):
    renamed = tmp_path / "results.txt"
    shutil.copy(FIXTURES / "llmperf_c8_summary.json", renamed)
    assert one_at(renamed).tool == "llmperf"


def test_malformed_json_names_file_and_expectation(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"date": "20260818-021333" "backend": "vllm", "request_throughput": 5.8}', encoding="utf-8")
    with pytest.raises(ThroughputError) as err:
        read_points(broken)
    message = str(err.value)
    assert message.startswith(f"{broken}: not valid JSON or YAML (JSON: Expecting ',' delimiter, line 1 column 28)")
    assert "expected vLLM bench serve JSON" in message and "\n" not in message


@pytest.mark.parametrize("share", [0.5, 0.99])
@pytest.mark.parametrize(
    "name",
    [
        "vllm_old.json",
        "vllm_new.json",
        "llmperf_c8_summary.json",
        "guidellm_old.json",
        "aiperf.json",
    ],
)
def test_a_result_file_cut_short_is_said_to_be(tmp_path, name: str, share: float):
    # qa23: a result cut short (an interrupted copy or run) read 'not valid JSON or YAML (JSON: Unterminated
    # string starting at, line 1 column 5978); expected vLLM bench serve JSON, ...', as if it were another format
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: int(len(text) * share)], encoding="utf-8")
    with pytest.raises(ThroughputError) as err:
        read_points(cut)
    assert str(err.value) == (
        f"{cut}: the JSON ends with brackets or a text still open: the file was cut short, as an interrupted copy,"
        " download or run leaves it; copy or export the whole file again"
    )
    assert read_points(FIXTURES / name)  # whole, it reads


def test_other_json_lists_the_keys_found():
    with pytest.raises(ThroughputError) as err:
        read_points(FIXTURES / "other_kind.json")
    assert str(err.value) == (
        f"{FIXTURES / 'other_kind.json'}: not a recognised benchmark result (expected vLLM bench "
        "serve JSON, GuideLLM report, genai-perf/AIPerf export, llmperf *_summary.json or costcalc "
        "measure output); found keys: data, total_count"
    )


def test_many_keys_are_cut_with_an_ellipsis(tmp_path):
    path = tmp_path / "k.json"
    path.write_text("{" + ", ".join(f'"k{i}": {i}' for i in range(12)) + "}")
    with pytest.raises(ThroughputError, match=r"found keys: k0, k1, k2, k3, k4, k5, k6, k7…$"):
        read_points(path)


def test_recognised_file_with_a_broken_field(tmp_path):
    text = (FIXTURES / "vllm_old.json").read_text().replace('"request_throughput": 4.0', '"request_throughput": "fast"')
    (tmp_path / "v.json").write_text(text)
    with pytest.raises(
        ThroughputError,
        match=r"v\.json: looks like a vLLM bench serve result but request_throughput should be a number, found 'fast'",
    ):
        read_points(tmp_path / "v.json")


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "vllm_old.json",
            lambda d: d.pop("request_throughput"),
            "looks like a vLLM bench serve result but request_throughput is missing; re-export it from the tool"
            " (its complete result has the field) or add the field",
        ),
        (
            "costcalc_measure.json",
            lambda d: d.pop("levels"),
            "looks like a costcalc measure output result but levels is missing (the list of measured levels, one per"
            " concurrency or request rate); re-export it from the tool (its complete result has the field) or add"
            " the field",
        ),
        (
            "costcalc_measure.json",
            lambda d: d.update(format=d.pop("schema")),
            "looks like a costcalc measure output result but schema is missing (format says 'costcalc.measure/1');"
            " costcalc measure writes the version under schema: rename format to schema",
        ),
    ],
)
def test_a_recognised_file_lacking_a_field_names_the_field_and_the_fix(tmp_path, name, change, expected):
    """qa11: a vLLM result without request_throughput, or a costcalc measure file without levels, said 'not a
    recognised benchmark result; found keys: ...' though the file says what it is."""
    doc = json.loads((FIXTURES / name).read_text())
    change(doc)
    (tmp_path / "x.json").write_text(json.dumps(doc))
    with pytest.raises(ThroughputError) as err:
        read_points(tmp_path / "x.json")
    assert str(err.value) == f"{tmp_path / 'x.json'}: {expected}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ": the file is empty (expected"),
        # qa18: each was 'found a JSON int' (the list's first item, read as a document of its own), 'a JSON str', ...
        ("[1, 2]", "; found a list of numbers"),
        ('[1, "a", null]', "; found a list of nulls, numbers and texts"),
        ("42", "; found a number"),
        ('"results.json"', "; found a text"),
        ("null", "; found null"),
    ],
)
def test_empty_and_non_object_files(tmp_path, content, expected):
    (tmp_path / "x.json").write_text(content)
    with pytest.raises(ThroughputError) as err:
        read_points(tmp_path / "x.json")
    assert expected in str(err.value) and (expected.startswith(":") or str(err.value).endswith(expected))


def test_missing_file(tmp_path):
    with pytest.raises(ThroughputError, match=r"nope\.json: file not found"):
        read_points(tmp_path / "nope.json")


def test_read_many_sorts_by_concurrency_unbounded_last():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        points = read_many(
            [
                FIXTURES / "vllm_old.json",
                FIXTURES / "vllm_append.jsonl",
                FIXTURES / "costcalc_measure.json",
                FIXTURES / "vllm_rate_goodput_colon.json",
            ]
        )
    assert [(p.concurrency, p.request_rate_per_s) for p in points] == [
        (1.0, None),
        (4.0, None),
        (4.0, None),
        (16.0, None),
        (16.0, None),
        (None, 4.0),
        (None, None),
    ]
    # equal concurrency: lower throughput first (stable, deterministic)
    assert [p.requests_per_s for p in points[1:3]] == [1.6, 3.25]


def test_read_many_raises_on_the_first_bad_file():
    with pytest.raises(ThroughputError, match="other_kind.json"):
        read_many([FIXTURES / "vllm_old.json", FIXTURES / "other_kind.json"])


# --- files of the wrong kind: what they are and what to give instead ---------------------------


def test_a_csv_export_is_named_as_such_with_the_json_to_give(tmp_path):
    # AIPerf's profile_export_aiperf.csv beside the JSON (its first two lines): was 'not valid JSON or YAML (JSON:
    # Expecting value, line 1 column 1)'
    (tmp_path / "profile_export_aiperf.csv").write_text(
        "Metric,avg,min,max,p1,p5,p25,p50,p75,p90,p95,p99,std\n"
        "Input Sequence Length (tokens),550.00,550.00,550.00,550.00,550.00,550.00,550.00,550.00,550.00,550.00,550.00,0.00\n"
    )
    with pytest.raises(ThroughputError, match=r"profile_export_aiperf\.csv: a CSV table, not a JSON result; give"):
        read_points(tmp_path / "profile_export_aiperf.csv")


def test_a_gzipped_result_says_to_decompress_it(tmp_path):
    # was 'not a text file (not UTF-8 at byte 1)'
    (tmp_path / "run.json.gz").write_bytes(gzip.compress((FIXTURES / "vllm_new.json").read_bytes()))
    with pytest.raises(ThroughputError, match=r"run\.json\.gz: compressed with gzip, not text; decompress it"):
        read_points(tmp_path / "run.json.gz")


def test_costcalc_ingests_own_output_says_to_give_the_files_it_read(tmp_path):
    # `costcalc ingest bench.json -o points.json`, then points.json as throughput.measured: was 'not a recognised
    # benchmark result ...; found keys: schema_version, kind, points'
    from costcalc.render.ingest import render_json

    (tmp_path / "points.json").write_text(render_json([one("vllm_new.json")]))
    with pytest.raises(
        ThroughputError,
        match=r"points\.json: costcalc ingest's output \(schema_version \S+: the points it read\), not a benchmark result \(give the benchmark files it read\)$",
    ):
        read_points(tmp_path / "points.json")


def test_a_file_whose_every_level_failed_is_skipped_beside_files_that_completed():
    # vLLM writes one file per level: a sweep's top level that failed every request made the whole curve unreadable
    # (exit 2), while the same level inside one GuideLLM or costcalc measure file is skipped with a warning
    with pytest.warns(IngestWarning, match=r"vllm_all_failed\.json: skipped: no usable result: no request completed"):
        (point,) = read_many([FIXTURES / "vllm_new.json", FIXTURES / "vllm_all_failed.json"])
    assert point == one("vllm_new.json")
    with pytest.raises(ThroughputError, match=r"vllm_all_failed\.json: no usable result"):
        read_many([FIXTURES / "vllm_all_failed.json"])  # alone it is still an error


@pytest.mark.parametrize(
    ("name", "doc", "said"),
    [
        (  # perf_analyzer 2.60's export shape, written by genai-perf beside its summary
            "profile_export.json",
            {
                "experiments": [
                    {"experiment": {"mode": "concurrency", "value": 1}, "requests": [], "window_boundaries": []}
                ]
            },
            "perf_analyzer's per-request export (genai-perf's profile_export.json), not its summary; give"
            " profile_export_genai_perf.json",
        ),
        (  # llmperf's common_metrics keys, one object per request
            "m_550_150_individual_responses.json",
            [{"error_code": None, "ttft_s": 0.2, "end_to_end_latency_s": 3.1, "number_output_tokens": 150}],
            "llmperf's per-request file (*_individual_responses.json), not its summary; give the *_summary.json",
        ),
    ],
)
def test_a_tools_per_request_file_says_which_summary_to_give(tmp_path, name, doc, said):
    # was 'not a recognised benchmark result (...); found keys: experiments' / 'error_code, ttft_s, ...'
    (tmp_path / name).write_text(json.dumps(doc))
    with pytest.raises(ThroughputError, match=re.escape(f"{name}: {said}")):
        read_points(tmp_path / name)


def test_a_tpot_faster_than_any_decode_is_refused_as_a_buffered_stream(tmp_path):
    # vLLM's bench (or any tool) behind a proxy that buffers the stream: every token arrives with the last, TPOT reads
    # 0.0024 ms, and throughput.measured passed any per-user speed target on it
    doc = json.loads((FIXTURES / "vllm_new.json").read_text())
    doc.update({k: 0.0024 for k in doc if k.endswith("_tpot_ms") and not k.startswith("std")})
    (tmp_path / "v.json").write_text(json.dumps(doc))
    with pytest.raises(ThroughputError, match=r"v\.json: TPOT 0\.0024 ms at concurrency 16 is no decode \(416,667"):
        read_points(tmp_path / "v.json")
    doc.update(total_output_tokens=doc["completed"])  # one token a request: no decode to time, TPOT 0 is no sign
    (tmp_path / "v.json").write_text(json.dumps(doc))
    assert one_at(tmp_path / "v.json").output_tokens == 1


def test_a_guidellm_report_without_benchmarks_says_so(tmp_path):
    # was 'not a recognised benchmark result (...); found keys: metadata, args, benchmarks'
    doc = json.loads((FIXTURES / "guidellm_new.json").read_text())
    doc["benchmarks"] = []
    (tmp_path / "g.json").write_text(json.dumps(doc))
    with pytest.raises(ThroughputError, match=r"g\.json: a GuideLLM report with no benchmarks in it \(no load level"):
        read_points(tmp_path / "g.json")
