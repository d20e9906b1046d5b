"""simulate of 100,000 samples against one report, for every example: wall time and peak memory (medians).

Target (issue 13): simulate takes at most 4x one report and under 1 GB on every example.
Usage: python benchmarks/bench_simulate.py [--runs 3] [--samples 100000] [--root CHECKOUT ...] [EXAMPLE ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one column each.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runner import ROOT, interleaved

EXAMPLES = ("startup-chatbot", "coding-assistant", "internal-assistant", "nightly-batch")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("examples", nargs="*", default=list(EXAMPLES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--root", type=Path, action="append")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    print(f"{opts.samples:,} samples, medians of {opts.runs} runs; per checkout: {', '.join(map(str, roots))}")
    print("example              checkout  report s  simulate s  ratio  simulate peak MB  report CPU s  simulate CPU s")
    for name in opts.examples:
        report = interleaved(
            {r: ["report", str(r / "examples" / f"{name}.yaml"), "--format", "json"] for r in roots}, opts.runs
        )
        sim_args = ["--samples", str(opts.samples), "--seed", "1", "--format", "json"]
        sim = interleaved({r: ["simulate", str(r / "examples" / f"{name}.yaml"), *sim_args] for r in roots}, opts.runs)
        for i, r in enumerate(roots):
            ratio = sim[r].wall_s / report[r].wall_s
            print(
                f"{name:<20} {i:>8} {report[r].wall_s:>9.2f} {sim[r].wall_s:>11.2f} {ratio:>6.1f} {sim[r].peak_rss_mb:>17.0f}"
                f" {report[r].cpu_s:>13.2f} {sim[r].cpu_s:>15.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
