"""How far capacity interpolated between the grid's lengths is from a capacity search at each length, on the shipped
examples: every estimated option under an SLO, at request lengths from 0.4x to 2.5x the example's own, 1% apart.

Where a what-if re-resolves one request length at many values (costcalc/analysis/length_capacity.py), capacity
between two of the grid's lengths is read from the searches at those two (throughput/serving/length_grid.py); this
script resolves each length both ways and prints, per example, length and option, the median and largest relative
difference of the capacity (requests/s a replica serves within the SLO) and of the option's monthly cost.
--pairs N: instead, N pairs of lengths varied together (input and output, each from 0.4x to 2.5x the example's own,
log-uniform, seeded), each capacity read between the searches at the four pairs of nodes around it (or two, where one
length is a node), against the search at the pair.
Usage: PYTHONPATH=. python benchmarks/bench_length_error.py [--step 0.01] [--pairs N] [EXAMPLE ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np

from costcalc.analysis.points import load_book, resolve
from costcalc.analysis.vectorized import evaluate
from costcalc.resolve.book import PriceSource
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.scenario.loaders import ScenarioSource
from costcalc.throughput.serving.length_grid import interpolating

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 7)
EXAMPLES = ("startup-chatbot", "internal-assistant", "coding-assistant", "nightly-batch")
LENGTHS = {"workload.input_tokens": "input", "workload.output_tokens": "output"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("examples", nargs="*", default=list(EXAMPLES))
    parser.add_argument("--step", type=float, default=0.01, help="relative step between lengths")
    parser.add_argument("--pairs", type=int, default=0, help="pairs of input and output lengths varied together")
    opts = parser.parse_args()
    book = load_book((), None, None, TODAY)
    if opts.pairs:
        _pairs(opts.examples, opts.pairs, book)
        return
    print(
        "example              length         option                          lengths  interpolated"
        "  capacity: median  largest   monthly cost: largest"
    )
    worst, worst_at = 0.0, ""
    for name in opts.examples:
        source = ScenarioSource.load(str(ROOT / "examples" / f"{name}.yaml"))
        workload = source.build().workload
        for path, along in LENGTHS.items():
            own = getattr(workload, path.split(".")[1])
            if own is None:  # prompt lengths given as buckets: no one input length to vary
                continue
            grid = np.exp(np.arange(math.log(0.4 * own), math.log(2.5 * own), math.log1p(opts.step)))
            diffs: dict[str, list[tuple[float, float]]] = defaultdict(list)
            for value in sorted({round(float(v)) for v in grid}):
                _differ(source, {path: value}, along, book, diffs)
            for option, pairs in diffs.items():
                caps = [abs(c) for c, _ in pairs]
                costs_off = [abs(c) for _, c in pairs]
                if max(caps) > worst:
                    worst, worst_at = max(caps), f"{name} {path} {option}"
                print(
                    f"{name:<20} {path.split('.')[1]:<14} {option:<32} {len(grid):>7} {len(pairs):>13}"
                    f"  {statistics.median(caps):>16.2%} {max(caps):>8.2%}  {max(costs_off):>21.2%}",
                    flush=True,
                )
    print(f"largest capacity difference: {worst:.3%} ({worst_at})")


def _pairs(examples: list[str], count: int, book: PriceSource) -> None:
    """`count` random pairs of input and output lengths per example, read between searches against searched."""
    print(
        "example              option                          pairs  interpolated  capacity: median  largest  cost: largest"
    )
    worst, worst_at = 0.0, ""
    for name in examples:
        source = ScenarioSource.load(str(ROOT / "examples" / f"{name}.yaml"))
        workload = source.build().workload
        if workload.input_tokens is None:  # prompt lengths given as buckets: no one input length to vary
            continue
        rng = np.random.default_rng(22)
        scale = np.exp(rng.uniform(math.log(0.4), math.log(2.5), size=(count, 2)))
        pairs = sorted({(round(workload.input_tokens * a), round(workload.output_tokens * b)) for a, b in scale})
        diffs: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for inputs, outputs in pairs:
            overrides = {"workload.input_tokens": inputs, "workload.output_tokens": outputs}
            _differ(source, overrides, "both", book, diffs)
        for option, found in diffs.items():
            caps = [abs(c) for c, _ in found]
            if max(caps) > worst:
                worst, worst_at = max(caps), f"{name} {option}"
            print(
                f"{name:<20} {option:<32} {len(pairs):>5} {len(found):>13}  {statistics.median(caps):>16.2%}"
                f" {max(caps):>8.2%} {max(abs(c) for _, c in found):>14.2%}",
                flush=True,
            )
    print(f"largest capacity difference: {worst:.3%} ({worst_at})")


def _differ(
    source: ScenarioSource,
    overrides: dict[str, int],
    along: str,
    book: PriceSource,
    diffs: dict[str, list[tuple[float, float]]],
) -> None:
    """Resolve the scenario at these lengths searched and read between searches; add each estimated option's relative
    capacity and monthly-cost differences to diffs (nothing where no capacity was read between searches)."""
    scenario = source.build(overrides)
    exact = resolve(scenario, book)
    with interpolating(along) as record:
        read = resolve(scenario, book)
    if record is None or not record.reads:
        return
    costs, read_costs = (evaluate(r, {}, 1).monthly_usd for r in (exact, read))
    for a, b in zip(exact.options, read.options):
        if isinstance(a, ResolvedSelfHosted) and isinstance(b, ResolvedSelfHosted):
            cap = b.throughput.requests_per_s / a.throughput.requests_per_s - 1
            cost = float(read_costs[a.name][0] / costs[a.name][0]) - 1
            if cap or cost:
                diffs[a.name].append((cap, cost))


if __name__ == "__main__":
    main()
