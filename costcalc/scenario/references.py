"""File references in a scenario (`workload: usage.yaml`, `hardware: gpus.yaml`, benchmark files): made absolute, loaded.

A scenario in a pull request is written by whoever opened it, and errors end up in CI logs: a
reference may not leave the scenario's folder (`../../etc/passwd`, an absolute path, a symlink
pointing out) unless the person running costcalc allows it (`--allow-outside`); and errors in a
file outside that folder never quote its values.
"""

from __future__ import annotations

import contextvars
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from costcalc.errors import InputError
from costcalc.models import Hardware, Workload
from costcalc.scenario.overrides import set_path
from costcalc.scenario.validate import validate
from costcalc.scenario.yamlio import parse, read_text
from costcalc.textsafe import shown

Overrides = list[tuple[list[Any], Any, str]]
M = TypeVar("M", bound=BaseModel)
_allow_outside: contextvars.ContextVar[bool] = contextvars.ContextVar("costcalc_allow_outside", default=False)


def set_allow_outside(allowed: bool) -> None:
    """Let references leave the scenario's folder for the rest of this command (the CLI's --allow-outside)."""
    _allow_outside.set(allowed)


@dataclass(frozen=True)
class ReferencePolicy:
    """Where references resolve from, whether they may leave that folder, and paths given on the command line."""

    root: Path
    allow_outside: bool = False
    trusted: frozenset[str] = field(default_factory=frozenset)  # e.g. --workload FILE: the user's own choice
    root_named: str = "the scenario's folder"  # how an error names root: a dict's or a string's is the working folder

    @classmethod
    def for_root(
        cls,
        root: Path,
        allow_outside: bool | None = None,
        trusted: tuple[str, ...] = (),
        root_named: str = "the scenario's folder",
    ) -> ReferencePolicy:
        """A policy rooted at `root`; `allow_outside` None means the command's --allow-outside."""
        allowed = _allow_outside.get() if allow_outside is None else allow_outside
        return cls(Path(os.path.abspath(root)), allowed, frozenset(trusted), root_named)

    def inside(self, path: str) -> bool:
        """Whether `path` (symlinks followed) lies in the root folder."""
        real = os.path.realpath(path)
        root = os.path.realpath(self.root)
        return os.path.commonpath([real, root]) == root

    def resolve(self, written: str, field_name: str) -> str:
        """The absolute path a reference names; InputError (naming the field, so the scenario's line) when it leads
        outside the root folder, or to nothing, or to a folder."""
        path = Path(written).expanduser()
        full = os.path.abspath(path if path.is_absolute() else self.root / path)
        if full in self.trusted:
            return full  # given on the command line: its own errors name it as the user typed it
        if not self.allow_outside and not self.inside(full):  # symlinks followed; a loop is reported when read
            raise InputError(
                f"{shown(written)} is outside the scenario's folder; keep referenced files in that folder"
                " (or below it), or pass --allow-outside if you trust this scenario",
                field=field_name,
            )
        if not os.path.lexists(full):
            where = "" if path.is_absolute() else f" (a relative path starts at {self.root_named})"
            fix = _path_fix(written, self.root)
            raise InputError(f"{shown(written)}: file not found{where}; {fix}", field=field_name)
        if os.path.isdir(full):
            raise InputError(f"{shown(written)} is a folder; name a file in it", field=field_name)
        return full


def _path_fix(written: str, root: Path) -> str:
    """How to fix a reference that names no file: a web address is not fetched, a variable is not expanded ('$HOME',
    '${DIR}', '%USERPROFILE%'), a Windows path's backslashes separate no folders here, else 'check the path'."""
    if "://" in written:
        return "a web address is not fetched: download the file and name its path"
    if re.search(r"\$\{?\w+|%\w+%", written):
        return "environment variables are not expanded in a scenario: write the path itself"
    if "\\" in written and os.sep == "/":  # a scenario written on Windows, run on Linux or macOS (CI): qa24
        if re.match(r"[A-Za-z]:\\", written):
            return (
                "a Windows drive path cannot be read on this system: keep the file in the scenario's folder and name it"
                " from there, with / (it works on Windows too)"
            )
        forward = written.replace("\\", "/")
        check = "" if os.path.isfile(root / forward) else " and check the path"
        return f"a backslash separates no folders on this system: write {forward} (/ works on Windows too){check}"
    return "check the path"


FileLines = dict[str, tuple[str, dict[str, int]]]  # a referenced part's path as errors show it → (file, key → line)


def load_workload(
    path: str,
    overrides: Overrides = (),  # type: ignore[assignment]
    *,
    quote_values: bool = True,
    lines: FileLines | None = None,
) -> Workload:
    """A usage profile from its own YAML file (with parsed overrides applied); `lines` gains its keys' lines."""
    return _load_part(Workload, path, overrides, quote_values, lines, "workload")


