"""simulate of 100,000 samples against one report, for every example: wall time and peak memory (medians).

Target (issue 13): simulate takes at most 4× one report and under 1 GB on every example.
Usage: python benchmarks/bench_simulate.py [--runs 3] [--samples 100000] [--root CHECKOUT] [EXAMPLE ...]
--root runs another checkout's code (e.g. a worktree of main) with the same script and interpreter.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runner import ROOT, median_run

EXAMPLES = ("startup-chatbot", "coding-assistant", "internal-assistant", "nightly-batch")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("examples", nargs="*", default=list(EXAMPLES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--root", type=Path, default=ROOT)
    opts = parser.parse_args()
    print(f"code: {opts.root}; {opts.samples:,} samples; medians of {opts.runs} runs")
    print(f"{'example':<20} {'report s':>9} {'simulate s':>11} {'ratio':>6} {'simulate MB':>12}")
    for name in opts.examples:
        path = str(opts.root / "examples" / f"{name}.yaml")
        report = median_run(["report", path, "--format", "json"], opts.runs, root=opts.root)
        sim = median_run(
            ["simulate", path, "--samples", str(opts.samples), "--seed", "1", "--format", "json"],
            opts.runs,
            root=opts.root,
        )
        ratio = sim.wall_s / report.wall_s
        print(
            f"{name:<20} {report.wall_s:>9.2f} {sim.wall_s:>11.2f} {ratio:>6.1f} {sim.peak_rss_mb:>12.0f}", flush=True
        )


if __name__ == "__main__":
    main()
