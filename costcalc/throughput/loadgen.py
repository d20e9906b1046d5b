"""Closed-loop load generator: N threads stream completions from an OpenAI-compatible server."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from costcalc.limits import MAX_TOKENS_PER_REQUEST
from costcalc.masking import mask
from costcalc.throughput.sse import MalformedSSE, parse_line

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 300.0  # longest silence allowed between two bytes of a response
REQUEST_TIMEOUT_S = 600.0  # longest one request may take in all, however steadily the server trickles
MAX_SSE_LINE_BYTES = 1 << 20  # an SSE line longer than this is not a completion chunk: the request fails
MIN_DRAIN_S = 2.0  # with --duration, requests in flight at the end get max(this, the duration) to finish
READ_CHUNK_BYTES = 65536
ERROR_BODY_BYTES = 2048  # how much of an error response is kept as an example
ERROR_EXAMPLE_CHARS = 200
PROGRESS_INTERVAL_S = 0.1
HTTP_FIRST_NOT_OK = 300  # redirects are not followed: a 3xx means the base URL needs fixing

ENDPOINT_PATHS = {"chat": "/chat/completions", "completions": "/completions"}

# Common English words that most tokenizers (BPE and SentencePiece) encode as one token each
# when preceded by a space, so N words make a prompt of about N tokens.
PROMPT_WORDS = (
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "was",
    "for",
    "on",
    "that",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "an",
    "be",
    "this",
    "are",
    "or",
    "which",
    "his",
    "her",
    "have",
    "had",
    "not",
    "but",
    "were",
    "they",
    "all",
    "one",
    "their",
    "has",
    "been",
    "can",
    "would",
    "more",
    "when",
    "will",
    "who",
    "so",
    "if",
    "no",
    "out",
    "up",
    "what",
    "about",
    "into",
    "than",
    "them",
    "only",
    "other",
    "some",
    "time",
    "could",
    "new",
    "these",
    "two",
    "may",
    "first",
    "then",
    "do",
    "any",
    "like",
    "my",
    "now",
    "over",
    "such",
    "our",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
)

# Error classes (keys of a level's "errors"); HTTP errors are "http_<status>".
CONNECTION_REFUSED = "connection_refused"
CONNECTION_ERROR = "connection_error"
TIMEOUT = "timeout"
STREAM_CUT = "stream_cut"
MALFORMED_SSE = "malformed_sse"
STREAM_ERROR = "stream_error"  # the server sent an error object inside a 200 stream
EMPTY_RESPONSE = "empty_response"  # the stream finished without a single generated token


@dataclass(frozen=True)
class Target:
    """The endpoint under test and the shape of each request. The API key never shows in repr."""

    base_url: str
    model: str
    input_tokens: int
    output_tokens: int
    endpoint: str = "chat"
    ignore_eos: bool = True  # ask for all output_tokens (vLLM, SGLang, llama.cpp honour it)
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    read_timeout_s: float = READ_TIMEOUT_S
    request_timeout_s: float = REQUEST_TIMEOUT_S
    api_key: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Full URL of the completion endpoint (adds /v1 unless the base URL ends with it)."""
        base = self.base_url.rstrip("/")
        if not base.endswith("/v1"):
            base += "/v1"
        return base + ENDPOINT_PATHS[self.endpoint]


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


def build_prompt(n_words: int, variant: int) -> str:
    """A deterministic prompt of `n_words` common words; `variant` rotates the words so that
    consecutive requests do not share a prefix (a prefix cache would flatter TTFT)."""
    n = len(PROMPT_WORDS)
    offset = (variant * 7919) % n  # a prime stride visits every rotation
    return " ".join(PROMPT_WORDS[(offset + i) % n] for i in range(max(n_words, 1)))


def request_body(target: Target, prompt: str) -> dict[str, Any]:
    """JSON body of one streaming completion request."""
    body: dict[str, Any] = {
        "model": target.model,
        "max_tokens": target.output_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0,
    }
    if target.ignore_eos:
        body["ignore_eos"] = True  # vLLM, SGLang and llama.cpp honour it; most others ignore it
    if target.endpoint == "chat":
        body["messages"] = [{"role": "user", "content": prompt}]
    else:
        body["prompt"] = prompt
    return body


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
            return _fail(record, TIMEOUT, exc, secrets)
        except requests.exceptions.ConnectionError as exc:
            return _fail(record, CONNECTION_REFUSED if _is_refused(exc) else CONNECTION_ERROR, exc, secrets)
        try:
            if response.status_code >= HTTP_FIRST_NOT_OK:
                body = response.raw.read(ERROR_BODY_BYTES, decode_content=True) or b""
                return _fail(record, f"http_{response.status_code}", body.decode("utf-8", "replace"), secrets)
            _read_stream(response, record, limit_s, secrets)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            return _fail(record, TIMEOUT, exc, secrets)
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError, OSError) as exc:
            return _fail(record, STREAM_CUT, exc, secrets)
        except (MalformedSSE, UnicodeDecodeError) as exc:
            return _fail(record, MALFORMED_SSE, exc, secrets)
        finally:
            response.close()
        return record


