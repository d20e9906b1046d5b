"""What genai-prices would cost as a runtime dependency, next to costcalc's shipped CSV (medians, fresh processes).

Measures the wall time of fresh interpreters that (a) do nothing, (b) import genai_prices, (c) import it and
price one request (the first lookup loads its bundled data), (d) load costcalc's shipped API table through
the PriceBook and look one series up. Needs genai-prices installed (it is a test dependency).
Usage: python benchmarks/bench_price_source.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SNIPPETS = {
    "python (baseline)": "pass",
    "import genai_prices": "import genai_prices",
    "genai_prices: first calc_price": (
        "import genai_prices\n"
        "genai_prices.calc_price(genai_prices.Usage(input_tokens=2000, output_tokens=500), 'gpt-6-luna',"
        " provider_id='openai')"
    ),
    "costcalc: shipped api.csv + one lookup": (
        "from costcalc.pricing.book import PriceBook\nPriceBook.load(use_cache=False).get('api', 'openai/gpt-6-luna')"
    ),
}


def wall_s(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for code in SNIPPETS.values():  # warm the file cache and compile .pyc once
        wall_s(code)
    base = None
    print(f"{'what':42s} {'median s':>9s} {'over python':>12s}")
    for name, code in SNIPPETS.items():
        median = statistics.median(wall_s(code) for _ in range(args.runs))
        base = median if base is None else base
        print(f"{name:42s} {median:9.3f} {median - base:12.3f}")


if __name__ == "__main__":
    main()
