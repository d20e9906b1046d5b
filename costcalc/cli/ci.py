"""`costcalc ci`: the cost report of a change, for any CI: a diff per changed scenario, one comment, HTML reports.

For each scenario file named (as arguments, or one a line on stdin as `git diff --name-only` prints
them): `costcalc diff` against its version where the change left BASE_REF (`git merge-base BASE_REF HEAD`: BASE_REF
itself when HEAD merges the change into it; its old name's when git's rename detection pairs it with
a file the change renamed; `costcalc report` when the file is new, or its version there cannot be read) as
Markdown, and `costcalc report --format html`. The base version reads the files it names (usage, hardware, benchmark
files) as they were at the base; a usage or hardware file named as changed is costed through the scenarios that name it. Writes OUT_DIR/comment.md (one pull-request comment,
marked so CI can update it instead of adding another) and OUT_DIR/<name>.html. Each report runs as
its own costcalc process, so one broken scenario is reported and the others still are.
Exit status: 0 all fine, 1 a guardrail failed (reports still written), 2 a scenario is invalid or missing, or
BASE_REF names no commit of the checkout (then nothing is written). A comment.md an earlier run left in OUT_DIR is
removed first, and the new one written whole at the end (a temp file, then a rename): a run that stops or is killed
midway leaves none, never the last run's for the workflow to post as this one's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from costcalc.cli import ci_git
from costcalc.cli.options import PricingLockOpt, TodayOpt, parse_day
from costcalc.cli.output import emit, to_stderr
from costcalc.render import ci_comment
from costcalc.render.ci_comment import Section
from costcalc.render.diff_markdown import MARKER

FAIL_IF_ENV = "COSTCALC_FAIL_IF"  # extra guardrails, one expression a line; a line starting with '#' is a comment
COMMENT = "comment.md"
BOM = "\ufeff"
# how a guardrail's errors read after their origin (models/guardrails, report/guardrails: "guardrail 'EXPR': ...",
# the expression as repr() quotes it)
GUARDRAIL_ERROR = re.compile(r"(?:^|: )guardrail ['\"]")
HELP = (
    "Cost report of a change for CI: `costcalc diff` of each changed scenario against BASE_REF (against its old "
    "name when renamed; a report when the file is new) into OUT_DIR/comment.md, one pull-request comment, and OUT_DIR/NAME.html (and NAME.md, its section). Exit 1 when a "
    "guardrail fails (reports still written), 2 when a scenario is invalid or missing, or BASE_REF is no commit "
    "here (fetch it first)."
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
    artifact: Annotated[
        str | None,
        typer.Option(
            "--artifact",
            metavar="NAME",
            help="the name the CI job keeps OUT_DIR's HTML reports under, for the comment's footer",
        ),
    ] = None,
    pricing_lock: PricingLockOpt = None,
    today: TodayOpt = None,
) -> None:
    """Wiring only: one costcalc process per report; the comment assembled from their Markdown."""
    _check_out_dir_name(out_dir)  # before anything is removed or written: '' would be the working folder
    _forget_last_comment(out_dir)
    parse_day(today)  # a bad date is one error here, not one per scenario
    if pricing_lock and pricing_lock != "-":  # likewise a lock that cannot be read, before anything is written
        from costcalc.pricing.book import load_lock

        load_lock(pricing_lock)
    names = list(scenarios or ())
    if not names and not sys.stdin.isatty():
        # a byte-order mark before the first name (PowerShell's pipes, an editor's list) is no part of it: qa23
        names = [_git_name(line.strip().lstrip(BOM)) for line in sys.stdin if line.strip().lstrip(BOM)]
    env = _env_guards(os.environ.get(FAIL_IF_ENV, ""))
    # (flag, expression): each guardrail goes to diff/report by the flag that keeps its origin in their messages
    guards = [*(("--fail-if", g) for g in fail_if or ()), *(("--fail-if-env", e) for e in env)]
    _check_guards(list(fail_if or ()), env)  # a guardrail that cannot be read is one error here, not one per scenario
    ci_git.check_base(base_ref)  # a mistyped or unfetched ref would report every scenario as new, unguarded
    fork = ci_git.fork_point(base_ref)  # the base versions: where the change left BASE_REF, not what BASE_REF did since
    out = _out_dir(out_dir)
    shared = ["--pricing-lock", pricing_lock] if pricing_lock else []
    base_lock = ci_git.git_show(fork, Path(pricing_lock)) if pricing_lock and pricing_lock != "-" else None
    if pricing_lock and base_lock == Path(pricing_lock).read_bytes():
        base_lock = None  # the change keeps the lock: both sides price with it
    shared += ["--today", today] if today else []  # every report and diff prices the same day
    paths = list(dict.fromkeys(_here(name) for name in names))  # a file named twice (a.yaml, ./a.yaml) is costed once
    # a usage or hardware file named as changed: the scenarios that read it are costed
    readers = {p: ci_git.scenarios_reading(p) for p in paths if ci_git.is_input_file(p)}
    paths = list(dict.fromkeys([*paths, *(r for found in readers.values() for r in found)]))
    stems = _output_stems([p for p in paths if p.is_file()])
    renamed = ci_git.renamed_files(fork)  # new path -> its path at BASE_REF, as git's rename detection pairs them
    status, parts = 0, []
    for path in paths:
        name = path.as_posix()
        logged: set[str] = set()  # the job log gets each of this scenario's stderr lines once
        if path.is_dir():
            to_stderr(f"error: {_terminal(name)}: is a folder; name the scenario files in it")
            text = f"### {_md_name(path.name)}\n\n:x: `{_md_code(name)}` is a folder; name the scenario files in it."
            parts.append(Section(_md_code(name), text, failed=True))
            status = max(status, 2)
            continue
        if path in readers:
            who = ", ".join(f"`{_md_code(r.as_posix())}`" for r in readers[path])
            said = (
                f"is read by {who} (costed here)"
                if who
                else "is no scenario (no `options:`), and none in its folder or above names it; nothing to cost"
            )
            text = f"### {_md_name(path.stem)}\n\n`{_md_code(name)}` {said}."
            parts.append(Section(_md_code(name), text))
            continue
        if not path.is_file():
            if ci_git.git_show(fork, path) is not None:
                new = next((n for n, old in renamed.items() if old == path), None)
                what = f"renamed to `{_md_code(new.as_posix())}`" if new else "deleted"
                text = f"### {_md_name(path.stem)}\n\n`{_md_code(name)}` is {what} by this change; nothing to cost."
                parts.append(Section(_md_code(name), text))
                continue
            to_stderr(f"error: {_terminal(name)}: file not found, here or at {_terminal(base_ref)}; check the path")
            text = f"### {_md_name(path.stem)}\n\n:x: `{_md_code(name)}`: file not found; check the path."
            parts.append(Section(_md_code(name), text, failed=True))
            status = max(status, 2)
            continue
        stem = stems[path]
        old = renamed.get(path)
        to_stderr(f"== {_terminal(name)}")  # the job log: whose warnings and failed guardrails follow
        for earlier in (
            out / f"{stem}.md",
            out / f"{stem}.html",
        ):  # a run before this one's: never posted as this one's
            earlier.unlink(missing_ok=True)
        md, rc, errors, base_note = _markdown(
            path, stem, (base_ref, fork), out, guards, shared, logged, old, base_lock=base_lock
        )
        status = max(status, rc)
        if md.is_file():
            lines = [line for line in md.read_text(encoding="utf-8").splitlines() if line != MARKER]
            was = f" (renamed from `{_md_code(old.as_posix())}`)" if old else ""
            where = f"`{_md_code(name)}`{was} · HTML report: `{_md_code(stem)}.html`"
            head = [*lines[:1], "", where, *(["", base_note] if base_note else [])]
            parts.append(Section(_md_code(name), "\n".join([*head, *lines[1:]]), failed=rc != 0))
        else:
            said = "".join(f"\n- {_md(line)}" for line in errors) or " see the job log."
            text = f"### {_md_name(path.stem)}\n\n:x: {_failure(name, errors)} (exit {rc}):{said}"
            parts.append(Section(_md_code(name), text + (f"\n\n{base_note}" if base_note else ""), failed=True))
        html = _costcalc(
            "report", str(path), "--format", "html", "--output", str(out / f"{stem}.html"), *shared, logged=logged
        )[0]
        if html >= 2:
            status = max(status, html)
    emit(ci_comment.render(parts, _footer(artifact, out_dir)), str(out / COMMENT), "OUT_DIR")
    raise typer.Exit(status)


def _forget_last_comment(out_dir: str) -> None:
    """Remove OUT_DIR/comment.md of an earlier run before anything else: a run that stops on an error (exit 2) or
    is killed midway (a CI timeout) then leaves no comment, and the workflow says so instead of posting the last
    run's as this one's."""
    comment = Path(out_dir) / COMMENT
    if comment.is_file() and not comment.is_symlink():
        comment.unlink()


def _footer(artifact: str | None, out_dir: str) -> str:
    """Where the HTML reports are: under the artifact name the CI job keeps them as (`--artifact`: GitHub's upload
    step's `name`, GitLab's `expose_as`), else in OUT_DIR, without naming an artifact this CI may not have."""
    if artifact:
        return f"_HTML reports are attached to this CI run as the `{_md_code(artifact)}` artifact._"
    return f"_HTML reports are in this CI job's `{_md_code(out_dir.rstrip('/') or out_dir)}/` folder._"


def _failure(name: str, errors: list[str]) -> str:
    """What stopped a scenario's run, for the comment: a guardrail that could not be checked on it (one naming an
    option this scenario lacks, say: the scenario itself was read fine), or anything else before the cost was out
    (the scenario, its prices)."""
    if any(GUARDRAIL_ERROR.search(line) for line in errors):
        return f"costcalc could not check a guardrail on `{_md_code(name)}`"
    return f"costcalc could not cost `{_md_code(name)}`"


def _markdown(
    path: Path,
    stem: str,
    base: tuple[str, str],
    out: Path,
    guards: list[tuple[str, str]],
    shared: list[str],
    logged: set[str],
    old: Path | None = None,
    *,
    base_lock: bytes | None = None,
) -> tuple[Path, int, list[str], str]:
    """OUT/STEM.md: the diff against the base version (`old`'s, when the change renamed the file; beside the file,
    so its references resolve), or a report; `base`: BASE_REF as the user wrote it and the commit the base versions
    are read at (_fork_point); `shared`: the flags every costcalc run takes (--pricing-lock, --today); `base_lock`:
    the --pricing-lock file as it was at the base, where the change edits it (the base version is priced with it, so
    a reviewed price change shows in the diff).
    Also the run's exit status, its `error:` lines, and a note for the comment when the base version could not be
    read: then the change's version is reported as a new file's is (a change that fixes a broken scenario passes)."""
    md = out / f"{stem}.md"
    base_ref, fork = base
    was = old or path
    before = ci_git.git_show(fork, was)
    note = ""
    if before is not None:
        known = f"{was.as_posix()} at {base_ref}"
        with tempfile.TemporaryDirectory(prefix="costcalc-base-") as folder:
            copy = ci_git.base_tree(Path(folder), was, before, fork)
            flags = [a for flag, g in guards for a in (flag, g)]
            shown = {str(copy): known}
            if base_lock is not None:
                lock = Path(folder, ".costcalc-base-lock.json")
                lock.write_bytes(base_lock)
                flags += ["--base-pricing-lock", str(lock)]
                shown[str(lock)] = f"the --pricing-lock file at {base_ref}"
            diff = ("diff", str(copy), str(path), "--format", "markdown", "--output", str(md), *flags, *shared)
            rc, errors = _costcalc(*diff, logged=logged, shown={**shown, f"{copy.parent}{os.sep}": ""})
        broken_base = [e for e in errors if e.startswith(f"{known}:")]
        if rc != 2 or not broken_base:
            return md, rc, errors, note
        unchecked = " (its `diff.*` guardrails are not checked)" if any(_is_diff(g) for _, g in guards) else ""
        note = (
            f":warning: The base version, `{_md_code(known)}`, could not be read, so this is a report of the "
            f"change's version{unchecked}: {_md(broken_base[0])}"
        )
        to_stderr(f"note: {_terminal(known)} could not be read (above); reporting {_terminal(path.as_posix())} as new")
    flags = [a for flag, g in guards if not _is_diff(g) for a in (flag, g)]  # a new file: diff.* needs a base
    report = ("report", str(path), "--format", "markdown", "--output", str(md), *flags, *shared)
    return md, *_costcalc(*report, logged=logged), note


def _is_diff(guard: str) -> bool:
    """Whether a guardrail's metric compares BASE and HEAD (diff.*), which a report without a base cannot check."""
    return guard.strip().startswith("diff.")


