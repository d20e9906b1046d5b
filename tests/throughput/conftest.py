"""Fixtures for `costcalc measure` tests: a tiny GGUF model and a real llama.cpp server."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests.support` without a pytest pythonpath setting
    sys.path.insert(0, str(REPO_ROOT))

INSTALL_HINT = "run .ci/install-llama-server.sh"


def _require(module: str, what: str, *, apart: bool = False) -> None:
    """Import `module`, else skip with the install hint (fail under CI=true, where it must be). `apart`: import it in
    a child Python instead (the tests run it as a server; llama_cpp leaves two /dev/null files open at import, which
    the test process would report as ResourceWarnings at exit)."""
    import importlib

    try:
        if apart:
            _import_apart(module)
        else:
            importlib.import_module(module)
    except ImportError:
        message = f"{what} is not installed; {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def _import_apart(module: str) -> None:
    """Import `module` in a child of this Python: ImportError when it is missing, RuntimeError with the child's
    stderr when its import fails otherwise (as the import itself would raise)."""
    status, stderr = _child_import(module)
    if status == _MISSING:
        raise ImportError(module)
    if status:
        raise RuntimeError(f"importing {module} failed:\n{stderr}")


@functools.cache
def _child_import(module: str) -> tuple[int, str]:
    """(exit status, stderr) of a child Python importing `module`, once a session."""
    code = f"try:\n    import {module}\nexcept ImportError:\n    raise SystemExit({_MISSING})"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    return child.returncode, child.stderr


_MISSING = 3  # the child's exit status when the module is not installed


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
    _require("llama_cpp.server", "llama-cpp-python[server]", apart=True)
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
