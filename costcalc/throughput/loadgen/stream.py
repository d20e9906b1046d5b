"""One worker's streaming client: a prepared request sent, its SSE read and timed, each failure classed."""

from __future__ import annotations

import errno
import time
from typing import Any

from costcalc.limits import MAX_TOKENS_PER_REQUEST
from costcalc.throughput.loadgen.prompts import request_body
from costcalc.throughput.loadgen.record import (
    CONNECTION_ERROR,
    CONNECTION_REFUSED,
    EMPTY_RESPONSE,
    MALFORMED_SSE,
    STREAM_CUT,
    STREAM_ERROR,
    TIMEOUT,
    RequestRecord,
    fail,
)
from costcalc.throughput.loadgen.target import Target, secrets_of
from costcalc.throughput.sse import MalformedSSE, parse_line

MAX_SSE_LINE_BYTES = 1 << 20  # an SSE line longer than this is not a completion chunk: the request fails


READ_CHUNK_BYTES = 65536
ERROR_BODY_BYTES = 2048  # how much of an error response is kept as an example


HTTP_FIRST_NOT_OK = 300  # redirects are not followed: a 3xx means the base URL needs fixing


def new_session(target: Target) -> Any:
    """A requests.Session with the auth header set and the environment read once.

    requests re-reads proxy variables and ~/.netrc on every call when trust_env is on, which
    costs about a quarter of the client's time per request; reading them here once keeps proxy
    and CA-bundle settings without that cost.
    """
    import os

    import requests

    session = requests.Session()
    session.trust_env = False
    session.proxies.update(requests.utils.get_environ_proxies(target.url))
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if ca_bundle:
        session.verify = ca_bundle
    session.headers["Accept"] = "text/event-stream"
    if target.api_key:
        session.headers["Authorization"] = f"Bearer {target.api_key}"
    return session


class StreamClient:
    """One worker's connection to the target: a session and a request prepared once.

    requests' per-call preparation (merging settings, re-encoding headers) costs more than the
    HTTP exchange against a fast server, so each request copies a prepared template and only
    swaps its body.
    """

    def __init__(self, target: Target) -> None:
        import json

        import requests

        self.target = target
        self.secrets = secrets_of(target)
        self.session = new_session(target)
        self._dumps = json.dumps
        self._template = self.session.prepare_request(
            requests.Request("POST", target.url, headers={"Content-Type": "application/json"})
        )
        self._send_options = {
            "stream": True,
            "timeout": (target.connect_timeout_s, target.read_timeout_s),
            "proxies": dict(self.session.proxies),
            "verify": self.session.verify,
            "cert": None,
            "allow_redirects": False,
        }

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def request(self, prompt: str, deadline_s: float | None = None) -> RequestRecord:
        """Send one streaming request and time it; every failure becomes an error class.

        The request ends by `deadline_s` (a time.perf_counter() value) or after the target's
        request_timeout_s, whichever is sooner, even when the server keeps sending.
        """
        import requests
        import urllib3.exceptions

        prepared = self._template.copy()
        prepared.prepare_body(self._dumps(request_body(self.target, prompt)).encode(), None)
        record = RequestRecord(start_s=time.perf_counter())
        limit_s = record.start_s + self.target.request_timeout_s
        if deadline_s is not None:
            limit_s = min(limit_s, deadline_s)
        secrets = self.secrets
        try:
            response = self.session.send(prepared, **self._send_options)
        except requests.exceptions.Timeout as exc:
            return fail(record, TIMEOUT, exc, secrets)
        except requests.exceptions.ConnectionError as exc:
            kind = CONNECTION_REFUSED if is_refused(exc) else CONNECTION_ERROR
            return fail(record, kind, innermost(exc), secrets)
        try:
            if response.status_code >= HTTP_FIRST_NOT_OK:
                body = response.raw.read(ERROR_BODY_BYTES, decode_content=True) or b""
                return fail(record, f"http_{response.status_code}", body.decode("utf-8", "replace"), secrets)
            read_stream(response, record, limit_s, secrets)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            return fail(record, TIMEOUT, exc, secrets)
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError, OSError) as exc:
            return fail(record, STREAM_CUT, exc, secrets)
        except (MalformedSSE, UnicodeDecodeError) as exc:
            return fail(record, MALFORMED_SSE, exc, secrets)
        finally:
            response.close()
        return record


