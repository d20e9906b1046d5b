"""Wall time of `costcalc --help` and `costcalc report` on an example (median of N runs, fresh processes).

Targets (issue 2, this 2-core machine): --help under 0.3 s, report under 1.0 s.
Usage: python benchmarks/bench_cli.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "costcalc --help": ["--help"],
    "costcalc report examples/startup-chatbot.yaml": ["report", str(ROOT / "examples" / "startup-chatbot.yaml")],
    "costcalc report examples/internal-assistant.yaml -f json": [
        "report",
        str(ROOT / "examples" / "internal-assistant.yaml"),
        "--format",
        "json",
    ],
}


def wall_s(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "costcalc", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    print(f"{'command':<62} {'median s':>9} {'min s':>7} {'max s':>7}")
    for label, args in COMMANDS.items():
        wall_s(args)  # warm the file cache and the byte-code
        times = [wall_s(args) for _ in range(runs)]
        print(f"{label:<62} {statistics.median(times):>9.3f} {min(times):>7.3f} {max(times):>7.3f}")


if __name__ == "__main__":
    main()
