"""Run the real `costcalc` entry point in a forked child with a memory cap and a clock, and see what it did.

The parent imports costcalc and its heavy dependencies once; each run forks, caps the child's
address space (RLIMIT_AS), points its stdin/stdout/stderr at files, calls `costcalc.cli.main()`
with the given argv and reports the exit code, both streams, the wall time, the CPU time and the
peak resident memory the child added. A child still running at the time limit is killed.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_ESCAPED = 99  # an exception got past costcalc's own handling: a contract breach by itself
EXIT_CHILD_SETUP = 98  # the test's setup in the child failed


@dataclass(frozen=True)
class Run:
    """What one command did."""

    code: int | None  # None: killed at the time limit
    stdout: bytes
    stderr: str
    wall_s: float
    cpu_s: float
    rss_growth_mb: float
    timed_out: bool


def preload() -> None:
    """Import what every command needs, so forked children start in milliseconds."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import requests  # noqa: F401
    import rich.console  # noqa: F401
    import rich.table  # noqa: F401

    import costcalc.api  # noqa: F401
    import costcalc.cli  # noqa: F401
    import costcalc.cli.crash  # noqa: F401


def _rss_mb() -> float:
    """This process's resident memory now, MB."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _vm_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def run_cli(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    stdin: bytes | int | None = None,
    time_limit_s: float = 10.0,
    address_space_mb: int = 2048,
    setup: Callable[[], None] | None = None,
) -> Run:
    """Run `costcalc ARGV` in a forked child; `stdin` is bytes, an open fd to read from, or None (empty)."""
    workdir = Path(tempfile.mkdtemp(prefix="costcalc-contract-"))
    out_path, err_path, in_path = workdir / "stdout", workdir / "stderr", workdir / "stdin"
    in_fd: int | None = stdin if isinstance(stdin, int) else None
    in_path.write_bytes(stdin if isinstance(stdin, bytes) else b"")
    out_path.write_bytes(b"")
    err_path.write_bytes(b"")
    sys.stdout.flush()
    sys.stderr.flush()
    rss_before = _rss_mb()
    cap = _vm_bytes() + address_space_mb * 1024 * 1024
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(argv, cwd, env, in_fd, in_path, out_path, err_path, cap, setup)
    code: int | None = None
    timed_out = False
    usage = None
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - started > time_limit_s:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    wall = time.perf_counter() - started
    stdout = out_path.read_bytes()
    stderr = err_path.read_bytes().decode("utf-8", "replace")
    for p in (out_path, err_path, in_path):
        p.unlink(missing_ok=True)
    workdir.rmdir()
    return Run(
        code=None if timed_out else code,
        stdout=stdout,
        stderr=stderr,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime if usage else 0.0,
        rss_growth_mb=max(0.0, usage.ru_maxrss / 1024 - rss_before) if usage else 0.0,
        timed_out=timed_out,
    )


def _child(
    argv: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    in_fd: int | None,
    in_path: Path,
    out_path: Path,
    err_path: Path,
    cap: int,
    setup: Callable[[], None] | None,
) -> None:
    code = EXIT_CHILD_SETUP
    try:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        source = in_fd if in_fd is not None else os.open(in_path, os.O_RDONLY)
        os.dup2(source, 0)
        os.dup2(os.open(out_path, os.O_WRONLY), 1)
        os.dup2(os.open(err_path, os.O_WRONLY), 2)
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", line_buffering=True
        )
        signal.signal(signal.SIGINT, signal.default_int_handler)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if setup is not None:
            setup()
        sys.argv = ["costcalc", *argv]
        from costcalc.cli import main

        code = EXIT_ESCAPED
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # what a user would see as a traceback
            traceback.print_exc()
            code = EXIT_ESCAPED
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
