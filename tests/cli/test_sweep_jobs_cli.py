"""`costcalc sweep --jobs`: worker processes give the same output, a bad count is one line, Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from costcalc.cli.errors import EXIT_INTERRUPTED
from costcalc.throughput.serving.estimated import clear_cache
from tests.support import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "startup-chatbot.yaml")
LENGTHS = ("--vary", "workload.input_tokens=600,900,1200,1500", "--today", "2026-12-07")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_workers_write_what_one_process_writes(fmt: str) -> None:
    outputs = []
    for jobs in ("1", "2"):
        clear_cache()
        code, out, err = cli.invoke("sweep", EXAMPLE, *LENGTHS, "-f", fmt, "--jobs", jobs)
        assert code == 0, err
        outputs.append((out, err))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_a_count_below_1_is_one_line_and_exit_2(jobs: str) -> None:
    code, out, err = cli.invoke("sweep", EXAMPLE, *LENGTHS, "--jobs", jobs)
    assert code == 2 and out == ""
    assert err == (
        f"error: --jobs: {jobs} is not a count of processes; give a whole number, 1 or more (1: in this process)"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups read from /proc")
def test_ctrl_c_stops_the_sweep_and_its_workers(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "sweep", EXAMPLE, "--vary", "workload.input_tokens=500:3000:400"]
        + ["--today", "2026-12-07", "-f", "csv", "--jobs", "2", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # a group of its own, as a terminal's foreground job: Ctrl-C reaches every process
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # not ignored, as a background job's is
    )
    deadline = time.monotonic() + 60
    while len(_group(proc.pid)) < 3 and time.monotonic() < deadline:  # the sweep and its 2 workers
        time.sleep(0.05)
    assert len(_group(proc.pid)) == 3
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_INTERRUPTED
    said = stderr.decode()
    assert said.splitlines()[-1] == "error: interrupted; nothing written" and "Traceback" not in said and stdout == b""
    assert not out.exists()
    while _group(proc.pid) and time.monotonic() < deadline:  # the workers end with the search they are in
        time.sleep(0.05)
    assert _group(proc.pid) == []


def _group(pgid: int) -> list[int]:
    """The processes of a process group that are still running (not zombies)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found
