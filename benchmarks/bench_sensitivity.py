"""`costcalc sensitivity` against one report, for every example: wall and CPU seconds (medians).

Issue 13 asked for a reasonable sensitivity time (it took 11-13 s on an example). The estimated options'
capacity under the SLO is simulated again for every input that moves it (prompt and output lengths, the SLO,
GPUs per replica), so the serving simulation sets the time. CPU seconds are what machine load does not inflate.
Usage: python benchmarks/bench_sensitivity.py [--runs 3] [--root CHECKOUT ...] [EXAMPLE ...]
Each --root is a checkout whose code runs (default: this one); their runs alternate, one row each.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runner import ROOT, interleaved

EXAMPLES = ("startup-chatbot", "coding-assistant", "internal-assistant", "nightly-batch")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("examples", nargs="*", default=list(EXAMPLES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append")
    opts = parser.parse_args()
    roots = opts.root or [ROOT]
    print(f"medians of {opts.runs} runs; per checkout: {', '.join(map(str, roots))}")
    print("example              checkout  report wall s  CPU s  sensitivity wall s  CPU s  CPU ratio")
    for name in opts.examples:
        path = {r: str(r / "examples" / f"{name}.yaml") for r in roots}
        report = interleaved({r: ["report", path[r], "--format", "json"] for r in roots}, opts.runs)
        sens = interleaved({r: ["sensitivity", path[r], "--format", "json"] for r in roots}, opts.runs)
        for i, r in enumerate(roots):
            print(
                f"{name:<20} {i:>8} {report[r].wall_s:>14.2f} {report[r].cpu_s:>6.2f}"
                f" {sens[r].wall_s:>19.2f} {sens[r].cpu_s:>6.2f} {sens[r].cpu_s / report[r].cpu_s:>10.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
