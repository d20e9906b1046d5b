"""Benchmark of `costcalc recommend`: the whole command in a fresh process, with the capacity cache cold and warm.

Run: .venv/bin/python benchmarks/bench_recommend.py [--runs 5]
Prints, per case, the candidates searched (configuration × offer pairs) and the median of `--runs` fresh
processes: wall seconds, CPU seconds (user + system, what the command itself used on a shared machine)
and peak resident memory.
- cold: an empty capacity cache (COSTCALC_CACHE_DIR is a new folder each run): the serving simulation runs for
  every configuration the branch and bound reaches;
- warm: the cache filled by one run beforehand (another --top, format or constraint on the same workload).
The target is 10,000 or more candidates in 5 s or less on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHATBOT = "examples/startup-chatbot.yaml"
TODAY = ("--today", "2026-12-05")
FOUR_MODELS = ("--model", "gpt-oss-20b", "--model", "gpt-oss-120b", "--model", "qwen3-32b", "--model", "llama-3.3-70b")
CASES = [
    ("startup-chatbot, its 2 models", (CHATBOT, *TODAY)),
    ("startup-chatbot, 4 models", (CHATBOT, *FOUR_MODELS, *TODAY)),
]


def run(args: tuple[str, ...], cache: Path, out: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of `costcalc recommend ARGS` in a fresh process with this cache folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "COSTCALC_CACHE_DIR": str(cache)}
    target = ["-f", "json", "-o", str(out)] if out else ["-f", "json", "-o", os.devnull]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "recommend", *args, *target],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"recommend {' '.join(args)} failed: {err.decode()[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def medians(samples: list[tuple[float, float, float]]) -> str:
    wall, cpu, rss = (statistics.median(s[i] for s in samples) for i in range(3))
    return f"{wall:8.2f} {cpu:8.2f} {rss:8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement (median)")
    opts = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(
        f"{'case':34} {'candidates':>10} {'configs':>8} {'simulated':>9}  {'cache':5} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8}"
    )
    for label, args in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            warm = Path(tmp) / "warm"
            report = Path(tmp) / "out.json"
            run(args, warm, report)  # fills the warm cache and tells the search's size
            search = json.loads(report.read_text(encoding="utf-8"))["search"]
            cold = [run(args, Path(tmp) / f"cold{i}") for i in range(opts.runs)]
            hot = [run(args, warm) for _ in range(opts.runs)]
        size = f"{search['candidates']:>10,} {search['configurations']:>8,} {search['simulated_configurations']:>9,}"
        print(f"{label:34} {size}  cold  {medians(cold)}")
        print(f"{'':34} {'':>10} {'':>8} {'':>9}  warm  {medians(hot)}")


if __name__ == "__main__":
    main()
