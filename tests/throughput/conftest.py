"""Fixtures for `costcalc measure` tests: a tiny GGUF model and a real llama.cpp server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests.support` without a pytest pythonpath setting
    sys.path.insert(0, str(REPO_ROOT))

INSTALL_HINT = "run .ci/install-llama-server.sh"


def _require(module: str, what: str) -> None:
    """Import `module`, else skip with the install hint (fail under CI=true, where it must be)."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        message = f"{what} is not installed; {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker for tests that start a real llama.cpp server."""
    config.addinivalue_line("markers", "llama_server: starts llama.cpp's OpenAI-compatible server (llama-cpp-python)")


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight llama model written in code with the gguf package, once a session."""
    _require("gguf", "gguf")
    from tests.support.tiny_gguf import write_tiny_llama

    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-llama.gguf")


def _start(tiny_gguf: Path, tmp: pytest.TempPathFactory, interrupt: bool) -> Iterator[str]:
    _require("llama_cpp.server", "llama-cpp-python[server]")
    from tests.support.llama_server import ServerFailed, llama_server

    log = tmp.mktemp("llama") / "server.log"
    try:
        with llama_server(tiny_gguf, log, interrupt_requests=interrupt) as base_url:
            yield base_url
    except ServerFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def llama_server_url(tiny_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of llama-cpp-python's server (queueing concurrent requests) on the tiny model."""
    yield from _start(tiny_gguf, tmp_path_factory, interrupt=False)


@pytest.fixture
def interrupting_llama_server_url(tiny_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same server with its default interrupt_requests=True."""
    yield from _start(tiny_gguf, tmp_path_factory, interrupt=True)
