"""The base side of `costcalc ci`, read from git: BASE_REF checked, where the change left it, files as they were
there (a scenario with the inputs it names), renames, and the scenarios a changed usage or hardware file feeds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from costcalc.scenario.references import written_references


def check_base(ref: str) -> None:
    """An InputError unless `ref` names a commit of the git checkout costcalc runs in."""
    from costcalc.errors import InputError

    if _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") == 0:
        return
    if _git("rev-parse", "--is-inside-work-tree") != 0:
        raise InputError(
            "costcalc ci runs in a git checkout (it reads each scenario's base version with git show); "
            "run it from the repository's folder",
            field="BASE_REF",
        )
    remote, _, branch = ref.partition("/")  # origin/release: fetch release from origin; a bare name from origin
    fetch = f"git fetch {remote} {branch}" if branch else f"git fetch origin {ref}"
    raise InputError(
        f"{ref!r} is not a commit in this repository; check the name, or fetch it first "
        f"({fetch}; actions/checkout needs fetch-depth: 0)",
        field="BASE_REF",
    )


def fork_point(ref: str) -> str:
    """The commit whose versions the change is compared with: where HEAD left `ref` (`git merge-base ref HEAD`), as
    `git diff ref...HEAD` lists the changed files, so a scenario BASE_REF changed since (a merge request's target
    moved on) is not shown as undone by this change; that is `ref` itself where HEAD merges the change into it
    (GitHub checks out a pull request so). `ref` where git finds no merge base (a shallow clone)."""
    done = subprocess.run(
        ["git", "merge-base", ref, "HEAD"], capture_output=True, text=True, check=False, cwd=Path.cwd()
    )
    fork = done.stdout.strip()
    return fork if done.returncode == 0 and fork else ref


def _git(*args: str) -> int:
    """Exit status of a quiet git command in the working folder."""
    try:
        return subprocess.run(["git", *args], capture_output=True, check=False, cwd=Path.cwd()).returncode
    except FileNotFoundError:
        raise _no_git() from None


def _no_git() -> Exception:
    """The InputError for a machine without git."""
    from costcalc.errors import InputError

    return InputError("git is not installed; costcalc ci reads the base version with git show")


def git_show(ref: str, path: Path) -> bytes | None:
    """The file's content at `ref`, or None when it did not exist there (or this is no git checkout)."""
    try:
        done = subprocess.run(
            ["git", "show", f"{ref}:./{path.as_posix()}"], capture_output=True, check=False, cwd=Path.cwd()
        )
    except FileNotFoundError:
        raise _no_git() from None
    return done.stdout if done.returncode == 0 else None


def renamed_files(ref: str) -> dict[Path, Path]:
    """Scenario files the change renamed, as git's rename detection pairs them (`git diff -M ref`, committed or in
    the working tree): each new path -> its path at `ref`, both as the working folder names them."""
    try:
        root = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False, cwd=Path.cwd()
        )
        done = subprocess.run(
            ["git", "diff", "-M", "--name-status", "-z", ref, "--"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path.cwd(),
        )
    except FileNotFoundError:
        return {}
    if root.returncode or done.returncode:
        return {}
    top, here = Path(root.stdout.strip()), Path.cwd().resolve()
    fields = done.stdout.split("\0")
    pairs, i = {}, 0
    while i < len(fields) and fields[i]:
        if fields[i].startswith(("R", "C")):  # status, old path, new path
            if fields[i].startswith("R"):
                old, new = (Path(os.path.relpath(top / f, here)) for f in fields[i + 1 : i + 3])
                pairs[new] = old
            i += 3
        else:  # status, path
            i += 2
    return pairs


def base_tree(folder: Path, path: Path, text: bytes, fork: str) -> Path:
    """The scenario's base version written into `folder` with the files it names (usage, hardware, benchmark files)
    at `fork` beside it, so its diff reads the base's inputs, not the change's (a change to usage.yaml alone read the
    same traffic on both sides); a file missing there is left out, and the diff says so of the base."""
    copy = folder / path.name
    copy.write_bytes(text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:  # a broken base: its diff reports that
        return copy
    for written in written_references(data):
        ref = Path(written)
        if ref.is_absolute() or ".." in ref.parts:  # outside the scenario's folder: refused when read, as at HEAD
            continue
        content = git_show(fork, path.parent / ref)
        if content is not None:
            (folder / ref).parent.mkdir(parents=True, exist_ok=True)
            (folder / ref).write_bytes(content)
    return copy


def is_input_file(path: Path) -> bool:
    """Whether a named file is a scenario's input (a usage or hardware file: a mapping with neither `version` nor
    `options`), not a scenario; the workflows' glob names both kinds."""
    try:
        data = yaml.safe_load(path.read_bytes()) if path.is_file() else None
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "version" not in data and "options" not in data


def scenarios_reading(path: Path) -> list[Path]:
    """The scenarios that name `path` (as workload, hardware or a benchmark file): those in its folder or a folder
    above it, up to the working folder, as a reference may not leave its scenario's folder."""
    target = Path(os.path.normpath(path.absolute()))
    here = Path.cwd().absolute()
    found = []
    for folder in [target.parent, *target.parent.parents]:
        for candidate in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
            if candidate == target or not candidate.is_file():
                continue
            try:
                data = yaml.safe_load(candidate.read_bytes())
            except (OSError, yaml.YAMLError):
                continue
            if not isinstance(data, dict) or "options" not in data:
                continue
            named = {Path(os.path.normpath(folder / w)) for w in written_references(data) if not Path(w).is_absolute()}
            if target in named:
                found.append(Path(os.path.relpath(candidate, here)) if candidate.is_relative_to(here) else candidate)
        if folder == here or not folder.is_relative_to(here):
            break
    return found
