"""`python -m costcalc.pricing.build --wheels DIR [--check]`: rebuild pricing/api.csv from the pinned wheels."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from costcalc.errors import CostcalcError
from costcalc.pricing.build import API_MAX_AGE_DAYS, BUILD_HOW, Inputs, build, freshness_csv
from costcalc.pricing.build.pins import GENAI_PRICES, LITELLM

REPO_PRICING = Path(__file__).resolve().parents[3] / "pricing"


def main(argv: list[str] | None = None) -> int:
    """Build, then write api.csv, build/disagreements.csv and freshness.csv (or, with --check, compare)."""
    parser = argparse.ArgumentParser(prog="python -m costcalc.pricing.build", description=__doc__)
    parser.add_argument("--wheels", type=Path, required=True, help="folder holding the pinned wheels")
    parser.add_argument("--pricing-dir", type=Path, default=REPO_PRICING, help="the pricing/ folder to write")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    parser.add_argument(
        "--download", action="store_true", help="only fetch the pinned wheels into --wheels (pip, needs the index)"
    )
    args = parser.parse_args(argv)
    if args.download:
        return download(args.wheels)
    pricing: Path = args.pricing_dir
    try:
        inputs = Inputs(args.wheels, pricing / "build", genai_pin=GENAI_PRICES, litellm_pin=LITELLM)
        out = build(inputs)
    except CostcalcError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    fresh_path = pricing / "freshness.csv"
    current = fresh_path.read_text(encoding="utf-8") if fresh_path.is_file() else ""
    files = {
        pricing / "api.csv": out.api_csv,
        pricing / "build" / "disagreements.csv": out.disagreements_csv,
        fresh_path: freshness_csv(current, "api", out.built_on, API_MAX_AGE_DAYS, BUILD_HOW),
    }
    for warning in out.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        stale = [str(p) for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for stale_path in stale:
            print(f"would change: {stale_path}", file=sys.stderr)
        print(out.summary(), end="", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files.items():  # every output is ready: only now touch the files
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    print(out.summary(), end="", file=sys.stderr)
    return 0


def download(directory: Path) -> int:
    """`pip download --no-deps` each pinned release into `directory`; pip's exit status."""
    specs = [f"{pin.package}=={pin.version}" for pin in (GENAI_PRICES, LITELLM)]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *specs, "-d", str(directory)]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
