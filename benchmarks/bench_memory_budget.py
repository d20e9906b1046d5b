"""Peak memory of sweep and simulate against the budget's estimate (costcalc/analysis/budget.py).

Each run is a fresh `costcalc` process; its peak resident memory (ru_maxrss from wait4) less the
same command's peak at 1 point is what the run added. The estimate must be at least that, and the
slopes fitted here are where the coefficients in analysis/budget.py and render/{sweep,simulate}.py
come from (rounded up).

    python benchmarks/bench_memory_budget.py [--points 100000,300000] [--options 3,20]

Figures of 2026-12-05 on the shared 2-core machine (--points 100000,300000 --options 3,20):
see the table it prints; the report of branch `hostile` quotes them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "hostile" / "files" / "base.yaml"


def scenario(folder: Path, options: int, uncertain: bool) -> Path:
    """The hostile base scenario with `options` options (API and rented GPUs alternating)."""
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    api, gpus = data["options"][0], data["options"][1]
    data["options"] = [dict(api if i % 2 == 0 else gpus, name=f"Option {i}") for i in range(options)]
    if uncertain:
        data["workload"]["requests_per_day"] = {"dist": "triangular", "low": 50000, "mode": 100000, "high": 200000}
    path = folder / f"s{options}{'u' if uncertain else ''}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def peak_mb(argv: list[str]) -> float:
    """Peak resident memory of one costcalc process, MB (budget unlimited, output to a file)."""
    env = {**os.environ, "COSTCALC_MAX_MEMORY_MB": "1e9"}
    proc = subprocess.Popen([sys.executable, "-m", "costcalc", *argv], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return usage.ru_maxrss / 1024


def _has_pyarrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def main() -> None:
    """Print measured added peak vs the estimate for each command, format, size and option count."""
    from costcalc.analysis.budget import BYTES_PER_MB, SIMULATE_BYTES_PER_SAMPLE, SWEEP_BYTES_PER_POINT
    from costcalc.render import simulate as render_simulate
    from costcalc.render import sweep as render_sweep

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", default="100000,300000")
    parser.add_argument("--options", default="3,20")
    args = parser.parse_args()
    points = [int(p) for p in args.points.split(",")]
    counts = [int(k) for k in args.options.split(",")]
    print(f"{'command':9} {'format':8} {'points':>8} {'options':>7} {'added MB':>9} {'estimate MB':>11}  ok")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = str(folder / "out")
        for k in counts:
            for fmt in ("table", "csv", "json", "parquet") if _has_pyarrow() else ("table", "csv", "json"):
                path = scenario(folder, k, uncertain=False)
                base = peak_mb(["sweep", str(path), "--vary", "workload.requests_per_day=1000", "-f", fmt, "-o", out])
                for n in points:
                    added = peak_mb(
                        [
                            "sweep",
                            str(path),
                            "--vary",
                            f"workload.requests_per_day=1000:1000000:{n}",
                            "-f",
                            fmt,
                            "-o",
                            out,
                        ]
                    )
                    a, b = SWEEP_BYTES_PER_POINT
                    c, d = render_sweep.render_bytes_per_point(fmt)
                    estimate = n * (a + c + k * (b + d)) / BYTES_PER_MB
                    print(
                        f"{'sweep':9} {fmt:8} {n:8,} {k:7} {added - base:9,.0f} {estimate:11,.0f}  {estimate >= added - base}"
                    )
            for fmt in ("table", "csv"):
                path = scenario(folder, k, uncertain=True)
                base = peak_mb(["simulate", str(path), "-n", "1", "-f", fmt, "-o", out])
                for n in points:
                    added = peak_mb(["simulate", str(path), "-n", str(n), "-f", fmt, "-o", out])
                    a, b = SIMULATE_BYTES_PER_SAMPLE
                    c, d = render_simulate.render_bytes_per_point(fmt)
                    estimate = n * (a + c + k * (b + d)) / BYTES_PER_MB
                    print(
                        f"{'simulate':9} {fmt:8} {n:8,} {k:7} {added - base:9,.0f} {estimate:11,.0f}  {estimate >= added - base}"
                    )


if __name__ == "__main__":
    main()
