"""Mutation check of the engine and the costing path with mutmut 3: how many injected faults the tests miss.

Copies the working tree (tracked and untracked, not ignored files) to a temporary folder, runs
`mutmut run` there with the paths and tests below, and prints per module how many mutants were killed,
survived, timed out or had no test; surviving share of engine/ is the figure issue 10 asks for (≤ 5%).

    pip install mutmut==3.8.1
    python benchmarks/mutation_check.py                      # engine/ + analysis/costing.py, 2 workers
    python benchmarks/mutation_check.py --show-survivors     # also the diff of every surviving mutant
    python benchmarks/mutation_check.py --paths 'costcalc/engine/*' --keep   # keep the copy for `mutmut show`
    python benchmarks/mutation_check.py --paths 'costcalc/engine/*' --commit ff23941   # before the new tests
    python benchmarks/mutation_check.py --paths 'costcalc/engine/*' --sample 300 --keep   # a seeded random sample
    python benchmarks/mutation_check.py --resume /tmp/costcalc-mutation-XXXX --sample 300   # reuse a kept copy
    python benchmarks/mutation_check.py --only 'costcalc.engine.flows.x__volume_sum*'   # one function's mutants
    python benchmarks/mutation_check.py --resume /tmp/costcalc-mutation-XXXX   # finish a stopped full run

A full run saves each mutant's result as it goes: stop it (Ctrl-C, or kill the process group) and --resume the
kept copy to go on, or to print the figures of the mutants checked so far (--partial).

Takes tens of minutes on 2 shared cores (each surviving mutant runs every test that covers its function).
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("costcalc/engine/*", "costcalc/analysis/costing.py")
TESTS = (
    "tests/engine",
    "tests/analysis/test_vectorized.py",
    "tests/test_api.py",
    "tests/render/test_golden.py",
    "tests/report",
)
STATUS = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<status>.+)$")


def copy_commit(target: Path, commit: str) -> None:
    """The files of `commit` (e.g. a commit before the tests under study) copied to `target`, the working tree left alone."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)


def copy_tree(target: Path) -> None:
    """The files git would see (committed, staged or new, not ignored) copied to `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        src = ROOT / raw.decode()
        if src.is_file():
            dst = target / raw.decode()
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


# Appended to the copy's tests/conftest.py: Hypothesis keeps no database of failing examples there. A failing
# example found under one mutant is otherwise replayed under every later one; where it also fails on the
# unmutated code (a real bug the property found), every later mutant its test covers would count as killed.
NO_EXAMPLE_DATABASE = """

from hypothesis import settings as _mutation_settings

_mutation_settings.register_profile("mutation_check", database=None)
_mutation_settings.load_profile("mutation_check")
"""


def configure(target: Path, paths: list[str], tests: list[str]) -> None:
    """mutmut's settings in the copy's pyproject.toml and tests/conftest.py (the repository's files are left alone)."""

    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(f'"{x}"' for x in items) + "]"

    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["costcalc"]\n'
        f"only_mutate = {toml_list(paths)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
        'also_copy = ["pricing", "examples"]\n'
    )
    pyproject = target / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + config, encoding="utf-8")
    conftest = target / "tests" / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8") + NO_EXAMPLE_DATABASE, encoding="utf-8")


