"""A hostile HTTP server on 127.0.0.1, run as its own process: bad catalogs for `pricing update`, bad streams for `measure`.

`python -m tests.support.hostile_server` prints its port on the first line of stdout and serves
until killed. GET paths serve price catalogs (LiteLLM's shape) and network tricks; POST paths
ending in /v1/chat/completions serve streams, chosen by the path's first part:
/echo-key/v1/chat/completions answers 500 with a body that echoes the Authorization header.
`serve_hostile()` runs it for a test and yields the base URL.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GOOD_ROWS = 30  # a catalog needs 20+ rows to be accepted on a first fetch
DRIP_INTERVAL_S = 0.2


def catalog(extra: dict | None = None, rows: int = GOOD_ROWS, price_scale: float = 1.0) -> dict:
    """A LiteLLM-shaped price map: `rows` plausible OpenAI chat models plus `extra` entries."""
    out: dict = {}
    for i in range(rows):
        out[f"gpt-test-{i}"] = {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": (1 + i) * 1e-7 * price_scale,
            "output_cost_per_token": (1 + i) * 4e-7 * price_scale,
            "max_input_tokens": 128000,
        }
    out.update(extra or {})
    return out


def _entry(input_per_token: object, output_per_token: object) -> dict:
    return {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": input_per_token,
        "output_cost_per_token": output_per_token,
    }


CATALOGS: dict[str, bytes] = {
    "/catalog/ok": json.dumps(catalog()).encode(),
    "/catalog/ok-b": json.dumps(catalog(price_scale=2.0)).encode(),
    "/catalog/absurd-high": json.dumps(catalog({"gpt-absurd-high": _entry(1e6, 1e6)})).encode(),
    "/catalog/per-token-1e12": json.dumps(catalog({"gpt-trillion": _entry(1e12, 1e12)})).encode(),
    "/catalog/absurd-low": json.dumps(catalog({"gpt-absurd-low": _entry(1e-15, 1e-15)})).encode(),
    "/catalog/evil-id": json.dumps(
        catalog({"evil[/]": _entry(1e-6, 2e-6), "evil-\x1b]0;pwned\x07-esc": _entry(1e-6, 2e-6)})
    ).encode(),
    "/catalog/all-absurd": json.dumps({f"gpt-x-{i}": _entry(1e6, 1e6) for i in range(40)}).encode(),
    "/catalog/deep": b"[" * 200_000 + b"]" * 200_000,
    "/catalog/bigint": b'{"gpt-big": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": '
    + b"9" * 5000
    + b', "output_cost_per_token": 1}}',
    "/catalog/nan": json.dumps(catalog({"gpt-nan": _entry(float("nan"), float("inf"))})).encode(),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hang up on hostile replies: that is the point, not an error."""


class Handler(BaseHTTPRequestHandler):
    """GET: catalogs and network tricks; POST: completion streams."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    # ------------------------------------------------------------------ GET: pricing update
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = CATALOGS.get(path)
        if body is not None:
            self._send(200, body, "application/json")
        elif path == "/redirect-loop":
            self._redirect("/redirect-loop")
        elif path == "/redirect-file":
            self._redirect("file:///etc/passwd")
        elif path == "/slow-drip":
            self._drip()
        elif path.startswith("/slow/"):  # /slow/<seconds>/<catalog path>: wait, then the catalog
            _, _, seconds, rest = path.split("/", 3)
            time.sleep(float(seconds))
            self._send(200, CATALOGS["/" + rest], "application/json")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self) -> None:
        """A valid-looking JSON body, one byte at a time, never ending: only a total deadline stops it."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")  # no length: the body would end when the connection does
        self.end_headers()
        self.close_connection = True
        self.wfile.write(b"{")
        while True:
            time.sleep(DRIP_INTERVAL_S)
            self.wfile.write(b" ")
            self.wfile.flush()

    # ------------------------------------------------------------------ POST: measure
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        auth = self.headers.get("Authorization", "")
        mode = self.path.strip("/").split("/", 1)[0]
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.count += 1  # type: ignore[attr-defined]
            number = self.server.count  # type: ignore[attr-defined]
        if mode == "echo-key" or (mode == "alternate-echo" and number % 2 == 0):
            # the key lands across the 200-character cut the client makes of error bodies
            message = "x" * 120 + f" rejected credential: {auth}"  # the key starts about 25 characters before the cut
            self._send(500, json.dumps({"error": {"message": message}}).encode(), "application/json")
            return
        if mode == "echo-key-break" or (mode == "alternate-echo-break" and number % 2 == 0):
            key = auth.removeprefix("Bearer ")
            half = len(key) // 2
            body = f"bad key {key[:half]}\n{key[half:]} (split over two lines)".encode()
            self._send(500, body, "text/plain")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self._stream(mode, request, auth)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream(self, mode: str, request: dict, auth: str) -> None:
        max_tokens = int(request.get("max_tokens", 8))
        if mode == "endless-line":  # one SSE line that never ends
            self._chunk(b"data: ")
            filler = b"x" * 65536
            while True:
                self._chunk(filler)
        if mode == "no-done":  # tokens forever, never a finish_reason or [DONE]
            i = 0
            while True:
                self._event({"choices": [{"index": 0, "delta": {"content": f" w{i}"}, "finish_reason": None}]})
                i += 1
                time.sleep(0.02)
        if mode == "stream-error-echo":
            self._event({"choices": [{"index": 0, "delta": {"content": "w"}, "finish_reason": None}]})
            self._event({"error": {"message": f"quota exceeded for {auth}"}})
            self._chunk(b"")
            return
        usage = {"prompt_tokens": 7, "completion_tokens": max_tokens}
        if mode == "usage-negative":
            usage = {"prompt_tokens": -5, "completion_tokens": -3}
        elif mode == "usage-absurd":
            usage = {"prompt_tokens": 7, "completion_tokens": 10**15}
        for i in range(max_tokens):
            last = i == max_tokens - 1
            choice = {"index": 0, "delta": {"content": f" w{i}"}, "finish_reason": "length" if last else None}
            self._event({"choices": [choice]})
        self._event({"choices": [], "usage": usage})
        self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")

    def _event(self, obj: dict) -> None:
        self._chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def main() -> None:
    """Serve on a free port; print it first."""
    import threading

    server = _Server(("127.0.0.1", 0), Handler)
    server.lock = threading.Lock()  # type: ignore[attr-defined]
    server.count = 0  # type: ignore[attr-defined]
    print(server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.05)


@contextlib.contextmanager
def serve_hostile() -> Iterator[str]:
    """Run the server in a child process (no threads in the test process); yields http://127.0.0.1:PORT."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hostile_server"],
        cwd=root,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
