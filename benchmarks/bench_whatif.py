"""Benchmark of the what-if engine: simulate 100k samples, a 1M-point sweep, and a bare numpy baseline.

Run: .venv/bin/python benchmarks/bench_whatif.py [--repeat 5]
Prints the median wall time of each case (CLI cases include Python start-up and imports).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SCENARIO = """\
version: 1
name: What-if benchmark (four options)
horizon_months: 36
workload:
  requests_per_day: {dist: triangular, low: 30000, mode: 50000, high: 90000}
  input_tokens: 1500
  output_tokens: 300
  cached_input_share: {dist: uniform, low: 0.3, high: 0.6}
  peak_to_average: 2.0
  growth_per_month: {dist: normal, mean: 0.03, sd: 0.01, min: 0}
options:
  - name: API A
    kind: api
    prices: {input_usd_per_mtok: 0.25, output_usd_per_mtok: 2.0, cached_input_usd_per_mtok: 0.025}
  - name: API B
    kind: api
    prices: {input_usd_per_mtok: {dist: lognormal, median: 0.2, sigma: 0.2}, output_usd_per_mtok: 0.8}
  - name: Rented H100
    kind: self_hosted
    model: gpt-oss-120b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: {dist: triangular, low: 1.8, mode: 2.49, high: 3.2}}
    operations: {engineer_hours_per_month: 10, hourly_rate_usd: 120}
  - name: Owned H100
    kind: self_hosted
    model: gpt-oss-120b
    hardware: {gpu: h100-sxm-80gb, acquisition: buy, price_usd: 30000, useful_life_months: 48, cost_of_capital_per_year: 0.08}
    power: {electricity_usd_per_kwh: {dist: uniform, low: 0.08, high: 0.2}, pue: 1.3}
    operations: {engineer_hours_per_month: 20, hourly_rate_usd: 120}
"""
SWEEP_POINTS = 1_000_000
SIM_SAMPLES = 100_000
RENT = "options[Rented H100]"


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Median seconds of `repeat` calls, and the last call's value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def cli(*args: str) -> None:
    """Run the costcalc CLI in a fresh interpreter (start-up and imports included)."""
    subprocess.run([sys.executable, "-m", "costcalc", *args], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from costcalc.analysis.points import evaluate_points, load_book
    from costcalc.api import simulate, sweep
    from costcalc.scenario.loaders import ScenarioSource

    folder = Path(tempfile.mkdtemp(prefix="bench-whatif-"))
    path = folder / "bench.yaml"
    path.write_text(SCENARIO)
    rows = []

    t, _ = timed(
        lambda: cli("simulate", str(path), "--samples", str(SIM_SAMPLES), "--seed", "1"),
        args.repeat,
    )
    rows.append((f"CLI simulate --samples {SIM_SAMPLES:,} (4 options, table)", t, SIM_SAMPLES * 4 / t))
    t, _ = timed(lambda: simulate(str(path), samples=SIM_SAMPLES, seed=1), args.repeat)
    rows.append(
        (
            f"simulate() {SIM_SAMPLES:,} samples, month 1 + 36-month horizon + break-even",
            t,
            SIM_SAMPLES * 4 / t,
        )
    )

    vary = [f"{RENT}.hardware.hourly_usd=0.5:6:{SWEEP_POINTS}"]
    t, _ = timed(lambda: sweep(str(path), vary), args.repeat)
    rows.append(
        (
            f"sweep() {SWEEP_POINTS:,} points → DataFrame (4 options, break-even)",
            t,
            SWEEP_POINTS * 4 / t,
        )
    )
    try:
        import pyarrow  # noqa: F401

        pq = folder / "sweep.parquet"
        t, _ = timed(
            lambda: cli("sweep", str(path), "--vary", vary[0], "--format", "parquet", "-o", str(pq)),
            args.repeat,
        )
        rows.append((f"CLI sweep {SWEEP_POINTS:,} points -o parquet", t, SWEEP_POINTS * 4 / t))
    except ImportError:
        print("pyarrow not installed: no parquet case")
    out = folder / "sweep.csv"
    t, _ = timed(
        lambda: cli("sweep", str(path), "--vary", vary[0], "--format", "csv", "-o", str(out)),
        max(1, args.repeat // 2),
    )
    rows.append((f"CLI sweep {SWEEP_POINTS:,} points -o CSV", t, SWEEP_POINTS * 4 / t))

    source = ScenarioSource.load(str(path))
    book = load_book()
    hourly = np.linspace(0.5, 6.0, SWEEP_POINTS)
    t, _ = timed(
        lambda: evaluate_points(source, {vary[0].split("=")[0]: hourly}, SWEEP_POINTS, book=book, check=None),
        args.repeat,
    )
    rows.append(
        (
            f"engine only: {SWEEP_POINTS:,} points × 4 options incl. break-even",
            t,
            SWEEP_POINTS * 4 / t,
        )
    )

    # the practical limit: the rented option's bill as one bare numpy expression over the same prices,
    # against the vectorised engine computing the same bill (no other options, no break-even)
    from costcalc.analysis.points import resolve
    from costcalc.analysis.vectorized import evaluate
    from costcalc.units import HOURS_PER_MONTH, SECONDS_PER_MONTH

    resolved = resolve(source.build(), book)
    plan = resolved.options[2].cost.plan  # type: ignore[union-attr]
    volume = np.full(SWEEP_POINTS, resolved.workload.requests_per_month)
    peak = resolved.shape.peak_factor

    def bare() -> np.ndarray:
        rate = volume / SECONDS_PER_MONTH * peak
        replicas = np.maximum(plan.min_replicas, np.ceil(rate / plan.capacity_requests_per_s - 1e-9))
        return replicas * HOURS_PER_MONTH * plan.gpus_per_replica * hourly + plan.labour_usd_per_month

    target = ("Rented H100", "hardware.hourly_usd")
    one = type(resolved)(resolved.scenario, resolved.workload, resolved.shape, resolved.options[2:3])
    t_engine, bill = timed(lambda: evaluate(one, {target: hourly}, SWEEP_POINTS, break_even=False), args.repeat)
    t_bare, want = timed(bare, args.repeat)
    assert np.allclose(bill.monthly_usd["Rented H100"], want)  # type: ignore[union-attr]
    rows.append(
        (
            f"engine: one option's bill over {SWEEP_POINTS:,} prices",
            t_engine,
            SWEEP_POINTS / t_engine,
        )
    )
    rows.append((f"bare numpy: the same bill over {SWEEP_POINTS:,} prices", t_bare, SWEEP_POINTS / t_bare))

    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median s':>9}  {'option-evaluations/s':>21}")
    for name, seconds, rate in rows:
        print(f"{name:<{width}}  {seconds:>9.3f}  {rate:>21,.0f}")
    print(f"(median of {args.repeat} runs; CLI CSV sweep of {max(1, args.repeat // 2)}; {folder})")


if __name__ == "__main__":
    main()
