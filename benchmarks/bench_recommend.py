"""Benchmark of `costcalc recommend`: the whole command in a fresh process, with the capacity cache cold and warm.

Run: .venv/bin/python benchmarks/bench_recommend.py [--runs 5] [--case TEXT] [--root CHECKOUT ...]
Prints, per case, the candidates searched (configuration × offer pairs) and the median of `--runs` fresh
processes: wall seconds, CPU seconds (user + system, what the command itself used on a shared machine)
and peak resident memory. Cases: each shipped example with its own models, and the chatbot with four
(`--case` keeps those whose label contains TEXT). `--root` (repeatable) runs the same cases from other
checkouts, alternating run by run with this one, so a change is compared under the same load.
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
    ("internal-assistant", ("examples/internal-assistant.yaml", *TODAY)),
    ("nightly-batch", ("examples/nightly-batch.yaml", *TODAY)),
    ("coding-assistant", ("examples/coding-assistant.yaml", *TODAY)),
]


def run(args: tuple[str, ...], cache: Path, out: Path | None = None, root: Path = ROOT) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of `costcalc recommend ARGS` from `root`, in a fresh process with this cache."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "120", "COSTCALC_CACHE_DIR": str(cache)}
    target = ["-f", "json", "-o", str(out)] if out else ["-f", "json", "-o", os.devnull]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "recommend", *args, *target],
        cwd=root,
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
    parser.add_argument("--case", action="append", default=[], help="only cases whose label contains this")
    parser.add_argument("--root", action="append", default=[], type=Path, help="another checkout to compare")
    opts = parser.parse_args()
    roots = [ROOT, *(r.resolve() for r in opts.root)]
    cases = [c for c in CASES if not opts.case or any(t in c[0] for t in opts.case)]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(
        f"{'case':34} {'candidates':>10} {'configs':>8} {'simulated':>9}  {'cache':5} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8}"
    )
    for label, args in cases:
        with tempfile.TemporaryDirectory() as tmp:
            cold: dict[Path, list[tuple[float, float, float]]] = {r: [] for r in roots}
            hot: dict[Path, list[tuple[float, float, float]]] = {r: [] for r in roots}
            sizes = {}
            for k, root in enumerate(roots):
                report = Path(tmp) / f"out{k}.json"
                run(args, Path(tmp) / f"warm{k}", report, root)  # fills the warm cache and tells the search's size
                search = json.loads(report.read_text(encoding="utf-8"))["search"]
                sizes[root] = (
                    f"{search['candidates']:>10,} {search['configurations']:>8,} {search['simulated_configurations']:>9,}"
                )
            for i in range(opts.runs):  # alternating checkouts, run by run
                for k, root in enumerate(roots):
                    cold[root].append(run(args, Path(tmp) / f"cold{k}-{i}", root=root))
            for _ in range(opts.runs):
                for k, root in enumerate(roots):
                    hot[root].append(run(args, Path(tmp) / f"warm{k}", root=root))
        for root in roots:
            name = label if root == ROOT else f"  from {root}"
            print(f"{name:34} {sizes[root]}  cold  {medians(cold[root])}")
            print(f"{'':34} {'':>10} {'':>8} {'':>9}  warm  {medians(hot[root])}")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
