"""Server-sent events of an OpenAI-compatible streaming response: one line in, one event out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

DONE_SENTINEL = "[DONE]"


class MalformedSSE(ValueError):
    """A line of the stream that is not valid server-sent events or not an OpenAI chunk."""


@dataclass(frozen=True)
class StreamEvent:
    """What one `data:` line of a completion stream carries.

    text: generated text in this chunk ("" when none); finished: a choice reported a
    finish_reason; done: the `[DONE]` sentinel; usage: the server's usage object when present;
    error: an error object the server sent inside the stream.
    """

    text: str = ""
    finished: bool = False
    done: bool = False
    usage: dict[str, Any] | None = None
    error: str | None = None


_IGNORED_FIELDS = ("event:", "id:", "retry:")


def parse_line(raw: bytes | str) -> StreamEvent | None:
    """Parse one line of the stream; None for blank lines, comments and non-data fields.

    Raises MalformedSSE for a line that is neither SSE nor a JSON completion chunk.
    """
    line = raw.decode("utf-8", errors="strict") if isinstance(raw, bytes) else raw
    line = line.rstrip("\r\n")
    if not line or line.startswith(":") or line.startswith(_IGNORED_FIELDS):
        return None
    if not line.startswith("data:"):
        raise MalformedSSE(f"not an SSE data line: {line[:80]!r}")
    payload = line[len("data:") :].strip()
    if payload == DONE_SENTINEL:
        return StreamEvent(done=True)
    try:
        chunk = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise MalformedSSE(f"data is not JSON ({exc.msg}): {payload[:80]!r}") from None
    if not isinstance(chunk, dict):
        raise MalformedSSE(f"data is not a JSON object: {payload[:80]!r}")
    return chunk_event(chunk)


def chunk_event(chunk: dict[str, Any]) -> StreamEvent:
    """The text, finish state and usage of one decoded completion chunk (chat or completions)."""
    if "error" in chunk and "choices" not in chunk:
        err = chunk["error"]
        message = err.get("message", str(err)) if isinstance(err, dict) else str(err)
        return StreamEvent(error=str(message))
    choices = chunk.get("choices")
    if choices is None:
        choices = []
    if not isinstance(choices, list):
        raise MalformedSSE("'choices' is not a list")
    usage = chunk.get("usage")
    if usage is not None and not isinstance(usage, dict):
        raise MalformedSSE("'usage' is not an object")
    if not choices and usage is None:
        raise MalformedSSE("chunk has neither 'choices' nor 'usage'")
    text_parts: list[str] = []
    finished = False
    for choice in choices:
        if not isinstance(choice, dict):
            raise MalformedSSE("a choice is not an object")
        delta = choice.get("delta")
        if isinstance(delta, dict):
            # Reasoning models stream their thinking first; it is output the server generated.
            for key in ("reasoning_content", "reasoning", "content"):
                value = delta.get(key)
                if isinstance(value, str):
                    text_parts.append(value)
        elif isinstance(choice.get("text"), str):
            text_parts.append(choice["text"])
        if choice.get("finish_reason"):
            finished = True
    return StreamEvent(text="".join(text_parts), finished=finished, usage=usage)
