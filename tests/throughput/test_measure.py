"""`measure` against stub streaming servers on real sockets: counts, timings, failure classes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.errors import ExternalError
from costcalc.throughput.loadgen.prompts import build_prompt
from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig, latency_stats, measure, percentile
from tests.support import sse_servers as stubs
from tests.support.measure_schema import assert_measure_schema

TOKEN_DELAY_S = 0.002


def config(url: str, levels: tuple[int, ...] = (1, 3), requests: int | None = 6, **kw: object) -> MeasureConfig:
    target = Target(url, "stub-model", kw.pop("input_tokens", 20), kw.pop("output_tokens", 5), **kw)
    return MeasureConfig(target, levels, requests_per_level=requests)


def test_healthy_stub_counts_and_timings_are_consistent() -> None:
    with stubs.stub_server(stubs.StubConfig(token_delay_s=TOKEN_DELAY_S)) as (url, stub):
        result = measure(config(url))
    doc = result.to_dict()
    assert_measure_schema(doc)
    assert [lvl["concurrency"] for lvl in doc["levels"]] == [1, 3]
    assert len(stub.received) == 12
    for level in doc["levels"]:
        assert (level["requests_completed"], level["requests_failed"]) == (6, 0)
        assert level["errors"] == {}
        assert level["output_tokens_mean"] == 5.0  # usage.completion_tokens
        assert level["input_tokens_mean"] == float(stub.prompt_tokens)  # usage.prompt_tokens
        assert level["output_tokens_counted_by"] == "server_usage"
        assert level["requests_per_s"] == pytest.approx(6 / level["duration_s"])
        assert level["output_tokens_per_s"] == pytest.approx(30 / level["duration_s"])
        assert 0 < level["ttft_ms"]["p50"] < level["e2e_ms"]["p50"]
        assert level["ttft_ms"]["p99"] <= level["e2e_ms"]["p99"]
        # The stub sleeps before each of 5 chunks. (Chunks may reach the client together when
        # it is starved of CPU, so only end-to-end has a hard lower bound.)
        assert level["e2e_ms"]["p50"] >= 5 * TOKEN_DELAY_S * 1000
        # e2e = ttft + 4 gaps + the tail after the last token; tpot covers the gaps and tail.
        assert level["ttft_ms"]["mean"] + 4 * level["tpot_ms"]["mean"] == pytest.approx(level["e2e_ms"]["mean"])
        assert level["itl_ms"]["mean"] <= level["tpot_ms"]["mean"]
    body = stub.received[0]
    assert body["model"] == "stub-model" and body["max_tokens"] == 5 and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["messages"][0]["content"].count(" ") == 19  # 20 words
    prompts = [b["messages"][0]["content"] for b in stub.received]
    assert len(set(prompts)) == len(prompts), "prompts share a prefix cache entry"


def test_inter_token_latency_follows_the_server_pace() -> None:
    delay_s = 0.05
    with stubs.stub_server(stubs.StubConfig(token_delay_s=delay_s)) as (url, _):
        level = measure(config(url, (1,), requests=2, output_tokens=3)).levels[0]
    # 3 chunks 50 ms apart: 4 gaps of ~50 ms; TTFT includes one sleep too.
    assert level["itl_ms"]["p50"] >= delay_s * 1000 / 2
    assert level["itl_ms"]["p50"] < delay_s * 1000 * 4
    assert level["ttft_ms"]["p50"] >= delay_s * 1000


def test_without_usage_tokens_are_counted_from_the_stream() -> None:
    stub_config = stubs.StubConfig(send_usage=False)
    with stubs.stub_server(stub_config) as (url, _):
        level = measure(config(url, (2,), output_tokens=9, input_tokens=33)).levels[0]
    assert level["output_tokens_mean"] == 9.0
    assert level["input_tokens_mean"] == 33.0  # the requested length: nothing better known
    assert level["output_tokens_counted_by"] == "stream_chunks"
    assert level["input_tokens_counted_by"] == "requested"


def test_a_stream_that_comes_in_one_chunk_measures_no_tpot() -> None:
    # behind a proxy that buffers the stream, 40 tokens came in one chunk at the end: TPOT read 0.0025 ms a token
    # (400,000 tokens/s per user, so any per-user speed target passed), silently
    with stubs.stub_server(stubs.StubConfig(mode=stubs.ONE_CHUNK, token_delay_s=0.002)) as (url, _):
        level = measure(config(url, (1,), requests=3, output_tokens=8)).levels[0]
    assert (level["requests_completed"], level["output_tokens_mean"]) == (3, 8.0)
    assert level["requests_in_one_chunk"] == 3
    assert level["tpot_ms"] == dict.fromkeys(("mean", "p50", "p90", "p95", "p99"))
    assert level["ttft_ms"]["p50"] >= 8 * 2  # the whole generation
    with stubs.stub_server(stubs.StubConfig(token_delay_s=0.002)) as (url, _):  # a streamed one says nothing
        level = measure(config(url, (1,), requests=3, output_tokens=8)).levels[0]
    assert "requests_in_one_chunk" not in level and level["tpot_ms"]["p50"] > 0


def test_completions_endpoint_streams_text() -> None:
    with stubs.stub_server() as (url, stub):
        result = measure(config(url + "/v1/", (1,), endpoint="completions"))
    assert result.levels[0]["requests_completed"] == 6
    assert "prompt" in stub.received[0] and "messages" not in stub.received[0]
    assert result.to_dict()["endpoint"] == "/v1/completions"


def test_duration_mode_runs_until_the_deadline() -> None:
    duration_s = 0.3
    with stubs.stub_server(stubs.StubConfig(token_delay_s=TOKEN_DELAY_S)) as (url, stub):
        target = Target(url, "m", 8, 4)
        result = measure(MeasureConfig(target, (2,), duration_s_per_level=duration_s))
    level = result.levels[0]
    assert level["duration_s"] >= duration_s
    assert level["requests_completed"] == len(stub.received) >= 2


@pytest.mark.parametrize(
    ("mode", "error_class"),
    [
        (stubs.HTTP_500, "http_500"),
        (stubs.HTTP_401, "http_401"),
        (stubs.CUT, "stream_cut"),
        (stubs.NO_DONE, "stream_cut"),
        (stubs.GARBAGE, "malformed_sse"),
        (stubs.ERROR_EVENT, "stream_error"),
        (stubs.HANG_UP, "connection_error"),
        (stubs.EMPTY, "empty_response"),
    ],
)
def test_every_request_failing_raises_external_error(mode: str, error_class: str) -> None:
    with stubs.stub_server(stubs.StubConfig(mode=mode)) as (url, stub), pytest.raises(ExternalError) as info:
        measure(config(url, (1, 2), requests=3))
    assert len(stub.received) == 6  # the run went on through every level
    message = str(info.value)
    assert f"6 failed: {error_class}: 6" in message and "\n" not in message
    assert info.value.exit_code == 3


def test_when_nothing_succeeded_the_error_quotes_what_the_server_said() -> None:
    # a wrong --model gets vLLM's 404 'The model `x` does not exist'; the error said only 'http_404: 3' and to check
    # base_url, model, key and server; a server answering JSON to a stream request said only 'malformed_sse'
    with stubs.stub_server(stubs.StubConfig(mode=stubs.HTTP_500)) as (url, _), pytest.raises(ExternalError) as info:
        measure(config(url, (1,), requests=2))
    assert "(2 failed: http_500: 2); the server said (http_500): " in str(info.value)
    assert '"stub error 500"' in str(info.value) and "\n" not in str(info.value)
    key = "sk-measure-secret-123456789"
    with (
        stubs.stub_server(stubs.StubConfig(mode=stubs.HTTP_401)) as (url, _),
        pytest.raises(ExternalError) as info,
    ):
        measure(config(url, (1,), requests=2, api_key=key))  # the stub echoes the credential
    assert "the server said (http_401): " in str(info.value) and key not in str(info.value)
    with stubs.stub_server(stubs.StubConfig(mode=stubs.GARBAGE)) as (url, _), pytest.raises(ExternalError) as info:
        measure(config(url, (1,), requests=2))
    assert "the server said (malformed_sse): " in str(info.value)


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        (stubs.NO_DONE, "(2 failed: stream_cut: 2); stream_cut: stream ended without [DONE] or a finish_reason; "),
        (stubs.HANG_UP, "(2 failed: connection_error: 2); connection_error: Remote end closed connection without"),
        (stubs.EMPTY, "(2 failed: empty_response: 2); empty_response: stream finished without generating any text; "),
    ],
)
def test_when_nothing_succeeded_the_error_says_why_where_the_server_said_nothing(mode: str, said: str) -> None:
    # qa23: 'no request succeeded (2 failed: stream_cut: 2)' gave no reason where the server sent no answer of its
    # own; a connection error's reason ('Name or service not known') was cut off inside requests' 200 characters
    with stubs.stub_server(stubs.StubConfig(mode=mode)) as (url, _), pytest.raises(ExternalError) as info:
        measure(config(url, (1,), requests=2))
    assert said in str(info.value) and "\n" not in str(info.value)
    url = f"http://127.0.0.1:{stubs.free_port()}"
    with pytest.raises(ExternalError) as info:
        measure(config(url, (1,), requests=2))
    assert "(2 failed: connection_refused: 2); connection_refused: [Errno " in str(info.value)
    assert "Connection refused; nothing written" in str(info.value)


def test_connection_refused_is_counted() -> None:
    url = f"http://user:hunter2@127.0.0.1:{stubs.free_port()}"
    with pytest.raises(ExternalError, match="connection_refused: 4") as info:
        measure(config(url, (2,), requests=4))
    assert "hunter2" not in str(info.value)


def test_a_run_stops_after_a_level_whose_every_connection_was_refused() -> None:
    """qa18: with no server listening, every level ran its whole duration (--concurrency 1,4,16 --duration 60: three
    minutes of refused connections); the run now ends after the first such level, with the same error."""
    url = f"http://127.0.0.1:{stubs.free_port()}"
    levels: list[dict] = []
    target = Target(url, "m", 8, 4)
    with pytest.raises(ExternalError, match="connection_refused"):
        measure(MeasureConfig(target, (1, 2, 3), duration_s_per_level=0.3), on_level=levels.append)
    assert [level["concurrency"] for level in levels] == [1]


def test_a_level_with_other_failures_does_not_end_the_run() -> None:
    with stubs.stub_server(stubs.StubConfig(mode=stubs.HTTP_500)) as (url, stub), pytest.raises(ExternalError):
        measure(MeasureConfig(Target(url, "m", 8, 4), (1, 2), duration_s_per_level=0.2))
    assert len(stub.received) >= 2  # both levels ran: a server that answers may answer the next one


def test_read_timeout_is_counted() -> None:
    slow = stubs.StubConfig(token_delay_s=1.0)
    with stubs.stub_server(slow) as (url, _), pytest.raises(ExternalError, match="timeout: 2"):
        measure(config(url, (1,), requests=2, read_timeout_s=0.2))


def test_partial_failures_are_reported_and_the_api_key_is_masked() -> None:
    key = "sk-test-0123456789abcdef"
    with stubs.stub_server(stubs.StubConfig(mode=stubs.ALTERNATE_401)) as (url, stub):
        result = measure(config(url, (1,), requests=8, api_key=key))
    level = result.levels[0]
    assert (level["requests_completed"], level["requests_failed"]) == (4, 4)
    assert level["errors"] == {"http_401": 4}
    assert stub.auth_headers[0] == f"Bearer {key}"
    assert "***" in level["error_examples"]["http_401"]  # the stub echoed the key; it is masked
    text = json.dumps(result.to_dict())
    assert key not in text
    assert key not in repr(result.config)


@given(
    values=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=50),
    pct=st.sampled_from([0, 50, 90, 95, 99, 100]),
)
@settings(deadline=None)  # the first example pays for importing numpy
def test_percentile_agrees_with_numpy(values: list[float], pct: int) -> None:
    import numpy as np

    assert percentile(sorted(values), pct) == pytest.approx(np.percentile(values, pct), abs=1e-6)


def test_percentiles_interpolate_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    # rank = (n - 1) * p: p50 -> 1.5 -> 25; p90 -> 2.7 -> 37
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 90) == pytest.approx(37.0)
    stats = latency_stats([3.0, 1.0, 2.0])
    assert stats == {"mean": 2.0, "p50": 2.0, "p90": 2.8, "p95": pytest.approx(2.9), "p99": pytest.approx(2.98)}
    assert latency_stats([]) == dict.fromkeys(("mean", "p50", "p90", "p95", "p99"))


def test_prompts_have_the_requested_number_of_words_and_differ() -> None:
    assert len(build_prompt(300, 0).split()) == 300
    assert build_prompt(50, 1) != build_prompt(50, 2)
    assert build_prompt(50, 1) == build_prompt(50, 1)


def test_ignore_eos_can_be_left_out_for_strict_servers() -> None:
    with stubs.stub_server() as (url, stub):
        measure(config(url, (1,), requests=1))
        measure(config(url, (1,), requests=1, ignore_eos=False))
    assert stub.received[0]["ignore_eos"] is True
    assert "ignore_eos" not in stub.received[1]


def test_saved_requests_match_the_level_summary() -> None:
    with stubs.stub_server(stubs.StubConfig(mode=stubs.ALTERNATE_401)) as (url, _):
        target = Target(url, "m", 8, 3)
        level = measure(MeasureConfig(target, (2,), 6, save_requests=True)).levels[0]
    rows = level["requests"]
    assert len(rows) == 6
    assert sorted(r["error"] or "ok" for r in rows) == ["http_401"] * 3 + ["ok"] * 3
    ok = [r for r in rows if r["error"] is None]
    assert all(r["output_tokens"] == 3 and len(r["itl_ms"]) == 2 for r in ok)
    assert all(0 <= r["ttft_ms"] <= r["e2e_ms"] for r in ok)
    assert max(r["e2e_ms"] for r in ok) == pytest.approx(level["e2e_ms"]["p99"], rel=0.05)
    assert all(r["ttft_ms"] is None for r in rows if r["error"])


def test_credentials_in_the_base_url_are_not_written() -> None:
    with stubs.stub_server() as (url, _):
        secret_url = url.replace("http://", "http://user:hunter2@")
        doc = measure(config(secret_url, (1,), requests=1)).to_dict()
    assert doc["base_url"] == url
    assert "hunter2" not in json.dumps(doc)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"concurrency_levels": (10**8,)},
            "^concurrency_levels=: 100,000,000 requests in flight is more than one load test holds .*at most 10,000",
        ),
        ({"duration_s_per_level": float("nan")}, "^duration_s_per_level=: must be a finite number of seconds, got nan"),
        ({"duration_s_per_level": float("inf")}, "^duration_s_per_level=: must be a finite number of seconds, got inf"),
        (
            {"request_rates": (1e-12,)},
            r"^request_rates=: 10 requests at 1e-12/s arrive over .* hours on average \(a level runs at most 24 hours\);"
            " give a higher rate, fewer requests_per_level= or a duration_s_per_level=$",
        ),
        (
            {"request_rates": (1e-5,), "requests_per_level": 2},
            "^request_rates=: 2 requests at 1e-05/s arrive over 56 hours on average",
        ),
        (
            {"input_tokens": 10**11},
            r"^input_tokens=: requests of 100,000,000,004 tokens \(100,000,000,000 in, 4 out\) are longer than any"
            r" model's context \(the catalog's longest is 10,485,760\); give the lengths of the requests to measure$",
        ),
        ({"output_tokens": 10**9}, "^output_tokens=: requests of 1,000,000,020 tokens"),
    ],
)
def test_values_that_run_unbounded_or_aimless_are_refused_by_the_api(kw: dict, message: str) -> None:
    """The API refuses what the command line refuses (a notebook user has no CLI guard): each of these ran for
    ever, or grew in memory, before it sent a request."""
    from costcalc.errors import InputError

    target = Target("http://127.0.0.1:1", "m", kw.pop("input_tokens", 20), kw.pop("output_tokens", 4))
    with pytest.raises(InputError, match=message):
        MeasureConfig(target, **kw)


def test_slow_rates_bounded_by_a_duration_and_the_largest_load_test_are_taken() -> None:
    target = Target("http://127.0.0.1:1", "m", 20, 4)
    MeasureConfig(target, request_rates=(1e-5,), duration_s_per_level=1.0)  # the duration ends the level
    MeasureConfig(target, (10_000,))
    MeasureConfig(Target("http://127.0.0.1:1", "m", 10_485_000, 760))
