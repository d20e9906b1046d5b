"""Fixtures for `costcalc measure` tests: stub SSE servers and a real llama.cpp server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests.support` without a pytest pythonpath setting
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.sse_servers import free_port  # noqa: E402

LLAMA_MODEL_ALIAS = "tiny-llama"
LLAMA_CONTEXT_TOKENS = 512
LLAMA_START_TIMEOUT_S = 120.0
LLAMA_STOP_TIMEOUT_S = 10.0
POLL_INTERVAL_S = 0.25


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker for tests that start a real llama.cpp server."""
    config.addinivalue_line(
        "markers", "llama_server: starts llama.cpp's OpenAI-compatible server (llama-cpp-python)"
    )


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight llama model written in code with the gguf package, once a session."""
    pytest.importorskip("gguf", reason="gguf is not installed; run .ci/install-llama-server.sh")
    from tests.support.tiny_gguf import write_tiny_llama

    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-llama.gguf")


@pytest.fixture(scope="session")
def llama_server(tiny_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of llama-cpp-python's server on 127.0.0.1 serving the tiny model."""
    pytest.importorskip(
        "llama_cpp.server", reason="llama-cpp-python[server] is not installed; "
        "run .ci/install-llama-server.sh"
    )
    import requests

    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_gguf),
        "--model_alias", LLAMA_MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(LLAMA_CONTEXT_TOKENS), "--n_threads", "1",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LLAMA_START_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama server exited {proc.returncode}: {log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{base_url}/v1/models", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama server not ready: {log_path.read_text()[-3000:]}")
            time.sleep(POLL_INTERVAL_S)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(LLAMA_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