def _read_stream(response: Any, record: RequestRecord, limit_s: float, secrets: tuple[str, ...] = ()) -> None:
    """Read SSE lines as they arrive, stamping each text chunk; sets record.error on bad endings.

    The buffer holds at most one unfinished line (scanned once, never re-split), capped at
    MAX_SSE_LINE_BYTES; the request stops at `limit_s` however steadily bytes keep coming.
    """
    raw = response.raw
    pending = bytearray()
    finished = done = False
    while not done:
        if time.perf_counter() > limit_s:
            _fail(record, TIMEOUT, "the response did not end in time (total request deadline)", secrets)
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
                _fail(record, STREAM_ERROR, event.error, secrets)
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
            _fail(record, MALFORMED_SSE, f"an SSE line longer than {MAX_SSE_LINE_BYTES:,} bytes", secrets)
            return
    if pending.strip() and not done:
        event = parse_line(bytes(pending))  # a last line without a newline
        done = event is not None and event.done
    record.end_s = time.perf_counter()
    if done:
        _drain(raw)
    if not (done or finished):
        _fail(record, STREAM_CUT, "stream ended without [DONE] or a finish_reason")
    elif not finished:
        # OpenAI-compatible servers send a finish_reason before [DONE]; without one the server
        # stopped the generation early (llama-cpp-python does so when another request arrives).
        _fail(record, STREAM_CUT, "[DONE] arrived before any finish_reason: generation cut short")
    elif not record.token_times_s:
        _fail(record, EMPTY_RESPONSE, "stream finished without generating any text")


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


def _fail(record: RequestRecord, error: str, detail: object, secrets: tuple[str, ...] = ()) -> RequestRecord:
    """Mark the request failed; its detail is masked (the key, any long piece of it) before it is cut."""
    record.error = error
    record.error_detail = " ".join(mask(str(detail), secrets).split())[:ERROR_EXAMPLE_CHARS]
    record.end_s = time.perf_counter()
    return record


def secrets_of(target: Target) -> tuple[str, ...]:
    """What must never be written: the API key and a password in the base URL."""
    from urllib.parse import unquote, urlsplit

    password = urlsplit(target.base_url).password
    found = [target.api_key, password, unquote(password) if password else None]
    return tuple(s for s in found if s)


def _is_refused(exc: BaseException) -> bool:
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


@dataclass
class LevelRun:
    """Raw outcome of one level (a concurrency, or a request rate): every finished request and the wall time."""

    concurrency: int | None  # None for a request-rate level (costcalc.throughput.openloop)
    records: list[RequestRecord]
    duration_s: float
    abandoned: int = 0  # requests in flight when the run was stopped (Ctrl-C)
    stopped: bool = False
    request_rate_per_s: float | None = None  # Poisson arrival rate of a request-rate level


@dataclass(frozen=True)
class LevelProgress:
    """A snapshot for progress bars, taken by the thread that runs the level."""

    concurrency: int | None  # None for a request-rate level
    completed: int
    failed: int
    elapsed_s: float
    target_requests: int | None
    target_duration_s: float | None
    request_rate_per_s: float | None = None


def run_level(
    target: Target,
    concurrency: int,
    *,
    requests: int | None = None,
    duration_s: float | None = None,
    stop: threading.Event | None = None,
    on_progress: Callable[[LevelProgress], None] | None = None,
    first_variant: int = 0,
) -> LevelRun:
    """Run `concurrency` closed-loop workers until `requests` are done or `duration_s` has passed.

    Requests in flight at the deadline may finish and count within max(MIN_DRAIN_S, duration_s)
    more; the level then ends whatever the server does (a stream that never ends is cut there).
    When `stop` is set the level returns at once with what has finished; requests still in flight
    are abandoned (their daemon threads end with the process) and counted in `abandoned`.
    """
    if (requests is None) == (duration_s is None):
        raise ValueError("give exactly one of requests and duration_s")
    stop = stop or threading.Event()
    lock = threading.Lock()
    records: list[RequestRecord] = []
    issued = 0
    failed = 0
    started_s = time.perf_counter()
    deadline_s = started_s + duration_s if duration_s is not None else None
    hard_deadline_s = deadline_s + max(MIN_DRAIN_S, duration_s) if deadline_s is not None and duration_s else None

    def claim() -> int | None:
        nonlocal issued
        with lock:
            if stop.is_set():
                return None
            if requests is not None and issued >= requests:
                return None
            if deadline_s is not None and time.perf_counter() >= deadline_s:
                return None
            issued += 1
            return first_variant + issued

    def worker() -> None:
        nonlocal failed
        client = StreamClient(target)
        try:
            while (variant := claim()) is not None:
                record = client.request(build_prompt(target.input_tokens, variant), deadline_s=hard_deadline_s)
                with lock:
                    records.append(record)
                    failed += 0 if record.ok else 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker, name=f"costcalc-measure-{i}", daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()

    def report() -> None:
        if on_progress is None:
            return
        with lock:
            done, done_failed = len(records), failed
        on_progress(
            LevelProgress(
                concurrency, done - done_failed, done_failed, time.perf_counter() - started_s, requests, duration_s
            )
        )

    while any(t.is_alive() for t in threads) and not stop.is_set():
        if hard_deadline_s is not None and time.perf_counter() > hard_deadline_s + PROGRESS_INTERVAL_S:
            break  # a request stuck in a silent read: abandoned, its thread ends with the process
        stop.wait(PROGRESS_INTERVAL_S)
        report()
    ended_s = time.perf_counter()
    with lock:
        finished = list(records)
        abandoned = issued - len(finished)
    report()
    return LevelRun(concurrency, finished, ended_s - started_s, abandoned, stop.is_set())
