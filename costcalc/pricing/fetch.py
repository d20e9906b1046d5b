"""Download one JSON catalog: timeouts, a total deadline, retries with backoff, a size limit, few redirects, clear errors.

Timeouts bound silence; the deadline bounds the whole download, retries and waits included, so a
server that sends one byte a second cannot keep `pricing update` running. The body is read in
chunks as they arrive (never waiting to fill a large buffer) and is cut at the size limit.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from costcalc.errors import ExternalError
from costcalc.units import BYTES_PER_MB

USER_AGENT = "costcalc-pricing-update (+https://github.com/costcalc)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 5
DEADLINE_PER_TIMEOUT = 4  # default deadline: this many read timeouts, at least MIN_DEADLINE_S
MIN_DEADLINE_S = 2.0
MAX_DEADLINE_S = 600.0


@dataclass(frozen=True)
class FetchConfig:
    """How patient and how trusting a download is; tests shrink the times to run fast."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    max_tries: int = 3
    backoff_base_s: float = 1.0  # wait base, 2*base, 4*base... between tries
    max_bytes: int = 64 * BYTES_PER_MB
    deadline_s: float | None = None  # whole download incl. retries; None: 4 read timeouts (2 s .. 600 s)

    @property
    def total_s(self) -> float:
        """Seconds the whole download may take."""
        if self.deadline_s is not None:
            return self.deadline_s
        return min(MAX_DEADLINE_S, max(MIN_DEADLINE_S, DEADLINE_PER_TIMEOUT * self.read_timeout_s))


@dataclass(frozen=True)
class Download:
    """A body and what was learnt while getting it."""

    url: str
    body: bytes
    tries: int
    last_modified: dt.date | None = None  # the server's Last-Modified date (UTC), when it sends one


@dataclass(frozen=True)
class Fetched:
    """A parsed JSON body and what was learnt while getting it."""

    url: str
    payload: Any
    size_bytes: int
    tries: int
    last_modified: dt.date | None = None


class _RetryableError(Exception):
    """One try failed in a way worth trying again (connection, timeout, 5xx, 429, cut-off body)."""


def fetch_json(url: str, config: FetchConfig | None = None) -> Fetched:
    """GET `url` and parse it as JSON; every failure raises ExternalError (exit 3) with the fix."""
    got = fetch_bytes(url, config, accept="application/json", json_only=True)
    return Fetched(
        url=url,
        payload=_parse(got.body, url),
        size_bytes=len(got.body),
        tries=got.tries,
        last_modified=got.last_modified,
    )


def fetch_bytes(
    url: str, config: FetchConfig | None = None, *, accept: str = "*/*", json_only: bool = False
) -> Download:
    """GET `url` with retries and the size limit; `json_only` refuses an HTML page before it is parsed."""
    import requests

    cfg = config or FetchConfig()
    deadline = time.monotonic() + cfg.total_s
    last: str = "no attempt made"
    with requests.Session() as session:
        session.headers.update({"User-Agent": USER_AGENT, "Accept": accept})
        session.max_redirects = MAX_REDIRECTS
        for attempt in range(1, cfg.max_tries + 1):
            try:
                body, modified = _get_once(session, url, cfg, json_only, deadline)
            except _RetryableError as exc:
                last = str(exc)
                wait = cfg.backoff_base_s * 2 ** (attempt - 1)
                if attempt < cfg.max_tries and time.monotonic() + wait < deadline:
                    time.sleep(wait)
                    continue
                break
            return Download(url=url, body=body, tries=attempt, last_modified=_http_date(modified))
    if time.monotonic() >= deadline:
        last += f"; the {cfg.total_s:g} s deadline for the whole download passed"
    tries = f"{attempt} tries" if attempt == cfg.max_tries else f"{attempt} of {cfg.max_tries} tries"
    raise ExternalError(f"{last} (gave up after {tries}; try again later or use url=)", mentions=("url",))


def _http_date(header: str | None) -> dt.date | None:
    """'Thu, 26 Nov 2026 08:00:00 GMT' → 2026-11-26 (UTC); None when absent or unreadable."""
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).astimezone(dt.UTC).date()
    except (TypeError, ValueError):
        return None