def load_hardware(
    path: str,
    overrides: Overrides = (),  # type: ignore[assignment]
    *,
    quote_values: bool = True,
    lines: FileLines | None = None,
    at: str = "",
) -> Hardware:
    """A hardware spec from its own YAML file (with parsed overrides applied); `lines` gains its keys' lines at `at`
    ('options[Rented GPUs].hardware')."""
    return _load_part(Hardware, path, overrides, quote_values, lines, at)


def _load_part(
    model: type[M], path: str, overrides: Overrides, quote_values: bool, lines: FileLines | None = None, at: str = ""
) -> M:
    """A referenced file; without `quote_values` its errors never show its values (it may be any file)."""
    shown = os.path.relpath(path)
    text, origin = read_text(path if shown.startswith("..") else shown)
    part = model.__name__.lower()
    owner = "a scenario's" if part == "workload" else "a self-hosted option's"
    held = f"the {part}'s keys, as {owner} {part}: section holds them"
    doc = parse(text, origin, if_empty=f"write {held}")
    if lines is not None and at:  # an error found after loading names this file's line, not the scenario's
        lines[at] = (origin, {".".join(map(str, key)): line for key, line in doc.lines.items() if key})
    if not isinstance(doc.data, dict):
        raise InputError(f"expected a mapping of {part} keys; is it the right file?", file=origin)
    if {"version", "options"} <= doc.data.keys():
        raise InputError(f"this is a scenario, not a {part} file; name a file holding only {held}", file=origin)
    if list(doc.data) == [part] and isinstance(doc.data[part], dict):  # the section copied with its heading
        raise InputError(
            f"its keys sit under '{part}:', but a {part} file holds {held}; delete the '{part}:' line and unindent"
            " the rest",
            file=origin,
            line=doc.line_of((part,)),
        )
    for parts, value, label in overrides:
        set_path(doc.data, parts, value, label, root=model)
    return validate(model, doc.data, doc, quote_values=quote_values)


def resolve_references(
    data: dict[str, Any],
    into_files: dict[tuple[Any, ...], Overrides],
    policy: ReferencePolicy | None = None,
    lines: FileLines | None = None,
) -> dict[str, Any]:
    """Replace `workload: FILE` and `hardware: FILE` (absolute paths by now) with the models loaded from them.

    A file outside the policy's folder (allowed by --allow-outside or given as --workload) is loaded
    without quoting its values in errors.
    """

    def quote(path: str) -> bool:
        return policy is None or policy.inside(path)

    data = dict(data)
    if isinstance(data.get("workload"), str):
        path = data["workload"]
        data["workload"] = load_workload(path, into_files.get(("workload",), []), quote_values=quote(path), lines=lines)
    options = data.get("options")
    if isinstance(options, list):
        data["options"] = [
            {
                **opt,
                "hardware": load_hardware(
                    opt["hardware"],
                    into_files.get(("options", i, "hardware"), []),
                    quote_values=quote(opt["hardware"]),
                    lines=lines,
                    at=f"options[{opt.get('name') if isinstance(opt.get('name'), str) else i}].hardware",
                ),
            }
            if isinstance(opt, dict) and opt.get("kind") == "self_hosted" and isinstance(opt.get("hardware"), str)
            else opt
            for i, opt in enumerate(options)
        ]
    return data


def written_references(data: Any) -> list[str]:
    """Every file path a scenario's raw data names (its workload, each option's hardware and throughput.measured), as
    written, in the order absolute_references meets them; none for data that is no mapping."""
    found: list[str] = []

    class Written(ReferencePolicy):
        def resolve(self, written: str, field_name: str) -> str:
            found.append(written)
            return written

    if isinstance(data, dict):
        absolute_references(data, Written(Path(".")))
    return found


def absolute_references(data: dict[str, Any], policy: ReferencePolicy | Path) -> dict[str, Any]:
    """A copy with workload, hardware and benchmark file paths made absolute (and checked) against the policy."""
    if isinstance(policy, Path):
        policy = ReferencePolicy.for_root(policy)
    rules = policy

    def absolute(p: Any, where: str) -> Any:
        return rules.resolve(p, where) if isinstance(p, str) else p

    data = dict(data)
    if isinstance(data.get("workload"), str):
        data["workload"] = absolute(data["workload"], "workload")
    options = data.get("options")
    if isinstance(options, list):
        fixed = []
        for i, opt in enumerate(options):
            if isinstance(opt, dict):
                opt = dict(opt)
                name = opt.get("name")
                where = f"options[{name if isinstance(name, str) else i}]"
                if isinstance(opt.get("hardware"), str):
                    opt["hardware"] = absolute(opt["hardware"], f"{where}.hardware")
                throughput = opt.get("throughput")
                if isinstance(throughput, dict) and "measured" in throughput:
                    m = throughput["measured"]
                    measured = f"{where}.throughput.measured"
                    opt["throughput"] = {
                        **throughput,
                        "measured": [absolute(x, measured) for x in m]
                        if isinstance(m, list)
                        else absolute(m, measured),
                    }
            fixed.append(opt)
        data["options"] = fixed
    return data
