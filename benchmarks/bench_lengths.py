"""What-ifs over request lengths, each of which moves the capacity under the SLO: wall time and CPU time (medians),
and how far each checkout's figures are from the first's.

(a) simulate of startup-chatbot with `output_tokens: {dist: normal, mean: 250, sd: 50}` (qa20: 2,000 samples took
2 min 55 s); (b) a sweep of startup-chatbot over workload.input_tokens (qa19: 1,000 points ~2.5 min); (c) one capacity
search, in process and cold (gpt-oss-20b on an L40S at 1,200 / 250 tokens under startup-chatbot's SLO). Issue 14
point 1 asks for one operating point in 50 ms or less: (a) and (b) print milliseconds a point (a sample for (a)).
(d) a sweep of startup-chatbot over input_tokens and output_tokens together (--pairs of each, 30 x 30 = 900 points).
CPU seconds are the measure to read on a machine shared with other work; with worker processes (sweep --jobs) the
wall time a point is what they save and the CPU time a point (the workers' included) what they cost.
Usage: python benchmarks/bench_lengths.py [--runs 3] [--samples 2000] [--points 1000] [--pairs 30] [--root CHECKOUT ...]
    [--interpolate ROOT_INDEX ...] [--searched ROOT_INDEX ... | --flagged-only] [--only a|b|c|d ...] [--jobs N ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one row each. --interpolate N
adds a row for the N-th checkout (from 0) run with --interpolate-lengths (a checkout that has it); --searched N keeps
only those checkouts' rows without the flag, --flagged-only none (a searched run takes minutes). --jobs N (repeatable)
runs each searched row's sweeps (b, d) with `--jobs N` instead (a row per N; the checkout must have the option): 1 is
in process. Peak RSS is the sum over the process and its workers, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from runner import ROOT, Run, run_costcalc

SCENARIO = "examples/startup-chatbot.yaml"
TODAY = "2026-12-07"
FIXED_OUTPUT = "  output_tokens: 250 "
SAMPLED_OUTPUT = "  output_tokens: {dist: normal, mean: 250, sd: 50}  "
SEARCH = """
import statistics, time
from costcalc.catalog.lookup import get_gpu, get_model
from costcalc.throughput.serving.capacity import Targets
from costcalc.throughput.serving.estimated import clear_cache, estimated_capacity
gpu, model = get_gpu("l40s-48gb"), get_model("gpt-oss-20b")
times = []
for _ in range({runs}):
    clear_cache()
    start = time.process_time()
    estimated_capacity(gpu, model, engine="vllm", input_tokens=(1200.0,), shares=(1.0,), output_tokens=250,
                       targets=Targets(1500.0, 25.0))
    times.append(time.process_time() - start)
