"""`costcalc ci`: the cost report of a change, for any CI: a diff per changed scenario, one comment, HTML reports.

For each scenario file named (as arguments, or one a line on stdin as `git diff --name-only` prints
them): `costcalc diff` against its version at BASE_REF (`costcalc report` when the file is new) as
Markdown, and `costcalc report --format html`. Writes OUT_DIR/comment.md (one pull-request comment,
marked so CI can update it instead of adding another) and OUT_DIR/<name>.html. Each report runs as
its own costcalc process, so one broken scenario is reported and the others still are.
Exit status: 0 all fine, 1 a guardrail failed (reports still written), 2 a scenario is invalid.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from costcalc.cli.options import PricingLockOpt, TodayOpt, parse_day

MARKER = "<!-- costcalc-report -->"  # the comment CI finds and updates
FAIL_IF_ENV = "COSTCALC_FAIL_IF"  # extra guardrails, one expression a line
HELP = (
    "Cost report of a change for CI: `costcalc diff` of each changed scenario against BASE_REF (a report when "
    "the file is new) into OUT_DIR/comment.md, one pull-request comment, and OUT_DIR/NAME.html. Exit 1 when a "
    "guardrail fails (reports still written), 2 when a scenario is invalid."
)


def register(app: typer.Typer) -> None:
    """Add the ci command to the root app."""
    app.command("ci", help=HELP)(ci_command)


def ci_command(
    base_ref: Annotated[str, typer.Argument(metavar="BASE_REF", help="git ref of the base, e.g. origin/main")],
    out_dir: Annotated[str, typer.Argument(metavar="OUT_DIR", help="folder for comment.md and the HTML reports")],
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(metavar="SCENARIO...", help="changed scenario files (default: their names on stdin)"),
    ] = None,
    fail_if: Annotated[
        list[str] | None,
        typer.Option("--fail-if", metavar="EXPR", help=f"a guardrail, as for diff (repeatable; also ${FAIL_IF_ENV})"),
    ] = None,
    pricing_lock: PricingLockOpt = None,
    today: TodayOpt = None,
) -> None:
    """Wiring only: one costcalc process per report; the comment assembled from their Markdown."""
    parse_day(today)  # a bad date is one error here, not one per scenario
    names = list(scenarios or ())
    if not names and not sys.stdin.isatty():
        names = [line.strip() for line in sys.stdin if line.strip()]
    guards = [*(fail_if or ()), *(e.strip() for e in os.environ.get(FAIL_IF_ENV, "").splitlines() if e.strip())]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shared = ["--pricing-lock", pricing_lock] if pricing_lock else []
    shared += ["--today", today] if today else []  # every report and diff prices the same day
    status, parts = 0, []
    for name in names:
        path = Path(name)
        if not path.is_file():
            continue  # deleted by this change
        md, rc = _markdown(path, base_ref, out, guards, shared)
        status = max(status, rc)
        if md.is_file():
            parts.append("\n".join(line for line in md.read_text(encoding="utf-8").splitlines() if line != MARKER))
        else:
            parts.append(f"### {path.stem}\n\n:x: costcalc could not read `{name}` (exit {rc}); see the job log.")
        html = _costcalc("report", str(path), "--format", "html", "--output", str(out / f"{path.stem}.html"), *shared)
        if html >= 2:
            status = max(status, html)
    footer = "_HTML reports are attached to this CI run as the `costcalc-report` artifact._"
    body = "\n\n".join([*parts, footer]) if parts else "No scenario file changed."
    (out / "comment.md").write_text(f"{MARKER}\n{body}\n", encoding="utf-8")
    raise typer.Exit(status)


def _markdown(path: Path, base_ref: str, out: Path, guards: list[str], shared: list[str]) -> tuple[Path, int]:
    """OUT/NAME.md: the diff against the base version (beside the file, so its references resolve), or a report;
    `shared`: the flags every costcalc run takes (--pricing-lock, --today)."""
    md = out / f"{path.stem}.md"
    base = _git_show(base_ref, path)
    if base is None:  # a new file: diff.* guardrails need a base
        flags = [a for g in guards if not g.strip().startswith("diff.") for a in ("--fail-if", g)]
        return md, _costcalc("report", str(path), "--format", "markdown", "--output", str(md), *flags, *shared)
    copy = path.with_name(f".costcalc-base-{path.stem}{path.suffix}")
    copy.write_bytes(base)
    try:
        flags = [a for g in guards for a in ("--fail-if", g)]
        return md, _costcalc("diff", str(copy), str(path), "--format", "markdown", "--output", str(md), *flags, *shared)
    finally:
        copy.unlink(missing_ok=True)


def _git_show(ref: str, path: Path) -> bytes | None:
    """The file's content at `ref`, or None when it did not exist there (or this is no git checkout)."""
    try:
        done = subprocess.run(
            ["git", "show", f"{ref}:./{path.as_posix()}"], capture_output=True, check=False, cwd=Path.cwd()
        )
    except FileNotFoundError:
        from costcalc.errors import InputError

        raise InputError("git is not installed; costcalc ci reads the base version with git show") from None
    return done.stdout if done.returncode == 0 else None


def _costcalc(*args: str) -> int:
    """Run one costcalc command in its own process (its stderr goes to the job log); its exit status."""
    return subprocess.run([sys.executable, "-m", "costcalc", *args], check=False).returncode
