"""SSE line parsing of OpenAI-compatible completion streams."""

from __future__ import annotations

import json

import pytest

from costcalc.throughput.sse import MalformedSSE, parse_line


def data(obj: object) -> bytes:
    return b"data: " + json.dumps(obj).encode()


def test_chat_delta_text_and_finish() -> None:
    event = parse_line(data({"choices": [{"delta": {"content": " hi"}, "finish_reason": "stop"}]}))
    assert event is not None
    assert (event.text, event.finished, event.done) == (" hi", True, False)


def test_completions_text_and_reasoning_count_as_output() -> None:
    assert parse_line(data({"choices": [{"text": "ab", "finish_reason": None}]})).text == "ab"
    reasoning = {"choices": [{"delta": {"reasoning_content": "think"}, "finish_reason": None}]}
    assert parse_line(data(reasoning)).text == "think"


def test_usage_only_chunk_done_and_ignored_lines() -> None:
    usage = parse_line(data({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 4}}))
    assert usage.usage == {"prompt_tokens": 3, "completion_tokens": 4} and usage.text == ""
    assert parse_line(b"data: [DONE]").done
    assert parse_line(b"data:[DONE]\r").done
    for ignored in (b"", b"\r", b": keep-alive", b"event: message", b"id: 7", b"retry: 10"):
        assert parse_line(ignored) is None


def test_error_object_inside_stream() -> None:
    event = parse_line(data({"error": {"message": "out of memory"}}))
    assert event.error == "out of memory"


@pytest.mark.parametrize(
    "line",
    [b"hello", b"data: {not json", b"data: [1, 2]", b'data: {"choices": 3}', b'data: {"id": "x"}', b"data: \xff\xfe"],
)
def test_malformed_lines_raise(line: bytes) -> None:
    with pytest.raises((MalformedSSE, UnicodeDecodeError)):
        parse_line(line)
