"""Run a costcalc command in a fresh process and measure its wall time and peak resident memory (Linux)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, peak resident set size in MB, and CPU seconds (user + system: what load does
    not inflate, on a machine shared with other work)."""

    wall_s: float
    peak_rss_mb: float
    cpu_s: float = 0.0


def run_costcalc(args: list[str], *, root: Path = ROOT, cwd: Path | None = None) -> Run:
    """`python -m costcalc ARGS` with `root` first on the import path; stdout discarded, stderr kept for errors."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "120"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", *args],
        cwd=cwd or root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"costcalc {' '.join(args)} exited {proc.returncode}: {err.decode()[-800:]}")
    return Run(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)  # ru_maxrss is in KB on Linux


def median_run(args: list[str], runs: int, *, root: Path = ROOT, cwd: Path | None = None) -> Run:
    """Median wall time and median peak RSS over `runs` fresh processes."""
    done = [run_costcalc(args, root=root, cwd=cwd) for _ in range(runs)]
    return _median(done)


def _median(runs: list[Run]) -> Run:
    """Each measure's median over the runs."""
    return Run(
        statistics.median(r.wall_s for r in runs),
        statistics.median(r.peak_rss_mb for r in runs),
        statistics.median(r.cpu_s for r in runs),
    )


def interleaved(args_of: dict[Path, list[str]], runs: int) -> dict[Path, Run]:
    """Median Run per checkout, the checkouts' runs taken in turn (so a change in machine load hits them alike)."""
    done: dict[Path, list[Run]] = {root: [] for root in args_of}
    for _ in range(runs):
        for root, args in args_of.items():
            done[root].append(run_costcalc(args, root=root))
    return {root: _median(rs) for root, rs in done.items()}