print(statistics.median(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--root", type=Path, action="append")
    parser.add_argument("--pairs", type=int, default=30, help="values of each length in (d)")
    parser.add_argument("--only", choices=("a", "b", "c", "d"), action="append", help="run these cases only")
    parser.add_argument("--interpolate", type=int, action="append", default=[], help="checkout index: also flagged")
    parser.add_argument("--searched", type=int, action="append", help="checkout index: its row without the flag")
    parser.add_argument("--flagged-only", action="store_true", help="no row without the flag")
    parser.add_argument("--jobs", type=int, action="append", help="sweep --jobs N: a row per N for each checkout")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    searched = [] if opts.flagged_only else range(len(roots)) if opts.searched is None else opts.searched
    jobs = [(f" -j{n}", ["--jobs", str(n)]) for n in opts.jobs] if opts.jobs else [("", [])]
    rows = [(f"{i}{label}", roots[i], extra) for i in searched for label, extra in jobs]
    interpolated = [(f"{i}+interp", roots[i], ["--interpolate-lengths"]) for i in opts.interpolate]
    plain = [(str(i), roots[i], []) for i in searched] + interpolated
    rows += interpolated
    cases = opts.only or ["a", "b", "c"]
    print(f"medians of {opts.runs} runs; checkouts: {', '.join(map(str, roots))}")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        if "a" in cases:
            sampled = Path(tmp) / "sampled-output.yaml"
            text = (ROOT / SCENARIO).read_text()
            assert FIXED_OUTPUT in text, "startup-chatbot's output_tokens line moved"
            sampled.write_text(text.replace(FIXED_OUTPUT, SAMPLED_OUTPUT))
            args = ["simulate", str(sampled), "--samples", str(opts.samples), "--seed", "1", "--today", TODAY]
            _case(
                f"(a) simulate, {opts.samples:,} samples of output_tokens",
                plain,  # simulate has no --jobs
                opts.runs,
                args,
                "json",
                tmp,
                opts.samples,
            )
        if "b" in cases:
            vary = f"workload.input_tokens=500:3000:{opts.points}"
            for_root = ["sweep", "{root}/" + SCENARIO, "--vary", vary, "--today", TODAY]
            _case(f"(b) sweep --vary {vary}", rows, opts.runs, for_root, "csv", tmp, opts.points)
        if "d" in cases:
            both = [f"workload.input_tokens=600:2400:{opts.pairs}", f"workload.output_tokens=125:500:{opts.pairs}"]
            for_root = ["sweep", "{root}/" + SCENARIO, "--vary", both[0], "--vary", both[1], "--today", TODAY]
            _case(f"(d) sweep --vary {' --vary '.join(both)}", rows, opts.runs, for_root, "csv", tmp, opts.pairs**2)
        if "c" in cases:
            print("(c) one capacity search, cold, in process\ncheckout  CPU ms")
            for i, root in enumerate(roots):
                out = subprocess.run(
                    [sys.executable, "-c", SEARCH.format(runs=opts.runs)],
                    env={**os.environ, "PYTHONPATH": str(root)},
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                print(f"{i:>8} {float(out) * 1000:>5.0f}", flush=True)


def _case(
    title: str, rows: list[tuple[str, Path, list[str]]], runs: int, args: list[str], fmt: str, tmp: str, points: int
) -> None:
    """Every row (a checkout, with its extra arguments) `runs` times in turn; medians, ms a point (wall and CPU, the
    workers' CPU included), the peak RSS of the process and its workers together, and the largest figure change from
    the first row's."""
    print(
        f"{title}\n{'row':>12}   wall s   CPU s  wall ms a point  CPU ms a point  peak RSS MB  largest change from the"
        " first row"
    )
    outs = [Path(tmp) / f"{title[:3]}{i}.{fmt}" for i in range(len(rows))]
    done: list[list[Run]] = [[] for _ in rows]
    for _ in range(runs):
        for i, (_, root, extra) in enumerate(rows):
            argv = [a.replace("{root}", str(root)) for a in args] + extra + ["-f", fmt, "-o", str(outs[i])]
            done[i].append(_sampled(argv, root))
    for i, rs in enumerate(done):
        wall, cpu, rss = (statistics.median(getattr(r, f) for r in rs) for f in ("wall_s", "cpu_s", "peak_rss_mb"))
        change = _largest_change(outs[0], outs[i], fmt)
        print(
            f"{rows[i][0]:>12} {wall:>8.1f} {cpu:>7.1f} {wall / points * 1000:>16.1f} {cpu / points * 1000:>15.1f}"
            f" {rss:>12.0f}  {change}",
            flush=True,
        )


def _sampled(argv: list[str], root: Path) -> Run:
    """run_costcalc's run, its peak RSS the largest sum over the process and its children (the sweep's workers),
    read from /proc every 50 ms while it runs (run_costcalc's is the largest of any one of them)."""
    peak = [0.0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mb())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        run = run_costcalc(argv, root=root)
    finally:
        stop.set()
        watcher.join()
    return Run(run.wall_s, max(peak[0], run.peak_rss_mb), run.cpu_s)


def _tree_rss_mb() -> float:
    """Resident MB of this process's children and theirs (the costcalc run and its workers), from /proc."""
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if pid != os.getpid():
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        except (OSError, StopIteration):  # gone meanwhile, or a zombie without memory
            continue
        todo += [int(k) for k in kids]
    return total / 1024


def _largest_change(first: Path, other: Path, fmt: str) -> str:
    """The largest relative difference between the numbers of two outputs, where it is (or 'same')."""
    if first.read_bytes() == other.read_bytes():
        return "same (byte for byte)"
    a, b = (dict(_numbers(p, fmt)) for p in (first, other))
    if a.keys() != b.keys():
        return "DIFFERENT SHAPE"
    worst, where, moved = 0.0, "", 0
    for key, x in a.items():
        y = b[key]
        if x == y or (math.isnan(x) and math.isnan(y)):
            continue
        moved += 1
        rel = abs(y - x) / abs(x) if x else math.inf
        if rel > worst:
            worst, where = rel, f"{key}: {x:.6g} -> {y:.6g}"
    return f"{moved:,} of {len(a):,} numbers moved, at most {worst:.2%} ({where})" if where else "same figures"


def _numbers(path: Path, fmt: str) -> Iterator[tuple[str, float]]:
    """Every number of a CSV (row and column) or JSON file (its path), as floats."""
    if fmt == "csv":
        import csv

        with path.open() as fh:
            for n, row in enumerate(csv.DictReader(line for line in fh if not line.startswith("#"))):
                for col, cell in row.items():
                    try:
                        yield f"row {n} {col}", float(cell)
                    except (TypeError, ValueError):
                        continue
        return
    yield from _walk(json.loads(path.read_text()), "")


def _walk(node: Any, at: str) -> Iterator[tuple[str, float]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{at}.{k}")
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield from _walk(v, f"{at}[{k}]")
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield at, float(node)


if __name__ == "__main__":
    main()
