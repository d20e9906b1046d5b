"""Progress goes to stderr on a terminal (a bar that knows its length), and nothing at all when stderr is a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "startup-chatbot.yaml")
SWEEP = [
    "sweep",
    EXAMPLE,
    "--vary",
    "workload.requests_per_day=1e3:1e7:300:log",
    "--vary",
    "options[gpt-oss-120b on a rented H100].hardware.hourly_usd=1:5:300",
    "-f",
    "csv",
]
SIMULATE = ["simulate", EXAMPLE, "--samples", "60000", "--seed", "1", "-f", "json"]


def _run(args: list[str], tmp_path: Path, *, terminal: bool) -> tuple[int, bytes]:
    """Exit code and everything written to stderr (a pseudo-terminal, or a pipe)."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    command = [sys.executable, "-m", "costcalc", *args, "-o", str(tmp_path / "out")]
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=300, cwd=ROOT)
        return done.returncode, done.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env, cwd=ROOT)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return proc.wait(timeout=300), seen


@pytest.mark.parametrize(
    ("args", "labels"),
    [
        (SWEEP, [b"sweep", b"points", b"writing csv", b"rows", b"90,000/90,000 rows"]),
        (SIMULATE, [b"simulate", b"60,000/60,000 samples"]),
    ],
    ids=["sweep", "simulate"],
)
def test_a_bar_on_a_terminal_and_nothing_in_a_pipe(args: list[str], labels: list[bytes], tmp_path: Path) -> None:
    code, shown = _run(args, tmp_path, terminal=True)
    assert code == 0, shown[-500:]
    for label in labels:
        assert label in shown, (label, shown[-800:])
    assert b"/?" not in shown  # never a count without its length
    code, piped = _run(args, tmp_path, terminal=False)
    assert code == 0 and b"\x1b[" not in piped and b"sweep" not in piped and b"simulate" not in piped, piped[-500:]
