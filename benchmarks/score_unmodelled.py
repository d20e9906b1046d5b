"""Score the unmodelled runs with the shipped factors and write costcalc/throughput/unmodelled.json.

    .venv/bin/python benchmarks/score_unmodelled.py [--dry-run]

calibrate_estimator.py runs this whenever it writes factors.json; run it alone after editing
costcalc/throughput/calibration_unmodelled.csv. tests/throughput/test_unmodelled.py checks that the
shipped file equals a fresh scoring.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from costcalc.throughput.unmodelled import UNMODELLED_JSON, read_unmodelled, save_gaps, score_gaps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args()
    gaps = score_gaps(read_unmodelled())
    for g in gaps:
        print(
            f"{g.model} ({g.covers}): {g.rows} rows, actual/estimate {g.low:.2f}x (p5) {g.median:.2f}x (median) {g.high:.2f}x (p95)"
        )
    if not args.dry_run:
        save_gaps(gaps)
        print(f"wrote {UNMODELLED_JSON.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
