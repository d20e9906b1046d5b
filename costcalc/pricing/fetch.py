"""Download one JSON catalog: timeouts, retries with backoff, a size limit, clear errors."""

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


@dataclass(frozen=True)
class FetchConfig:
    """How patient and how trusting a download is; tests shrink the times to run fast."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    max_tries: int = 3
    backoff_base_s: float = 1.0  # wait base, 2*base, 4*base... between tries
    max_bytes: int = 64 * BYTES_PER_MB


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
    last: str = "no attempt made"
    with requests.Session() as session:
        session.headers.update({"User-Agent": USER_AGENT, "Accept": accept})
        for attempt in range(1, cfg.max_tries + 1):
            try:
                body, modified = _get_once(session, url, cfg, json_only)
            except _RetryableError as exc:
                last = str(exc)
                if attempt < cfg.max_tries:
                    time.sleep(cfg.backoff_base_s * 2 ** (attempt - 1))
                continue
            return Download(url=url, body=body, tries=attempt, last_modified=_http_date(modified))
    raise ExternalError(f"{last} (gave up after {cfg.max_tries} tries; try again later or use --url)")


def _http_date(header: str | None) -> dt.date | None:
    """'Thu, 26 Nov 2026 08:00:00 GMT' → 2026-11-26 (UTC); None when absent or unreadable."""
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).astimezone(dt.UTC).date()
    except (TypeError, ValueError):
        return None


def _get_once(session: Any, url: str, cfg: FetchConfig, json_only: bool) -> tuple[bytes, str | None]:
    """One GET, streamed so a huge body is refused before it fills memory."""
    import requests

    try:
        with session.get(url, timeout=(cfg.connect_timeout_s, cfg.read_timeout_s), stream=True) as resp:
            if resp.status_code in RETRY_STATUSES:
                raise _RetryableError(f"HTTP {resp.status_code} from {url}")
            if resp.status_code >= 400:
                raise ExternalError(f"HTTP {resp.status_code} from {url}; check the URL (--url) and try again")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > cfg.max_bytes:
                raise _too_big(url, cfg)
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_content(CHUNK_BYTES):
                total += len(chunk)
                if total > cfg.max_bytes:
                    raise _too_big(url, cfg)
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
    except requests.exceptions.InvalidURL:
        raise ExternalError(f"invalid URL {url!r}; give a full http(s):// address") from None
    except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        raise ExternalError(f"invalid URL {url!r}; give a full http(s):// address") from None


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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated"):
            raise ExternalError(
                f"truncated JSON from {url} ({len(body)} bytes, ends mid-document); try again"
            ) from None
        raise ExternalError(f"malformed JSON from {url} at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
