"""A 1,000,000-point sweep written as CSV and as Parquet: wall time, peak memory and file size (medians).

Target (issue 13): the CSV takes at most 3x the Parquet time, with rounded numbers.
Usage: python benchmarks/bench_sweep_csv.py [--runs 3] [--root CHECKOUT ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one row each.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from runner import ROOT, interleaved

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
    parser.add_argument("--root", type=Path, action="append")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    print(f"1,000,000 points of {SCENARIO}; medians of {opts.runs} runs; checkouts: {', '.join(map(str, roots))}")
    print("checkout  format   wall s  peak MB  file MB")
    with tempfile.TemporaryDirectory() as tmp:
        walls = {}
        for fmt in ("parquet", "csv"):
            outs = {r: Path(tmp) / f"{i}.{fmt}" for i, r in enumerate(roots)}
            runs = interleaved(
                {r: ["sweep", str(r / SCENARIO), *VARY, "--format", fmt, "-o", str(outs[r])] for r in roots}, opts.runs
            )
            for i, r in enumerate(roots):
                walls[(r, fmt)] = runs[r].wall_s
                size = outs[r].stat().st_size / 1e6
                print(f"{i:>8}  {fmt:<8} {runs[r].wall_s:>6.2f} {runs[r].peak_rss_mb:>8.0f} {size:>8.1f}", flush=True)
        for i, r in enumerate(roots):
            print(f"checkout {i}: csv / parquet = {walls[(r, 'csv')] / walls[(r, 'parquet')]:.2f}x")


if __name__ == "__main__":
    main()