def statuses_of(mutmut: str, work: Path) -> dict[str, str]:
    """Every mutant's name and mutmut's status of it ('killed', 'survived', 'not checked', ...)."""
    listed = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True)
    out = {}
    for line in listed.stdout.splitlines():
        m = STATUS.match(line)
        if m:
            out[line.strip().split(":")[0]] = m["status"].strip()
    return out


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval of a share hits/n (a sample's surviving share stands for the whole run's)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def module_of(function: str) -> str:
    """'costcalc.engine.breakeven.x__scan' → 'costcalc.engine.breakeven'."""
    parts = function.split(".")
    return ".".join(p for p in parts if not p.startswith(("x_", "xǁ")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", nargs="+", default=list(PATHS), help="glob patterns of the files to mutate")
    parser.add_argument("--tests", nargs="+", default=list(TESTS), help="test files and folders to run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--commit", help="mutate and test this commit's files instead of the working tree (a before figure)"
    )
    parser.add_argument("--sample", type=int, help="run only this many mutants drawn at random (seeded), not all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="+", help="run only the mutants whose names match these patterns (fnmatch)")
    parser.add_argument(
        "--partial", action="store_true", help="with --resume: run nothing, report the mutants checked so far"
    )
    parser.add_argument("--resume", help="a copy kept by an earlier --keep run: reuse its mutants and results")
    parser.add_argument("--show-survivors", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (for `mutmut show NAME`)")
    args = parser.parse_args()

    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if mutmut is None:
        sys.exit("mutmut is not installed: pip install mutmut==3.8.1")
    if args.resume:
        work = Path(args.resume)
    else:
        work = Path(tempfile.mkdtemp(prefix="costcalc-mutation-"))
        if args.commit:
            copy_commit(work, args.commit)
        else:
            copy_tree(work)
        configure(work, args.paths, args.tests)
    start = time.perf_counter()
    run = None
    if args.partial:
        found = {name: status for name, status in statuses_of(mutmut, work).items() if status != "not checked"}
    elif args.sample or args.only:
        if not args.resume:  # mutants and the test-to-function map only: a name matching nothing stops mutmut there
            subprocess.run(
                [mutmut, "run", "--max-children", str(args.workers), "none-such"], cwd=work, capture_output=True
            )
        everything = statuses_of(mutmut, work)
        names = sorted(n for n in everything if not args.only or any(fnmatch.fnmatch(n, p) for p in args.only))
        chosen = sorted(random.Random(args.seed).sample(names, min(args.sample, len(names)))) if args.sample else names
        pending = [name for name in chosen if everything[name] == "not checked"]
        cmd = [mutmut, "run", "--max-children", str(args.workers)]
        run = subprocess.run(cmd + pending, cwd=work, capture_output=True) if pending else None
        found = statuses_of(mutmut, work)
        found = {name: found[name] for name in chosen}
    else:
        run = subprocess.run([mutmut, "run", "--max-children", str(args.workers)], cwd=work, capture_output=True)
        found = statuses_of(mutmut, work)
    seconds = time.perf_counter() - start
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    survivors = []
    unchecked = sum(1 for status in found.values() if status == "not checked")
    for name, status in found.items():
        if status != "not checked":  # a stopped run's rest: not in any figure
            counts[module_of(name)][status] += 1
        if status == "survived":
            survivors.append(name)
    if not counts:
        if run is not None:
            sys.stderr.write(run.stdout.decode(errors="replace")[-3000:] + run.stderr.decode(errors="replace")[-3000:])
        sys.exit("mutmut reported no mutants; see its output above")
    statuses = ["killed", "survived", "timeout", "no tests", "suspicious", "skipped"]
    print(f"{'module':<36}" + "".join(f"{s:>11}" for s in statuses) + f"{'survived %':>12}")
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for module in sorted(counts):
        c = counts[module]
        n = sum(c.values())
        print(f"{module:<36}" + "".join(f"{c[s]:>11}" for s in statuses) + f"{100 * c['survived'] / n:>11.1f}%")
        group = "engine/" if module.startswith("costcalc.engine") else "costing path"
        totals[group].update(c)
    for group, c in totals.items():
        n = sum(c.values())
        missed = c["survived"] + c["no tests"]
        low, high = wilson(missed, n)
        band = f", 95% interval {100 * low:.1f}-{100 * high:.1f}%" if args.sample else ""
        print(
            f"{group}: {n} mutants{' sampled' if args.sample else ''}, {c['survived']} survived,"
            f" {c['no tests']} without a test ({100 * missed / n:.1f}%{band})"
        )
    if args.partial or unchecked:
        print(
            f"partial: {len(found) - unchecked} of {len(statuses_of(mutmut, work))} mutants checked"
            " (mutmut runs the fastest first, so these are not a random sample)"
        )
    print(f"({seconds:.0f} s with {args.workers} workers; copy in {work})")
    if args.show_survivors:
        for name in survivors:
            shown = subprocess.run([mutmut, "show", name], cwd=work, capture_output=True, text=True).stdout
            print(
                f"\n# {name}\n"
                + "\n".join(x for x in shown.splitlines() if x[:1] in "+-" and x[:3] not in ("+++", "---"))
            )
    if not args.keep and not args.resume:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
