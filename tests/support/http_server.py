"""A real HTTP server on 127.0.0.1 for tests: scripted replies (status, delay, cut-off), hits."""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-request (a timeout test) is expected, not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay_s: float = 0.0  # wait before sending anything (drives client read timeouts)
    cut_after_bytes: int | None = None  # announce the full length, send this many bytes, then hang up
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    headers: dict[str, str] = field(default_factory=dict)


class TestServer:
    """A ThreadingHTTPServer on 127.0.0.1:<free port> serving scripted replies per path.

    `route(path, r1, r2, ...)` serves r1 to the first request, r2 to the second, and repeats the
    last one after that; `hits(path)` counts requests.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._hits: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """Full URL of a path on this server."""
        return self.base_url + path

    def route(self, path: str, *replies: Reply) -> str:
        """Script the replies of one path; returns its URL."""
        if not replies:
            raise ValueError("give at least one Reply")
        with self._lock:
            self._routes[path] = list(replies)
            self._hits[path] = 0
        return self.url(path)

    def hits(self, path: str) -> int:
        """How many requests reached `path`."""
        with self._lock:
            return self._hits[path]

    def start(self) -> TestServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wake handlers that are sleeping in a delay."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            self._hits[path] += 1
            replies = self._routes.get(path)
            if not replies:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            return replies[min(self._hits[path], len(replies)) - 1]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                reply = server._next_reply(self.path.split("?", 1)[0])
                if reply.delay_s and server._stopping.wait(reply.delay_s):
                    return
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    if reply.send_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.cut_after_bytes is not None or not reply.send_length:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.cut_after_bytes is not None:
                        self.wfile.write(reply.body[: reply.cut_after_bytes])
                        self.wfile.flush()
                        return
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler


@contextlib.contextmanager
def serve() -> Iterator[TestServer]:
    """A started TestServer, stopped on leaving the block."""
    server = TestServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """Fixture form of serve() (register with `pytest_plugins` or import it into a conftest)."""
    with serve() as server:
        yield server
