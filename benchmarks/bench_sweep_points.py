"""A sweep over request lengths, which re-resolves the throughput estimate at every point: wall time, CPU time and
peak memory (medians), each checkout's output compared byte for byte with the first's.

qa19 (session 19): a 1,000-point sweep over input_tokens took ~2.5 min. Each point runs a capacity search per
estimated option, ~10 simulated operating points each (91% of the time is the serving simulation's event loop,
costcalc/throughput/serving/batching.py). CPU seconds are the measure to read on a machine shared with other work.
Usage: python benchmarks/bench_sweep_points.py [--points 200] [--runs 3] [--root CHECKOUT ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one row each.
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import tempfile
from pathlib import Path

from runner import ROOT, Run, run_costcalc

SCENARIO = "examples/startup-chatbot.yaml"
TODAY = "2026-12-07"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    vary = f"workload.input_tokens=500:3000:{opts.points}"
    print(f"sweep {SCENARIO} --vary {vary}; medians of {opts.runs} runs; checkouts: {', '.join(map(str, roots))}")
    print("checkout   wall s   CPU s  peak MB  output")
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / f"{i}.csv" for i in range(len(roots))]
        done: list[list[Run]] = [[] for _ in roots]
        for _ in range(opts.runs):  # every checkout once a round, so a change in the machine's load hits them alike
            for i, root in enumerate(roots):
                args = [
                    "sweep",
                    str(root / SCENARIO),
                    "--vary",
                    vary,
                    "--today",
                    TODAY,
                    "-f",
                    "csv",
                    "-o",
                    str(outs[i]),
                ]
                done[i].append(run_costcalc(args, root=root))
        for i, runs in enumerate(done):
            wall, cpu, mb = (statistics.median(getattr(r, f) for r in runs) for f in ("wall_s", "cpu_s", "peak_rss_mb"))
            same = "same" if filecmp.cmp(outs[0], outs[i], shallow=False) else "DIFFERS"
            print(f"{i:>8} {wall:>8.1f} {cpu:>7.1f} {mb:>8.0f}  {same}", flush=True)


if __name__ == "__main__":
    main()
