"""A 1,000,000-point sweep written as CSV and as Parquet: wall time, peak memory and file size (medians).

Target (issue 13): the CSV takes at most 3x the Parquet time, with rounded numbers.
Usage: python benchmarks/bench_sweep_csv.py [--runs 3] [--root CHECKOUT]
--root runs another checkout's code (e.g. a worktree of main) with the same script and interpreter.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from runner import ROOT, median_run

SCENARIO = "examples/startup-chatbot.yaml"
VARY = (  # 1,000 × 1,000 points
    "--vary",
    "workload.requests_per_day=1e3:1e7:1000:log",
    "--vary",
    "options[gpt-oss-120b on a rented H100].hardware.hourly_usd=1:5:1000",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT)
    opts = parser.parse_args()
    print(f"code: {opts.root}; 1,000,000 points of {SCENARIO}; medians of {opts.runs} runs")
    print(f"{'format':<8} {'wall s':>8} {'peak MB':>8} {'file MB':>8}")
    walls = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("parquet", "csv"):
            out = Path(tmp) / f"sweep.{fmt}"
            args = ["sweep", str(opts.root / SCENARIO), *VARY, "--format", fmt, "-o", str(out)]
            run = median_run(args, opts.runs, root=opts.root)
            walls[fmt] = run.wall_s
            print(f"{fmt:<8} {run.wall_s:>8.2f} {run.peak_rss_mb:>8.0f} {out.stat().st_size / 1e6:>8.1f}", flush=True)
    print(f"csv / parquet: {walls['csv'] / walls['parquet']:.2f}x")


if __name__ == "__main__":
    main()