def read_stream(response: Any, record: RequestRecord, limit_s: float, secrets: tuple[str, ...] = ()) -> None:
    """Read SSE lines as they arrive, stamping each text chunk; sets record.error on bad endings.

    The buffer holds at most one unfinished line (scanned once, never re-split), capped at
    MAX_SSE_LINE_BYTES; the request stops at `limit_s` however steadily bytes keep coming.
    """
    raw = response.raw
    pending = bytearray()
    finished = done = False
    while not done:
        if time.perf_counter() > limit_s:
            fail(record, TIMEOUT, "the response did not end in time (total request deadline)", secrets)
            return
        data = raw.read1(READ_CHUNK_BYTES)
        if not data:
            break
        arrived_s = time.perf_counter()
        scanned = len(pending)
        pending += data
        start = 0
        newline = pending.find(b"\n", scanned)
        while newline != -1:
            event = parse_line(bytes(pending[start:newline]))
            start = newline + 1
            newline = pending.find(b"\n", start)
            if event is None:
                continue
            if event.error is not None:
                fail(record, STREAM_ERROR, event.error, secrets)
                return
            if event.text:
                if record.first_token_s is None:
                    record.first_token_s = arrived_s
                record.token_times_s.append(arrived_s)
            if event.usage:
                _take_usage(record, event.usage)
            finished = finished or event.finished
            if event.done:
                done = True
                break
        del pending[:start]
        if len(pending) > MAX_SSE_LINE_BYTES:
            fail(record, MALFORMED_SSE, f"an SSE line longer than {MAX_SSE_LINE_BYTES:,} bytes", secrets)
            return
    if pending.strip() and not done:
        event = parse_line(bytes(pending))  # a last line without a newline
        done = event is not None and event.done
    record.end_s = time.perf_counter()
    if done:
        _drain(raw)
    if not (done or finished):
        fail(record, STREAM_CUT, "stream ended without [DONE] or a finish_reason")
    elif not finished:
        # OpenAI-compatible servers send a finish_reason before [DONE]; without one the server
        # stopped the generation early (llama-cpp-python does so when another request arrives).
        fail(record, STREAM_CUT, "[DONE] arrived before any finish_reason: generation cut short")
    elif not record.token_times_s:
        fail(record, EMPTY_RESPONSE, "stream finished without generating any text")


def _drain(raw: Any) -> None:
    """Read the end of the HTTP response (the final empty chunk) after [DONE], so the connection
    goes back to the session's pool; closing a half-read response would reconnect every time.
    A failure here only costs the connection: the request itself is complete."""
    import urllib3.exceptions

    try:
        while raw.read1(READ_CHUNK_BYTES):
            pass
    except (urllib3.exceptions.HTTPError, OSError):
        pass


def _take_usage(record: RequestRecord, usage: dict[str, Any]) -> None:
    """The server's token counts; a negative, fractional or absurd one makes the chunk malformed."""
    for key, attr in (("prompt_tokens", "usage_prompt_tokens"), ("completion_tokens", "usage_completion_tokens")):
        value = usage.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TOKENS_PER_REQUEST:
            raise MalformedSSE(f"usage.{key} {str(value)[:40]} is not a plausible token count")
        setattr(record, attr, value)


def innermost(exc: BaseException) -> BaseException:
    """The exception at the bottom of a connection error's causes and urllib3 reasons ('[Errno -2] Name or service not
    known', 'Remote end closed connection without response'): requests' own words for it ('HTTPConnectionPool(host=
    ..., port=8000): Max retries exceeded with url: ...') were cut before the reason at 200 characters (qa23)."""
    seen: set[int] = set()
    item = exc
    while id(item) not in seen:
        seen.add(id(item))
        reason = getattr(item, "reason", None)
        inner = next((a for a in item.args if isinstance(a, BaseException)), None)
        below = next((x for x in (reason, inner, item.__cause__) if isinstance(x, BaseException)), None)
        if below is None:
            break
        item = below
    return item if str(item) else exc


def is_refused(exc: BaseException) -> bool:
    """Whether a connection error was a refused TCP connect (walks causes and urllib3 reasons)."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ConnectionRefusedError):
            return True
        if getattr(item, "errno", None) == errno.ECONNREFUSED:
            return True
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return "Connection refused" in str(exc)