def _get_once(session: Any, url: str, cfg: FetchConfig, json_only: bool, deadline: float) -> tuple[bytes, str | None]:
    """One GET, streamed so a huge body is refused before it fills memory and a slow one before the deadline."""
    import requests

    left = deadline - time.monotonic()
    if left <= 0:
        raise _RetryableError(f"no time left to fetch {url}")
    timeouts = (min(cfg.connect_timeout_s, left), min(cfg.read_timeout_s, left))
    try:
        with session.get(url, timeout=timeouts, stream=True) as resp:
            if resp.status_code in RETRY_STATUSES:
                raise _RetryableError(f"HTTP {resp.status_code} from {url}")
            if resp.status_code >= 400:
                raise ExternalError(
                    f"HTTP {resp.status_code} from {url}; check the URL (url=) and try again", mentions=("url",)
                )
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > cfg.max_bytes:
                raise _too_big(url, cfg)
            chunks: list[bytes] = []
            total = 0
            while chunk := resp.raw.read1(CHUNK_BYTES, decode_content=True):  # whatever has arrived, no more
                total += len(chunk)
                if total > cfg.max_bytes:
                    raise _too_big(url, cfg)
                if time.monotonic() > deadline:
                    raise _RetryableError(f"{url} was still sending after {cfg.total_s:g} s ({total:,} bytes)")
                chunks.append(chunk)
            body = b"".join(chunks)
            if json_only:
                _check_content_type(resp.headers.get("Content-Type", ""), body, url)
            return body, resp.headers.get("Last-Modified")
    except requests.exceptions.ConnectTimeout:
        raise _RetryableError(f"timed out connecting to {url} after {cfg.connect_timeout_s:g} s") from None
    except (requests.exceptions.ReadTimeout, requests.exceptions.Timeout):
        raise _RetryableError(f"timed out reading {url} after {cfg.read_timeout_s:g} s") from None
    except requests.exceptions.ChunkedEncodingError:
        raise _RetryableError(f"download of {url} was cut off before the end") from None
    except requests.exceptions.ConnectionError as exc:
        raise _RetryableError(f"cannot connect to {url} ({type(exc).__name__})") from None
    except requests.exceptions.TooManyRedirects:
        raise ExternalError(f"{url} redirects more than {MAX_REDIRECTS} times (a loop?); check the URL") from None
    except requests.exceptions.InvalidURL:
        raise ExternalError(f"invalid URL {url!r}; give a full http(s):// address") from None
    except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        raise ExternalError(f"{url!r} is not (or redirects to) an http(s):// address; check the URL") from None
    except urllib3_errors().ReadTimeoutError:
        raise _RetryableError(f"timed out reading {url} after {cfg.read_timeout_s:g} s") from None
    except (urllib3_errors().ProtocolError, OSError):  # raw reads raise urllib3's errors, not requests'
        raise _RetryableError(f"download of {url} was cut off before the end") from None


def urllib3_errors() -> Any:
    """urllib3's exceptions (raw reads raise them rather than requests' own)."""
    import urllib3.exceptions

    return urllib3.exceptions


def _too_big(url: str, cfg: FetchConfig) -> ExternalError:
    return ExternalError(
        f"{url} is larger than the {cfg.max_bytes / BYTES_PER_MB:g} MB limit; "
        "check the URL or raise the limit (--max-mb)"
    )


def _check_content_type(content_type: str, body: bytes, url: str) -> None:
    """Refuse an HTML page (a login wall, a GitHub blob page, an error page) before parsing."""
    head = body.lstrip()[:64].lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<")):
        raise ExternalError(f"expected JSON, got HTML (is the URL right?) from {url}")


def _parse(body: bytes, url: str) -> Any:
    """JSON text → Python; a body that stops early is reported as truncated, others as malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExternalError(f"{url} is not UTF-8 text (byte {exc.start}); expected JSON") from None
    if not text.strip():
        raise ExternalError(f"{url} returned an empty body; expected JSON")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise ExternalError(f"{url} is JSON nested too deeply to read; is the URL right?") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated"):
            raise ExternalError(
                f"truncated JSON from {url} ({len(body)} bytes, ends mid-document); try again"
            ) from None
        raise ExternalError(f"malformed JSON from {url} at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # an integer of hundreds of digits
        raise ExternalError(f"unusable JSON from {url}: {exc}") from None


def _bounded_int(digits: str) -> int:
    """JSON integers as Python ints, refusing ones no price or count has (hundreds of digits)."""
    from costcalc.safeparse import MAX_INT_DIGITS

    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"an integer with {len(digits):,} digits")
    return int(digits)
