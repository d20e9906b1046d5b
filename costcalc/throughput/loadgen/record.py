"""One request's outcome and timings, the error classes a failure falls into, and marking a request failed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from costcalc.masking import mask

ERROR_EXAMPLE_CHARS = 200


# Error classes (keys of a level's "errors"); HTTP errors are "http_<status>".
CONNECTION_REFUSED = "connection_refused"
CONNECTION_ERROR = "connection_error"
TIMEOUT = "timeout"
STREAM_CUT = "stream_cut"
MALFORMED_SSE = "malformed_sse"
STREAM_ERROR = "stream_error"  # the server sent an error object inside a 200 stream
EMPTY_RESPONSE = "empty_response"  # the stream finished without a single generated token


@dataclass
class RequestRecord:
    """Outcome and timings of one request (times in seconds, from time.perf_counter)."""

    start_s: float
    end_s: float = 0.0
    error: str | None = None  # error class; None for success
    error_detail: str = ""
    first_token_s: float | None = None
    token_times_s: list[float] = field(default_factory=list)  # arrival of each text chunk
    usage_prompt_tokens: int | None = None
    usage_completion_tokens: int | None = None

    @property
    def ok(self) -> bool:
        """True when the stream finished normally with at least one token."""
        return self.error is None

    @property
    def output_tokens(self) -> int:
        """Server-reported completion tokens, else the number of text chunks received."""
        if self.usage_completion_tokens is not None:
            return self.usage_completion_tokens
        return len(self.token_times_s)


def fail(record: RequestRecord, error: str, detail: object, secrets: tuple[str, ...] = ()) -> RequestRecord:
    """Mark the request failed; its detail is masked (the key, any long piece of it) before it is cut."""
    record.error = error
    record.error_detail = " ".join(mask(str(detail), secrets).split())[:ERROR_EXAMPLE_CHARS]
    record.end_s = time.perf_counter()
    return record
