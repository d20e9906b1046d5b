"""Stub OpenAI-compatible streaming servers on 127.0.0.1: healthy, failing and broken on purpose."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Behaviours a stub can have (StubConfig.mode).
OK = "ok"  # stream max_tokens chunks, a usage chunk, then [DONE]
HTTP_500 = "http_500"  # answer 500 with a JSON error body
HTTP_401 = "http_401"  # answer 401 (e.g. a wrong API key)
CUT = "cut"  # send CUT_AFTER_CHUNKS chunks, then drop the connection mid-stream
GARBAGE = "garbage"  # 200 text/event-stream whose lines are not SSE
NO_DONE = "no_done"  # send the tokens then end the response cleanly without [DONE]/finish
ERROR_EVENT = "error_event"  # one token, then an {"error": ...} event inside the 200 stream
HANG_UP = "hang_up"  # read the request, then close the connection without any response
EMPTY = "empty"  # a finish_reason and [DONE] but no generated text
ALTERNATE_401 = "alternate_401"  # every second request: 401 whose body echoes the Authorization
ONE_CHUNK = (
    "one_chunk"  # generate max_tokens at the token pace, then send the whole text in one chunk (a buffering proxy)
)

CUT_AFTER_CHUNKS = 3
MAX_RECORDED = 10_000  # request bodies kept per stub (a benchmark sends many more)


@dataclass
class StubConfig:
    """What a stub server does with each request; fields may be changed while it runs."""

    mode: str = OK
    token_delay_s: float = 0.0  # pause before each token chunk
    send_usage: bool = True
    prompt_tokens: int = 7  # reported in usage
    received: list[dict] = field(default_factory=list)  # request bodies, in arrival order
    auth_headers: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _StubServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_POST(self) -> None:
        """Answer a completion request according to the server's StubConfig."""
        stub = self.server.stub
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        auth = self.headers.get("Authorization", "")
        with self.server.lock:
            self.server.count += 1
            number = self.server.count
            if len(stub.received) < MAX_RECORDED:
                stub.received.append(body)
                stub.auth_headers.append(auth)
        if stub.mode == HANG_UP:
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        rejected = stub.mode == ALTERNATE_401 and number % 2 == 0
        if stub.mode in (HTTP_500, HTTP_401) or rejected:
            status = 500 if stub.mode == HTTP_500 else 401
            # A careless server that echoes the credential: the client must mask it.
            message = f"stub error {status}" if status == 500 else f"invalid credential {auth!r}"
            payload = json.dumps({"error": {"message": message}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if stub.mode == GARBAGE:
            self._chunk(b"this is not server-sent events\n\n")
            self._chunk(b"")
            return
        max_tokens = int(body.get("max_tokens", 16))
        chat = "messages" in body
        if stub.mode == EMPTY:
            choice = {"index": 0, "delta": {}, "finish_reason": "stop"}
            self._event({"id": "x", "choices": [choice]})
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
            return
        if stub.mode == ONE_CHUNK:
            time.sleep(stub.token_delay_s * max_tokens)
            text = "".join(f" w{i}" for i in range(max_tokens))
            choice = {
                "index": 0,
                "finish_reason": "length",
                **({"delta": {"content": text}} if chat else {"text": text}),
            }
            self._event({"id": "x", "object": "chunk", "choices": [choice]})
        for i in range(0 if stub.mode == ONE_CHUNK else max_tokens):
            if stub.mode == ERROR_EVENT and i == 1:
                self._event({"error": {"message": "stub ran out of memory", "code": 500}})
                self._chunk(b"")
                return
            if stub.mode == CUT and i == CUT_AFTER_CHUNKS:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if stub.token_delay_s:
                time.sleep(stub.token_delay_s)
            last = i == max_tokens - 1 and stub.mode != NO_DONE
            choice = {"index": 0, "finish_reason": "length" if last else None}
            if chat:
                choice["delta"] = {"content": f" w{i}"}
            else:
                choice["text"] = f" w{i}"
            self._event({"id": "x", "object": "chunk", "choices": [choice]})
        if stub.mode == NO_DONE:
            self._chunk(b"")
            return
        if stub.send_usage:
            usage = {
                "prompt_tokens": stub.prompt_tokens,
                "completion_tokens": max_tokens,
                "total_tokens": stub.prompt_tokens + max_tokens,
            }
            self._event({"id": "x", "choices": [], "usage": usage})
        self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")

    def _event(self, obj: dict) -> None:
        self._chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, stub: StubConfig, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.stub = stub
        self.lock = threading.Lock()
        self.count = 0

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (as the measure client does on bad streams) is normal."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def stub_server(stub: StubConfig | None = None, port: int = 0) -> Iterator[tuple[str, StubConfig]]:
    """Run a stub server in a thread (on `port`, else a free one); yields (base_url, config) and shuts it down after."""
    stub = stub or StubConfig()
    server = _StubServer(stub, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", stub
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, read, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
