"""The hostile corpus counted per input surface and per category: `python -m tests.hostile.surfaces`.

The surface is where the hostile input enters (a server, a flag, a file kind); the category is the
case id's prefix (what the case attacks). The closing note of issue 12 quotes this table.
"""

from __future__ import annotations

from collections import Counter

from tests.hostile.case import Case
from tests.hostile.cases import CASES


def surface(case: Case) -> str:
    """Where the case's hostile input enters the program."""
    argv = case.argv
    if case.server:
        return "measure server" if argv[0] == "measure" else "pricing update server"
    rules: list[tuple[bool, str]] = [
        (case.category == "output", "-o target"),
        (case.category == "crash", "unexpected exception (crash handler)"),
        (case.category == "guardrails", "guardrails (--fail-if, guardrails:)"),
        (case.category == "budget", "sweep/simulate limits"),
        (case.stdin is not None, "stdin"),
        (argv[0] == "ingest", "ingest file"),
        (argv[0] == "diff", "diff inputs"),
        (argv[0] == "ci", "ci (pull-request comment)"),
        (case.category == "references" or "--workload" in argv, "referenced files"),
        ("--set" in argv, "--set"),
        (
            bool({"--pricing", "--pricing-lock", "--cases"} & set(argv)) or argv[:2] == ("pricing", "validate"),
            "pricing file / lock / cases CSV",
        ),
        ("reference" in case.id or "-ref-" in case.id, "referenced files"),
    ]  # fmt: skip
    return next((name for hit, name in rules if hit), "scenario file")


def main() -> None:
    """Print both tables and the total."""
    for title, key in (("surface", surface), ("category", lambda c: c.category)):
        counts = Counter(key(c) for c in CASES)
        print(f"{'cases':>5}  {title}")
        for name, n in counts.most_common():
            print(f"{n:>5}  {name}")
        print(f"{sum(counts.values()):>5}  total\n")


if __name__ == "__main__":
    main()
