"""`costcalc measure` through the CLI: stub servers on real sockets, files, key hygiene, Ctrl-C."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from costcalc.cli.errors import FLAGS
from costcalc.cli.measure import EXIT_INTERRUPTED, register
from costcalc.errors import ExternalError, InputError
from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig
from tests.support import sse_servers as stubs
from tests.support.measure_schema import assert_measure_schema

REPO_ROOT = Path(__file__).resolve().parents[2]

API_KEY = "sk-cli-secret-4242424242"


def decoding() -> stubs.StubConfig:
    """A stub that takes 1 ms a token: one that answers at once reads a TPOT ingest refuses as no decode."""
    return stubs.StubConfig(token_delay_s=0.001)


KEY_ENV = "COSTCALC_TEST_KEY"


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def cb() -> None:
        pass

    return app


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(make_app(), ["measure", *args], env=env)


def base_args(url: str) -> list[str]:
    return ["--base-url", url, "--model", "stub", "--input-tokens", "12", "--output-tokens", "4"]


def test_writes_schema_file_and_summary_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    with stubs.stub_server() as (url, stub):
        result = invoke(*base_args(url), "--concurrency", "1,2", "--requests", "4", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    doc = json.loads(out.read_text())
    assert_measure_schema(doc)
    assert [lvl["requests_completed"] for lvl in doc["levels"]] == [4, 4]
    assert doc["output_tokens_requested"] == 4 and doc["model"] == "stub"
    assert "conc" in result.stderr and f"wrote {out}" in result.stderr
    assert len(stub.received) == 8
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temp file left


def test_output_feeds_the_benchmark_ingest(tmp_path: Path) -> None:
    from costcalc.throughput.ingest import read_points  # what `report` reads `measured:` with

    out = tmp_path / "result.json"
    with stubs.stub_server(decoding()) as (url, stub):
        result = invoke(*base_args(url), "--concurrency", "1,3", "--requests", "6", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    points = read_points(out)
    assert [p.concurrency for p in points] == [1, 3]
    assert all(p.tool == "costcalc-measure" and p.completed == 6 for p in points)
    assert all(p.output_tokens == 4 and p.input_tokens == stub.prompt_tokens for p in points)
    assert all(0 < p.ttft_ms.p50 < p.e2e_ms.p50 for p in points)


def test_a_stream_in_one_chunk_is_a_warning_and_the_file_has_no_tpot(tmp_path: Path) -> None:
    from costcalc.throughput.ingest import read_points

    out = tmp_path / "result.json"
    with stubs.stub_server(stubs.StubConfig(mode=stubs.ONE_CHUNK)) as (url, _):
        result = invoke(*base_args(url), "--requests", "3", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "warning: concurrency 1: 3 of 3 requests came back in one chunk (a proxy that buffers" in result.stderr
    (point,) = read_points(out)
    assert point.tpot_ms.p95 is None and point.itl_ms.p95 is None  # a per-user speed target cannot pass on them


def test_rates_give_open_loop_levels_that_feed_the_ingest(tmp_path: Path) -> None:
    from costcalc.throughput.ingest import read_points

    out = tmp_path / "rates.json"
    with stubs.stub_server(decoding()) as (url, stub):
        result = invoke(*base_args(url), "--rate", "20,40", "--requests", "5", "--seed", "3", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text())
    assert_measure_schema(doc)
    assert [lvl["request_rate_per_s"] for lvl in doc["levels"]] == [20.0, 40.0] and doc["seed"] == 3
    assert "rate/s" in result.stderr and len(stub.received) == 10
    points = read_points(out)
    assert [(p.concurrency, p.request_rate_per_s) for p in points] == [(None, 20.0), (None, 40.0)]


def test_without_output_file_json_goes_to_stdout() -> None:
    with stubs.stub_server() as (url, _):
        result = invoke(*base_args(url), "--requests", "2")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert_measure_schema(doc)
    assert doc["levels"][0]["concurrency"] == 1


def test_api_key_is_sent_but_never_printed_or_written(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    with stubs.stub_server(stubs.StubConfig(mode=stubs.ALTERNATE_401)) as (url, stub):
        result = invoke(
            *base_args(url), "--requests", "6", "--api-key-env", KEY_ENV, "-o", str(out), env={KEY_ENV: API_KEY}
        )
    assert result.exit_code == 0, result.stderr
    assert stub.auth_headers[0] == f"Bearer {API_KEY}"
    assert API_KEY not in json.dumps(stub.received)  # only the Authorization header carries it
    doc = json.loads(out.read_text())
    assert doc["levels"][0]["errors"] == {"http_401": 3}
    for text in (result.stdout, result.stderr, out.read_text()):
        assert API_KEY not in text
    assert "http_401" in result.stderr


def test_everything_failing_raises_exit_3_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    with stubs.stub_server(stubs.StubConfig(mode=stubs.HTTP_500)) as (url, _):
        result = invoke(
            *base_args(url),
            "--concurrency",
            "2",
            "--requests",
            "4",
            "-o",
            str(out),
            "--api-key-env",
            KEY_ENV,
            env={KEY_ENV: API_KEY},
        )
    assert isinstance(result.exception, ExternalError)  # root main() prints it and exits 3
    assert result.exception.exit_code == 3
    message = str(result.exception)
    assert "http_500: 4" in message and "nothing written" in message and "\n" not in message
    assert API_KEY not in message
    assert not out.exists()


def test_missing_output_folder_fails_before_the_run(tmp_path: Path) -> None:
    with stubs.stub_server() as (url, stub):
        result = invoke(*base_args(url), "-o", str(tmp_path / "nowhere" / "r.json"))
    assert isinstance(result.exception, InputError)
    assert stub.received == []  # nothing was measured


def test_connection_refused_run_exits_3() -> None:
    result = invoke(*base_args(f"http://127.0.0.1:{stubs.free_port()}"), "--requests", "2")
    assert isinstance(result.exception, ExternalError)
    assert "connection_refused: 2" in str(result.exception)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--concurrency", "1,x"], "--concurrency"),
        (["--concurrency", "0"], "--concurrency"),
        (["--api-key-env", "COSTCALC_TEST_UNSET_VAR"], "--api-key-env"),
        (["--requests", "3", "--duration", "2"], "--requests"),
        (["--rate", "1,x"], "--rate"),
        (["--rate", "0"], "--rate"),
        (["--rate", "1", "--concurrency", "2"], "--rate"),
    ],
)
def test_bad_options_are_input_errors(args: list[str], field: str) -> None:
    env = {"COSTCALC_TEST_UNSET_VAR": ""}
    result = invoke(*base_args("http://127.0.0.1:9"), *args, env=env)
    assert isinstance(result.exception, InputError)
    assert field in str(result.exception.reworded(FLAGS))  # as the root command's error line says it


@pytest.mark.parametrize(
    ("args", "field", "says"),
    [
        # a thread per request in flight: 100000000 took 10 GB before a request was sent, 30,000 threads could not
        # start on the test machine; 10,001 (one past the bound) ran against the server on the old code
        (["--concurrency", "1,10001", "--requests", "1"], "--concurrency", "at most 10,000"),
        (["--duration", "nan"], "--duration", "must be a finite number of seconds, got nan"),  # ran forever
        (["--duration", "inf"], "--duration", "must be a finite number of seconds, got inf"),
        (
            ["--timeout", "nan"],
            "--timeout",
            "must be a finite number of seconds, got nan",
        ),  # every read timed out at once
        (["--request-timeout", "nan"], "--request-timeout", "must be a finite number of seconds, got nan"),
        (["--model", " "], "--model", "is empty"),  # sent every request for a model named ' '
        # the prompt is built in memory: 100000000000 tokens grew past 800 MB before its request (killed)
        (["--input-tokens", "20000000"], "--input-tokens", "longer than any model's context"),
        (["--output-tokens", "20000000"], "--output-tokens", "longer than any model's context"),
        # waited for its first Poisson arrival for ever (10 default requests at 1e-12/s)
        (["--rate", "1,1e-12"], "--rate", "10 requests at 1e-12/s arrive over"),
        (["--rate", "0.00001", "--requests", "2"], "--rate", "2 requests at 1e-05/s arrive over 56 hours"),
    ],
)
def test_values_that_ran_unbounded_or_aimless_are_refused_before_any_request(
    args: list[str], field: str, says: str
) -> None:
    base = base_args("http://127.0.0.1:9")
    if "--model" in args:  # the case's own --model in place of the stub's
        base = [a for a in base if a not in ("--model", "stub")]
    result = invoke(*base, *args)
    assert isinstance(result.exception, InputError), result.exception
    line = str(result.exception.reworded(FLAGS))
    assert line.startswith(f"{field}: ") and says in line and "\n" not in line, line


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (["--concurrency", "1,10001"], {"concurrency_levels": (1, 10001)}),
        (["--duration", "nan"], {"duration_s_per_level": math.nan}),
        (["--duration", "0"], {"duration_s_per_level": 0.0}),
        (["--input-tokens", "20000000"], {"input_tokens": 20_000_000}),
        (["--rate", "0.001", "--requests", "1000"], {"request_rates": (0.001,), "requests_per_level": 1000}),
    ],
    ids=["concurrency", "duration-nan", "duration-0", "input-tokens", "rate"],
)
def test_the_command_line_says_the_librarys_own_refusal_by_its_flags(args: list[str], config: dict) -> None:
    """measure's bounds were checked twice, by the command line's guards and by MeasureConfig, in two wordings
    ('1000 requests at 0.001/s arrive over 278 hours' on the command line, '1,000 requests ...' in the API): the
    command line now leaves them to MeasureConfig, whose refusal cli.errors says by flag."""
    result = invoke(*base_args("http://127.0.0.1:9"), *args)
    assert isinstance(result.exception, InputError), result.exception
    lengths = {"input_tokens": config.pop("input_tokens", 12), "output_tokens": 4}
    with pytest.raises(InputError) as api:
        MeasureConfig(Target("http://127.0.0.1:9", "stub", **lengths), **config)
    assert str(result.exception.reworded(FLAGS)) == str(api.value.reworded(FLAGS))


def test_bad_base_url_is_an_input_error() -> None:
    result = invoke("--base-url", "127.0.0.1:8000", "--model", "m")
    assert isinstance(result.exception, InputError)
    assert "--base-url" in str(result.exception)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        # an unclosed IPv6 bracket crashed (exit 70, ValueError 'Invalid IPv6 URL'); a host with a space, no host or
        # a port past 65535 printed every worker thread's traceback, then 'no request succeeded (0 failed: )'
        ("http://[::1", "'[::1' is not a valid host or port"),
        ("http://a b", "Host 'a b' contains invalid character ' '"),
        ("http://", "Invalid URL 'http://': No host supplied"),
        ("http://127.0.0.1:99999", "http://127.0.0.1:99999"),
    ],
)
def test_a_base_url_no_request_can_be_sent_to_is_refused_before_the_run(url: str, why: str) -> None:
    result = invoke("--base-url", url, "--model", "m", "--requests", "1")
    assert isinstance(result.exception, InputError), result.exception
    assert str(result.exception) == (
        f"--base-url: {url!r} is not a URL a request can be sent to ({why}); give e.g. http://127.0.0.1:8000"
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "said"),
    [
        # qa23: the endpoint's URL, as curl examples give it, was measured at .../v1/chat/completions/v1/chat/completions
        # (every request a 404: 'no request succeeded'), and a query string had the endpoint's path appended after it
        (
            "http://127.0.0.1:9/v1/chat/completions",
            "is the endpoint's URL, to which /v1/chat/completions would be added again; give the server root:"
            " 'http://127.0.0.1:9' (--endpoint picks the path)",
        ),
        (
            "http://127.0.0.1:9/proxy/v1/completions/",
            "is the endpoint's URL, to which /v1/completions would be added again; give the server root:"
            " 'http://127.0.0.1:9/proxy' (--endpoint picks the path)",
        ),
        (
            "http://127.0.0.1:9/v1?key=1",
            "has a query or fragment, which the endpoint's path would follow; give the server root:"
            " 'http://127.0.0.1:9/v1'",
        ),
    ],
)
def test_a_base_url_that_is_no_server_root_is_refused_before_the_run(url: str, said: str) -> None:
    result = invoke("--base-url", url, "--model", "m", "--requests", "1")
    assert isinstance(result.exception, InputError), result.exception
    assert str(result.exception) == f"--base-url: {url!r} {said}"


CLI_SCRIPT = textwrap.dedent(
    """
    import sys, typer
    from costcalc.cli.measure import register
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    app(sys.argv[1:])
    """
)


@pytest.mark.slow
def test_ctrl_c_writes_partial_results_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    slow = stubs.StubConfig(token_delay_s=0.05)  # 4 tokens: 0.2 s a request
    with stubs.stub_server(slow) as (url, stub):
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLI_SCRIPT,
                "measure",
                *base_args(url),
                "--concurrency",
                "2,4",
                "--requests",
                "200",
                "-o",
                str(out),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        deadline = time.monotonic() + 30
        while len(stub.received) < 6 and time.monotonic() < deadline:  # >= 2 finished
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    assert stdout == b""  # the result went to -o
    assert proc.returncode == EXIT_INTERRUPTED, stderr.decode()
    doc = json.loads(out.read_text())
    assert doc["interrupted"] is True
    assert [lvl["concurrency"] for lvl in doc["levels"]] == [2]  # stopped in the first level
    level = doc["levels"][0]
    assert 2 <= level["requests_completed"] < 200
    assert level["requests_failed"] == 0
    assert b"interrupted" in stderr
