"""fetch_json against a real HTTP server on 127.0.0.1: retries, timeouts, size limit, bad bodies."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from costcalc.errors import ExternalError
from costcalc.pricing.fetch import FetchConfig, fetch_json
from tests.support.http_server import Reply, TestServer, serve


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A real HTTP server on 127.0.0.1:<free port> for this test."""
    with serve() as running:
        yield running


FAST = FetchConfig(connect_timeout_s=2.0, read_timeout_s=2.0, max_tries=3, backoff_base_s=0.01)
BODY = json.dumps({"data": [{"id": "a"}, {"id": "b"}]}).encode()


def test_returns_parsed_json_and_counts_one_try(server: TestServer) -> None:
    url = server.route("/models", Reply(body=BODY))
    got = fetch_json(url, FAST)
    assert got.payload == {"data": [{"id": "a"}, {"id": "b"}]}
    assert (got.tries, got.size_bytes) == (1, len(BODY))
    assert server.hits("/models") == 1


def test_500_then_200_is_retried(server: TestServer) -> None:
    url = server.route("/m", Reply(status=500, body=b"oops"), Reply(body=BODY))
    got = fetch_json(url, FAST)
    assert got.tries == 2
    assert server.hits("/m") == 2


def test_429_is_retried_like_5xx(server: TestServer) -> None:
    url = server.route("/m", Reply(status=429), Reply(status=503), Reply(body=BODY))
    assert fetch_json(url, FAST).tries == 3


def test_500_always_gives_up_after_max_tries(server: TestServer) -> None:
    url = server.route("/m", Reply(status=500, body=b"down"))
    with pytest.raises(ExternalError) as err:
        fetch_json(url, FAST)
    assert server.hits("/m") == FAST.max_tries
    assert f"HTTP 500 from {url}" in str(err.value)
    assert "gave up after 3 tries" in str(err.value)
    assert err.value.exit_code == 3


def test_backoff_doubles_between_tries(server: TestServer) -> None:
    # waits base + 2*base = 0.3 s before tries 2 and 3 with base 0.1 s
    url = server.route("/m", Reply(status=502))
    cfg = FetchConfig(read_timeout_s=2.0, max_tries=3, backoff_base_s=0.1)
    start = time.monotonic()
    with pytest.raises(ExternalError):
        fetch_json(url, cfg)
    assert 0.3 <= time.monotonic() - start < 2.0


def test_404_is_not_retried(server: TestServer) -> None:
    url = server.route("/missing", Reply(status=404, body=b"nope", content_type="text/plain"))
    with pytest.raises(ExternalError, match="HTTP 404"):
        fetch_json(url, FAST)
    assert server.hits("/missing") == 1


def test_slow_server_times_out(server: TestServer) -> None:
    url = server.route("/slow", Reply(body=BODY, delay_s=1.0))
    cfg = FetchConfig(connect_timeout_s=1.0, read_timeout_s=0.1, max_tries=2, backoff_base_s=0.01)
    with pytest.raises(ExternalError, match=r"timed out reading .* after 0.1 s"):
        fetch_json(url, cfg)
    assert server.hits("/slow") == 2


def test_connection_refused_is_external_error() -> None:
    server = TestServer().start()
    url = server.url("/gone")
    server.stop()  # nothing listens on the port any more
    with pytest.raises(ExternalError, match="cannot connect"):
        fetch_json(url, FAST)


def test_truncated_json_body_is_named(server: TestServer) -> None:
    url = server.route("/t", Reply(body=BODY[: len(BODY) // 2]))
    with pytest.raises(ExternalError, match="truncated JSON"):
        fetch_json(url, FAST)


def test_connection_cut_mid_body_is_retried_then_reported(server: TestServer) -> None:
    url = server.route("/cut", Reply(body=BODY, cut_after_bytes=10))
    with pytest.raises(ExternalError, match="cut off before the end"):
        fetch_json(url, FAST)
    assert server.hits("/cut") == FAST.max_tries


def test_cut_once_then_whole_body_succeeds(server: TestServer) -> None:
    url = server.route("/cut", Reply(body=BODY, cut_after_bytes=10), Reply(body=BODY))
    assert fetch_json(url, FAST).payload["data"][1]["id"] == "b"


def test_malformed_json_names_line_and_column(server: TestServer) -> None:
    url = server.route("/bad", Reply(body=b'{"data": [1, 2,, 3]}\n'))
    with pytest.raises(ExternalError, match=r"malformed JSON .* line 1 column 16"):
        fetch_json(url, FAST)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json"])
def test_html_instead_of_json(server: TestServer, content_type: str) -> None:
    page = b"<!DOCTYPE html><html><body>Sign in</body></html>"
    url = server.route("/page", Reply(body=page, content_type=content_type))
    with pytest.raises(ExternalError, match=r"expected JSON, got HTML \(is the URL right\?\)"):
        fetch_json(url, FAST)


def test_size_limit_from_content_length(server: TestServer) -> None:
    url = server.route("/big", Reply(body=b"[" + b"1," * 5000 + b"1]"))
    cfg = FetchConfig(read_timeout_s=2.0, max_bytes=1000, backoff_base_s=0.01)
    with pytest.raises(ExternalError, match=r"larger than the 0\.001 MB limit"):
        fetch_json(url, cfg)
    assert server.hits("/big") == 1  # a size refusal is final, not retried


def test_size_limit_while_streaming_without_length(server: TestServer) -> None:
    url = server.route("/big", Reply(body=b"[" + b"1," * 50_000 + b"1]", send_length=False))
    cfg = FetchConfig(read_timeout_s=2.0, max_bytes=70_000, backoff_base_s=0.01)
    with pytest.raises(ExternalError, match=r"larger than the 0\.07 MB limit"):
        fetch_json(url, cfg)


def test_body_just_under_the_limit_is_accepted(server: TestServer) -> None:
    url = server.route("/ok", Reply(body=BODY, send_length=False))
    assert fetch_json(url, FetchConfig(max_bytes=len(BODY))).payload["data"][0]["id"] == "a"


def test_empty_body(server: TestServer) -> None:
    url = server.route("/empty", Reply(body=b""))
    with pytest.raises(ExternalError, match="empty body"):
        fetch_json(url, FAST)


def test_invalid_url() -> None:
    with pytest.raises(ExternalError, match="invalid URL"):
        fetch_json("not a url", FAST)
