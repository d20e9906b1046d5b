"""Start llama-cpp-python's OpenAI-compatible server on 127.0.0.1 for tests; stop it after."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.sse_servers import free_port

MODEL_ALIAS = "tiny-llama"
CONTEXT_TOKENS = 512
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 10.0
POLL_INTERVAL_S = 0.25
LOG_TAIL_CHARS = 3000


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


# Run in front of the server (then exec'd into it): on Linux, ask the kernel to SIGTERM the server
# when the test process dies, so a killed test run leaves no server behind. PDEATHSIG survives exec.
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "if sys.platform.startswith('linux'):\n"
    "    ctypes.CDLL('libc.so.6').prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
)


@contextmanager
def llama_server(model: Path, log_path: Path, *, interrupt_requests: bool = False) -> Iterator[str]:
    """Run `python -m llama_cpp.server` on a free port; yields its base URL once /v1/models answers.

    interrupt_requests=False makes the server queue concurrent requests; its default (True) ends
    the running stream with [DONE] as soon as another request arrives.
    """
    import requests

    port = free_port()
    command = [
        sys.executable,
        "-c",
        _DIE_WITH_PARENT,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(CONTEXT_TOKENS),
        "--n_threads",
        "1",
        "--interrupt_requests",
        str(interrupt_requests),
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                raise ServerFailed(
                    f"llama server exited with {proc.returncode}: "
                    f"{log_path.read_text(errors='replace')[-LOG_TAIL_CHARS:]}"
                )
            try:
                if requests.get(f"{base_url}/v1/models", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise ServerFailed(
                    f"llama server not ready after {START_TIMEOUT_S:.0f} s: "
                    f"{log_path.read_text(errors='replace')[-LOG_TAIL_CHARS:]}"
                )
            time.sleep(POLL_INTERVAL_S)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
