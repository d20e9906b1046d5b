"""Benchmark of the serving simulation: one operating point, a capacity search, and a cached capacity.

Run: .venv/bin/python benchmarks/bench_serving_sim.py [--repeat 9]
Prints, per configuration, the median wall time of:
- one operating point: simulate() at one arrival rate (2,000 counted requests, p50/p95/p99 TTFT and TPOT),
  in wall time and in this process's CPU time (on a shared machine the two differ);
- a capacity search from cold (step tables built, then the rate search; cache cleared each time);
- a cached capacity lookup (what a sweep pays after the first point of a configuration).
The target is 50 ms or less per operating point.
"""

from __future__ import annotations

import argparse
import statistics
import time

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.serving.batching import Traffic, simulate
from costcalc.throughput.serving.capacity import Targets
from costcalc.throughput.serving.estimated import clear_cache, estimated_capacity

# (label, gpu, model, gpus, precision, prompt lengths, shares, output tokens, ttft p95 ms, tokens/s per user)
CASES = [
    ("gpt-oss-120b 1x H100, 1200/250", "h100-sxm-80gb", "gpt-oss-120b", 1, None, (1200.0,), (1.0,), 250, 1500, 25),
    ("gpt-oss-20b 1x L40S, 1200/250", "l40s-48gb", "gpt-oss-20b", 1, None, (1200.0,), (1.0,), 250, 1500, 25),
    (
        "llama-3.3-70b fp8 2x H100, 2500/400",
        "h100-sxm-80gb",
        "llama-3.3-70b",
        2,
        "fp8",
        (2500.0,),
        (1.0,),
        400,
        3000,
        15,
    ),
    (
        "llama-3.1-8b 1x H100, mix 500/2k/8k, 300",
        "h100-sxm-80gb",
        "llama-3.1-8b",
        1,
        None,
        (500.0, 2000.0, 8000.0),
        (0.5, 0.3, 0.2),
        300,
        800,
        None,
    ),
]


def median_s(fn, repeat: int, clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of `repeat` calls on `clock` (wall time by default)."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def bench_case(case: tuple, repeat: int) -> str:  # type: ignore[type-arg]
    """One table row: median ms of one operating point and of a cold search, µs of a cached lookup."""
    label, gpu_id, model_id, gpus, precision, inputs, shares, out, ttft, speed = case
    gpu, model = get_gpu(gpu_id), get_model(model_id)
    kwargs = {
        "gpu_count": gpus,
        "precision": precision,
        "input_tokens": inputs,
        "shares": shares,
        "output_tokens": out,
        "targets": Targets(ttft, speed),
    }

    def cold():  # type: ignore[no-untyped-def]
        clear_cache()
        return estimated_capacity(gpu, model, **kwargs)

    result = cold()
    serving = result.serving
    assert serving is not None and result.steps is not None
    steps, scheduler, rate = result.steps, serving.scheduler, serving.requests_per_s
    traffic = Traffic(rate, inputs, shares, out)
    point_s = median_s(lambda: simulate(steps, scheduler, traffic), repeat)
    point_cpu_s = median_s(lambda: simulate(steps, scheduler, traffic), repeat, time.process_time)
    cold_s = median_s(cold, repeat)
    cold()
    cached_s = median_s(lambda: estimated_capacity(gpu, model, **kwargs), repeat)
    return (
        f"{label:42} {point_s * 1e3:9.1f} {point_cpu_s * 1e3:8.1f} {cold_s * 1e3:12.1f} {cached_s * 1e6:10.1f}"
        f"  {rate:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs per case (median reported)")
    args = parser.parse_args()
    print(f"{'configuration':42} {'point ms':>9} {'CPU ms':>8} {'capacity ms':>12} {'cached us':>10}  capacity req/s")
    for case in CASES:
        print(bench_case(case, args.repeat))


if __name__ == "__main__":
    main()