_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _git_name(line: str) -> str:
    """A name as `git diff --name-only` prints it: git quotes one with a non-ASCII or special character, C-style
    ('"scenarios/\\303\\251quipe.yaml"', core.quotePath), which is unquoted to the file's name (a file whose name
    really is in quotes is taken as it is)."""
    if len(line) < 2 or line[0] != '"' or line[-1] != '"' or Path(line).exists():
        return line
    body, out, i = line[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        octal = body[i + 1 : i + 4]
        if char == "\\" and len(octal) == 3 and all(c in "01234567" for c in octal):
            out.append(int(octal, 8) & 0xFF)
            i += 4
        elif char == "\\" and body[i + 1 : i + 2] in _C_ESCAPES:
            out.append(_C_ESCAPES[body[i + 1]])
            i += 2
        else:
            out += char.encode("utf-8")
            i += 1
    return out.decode("utf-8", errors="surrogateescape")


def _here(name: str) -> Path:
    """A scenario's path as the working folder names it: an absolute path inside it made relative ($CI_PROJECT_DIR/
    scenarios/a.yaml -> scenarios/a.yaml), so that git finds its base version and its renames; others as given."""
    path = Path(name)
    if not path.is_absolute():
        return path
    relative = Path(os.path.relpath(Path(os.path.realpath(path.parent), path.name), Path.cwd().resolve()))
    return path if relative.parts[:1] == ("..",) else relative


def _output_stems(paths: list[Path]) -> dict[Path, str]:
    """Each scenario's name for OUT_DIR/NAME.md and NAME.html: its file's stem, or, where two files share a stem
    (team-a/chat.yaml, team-b/chat.yaml), its path joined with '-' (team-a-chat), so no report overwrites another;
    never the comment's own (comment.yaml: comment-2), whose section written as OUT_DIR/comment.md would be a comment
    to post if the run stopped before the whole one replaced it."""
    from collections import Counter

    count = Counter(p.stem for p in paths)
    taken: set[str] = {Path(COMMENT).stem}
    stems = {}
    for p in paths:
        stem = p.stem
        if count[p.stem] > 1:
            stem = "-".join(part for part in p.with_suffix("").parts if part not in ("/", ".", "..")).lstrip(".")
        unique, n = stem, 2
        while unique in taken:
            unique, n = f"{stem}-{n}", n + 1
        taken.add(unique)
        stems[p] = unique
    return stems


def _env_guards(text: str) -> list[str]:
    """$COSTCALC_FAIL_IF's guardrails, one a line: blank lines and lines starting with '#' left out (a workflow's
    `COSTCALC_FAIL_IF: |` block is text, where a YAML comment line is part of the value: it failed every run, exit 2)."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _check_guards(flags: list[str], env: list[str]) -> None:
    """An InputError naming the first --fail-if (or $COSTCALC_FAIL_IF line) that is no guardrail."""
    from costcalc.models.guardrails import parse_all

    parse_all(flags, env=env)


def _check_out_dir_name(name: str) -> None:
    """An InputError for an empty OUT_DIR (`costcalc ci origin/main "$OUT"` with $OUT unset), which would remove
    and write comment.md in the working folder."""
    from costcalc.errors import InputError

    if not name.strip():
        raise InputError(
            "empty folder name; give a folder for comment.md and the HTML reports (is the variable that names it set?)",
            field="OUT_DIR",
        )


def _out_dir(name: str) -> Path:
    """OUT_DIR, created when missing; an InputError when it is a file or cannot be created."""
    from costcalc.errors import InputError

    out = Path(name)
    if out.exists() and not out.is_dir():
        raise InputError(f"{name} is a file; give a folder for comment.md and the HTML reports", field="OUT_DIR")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise InputError(f"cannot create {name}: {why}; choose another folder", field="OUT_DIR") from None
    return out


def _costcalc(*args: str, logged: set[str], shown: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Run one costcalc command in its own process; its exit status and the `error:` lines it wrote. Its stderr goes
    on to the job log, each line once a scenario (`logged`: the lines already there; the HTML report's run repeats
    the Markdown run's error and warnings), with each temporary path in `shown` named as the user knows it."""
    done = subprocess.run([sys.executable, "-m", "costcalc", *args], check=False, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in done.stderr.splitlines():
        for temporary, name in (shown or {}).items():
            line = line.replace(temporary, name)
        lines.append(line)
        if line not in logged:
            logged.add(line)
            to_stderr(line)
    return done.returncode, [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]


def _md(text: str) -> str:
    """User text on one Markdown line: escaped (no links, HTML or mentions)."""
    from costcalc.render.escape import markdown

    return markdown(text).replace("\n", " ")


def _md_name(text: str) -> str:
    """A file's name on one Markdown line: escaped, backticks too (it makes no code)."""
    from costcalc.render.escape import user_markdown

    return user_markdown(text).replace("\n", " ")


def _md_code(text: str) -> str:
    """User text inside a `code span`: no backticks, no line breaks."""
    return _terminal(text).replace("`", "'").replace("\n", " ")


def _terminal(text: str) -> str:
    """User text for the job log: no escape sequences or hidden characters."""
    from costcalc.render.escape import terminal

    return terminal(text)
