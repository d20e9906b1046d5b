"""`costcalc chart -o FILE.png` for every chart kind of an example: wall time and peak memory (medians).

Target (issue 13): a PNG in under 1 s. The whole command is timed (start-up, analysis, drawing, writing);
the tornado also runs the sensitivity analysis. `report -f json` is timed for scale.
Usage: python benchmarks/bench_chart.py [--runs 5] [--example internal-assistant] [--root CHECKOUT ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one table each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from runner import ROOT, interleaved

KINDS = ("breakeven", "cumulative", "breakdown", "tornado")
DAY = "2026-12-05"
# the drawing alone, in one process after a warm-up: a checkout's chart renderer (render.chart, or the older
# matplotlib one) turning an analysed Result into PNG bytes, median of N
RENDER_ONLY = """
import datetime, json, statistics, sys, time
from costcalc.analysis.run import evaluate
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import ScenarioSource
try:
    from costcalc.render.chart import render
except ImportError:
    from costcalc.render.chart_mpl import render
done = evaluate(ScenarioSource.load(sys.argv[1]).build(), PriceSource(()), today=datetime.date(2026, 12, 5))
curves = done.curves()
out = {}
for kind in ("breakeven", "cumulative", "breakdown"):
    render(done.result, kind=kind, image_format="png", curves=curves)
    times, cpu = [], []
    for _ in range(int(sys.argv[2])):
        start, start_cpu = time.perf_counter(), time.process_time()
        render(done.result, kind=kind, image_format="png", curves=curves)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    out[kind] = (statistics.median(times), statistics.median(cpu))
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--example", default="internal-assistant")
    parser.add_argument("--root", type=Path, action="append")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    print(
        f"{opts.example}; medians of {opts.runs} runs; wall s / CPU s / peak MB per checkout: {', '.join(map(str, roots))}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            (f"chart --kind {k} -o x.{f}", ["chart", "--kind", k, "-o", f"{tmp}/{k}.{f}", "--today", DAY])
            for f in ("png", "svg")
            for k in KINDS
        ]
        cases.append(("report -f json", ["report", "--format", "json", "--today", DAY]))
        for label, args in cases:
            runs = interleaved(
                {r: [args[0], str(r / "examples" / f"{opts.example}.yaml"), *args[1:]] for r in roots}, opts.runs
            )
            cells = "  ".join(
                f"{runs[r].wall_s:>6.2f} s {runs[r].cpu_s:>6.2f} s {runs[r].peak_rss_mb:>5.0f} MB" for r in roots
            )
            print(f"{label:<34} {cells}", flush=True)
    print("PNG drawing alone (in process, after a warm-up), median wall s / CPU s per checkout:")
    for r in roots:
        scenario = str(r / "examples" / f"{opts.example}.yaml")
        env = {**os.environ, "PYTHONPATH": str(r)}
        done = subprocess.run(
            [sys.executable, "-c", RENDER_ONLY, scenario, str(opts.runs)],
            capture_output=True,
            text=True,
            env=env,
            cwd=r,
            check=True,
        )
        times = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"  {r}: " + ", ".join(f"{k} {wall:.3f} / {cpu:.3f}" for k, (wall, cpu) in times.items()), flush=True)


if __name__ == "__main__":
    main()
